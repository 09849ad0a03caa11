// The window at the sizes and scales an administrator meets: a thousand grants, 800×600, a wide screen, a large
// font, a geometry saved on a bigger screen. Real widgets on the offscreen platform; no server is needed because
// nothing here is tested, the grants carry their history.
#include "core/batch/batchtester.h"
#include "core/expiry/expiryattention.h"
#include "core/expiry/grantcalendar.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/identity/appidentity.h"
#include "core/model/grantlistmodel.h"
#include "core/settings/preferences.h"
#include "core/token/livetokens.h"
#include "core/token/tokenclient.h"
#include "core/vault/credentialvault.h"
#include "core/verdict/testverdict.h"
#include "support/manualclock.h"
#include "ui/clipboardguard.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSaveFile>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace gk;
using namespace gk::test;

class TestWindowLayout : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void noticeStaysTwoLinesWithAThousandGrantsAndFiltersToThem();
    void everyColumnFitsWithoutHorizontalScrolling_data();
    void everyColumnFitsWithoutHorizontalScrolling();
    void geometrySavedOnALargerScreenOpensWithinThisOne();
    void contextMenuLeadsWithTestAndCopyAndEndsWithDelete();
    void deletingAGrantSelectsTheNextOne();
    void f1OpensHelpWithEveryShortcutAndTheWindowHasItsIcon();
    void detailsSayHowLongAnExpiringGrantHasLeft();
    void exportCalendarWritesTheGrantsExpiryEvents();

private:
    void writeGrants(const QList<Grant>& grants);
    void openWindow(const QSize& size);
    QTableView* table() const { return m_window->findChild<QTableView*>(QStringLiteral("grantTable")); }

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<CredentialVault> m_vault;
    std::unique_ptr<GrantStore> m_store;
    std::unique_ptr<Preferences> m_preferences;
    std::unique_ptr<TokenClient> m_client;
    std::unique_ptr<GrantRepository> m_repository;
    std::unique_ptr<LiveTokens> m_liveTokens;
    std::unique_ptr<BatchTester> m_tester;
    std::unique_ptr<ClipboardGuard> m_clipboard;
    std::unique_ptr<MainWindow> m_window;
};

void TestWindowLayout::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    m_clock = std::make_unique<ManualClock>(QDateTime(QDate(2026, 11, 23), QTime(12, 0)));
    m_network = std::make_unique<QNetworkAccessManager>();
    m_vault = std::make_unique<CredentialVault>(QStringLiteral("grantkeeper-test-") +
                                                QUuid::createUuid().toString(QUuid::WithoutBraces));
    m_store = std::make_unique<GrantStore>(m_home->filePath(QStringLiteral("grants.json")));
    m_preferences = std::make_unique<Preferences>(m_home->filePath(QStringLiteral("grantkeeper.conf")));
    m_client = std::make_unique<TokenClient>(m_network.get(), m_clock.get());
    m_repository = std::make_unique<GrantRepository>(*m_store, *m_vault);
    m_liveTokens = std::make_unique<LiveTokens>(*m_clock);
    m_tester = std::make_unique<BatchTester>(*m_vault, *m_client, *m_clock);
    m_clipboard = std::make_unique<ClipboardGuard>(QGuiApplication::clipboard());
}

void TestWindowLayout::cleanup()
{
    m_window.reset();
    m_clipboard.reset();
    m_tester.reset();
    m_liveTokens.reset();
    m_repository.reset();
    m_client.reset();
    m_network.reset();
    m_vault.reset();
    m_store.reset();
    m_preferences.reset();
    QApplication::setFont(QFont());
}

// All at once, as a file the store reads, like a grants.json that grew over years.
void TestWindowLayout::writeGrants(const QList<Grant>& grants)
{
    QJsonArray array;
    for (const Grant& grant : grants)
        array.append(grant.toJson());
    QJsonObject root;
    root.insert(QStringLiteral("schema"), GrantStore::SchemaVersion);
    root.insert(QStringLiteral("grants"), array);
    QSaveFile file(m_store->filePath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.write(QJsonDocument(root).toJson()) > 0);
    QVERIFY(file.commit());
}

void TestWindowLayout::openWindow(const QSize& size)
{
    m_window = std::make_unique<MainWindow>(UiContext{*m_store, *m_vault, *m_client, *m_repository, *m_preferences,
                                                      *m_clock, *m_liveTokens, *m_tester, *m_clipboard,
                                                      m_home->filePath(QStringLiteral("grantkeeper.conf"))});
    if (size.isValid())
        m_window->resize(size);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->start();
    QApplication::processEvents(); // the columns are fitted once the list's text has settled
}

void TestWindowLayout::noticeStaysTwoLinesWithAThousandGrantsAndFiltersToThem()
{
    const QDate today = m_clock->today();
    QList<Grant> grants;
    QSet<QUuid> inNeed;
    for (int i = 0; i < 1000; ++i) {
        Grant grant = Grant::create(QStringLiteral("Grant %1").arg(i, 4, 10, QLatin1Char('0')), m_clock->now());
        grant.integrationUser = QStringLiteral("svc-%1").arg(i);
        if (i < 20)
            grant.expiresOn = today.addDays(-1 - i); // expired
        else if (i < 153)
            grant.expiresOn = today.addDays(i % 31); // expiring within the 30-day window, today included
        else
            grant.expiresOn = today.addDays(31 + i);
        if (i < 153)
            inNeed.insert(grant.id);
        grants.append(grant);
    }
    writeGrants(grants);
    openWindow(QSize(1280, 800));

    auto* notice = m_window->findChild<QFrame*>(QStringLiteral("attentionNotice"));
    auto* counts = m_window->findChild<QLabel*>(QStringLiteral("attentionCountsLabel"));
    auto* urgent = m_window->findChild<QLabel*>(QStringLiteral("attentionUrgentLabel"));
    QVERIFY(notice->isVisible());
    QCOMPARE(counts->text(), QStringLiteral("⚠ 20 grants have expired and 133 expire within 30 days."));
    QCOMPARE(urgent->text(), QStringLiteral("Most urgent: “Grant 0019” (expired 20 days ago), “Grant 0018” (expired "
                                            "19 days ago) and 151 more."));
    // Two lines of text: the counts and the most urgent, each on one line, whatever the count.
    const int lineSpacing = counts->fontMetrics().lineSpacing();
    QVERIFY2(counts->height() < 2 * lineSpacing && urgent->height() < 2 * lineSpacing,
             qPrintable(QStringLiteral("%1 and %2 px").arg(counts->height()).arg(urgent->height())));
    QVERIFY2(notice->height() < 4 * lineSpacing, qPrintable(QStringLiteral("%1 px").arg(notice->height())));
    // The list keeps the room: at 1280×800 well over five rows are visible.
    QVERIFY2(table()->viewport()->height() >= 15 * table()->rowHeight(0),
             qPrintable(QStringLiteral("%1 px").arg(table()->viewport()->height())));

    auto* showOnly = m_window->findChild<QPushButton*>(QStringLiteral("showAttentionOnlyButton"));
    QTest::mouseClick(showOnly, Qt::LeftButton);
    QCOMPARE(showOnly->text(), QStringLiteral("&Show All Grants"));
    QAbstractItemModel* shown = table()->model();
    QCOMPARE(shown->rowCount(), 153);
    QSet<QUuid> listed;
    for (int row = 0; row < shown->rowCount(); ++row)
        listed.insert(shown->index(row, 0).data(GrantListModel::GrantIdRole).toUuid());
    QCOMPARE(listed, inNeed);
    QCOMPARE(ExpiryAttention::of(m_store->grants(), today, 30).grantIds(), inNeed);

    QTest::mouseClick(showOnly, Qt::LeftButton);
    QCOMPARE(showOnly->text(), QStringLiteral("&Show Only These"));
    QCOMPARE(shown->rowCount(), 1000);
}

void TestWindowLayout::everyColumnFitsWithoutHorizontalScrolling_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<qreal>("fontScale");
    QTest::newRow("800x600") << QSize(800, 600) << 1.0;
    QTest::newRow("1440x900") << QSize(1440, 900) << 1.0;
    QTest::newRow("1280x800, larger font") << QSize(1280, 800) << 1.5;
}

void TestWindowLayout::everyColumnFitsWithoutHorizontalScrolling()
{
    QFETCH(QSize, size);
    QFETCH(qreal, fontScale);
    QFont font = QApplication::font();
    font.setPointSizeF(font.pointSizeF() * fontScale);
    QApplication::setFont(font);

    // The longest status texts the list shows: "scope missing 59 min ago", "expired 13 days ago".
    QList<Grant> grants;
    const QList<Verdict> verdicts = {Verdict::Passed, Verdict::ScopeMissing, Verdict::Refused, Verdict::Unreachable};
    for (int i = 0; i < 8; ++i) {
        Grant grant = Grant::create(QStringLiteral("Quarterly filing sync %1").arg(i), m_clock->now());
        grant.integrationUser = QStringLiteral("svc-quarterly-filing-%1").arg(i);
        grant.expiresOn = m_clock->today().addDays(i == 0 ? -13 : i * 40);
        TestRecord record;
        record.testedAt = m_clock->now().addSecs(-59 * 60);
        record.verdict = verdicts[i % verdicts.size()];
        record.httpStatus = record.verdict == Verdict::Unreachable ? 0 : 200;
        grant.appendTestRecord(record);
        grants.append(grant);
    }
    writeGrants(grants);
    openWindow(size);

    QTableView* list = table();
    QTRY_COMPARE(list->horizontalScrollBar()->maximum(), 0);
    QHeaderView* header = list->horizontalHeader();
    QStyleOptionViewItem option;
    option.initFrom(list);
    option.widget = list;
    for (const int column : {GrantListModel::ExpiryColumn, GrantListModel::LastTestColumn}) {
        // Status text is never cut, nor is any header.
        for (int row = 0; row < list->model()->rowCount(); ++row) {
            const QModelIndex index = list->model()->index(row, column);
            const int needed = list->itemDelegateForIndex(index)->sizeHint(option, index).width();
            QVERIFY2(needed <= header->sectionSize(column), qPrintable(QStringLiteral("%1 needs %2 px, has %3")
                                                                           .arg(index.data().toString())
                                                                           .arg(needed)
                                                                           .arg(header->sectionSize(column))));
        }
    }
    for (int column = 0; column < GrantListModel::ColumnCount; ++column)
        QVERIFY2(header->sectionSizeHint(column) <= header->sectionSize(column) ||
                     column == GrantListModel::UserColumn, // "Integration user" may be elided on a narrow screen
                 qPrintable(QStringLiteral("header %1").arg(column)));
    // The names share what is left but stay readable.
    QVERIFY(header->sectionSize(GrantListModel::NameColumn) >= 8 * list->fontMetrics().averageCharWidth());
    // The details pane does not scroll sideways either.
    auto* details = m_window->findChild<QScrollArea*>();
    QVERIFY(details);
    QTRY_COMPARE(details->horizontalScrollBar()->maximum(), 0);
}

void TestWindowLayout::geometrySavedOnALargerScreenOpensWithinThisOne()
{
    writeGrants({Grant::create(QStringLiteral("Payroll"), m_clock->now())});
    // As saved at QT_SCALE_FACTOR=2 on a larger screen: bigger than the whole of this one.
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    openWindow(available.size() * 2);
    m_window->move(available.topLeft() + QPoint(available.width(), available.height()));
    m_window->close();
    m_window.reset();

    openWindow(QSize()); // no size of its own: what was saved is restored
    const QRect frame = m_window->frameGeometry();
    QVERIFY2(available.contains(frame), qPrintable(QStringLiteral("%1,%2 %3×%4 on %5×%6")
                                                       .arg(frame.x())
                                                       .arg(frame.y())
                                                       .arg(frame.width())
                                                       .arg(frame.height())
                                                       .arg(available.width())
                                                       .arg(available.height())));
}

void TestWindowLayout::contextMenuLeadsWithTestAndCopyAndEndsWithDelete()
{
    writeGrants({Grant::create(QStringLiteral("Payroll"), m_clock->now())});
    openWindow(QSize(1024, 700));
    QStringList names;
    for (const QAction* action : table()->actions())
        if (!action->isSeparator())
            names.append(action->objectName());
    QCOMPARE(names, QStringList({QStringLiteral("testAction"), QStringLiteral("copyTokenAction"),
                                 QStringLiteral("copyHeaderAction"), QStringLiteral("copyCurlAction"),
                                 QStringLiteral("editGrantAction"), QStringLiteral("rotateSecretAction"),
                                 QStringLiteral("deleteGrantAction")}));
}

void TestWindowLayout::deletingAGrantSelectsTheNextOne()
{
    QList<Grant> grants;
    for (const QString& name : {QStringLiteral("Alpha"), QStringLiteral("Beta"), QStringLiteral("Gamma")}) {
        Grant grant = Grant::create(name, m_clock->now());
        grant.expiresOn = m_clock->today().addDays(100 + int(grants.size())); // listed in this order
        grants.append(grant);
    }
    writeGrants(grants);
    openWindow(QSize(1024, 700));
    table()->selectRow(1);
    m_window->findChild<QAction*>(QStringLiteral("deleteGrantAction"))->trigger();
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>(QStringLiteral("deleteConfirmation"))));
    QCOMPARE(box->text(), QStringLiteral("Delete “Beta”? Its Client ID and Secret are removed from the keychain; the "
                                         "grant itself stays in Workiva until you revoke it there."));
    QTest::mouseClick(box->findChild<QPushButton*>(QStringLiteral("confirmDeleteButton")), Qt::LeftButton);
    QTRY_COMPARE(table()->model()->rowCount(), 2);
    const QModelIndexList selected = table()->selectionModel()->selectedRows();
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().data().toString(), QStringLiteral("Gamma"));
}

void TestWindowLayout::f1OpensHelpWithEveryShortcutAndTheWindowHasItsIcon()
{
    openWindow(QSize(1024, 700));
    QVERIFY(!m_window->windowIcon().pixmap(32).isNull()); // drawn from the SVG by libqt6svg6
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTest::keySequence(m_window.get(), QKeySequence::HelpContents);
    QDialog* help = nullptr;
    QTRY_VERIFY((help = m_window->findChild<QDialog*>(QStringLiteral("helpDialog"))) && help->isVisible());
    const QString text = help->findChild<QTextBrowser*>(QStringLiteral("helpText"))->toPlainText();
    QVERIFY(!m_window->findChild<QMessageBox*>()); // not About
    for (const QAction* action : m_window->findChildren<QAction*>(Qt::FindDirectChildrenOnly)) {
        if (!action->shortcut().isEmpty())
            QVERIFY2(text.contains(action->shortcut().toString(QKeySequence::NativeText)),
                     qPrintable(action->objectName()));
    }
    QVERIFY(text.contains(QStringLiteral("Admin → Account Admin → People → OAuth2 Grants")));
    QVERIFY(text.contains(TestVerdict::explanation(Verdict::ScopeMissing)));
    help->close();
}

void TestWindowLayout::detailsSayHowLongAnExpiringGrantHasLeft()
{
    Grant grant = Grant::create(QStringLiteral("Payroll"), m_clock->now());
    grant.expiresOn = m_clock->today().addDays(12);
    writeGrants({grant});
    openWindow(QSize(1024, 700));
    QCOMPARE(m_window->findChild<QLabel*>(QStringLiteral("detailsWarningLabel"))->text(),
             QStringLiteral("⚠ This grant expires in 12 days: extend it in Workiva before it stops working."));
}

void TestWindowLayout::exportCalendarWritesTheGrantsExpiryEvents()
{
    Grant grant = Grant::create(QStringLiteral("Payroll"), m_clock->now());
    grant.expiresOn = m_clock->today().addDays(12);
    writeGrants({grant});
    openWindow(QSize(1024, 700));
    m_window->findChild<QAction*>(QStringLiteral("exportCalendarAction"))->trigger();
    QFileDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<QFileDialog*>(QStringLiteral("exportCalendarDialog"))));
    const QString path = m_home->filePath(QStringLiteral("grants.ics"));
    emit dialog->fileSelected(path); // as when the user picks the file and presses Save
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray ics = file.readAll();
    QCOMPARE(ics, GrantCalendar::iCalendar(m_store->grants(), 30, m_clock->now(), AppIdentity::version()));
    QVERIFY(ics.contains("UID:" + grant.keychainKey().toUtf8() + "@grantkeeper"));
    dialog->close();
}

QTEST_MAIN(TestWindowLayout)
#include "tst_windowlayout.moc"
