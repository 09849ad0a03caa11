#include "core/settings/preferences.h"
#include "ui/preferencesdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace gk;
using namespace std::chrono_literals;

namespace {

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestPreferencesDialog : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void controlsHaveTheirNames();
    void loadsTheStoredValues();
    void showsDefaultsForAFreshFile();
    void acceptWritesTheChangedValues();
    void okButtonSaves();
    void rejectWritesNothing();
    void offersTheApiVersionsWithTheirStatus();
    void everyInputIsLabelledForEveryone();
    void tabOrderFollowsTheLayout();

private:
    template <typename T>
    static T* child(const QDialog& dialog, const char* name)
    {
        return dialog.findChild<T*>(QString::fromLatin1(name));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestPreferencesDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("grantkeeper.conf"));
}

void TestPreferencesDialog::controlsHaveTheirNames()
{
    Preferences preferences(m_path);
    PreferencesDialog dialog(preferences);
    QVERIFY(child<QSpinBox>(dialog, "clipboardDelaySpin"));
    QVERIFY(child<QSpinBox>(dialog, "warningDaysSpin"));
    QVERIFY(child<QComboBox>(dialog, "defaultRegionCombo"));
    QVERIFY(child<QComboBox>(dialog, "defaultApiVersionCombo"));
    QVERIFY(child<QSpinBox>(dialog, "timeoutSpin"));
    QVERIFY(child<QDialogButtonBox>(dialog, "preferencesButtons"));
    QCOMPARE(dialog.objectName(), QStringLiteral("preferencesDialog"));
}

void TestPreferencesDialog::loadsTheStoredValues()
{
    Preferences preferences(m_path);
    preferences.setClipboardClearSeconds(45);
    preferences.setExpiryWarningDays(14);
    preferences.setDefaultRegion(Region::APAC);
    preferences.setDefaultApiVersion(ApiVersion::V2022_01_01);
    preferences.setRequestTimeout(90s);

    PreferencesDialog dialog(preferences);
    QCOMPARE(child<QSpinBox>(dialog, "clipboardDelaySpin")->value(), 45);
    QCOMPARE(child<QSpinBox>(dialog, "warningDaysSpin")->value(), 14);
    QCOMPARE(child<QComboBox>(dialog, "defaultRegionCombo")->currentData().toString(), QStringLiteral("apac"));
    QCOMPARE(child<QComboBox>(dialog, "defaultApiVersionCombo")->currentData().toString(),
             QStringLiteral("2022-01-01"));
    QCOMPARE(child<QSpinBox>(dialog, "timeoutSpin")->value(), 90);
}

void TestPreferencesDialog::showsDefaultsForAFreshFile()
{
    Preferences preferences(m_path);
    PreferencesDialog dialog(preferences);
    QCOMPARE(child<QSpinBox>(dialog, "clipboardDelaySpin")->value(), 30);
    QCOMPARE(child<QSpinBox>(dialog, "warningDaysSpin")->value(), 30);
    QCOMPARE(child<QComboBox>(dialog, "defaultRegionCombo")->currentData().toString(), QStringLiteral("us"));
    QCOMPARE(child<QComboBox>(dialog, "defaultApiVersionCombo")->currentData().toString(),
             QStringLiteral("2026-01-01"));
    QCOMPARE(child<QSpinBox>(dialog, "timeoutSpin")->value(), 30);
    QCOMPARE(child<QSpinBox>(dialog, "clipboardDelaySpin")->minimum(), 5);
    QCOMPARE(child<QSpinBox>(dialog, "clipboardDelaySpin")->maximum(), 3600);
    QCOMPARE(child<QSpinBox>(dialog, "warningDaysSpin")->minimum(), 0);
    QCOMPARE(child<QSpinBox>(dialog, "warningDaysSpin")->maximum(), 3650);
    QCOMPARE(child<QSpinBox>(dialog, "timeoutSpin")->minimum(), 1);
    QCOMPARE(child<QSpinBox>(dialog, "timeoutSpin")->maximum(), 600);
    QVERIFY(!QFile::exists(m_path)); // opening the dialog reads; it never creates the file
}

void TestPreferencesDialog::acceptWritesTheChangedValues()
{
    Preferences preferences(m_path);
    PreferencesDialog dialog(preferences);
    child<QSpinBox>(dialog, "clipboardDelaySpin")->setValue(120);
    child<QSpinBox>(dialog, "warningDaysSpin")->setValue(0);
    auto* region = child<QComboBox>(dialog, "defaultRegionCombo");
    region->setCurrentIndex(region->findData(QStringLiteral("eu")));
    auto* version = child<QComboBox>(dialog, "defaultApiVersionCombo");
    version->setCurrentIndex(version->findData(QStringLiteral("2022-01-01")));
    child<QSpinBox>(dialog, "timeoutSpin")->setValue(600);

    dialog.accept();

    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const Preferences reread(m_path);
    QCOMPARE(reread.clipboardClearSeconds(), 120);
    QCOMPARE(reread.expiryWarningDays(), 0);
    QCOMPARE(reread.defaultRegion(), Region::EU);
    QCOMPARE(reread.defaultApiVersion(), ApiVersion::V2022_01_01);
    QCOMPARE(reread.requestTimeout(), 600s);
}

void TestPreferencesDialog::okButtonSaves()
{
    Preferences preferences(m_path);
    PreferencesDialog dialog(preferences);
    child<QSpinBox>(dialog, "clipboardDelaySpin")->setValue(7);

    QPushButton* ok = child<QDialogButtonBox>(dialog, "preferencesButtons")->button(QDialogButtonBox::Ok);
    QVERIFY(ok);
    QTest::mouseClick(ok, Qt::LeftButton);

    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(Preferences(m_path).clipboardClearSeconds(), 7);
}

void TestPreferencesDialog::rejectWritesNothing()
{
    Preferences preferences(m_path);
    preferences.setClipboardClearSeconds(45);
    preferences.setExpiryWarningDays(14);
    const QByteArray before = fileBytes(m_path);
    QVERIFY(!before.isEmpty());

    PreferencesDialog dialog(preferences);
    child<QSpinBox>(dialog, "clipboardDelaySpin")->setValue(300);
    child<QSpinBox>(dialog, "warningDaysSpin")->setValue(60);
    child<QComboBox>(dialog, "defaultRegionCombo")->setCurrentIndex(2);
    child<QComboBox>(dialog, "defaultApiVersionCombo")->setCurrentIndex(1);
    child<QSpinBox>(dialog, "timeoutSpin")->setValue(5);
    dialog.reject();

    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(fileBytes(m_path), before);
    QCOMPARE(Preferences(m_path).clipboardClearSeconds(), 45);
    QCOMPARE(Preferences(m_path).expiryWarningDays(), 14);
}

void TestPreferencesDialog::offersTheApiVersionsWithTheirStatus()
{
    Preferences preferences(m_path);
    PreferencesDialog dialog(preferences);
    auto* version = child<QComboBox>(dialog, "defaultApiVersionCombo");
    QCOMPARE(version->count(), 2);
    QCOMPARE(version->itemText(0), QStringLiteral("2026-01-01 (current)"));
    QCOMPARE(version->itemText(1), QStringLiteral("2022-01-01 (deprecated, sunset 2029-01-31)"));

    auto* region = child<QComboBox>(dialog, "defaultRegionCombo");
    QCOMPARE(region->count(), 3);
    QCOMPARE(region->itemData(0).toString(), QStringLiteral("us"));
    QCOMPARE(region->itemData(1).toString(), QStringLiteral("eu"));
    QCOMPARE(region->itemData(2).toString(), QStringLiteral("apac"));
    QCOMPARE(region->itemText(0), QStringLiteral("US (api.app.wdesk.com)"));
}

void TestPreferencesDialog::everyInputIsLabelledForEveryone()
{
    Preferences preferences(m_path);
    PreferencesDialog dialog(preferences);

    QSet<QWidget*> buddies;
    QSet<QChar> mnemonics;
    for (QLabel* label : dialog.findChildren<QLabel*>()) {
        if (!label->buddy())
            continue;
        buddies.insert(label->buddy());
        const qsizetype amp = label->text().indexOf(QLatin1Char('&'));
        QVERIFY2(amp >= 0 && amp + 1 < label->text().size(), qPrintable(label->text()));
        const QChar key = label->text().at(amp + 1).toLower();
        QVERIFY2(!mnemonics.contains(key), qPrintable(label->text()));
        mnemonics.insert(key);
    }

    QList<QWidget*> inputs;
    for (QAbstractSpinBox* spin : dialog.findChildren<QAbstractSpinBox*>())
        inputs.append(spin);
    for (QComboBox* combo : dialog.findChildren<QComboBox*>())
        inputs.append(combo);
    QCOMPARE(inputs.size(), 5);
    for (QWidget* input : std::as_const(inputs)) {
        QVERIFY2(!input->accessibleName().isEmpty(), qPrintable(input->objectName()));
        QVERIFY2(!input->toolTip().isEmpty(), qPrintable(input->objectName()));
        QVERIFY2(buddies.contains(input), qPrintable(input->objectName()));
    }
}

void TestPreferencesDialog::tabOrderFollowsTheLayout()
{
    Preferences preferences(m_path);
    PreferencesDialog dialog(preferences);
    dialog.show();
    QApplication::setActiveWindow(&dialog);
    QVERIFY(QTest::qWaitForWindowActive(&dialog));

    const QStringList expected = {QStringLiteral("warningDaysSpin"), QStringLiteral("defaultRegionCombo"),
                                  QStringLiteral("defaultApiVersionCombo"), QStringLiteral("timeoutSpin"),
                                  QStringLiteral("clipboardDelaySpin")};
    QStringList visited;
    for (int i = 0; i < expected.size(); ++i) {
        QWidget* focused = QApplication::focusWidget();
        QVERIFY(focused);
        // A spin box hands its focus to its line edit; name the control, not its inner editor.
        while (focused && focused->objectName().isEmpty())
            focused = focused->parentWidget();
        QVERIFY(focused);
        visited.append(focused->objectName());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    }
    QCOMPARE(visited, expected);
}

QTEST_MAIN(TestPreferencesDialog)
#include "tst_preferencesdialog.moc"
