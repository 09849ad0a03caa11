#include "ui/grantdialog.h"

#include "core/grant/grantvalidator.h"
#include "support/manualclock.h"
#include "ui/clipboardguard.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateEdit>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace gk;

namespace {

// A self-signed CA certificate, for the "system CAs plus a CA file" mode.
const char TestCaPem[] = "-----BEGIN CERTIFICATE-----\n"
                         "MIIBkjCCATmgAwIBAgIUDJU5zdX4wZOr+iCZR5KE2ZeyFGkwCgYIKoZIzj0EAwIw\n"
                         "HzEdMBsGA1UEAwwUR3JhbnQgS2VlcGVyIFRlc3QgQ0EwHhcNMjYxMTIzMTI1NjAx\n"
                         "WhcNMzYxMTIwMTI1NjAxWjAfMR0wGwYDVQQDDBRHcmFudCBLZWVwZXIgVGVzdCBD\n"
                         "QTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABITz6aqBt4yTiXMelF41oeVnItKZ\n"
                         "RA+kLLLfFdbq8JWrJYb9sD2bz7vQLizunYWaAvETtDAfuh+4rRLaS90NxV6jUzBR\n"
                         "MB0GA1UdDgQWBBQKw8vp/pQENDD3mpAG+C+MdPkOKjAfBgNVHSMEGDAWgBQKw8vp\n"
                         "/pQENDD3mpAG+C+MdPkOKjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cA\n"
                         "MEQCIG6NmhUyJKWfiLOuLNmbWdMxNfbz2jgaL/a9SpxOWK5GAiA41sQJnbTUaU3I\n"
                         "grj0ppzJAwHkadFL+548qJEJCGZlMQ==\n"
                         "-----END CERTIFICATE-----\n";

const QDateTime Created(QDate(2025, 3, 1), QTime(9, 30), Qt::UTC);

template <typename T>
T* find(const QWidget& dialog, const char* objectName)
{
    auto* widget = dialog.findChild<T*>(QLatin1String(objectName));
    if (!widget)
        qFatal("no widget named %s", objectName);
    return widget;
}

Grant existingGrant(const QString& name, const QString& user)
{
    Grant grant = Grant::create(name, Created);
    grant.integrationUser = user;
    return grant;
}

// A fully described grant, as stored: the starting point of the edit tests.
Grant storedGrant()
{
    Grant grant = Grant::create(QStringLiteral("Ledger sync"), Created);
    grant.integrationUser = QStringLiteral("svc-ledger");
    grant.region = Region::EU;
    grant.apiVersion = ApiVersion::V2026_01_01;
    grant.authMethod = ClientAuthMethod::HttpBasic;
    grant.requestedScopes = ScopeSet::parse(QStringLiteral("file:read task:write custom:x"));
    grant.expiresOn = QDate(2031, 12, 31);
    grant.notes = QStringLiteral("Owned by finance IT.\nRotate yearly.");
    grant.ipAllowlistNote = QStringLiteral("10.0.0.0/8");
    grant.clientIdHint = QStringLiteral("…9876");
    return grant;
}

// Clicks near the left edge: a check box spread over a wide grid cell only reacts on its indicator and text.
void press(QAbstractButton* button)
{
    QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(qMin(8, button->width() / 2), button->height() / 2));
}

} // namespace

class TestGrantDialog : public QObject
{
    Q_OBJECT

private slots:
    void addSavesTrimmedValuesOnce();
    void duplicateNameKeepsTextAndFocusesIt();
    void sameValueInBothCredentialFieldsIsFlagged();
    void customUrlMustBeHttpsUnlessLoopback();
    void deprecatedVersionShowsHowToSwitch();
    void sharedIntegrationUserWarnsButStillSaves();
    void pastExpiryDateWarnsButStillSaves();
    void trustSettingsAreValidated();
    void editIsPrefilledAndKeepsTheStoredSecret();
    void editWithNewSecretNeedsTheClientId();
    void revealShowsStoredValuesThenHidesThem();
    void pastedSecretOffersToClearTheClipboard();
    void pastedControlCharactersAndLongValuesAreRefused();
    void pastedSecretIsClearedAfterTheGuardsDelay();
    void pastedSecretIsClearedWhenTheDialogCloses();
    void pastedSecretCopiedOverIsLeftAlone();
    void discardingATypedSecretAsksFirst_data();
    void discardingATypedSecretAsksFirst();
    void closingWithoutASecretDoesNotAsk();
    void busyDisablesInputsAndSaveErrorGivesThemBack();
    void knownAndFreeTextScopesRoundTrip();
    void showsTheValidatorsVerdictUnderEachField();

private:
    static void fillValidAdd(GrantDialog& dialog);
};

void TestGrantDialog::fillValidAdd(GrantDialog& dialog)
{
    QTest::keyClicks(find<QLineEdit>(dialog, "nameEdit"), QStringLiteral("  Ledger sync "));
    QTest::keyClicks(find<QLineEdit>(dialog, "integrationUserEdit"), QStringLiteral("svc-ledger "));
    QTest::keyClicks(find<QLineEdit>(dialog, "clientIdEdit"), QStringLiteral("  abcd-1234 "));
    QTest::keyClicks(find<QLineEdit>(dialog, "clientSecretEdit"), QStringLiteral(" s3cr3t-value  "));
}

void TestGrantDialog::addSavesTrimmedValuesOnce()
{
    const Grant input = Grant::create(QString(), Created);
    GrantDialog dialog(GrantDialogMode::Add, input,
                       {existingGrant(QStringLiteral("Payroll"), QStringLiteral("svc-pay"))});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);

    fillValidAdd(dialog);
    QTest::keyClicks(find<QPlainTextEdit>(dialog, "notesEdit"), QStringLiteral("For the ledger."));
    QTest::keyClicks(find<QLineEdit>(dialog, "ipAllowlistEdit"), QStringLiteral("203.0.113.7"));
    auto* region = find<QComboBox>(dialog, "regionCombo");
    region->setCurrentIndex(region->findData(int(Region::APAC)));
    auto* auth = find<QComboBox>(dialog, "authMethodCombo");
    auth->setCurrentIndex(auth->findData(int(ClientAuthMethod::HttpBasic)));
    press(find<QCheckBox>(dialog, "scopeCheck_file_read"));
    press(find<QCheckBox>(dialog, "scopeCheck_data_tables_w"));
    QTest::keyClicks(find<QLineEdit>(dialog, "otherScopesEdit"), QStringLiteral("custom:x, file:read"));
    press(find<QCheckBox>(dialog, "expiresCheck"));
    find<QDateEdit>(dialog, "expiresDateEdit")->setDate(QDate(2030, 6, 30));
    QCOMPARE(find<QLabel>(dialog, "tokenUrlLabel")->text(), QStringLiteral("https://api.apac.wdesk.com/oauth2/token"));

    press(find<QPushButton>(dialog, "saveButton"));

    QCOMPARE(saveSpy.count(), 1);
    QVERIFY(dialog.isVisible()); // the window accepts once the save succeeded
    const Grant grant = dialog.grant();
    QCOMPARE(grant.id, input.id);
    QCOMPARE(grant.createdAt, input.createdAt);
    QCOMPARE(grant.name, QStringLiteral("Ledger sync"));
    QCOMPARE(grant.integrationUser, QStringLiteral("svc-ledger"));
    QCOMPARE(grant.region, Region::APAC);
    QCOMPARE(grant.customTokenUrl, QUrl());
    QCOMPARE(grant.apiVersion, ApiVersion::V2026_01_01);
    QCOMPARE(grant.authMethod, ClientAuthMethod::HttpBasic);
    QCOMPARE(grant.requestedScopes.scopes(),
             QStringList({QStringLiteral("file:read"), QStringLiteral("data_tables|w"), QStringLiteral("custom:x")}));
    QCOMPARE(grant.expiresOn, std::optional<QDate>(QDate(2030, 6, 30)));
    QCOMPARE(grant.notes, QStringLiteral("For the ledger."));
    QCOMPARE(grant.ipAllowlistNote, QStringLiteral("203.0.113.7"));
    QCOMPARE(grant.trust, TrustSettings());
    QCOMPARE(grant.clientIdHint, QStringLiteral("…1234"));
    QCOMPARE(dialog.credentials(),
             std::optional<Credentials>(Credentials(QStringLiteral("abcd-1234"), QStringLiteral("s3cr3t-value"))));
    QCOMPARE(dialog.credentials()->clientSecret(), QStringLiteral("s3cr3t-value"));
    QVERIFY(dialog.testAfterSaving());
    QVERIFY(!dialog.saveWithoutVerifying());
    QVERIFY(find<QCheckBox>(dialog, "saveWithoutVerifyingCheck")->isHidden());
    QVERIFY(find<QPushButton>(dialog, "revealButton")->isHidden());
}

void TestGrantDialog::duplicateNameKeepsTextAndFocusesIt()
{
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created),
                       {existingGrant(QStringLiteral("Payroll"), QStringLiteral("svc-pay"))});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);
    fillValidAdd(dialog);
    auto* name = find<QLineEdit>(dialog, "nameEdit");
    name->clear();
    QTest::keyClicks(name, QStringLiteral(" PAYROLL "));
    auto* error = find<QLabel>(dialog, "nameError");
    QVERIFY(error->isHidden()); // not before the user leaves the field or presses Save

    find<QLineEdit>(dialog, "clientSecretEdit")->setFocus();
    press(find<QPushButton>(dialog, "saveButton"));

    QCOMPARE(saveSpy.count(), 0);
    const QString expected = QStringLiteral("A grant named “Payroll” already exists: choose another name.");
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), expected);
    QCOMPARE(name->accessibleDescription(), expected);
    QCOMPARE(dialog.focusWidget(), name);
    QCOMPARE(name->text(), QStringLiteral(" PAYROLL "));
    QCOMPARE(find<QLineEdit>(dialog, "clientSecretEdit")->text(), QStringLiteral(" s3cr3t-value  "));

    // After a Save attempt the message follows the typing.
    QTest::keyClicks(name, QStringLiteral("2"));
    QVERIFY(error->isHidden());
    QCOMPARE(name->accessibleDescription(), QString());
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 1);
    QCOMPARE(dialog.grant().name, QStringLiteral("PAYROLL 2"));
}

void TestGrantDialog::sameValueInBothCredentialFieldsIsFlagged()
{
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);
    QTest::keyClicks(find<QLineEdit>(dialog, "nameEdit"), QStringLiteral("Ledger"));
    QTest::keyClicks(find<QLineEdit>(dialog, "integrationUserEdit"), QStringLiteral("svc-ledger"));
    QTest::keyClicks(find<QLineEdit>(dialog, "clientIdEdit"), QStringLiteral("same-value"));
    auto* secret = find<QLineEdit>(dialog, "clientSecretEdit");
    QTest::keyClicks(secret, QStringLiteral("same-value "));

    press(find<QPushButton>(dialog, "saveButton"));

    QCOMPARE(saveSpy.count(), 0);
    auto* error = find<QLabel>(dialog, "clientSecretError");
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(),
             QStringLiteral("The Client ID and the Client Secret are the same: one of them was pasted twice."));
    QVERIFY(find<QLabel>(dialog, "clientIdError")->isHidden());
    QCOMPARE(dialog.focusWidget(), secret);
    QCOMPARE(secret->text(), QStringLiteral("same-value "));

    // Both fields speak up at once when both are wrong.
    find<QLineEdit>(dialog, "clientIdEdit")->setText(QStringLiteral("ab cd"));
    secret->setText(QStringLiteral("x y"));
    QCOMPARE(find<QLabel>(dialog, "clientIdError")->text(),
             QStringLiteral("The Client ID contains a space or line break: paste it again without them."));
    QCOMPARE(error->text(),
             QStringLiteral("The Client Secret contains a space or line break: paste it again without them."));
}

void TestGrantDialog::customUrlMustBeHttpsUnlessLoopback()
{
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);
    fillValidAdd(dialog);
    auto* url = find<QLineEdit>(dialog, "customUrlEdit");
    QVERIFY(!url->isEnabled());
    auto* region = find<QComboBox>(dialog, "regionCombo");
    region->setCurrentIndex(region->findData(int(Region::Custom)));
    QVERIFY(url->isEnabled());
    QTest::keyClicks(url, QStringLiteral("http://example.com/oauth2/token"));

    press(find<QPushButton>(dialog, "saveButton"));

    QCOMPARE(saveSpy.count(), 0);
    auto* error = find<QLabel>(dialog, "customUrlError");
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), QStringLiteral("The token URL does not use https: http://example.com/oauth2/token. Use an "
                                           "https:// URL; plain http is only allowed for a server on this computer "
                                           "(127.0.0.1)."));
    QCOMPARE(dialog.focusWidget(), url);

    url->selectAll();
    QTest::keyClicks(url, QStringLiteral("http://127.0.0.1:8443/oauth2/token"));
    QVERIFY(error->isHidden());
    QCOMPARE(find<QLabel>(dialog, "tokenUrlLabel")->text(), QStringLiteral("http://127.0.0.1:8443/oauth2/token"));
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 1);
    QCOMPARE(dialog.grant().region, Region::Custom);
    QCOMPARE(dialog.grant().customTokenUrl, QUrl(QStringLiteral("http://127.0.0.1:8443/oauth2/token")));

    // A look-alike host is shown as it is sent, and warned about, but not refused.
    auto* warning = find<QLabel>(dialog, "tokenUrlWarning");
    QVERIFY(warning->isHidden());
    url->selectAll();
    url->insert(QStringLiteral("https://\u0430pple.com/oauth2/token")); // a paste: keyClicks types only Latin-1
    QVERIFY(warning->isVisible());
    QVERIFY2(warning->text().contains(QStringLiteral("sent as xn--pple-43d.com. It mixes Cyrillic and Latin letters")),
             qPrintable(warning->text()));
}

void TestGrantDialog::deprecatedVersionShowsHowToSwitch()
{
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* warning = find<QLabel>(dialog, "deprecatedVersionWarning");
    auto* version = find<QComboBox>(dialog, "apiVersionCombo");
    QCOMPARE(version->currentText(), QStringLiteral("2026-01-01 (current)"));
    QVERIFY(warning->isHidden());

    version->setCurrentIndex(version->findData(int(ApiVersion::V2022_01_01)));

    QCOMPARE(version->currentText(), QStringLiteral("2022-01-01 — deprecated since 2026-02-12, sunset 2029-01-31"));
    QVERIFY(warning->isVisible());
    // The one wording of the notice, as the details pane and the command line give it.
    QCOMPARE(warning->text(), QStringLiteral("API version 2022-01-01 is deprecated and stops working after "
                                             "2029-01-31: edit the grant, choose 2026-01-01, save and test again."));
    QCOMPARE(find<QLabel>(dialog, "tokenUrlLabel")->text(),
             QStringLiteral("https://api.app.wdesk.com/iam/v1/oauth2/token"));

    version->setCurrentIndex(version->findData(int(ApiVersion::V2026_01_01)));
    QVERIFY(warning->isHidden());
}

void TestGrantDialog::sharedIntegrationUserWarnsButStillSaves()
{
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created),
                       {existingGrant(QStringLiteral("Payroll"), QStringLiteral("svc-shared")),
                        existingGrant(QStringLiteral("Other"), QStringLiteral("svc-other"))});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);
    fillValidAdd(dialog);
    auto* user = find<QLineEdit>(dialog, "integrationUserEdit");
    user->clear();
    QTest::keyClicks(user, QStringLiteral(" SVC-Shared"));

    auto* warning = find<QLabel>(dialog, "sharedUserWarning");
    QVERIFY(warning->isVisible());
    QCOMPARE(warning->text(), QStringLiteral("The integration user “SVC-Shared” is also used by “Payroll”. Workiva "
                                             "recommends one unique integration user per integration, so that each "
                                             "integration's changes stay apart."));
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 1);
    QCOMPARE(dialog.grant().integrationUser, QStringLiteral("SVC-Shared"));
}

void TestGrantDialog::pastExpiryDateWarnsButStillSaves()
{
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);
    fillValidAdd(dialog);
    auto* date = find<QDateEdit>(dialog, "expiresDateEdit");
    auto* warning = find<QLabel>(dialog, "expiryPastWarning");
    QVERIFY(!date->isEnabled());
    date->setDate(QDate(2001, 1, 1));
    QVERIFY(warning->isHidden()); // no expiry date until the box is ticked

    press(find<QCheckBox>(dialog, "expiresCheck"));

    QVERIFY(date->isEnabled());
    QVERIFY(warning->isVisible());
    QCOMPARE(warning->text(), QStringLiteral("The expiration date 2001-01-01 has passed, so the grant has already "
                                             "expired: check the date in Workiva, or create a new grant."));
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 1);
    QCOMPARE(dialog.grant().expiresOn, std::optional<QDate>(QDate(2001, 1, 1)));
}

void TestGrantDialog::trustSettingsAreValidated()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pemPath = dir.filePath(QStringLiteral("ca.pem"));
    const QString textPath = dir.filePath(QStringLiteral("notes.txt"));
    {
        QFile pem(pemPath);
        QVERIFY(pem.open(QIODevice::WriteOnly));
        pem.write(TestCaPem);
        QFile text(textPath);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("not a certificate\n");
    }

    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);
    fillValidAdd(dialog);
    auto* mode = find<QComboBox>(dialog, "trustModeCombo");
    auto* caFile = find<QLineEdit>(dialog, "caFileEdit");
    auto* pin = find<QLineEdit>(dialog, "pinnedFingerprintEdit");
    QVERIFY(!caFile->isVisible());
    QVERIFY(!pin->isVisible());

    mode->setCurrentIndex(mode->findData(int(TrustMode::SystemPlusCaFile)));
    QVERIFY(caFile->isVisible());
    QTest::keyClicks(caFile, textPath);
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 0);
    QCOMPARE(find<QLabel>(dialog, "caFileError")->text(),
             QStringLiteral("The CA file “%1” holds no PEM certificate: choose one that starts with -----BEGIN "
                            "CERTIFICATE-----.")
                 .arg(textPath));
    QCOMPARE(dialog.focusWidget(), caFile);
    caFile->setText(pemPath);
    QVERIFY(find<QLabel>(dialog, "caFileError")->isHidden());
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 1);
    QCOMPARE(dialog.grant().trust.mode, TrustMode::SystemPlusCaFile);
    QCOMPARE(dialog.grant().trust.caFilePath, pemPath);

    mode->setCurrentIndex(mode->findData(int(TrustMode::Pinned)));
    QVERIFY(!caFile->isVisible());
    QVERIFY(pin->isVisible());
    QTest::keyClicks(pin, QStringLiteral("AB:CD"));
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 1);
    QCOMPARE(find<QLabel>(dialog, "pinnedFingerprintError")->text(),
             QStringLiteral("Enter the certificate's SHA-256 fingerprint: 64 hexadecimal digits, with or without "
                            "colons."));
    const QString hex = QStringLiteral("0123456789abcdef").repeated(4);
    pin->setText(QStringLiteral("01:23:45:67:89:AB:CD:EF").repeated(4).left(95));
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 2);
    QCOMPARE(dialog.grant().trust.pinnedSha256, hex);
    QCOMPARE(dialog.grant().trust.caFilePath, QString());
}

void TestGrantDialog::editIsPrefilledAndKeepsTheStoredSecret()
{
    const Grant stored = storedGrant();
    GrantDialog dialog(GrantDialogMode::Edit, stored,
                       {existingGrant(QStringLiteral("Payroll"), QStringLiteral("svc-pay")), stored});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);

    QCOMPARE(find<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("Ledger sync"));
    QCOMPARE(find<QLineEdit>(dialog, "integrationUserEdit")->text(), QStringLiteral("svc-ledger"));
    QCOMPARE(find<QComboBox>(dialog, "regionCombo")->currentData().toInt(), int(Region::EU));
    QCOMPARE(find<QComboBox>(dialog, "authMethodCombo")->currentData().toInt(), int(ClientAuthMethod::HttpBasic));
    QVERIFY(find<QCheckBox>(dialog, "scopeCheck_file_read")->isChecked());
    QVERIFY(find<QCheckBox>(dialog, "scopeCheck_task_write")->isChecked());
    QCOMPARE(find<QLineEdit>(dialog, "otherScopesEdit")->text(), QStringLiteral("custom:x"));
    QVERIFY(find<QCheckBox>(dialog, "expiresCheck")->isChecked());
    QCOMPARE(find<QDateEdit>(dialog, "expiresDateEdit")->date(), QDate(2031, 12, 31));
    QCOMPARE(find<QPlainTextEdit>(dialog, "notesEdit")->toPlainText(), stored.notes);
    QCOMPARE(find<QLineEdit>(dialog, "ipAllowlistEdit")->text(), QStringLiteral("10.0.0.0/8"));
    auto* clientId = find<QLineEdit>(dialog, "clientIdEdit");
    auto* secret = find<QLineEdit>(dialog, "clientSecretEdit");
    QCOMPARE(clientId->text(), QString());
    QCOMPARE(secret->text(), QString());
    QCOMPARE(secret->placeholderText(), QStringLiteral("Leave empty to keep the stored secret"));
    QCOMPARE(clientId->placeholderText(), QStringLiteral("Leave empty to keep the stored Client ID (stored: …9876)"));
    QVERIFY(find<QPushButton>(dialog, "revealButton")->isVisible());
    QVERIFY(find<QCheckBox>(dialog, "testAfterSavingCheck")->isHidden());
    QVERIFY(find<QCheckBox>(dialog, "saveWithoutVerifyingCheck")->isHidden());

    press(find<QPushButton>(dialog, "saveButton"));

    QCOMPARE(saveSpy.count(), 1); // its own name is not a duplicate
    QCOMPARE(dialog.credentials(), std::nullopt);
    QVERIFY(!dialog.testAfterSaving());
    QVERIFY(!dialog.saveWithoutVerifying());
    QCOMPARE(dialog.grant().toJson(), stored.toJson());
}

void TestGrantDialog::editWithNewSecretNeedsTheClientId()
{
    const Grant stored = storedGrant();
    GrantDialog dialog(GrantDialogMode::Edit, stored, {stored});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);
    auto* secret = find<QLineEdit>(dialog, "clientSecretEdit");
    auto* withoutVerifying = find<QCheckBox>(dialog, "saveWithoutVerifyingCheck");

    QTest::keyClicks(secret, QStringLiteral("new-secret-1 "));
    QVERIFY(withoutVerifying->isVisible());
    press(find<QPushButton>(dialog, "saveButton"));

    QCOMPARE(saveSpy.count(), 0);
    auto* clientId = find<QLineEdit>(dialog, "clientIdEdit");
    QCOMPARE(find<QLabel>(dialog, "clientIdError")->text(),
             QStringLiteral("Enter the Client ID as well: it is stored together with the new secret. “Reveal "
                            "stored…” fills in the stored one; Grant → Rotate Secret… (Ctrl+R) asks for the new "
                            "secret alone."));
    QCOMPARE(dialog.focusWidget(), clientId);
    QCOMPARE(dialog.credentials(), std::nullopt);

    QTest::keyClicks(clientId, QStringLiteral("abcd-9876"));
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 1);
    QCOMPARE(dialog.credentials(),
             std::optional<Credentials>(Credentials(QStringLiteral("abcd-9876"), QStringLiteral("new-secret-1"))));
    QCOMPARE(dialog.grant().clientIdHint, QStringLiteral("…9876"));
    QVERIFY(!dialog.saveWithoutVerifying());
    press(withoutVerifying);
    QVERIFY(dialog.saveWithoutVerifying());

    // A new Client ID alone is refused: it needs its secret.
    secret->clear();
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 1);
    QCOMPARE(find<QLabel>(dialog, "clientSecretError")->text(),
             QStringLiteral("Enter the Client Secret as well: a new Client ID needs its secret."));
    QVERIFY(!dialog.saveWithoutVerifying());
}

void TestGrantDialog::revealShowsStoredValuesThenHidesThem()
{
    const Grant stored = storedGrant();
    GrantDialog dialog(GrantDialogMode::Edit, stored, {stored});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy revealSpy(&dialog, &GrantDialog::revealRequested);
    auto* clientId = find<QLineEdit>(dialog, "clientIdEdit");
    auto* secret = find<QLineEdit>(dialog, "clientSecretEdit");
    auto* timer = dialog.findChild<QTimer*>(QStringLiteral("revealTimer"));
    QVERIFY(timer);

    press(find<QPushButton>(dialog, "revealButton"));
    QCOMPARE(revealSpy.count(), 1);
    dialog.setRevealedSecret(QStringLiteral("stored-id-9876"), QStringLiteral("stored-secret"));

    QCOMPARE(clientId->text(), QStringLiteral("stored-id-9876"));
    QCOMPARE(secret->text(), QStringLiteral("stored-secret"));
    QCOMPARE(secret->echoMode(), QLineEdit::Normal);
    QVERIFY(find<QToolButton>(dialog, "showSecretButton")->isChecked());
    QCOMPARE(dialog.credentials(), std::nullopt); // the stored pair, unchanged, is nothing new
    QVERIFY(find<QCheckBox>(dialog, "saveWithoutVerifyingCheck")->isHidden());
    QVERIFY(timer->isActive());
    QCOMPARE(timer->interval(), 30'000);

    timer->start(0); // stands in for the 30 seconds
    QTRY_COMPARE(secret->text(), QString());
    QCOMPARE(clientId->text(), QString());
    QCOMPARE(secret->echoMode(), QLineEdit::Password);

    // A rotation after Reveal: the stored Client ID with a new secret, which the timer leaves alone.
    dialog.setRevealedSecret(QStringLiteral("stored-id-9876"), QStringLiteral("stored-secret"));
    secret->selectAll();
    QTest::keyClicks(secret, QStringLiteral("rotated-secret"));
    QCOMPARE(dialog.credentials(), std::optional<Credentials>(Credentials(QStringLiteral("stored-id-9876"),
                                                                          QStringLiteral("rotated-secret"))));
    timer->start(0);
    QTRY_COMPARE(secret->echoMode(), QLineEdit::Password);
    QCOMPARE(secret->text(), QStringLiteral("rotated-secret"));
    QCOMPARE(clientId->text(), QStringLiteral("stored-id-9876"));
    QVERIFY(dialog.credentials().has_value());
}

void TestGrantDialog::pastedSecretOffersToClearTheClipboard()
{
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QClipboard* clipboard = QGuiApplication::clipboard();
    auto* secret = find<QLineEdit>(dialog, "clientSecretEdit");
    auto* offer = find<QWidget>(dialog, "clipboardOffer");

    QTest::keyClicks(secret, QStringLiteral("typed"));
    QVERIFY(offer->isHidden());

    secret->clear();
    clipboard->setText(QStringLiteral("pasted-secret-value\n"));
    QTest::keyClick(secret, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(secret->text(), QStringLiteral("pasted-secret-value\n")); // kept as pasted, trimmed on use
    QVERIFY(offer->isVisible());
    QCOMPARE(dialog.credentials(), std::nullopt); // no Client ID yet: not a pair

    press(find<QPushButton>(dialog, "clearClipboardButton"));
    QCOMPARE(clipboard->text(), QString());
    QVERIFY(offer->isHidden());

    // Something copied since the paste belongs to the user: it stays.
    secret->clear();
    clipboard->setText(QStringLiteral("another-pasted-secret"));
    QTest::keyClick(secret, Qt::Key_V, Qt::ControlModifier);
    QVERIFY(offer->isVisible());
    clipboard->setText(QStringLiteral("unrelated"));
    press(find<QPushButton>(dialog, "clearClipboardButton"));
    QCOMPARE(clipboard->text(), QStringLiteral("unrelated"));
    QVERIFY(offer->isHidden());
}

void TestGrantDialog::pastedControlCharactersAndLongValuesAreRefused()
{
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    fillValidAdd(dialog);
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);
    auto* secret = find<QLineEdit>(dialog, "clientSecretEdit");
    auto* error = find<QLabel>(dialog, "clientSecretError");

    // A terminal's colour codes copied along with the secret: refused, and kept as pasted for the user to fix.
    secret->clear();
    QGuiApplication::clipboard()->setText(QStringLiteral("\x1b[32mpasted-secret"));
    QTest::keyClick(secret, Qt::Key_V, Qt::ControlModifier);
    press(find<QPushButton>(dialog, "saveButton"));
    QCOMPARE(saveSpy.count(), 0);
    QCOMPARE(error->text(), QStringLiteral("The Client Secret contains an invisible control character (U+001B at "
                                           "character 1): paste it again from where it was shown, without it."));
    QCOMPARE(secret->text(), QStringLiteral("\x1b[32mpasted-secret"));

    // The wrong text pasted (a whole file, say): kept whole, and refused with its length rather than cut short.
    secret->clear();
    QGuiApplication::clipboard()->setText(QString(40'000, QLatin1Char('x')));
    QTest::keyClick(secret, Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(secret->text().size(), 40'000);
    QCOMPARE(error->text(), QStringLiteral("The Client Secret is 40000 characters long; no Client ID or Secret is "
                                           "longer than 1024. Paste only the value shown with the grant."));
    QCOMPARE(saveSpy.count(), 0);
    QGuiApplication::clipboard()->clear();
}

void TestGrantDialog::busyDisablesInputsAndSaveErrorGivesThemBack()
{
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);
    fillValidAdd(dialog);
    auto* secret = find<QLineEdit>(dialog, "clientSecretEdit");
    secret->setFocus();
    auto* save = find<QPushButton>(dialog, "saveButton");
    auto* cancel = find<QPushButton>(dialog, "cancelButton");
    QTest::keyClick(secret, Qt::Key_Return); // Save is the default button
    QCOMPARE(saveSpy.count(), 1);

    dialog.setBusy(true, QStringLiteral("Saving to the keychain…"));

    QVERIFY(dialog.isBusy());
    QVERIFY(!find<QLineEdit>(dialog, "nameEdit")->isEnabled());
    QVERIFY(!secret->isEnabled());
    QVERIFY(!find<QComboBox>(dialog, "regionCombo")->isEnabled());
    QVERIFY(!save->isEnabled());
    QVERIFY(cancel->isEnabled());
    QVERIFY(find<QWidget>(dialog, "busyIndicator")->isVisible());
    QCOMPARE(find<QLabel>(dialog, "statusLabel")->text(), QStringLiteral("Saving to the keychain…"));
    QTest::keyClick(&dialog, Qt::Key_S, Qt::ControlModifier);
    QCOMPARE(saveSpy.count(), 1);

    dialog.showSaveError(QStringLiteral("The keychain is locked."), QStringLiteral("Unlock it and save again."));

    QVERIFY(!dialog.isBusy());
    QVERIFY(find<QLineEdit>(dialog, "nameEdit")->isEnabled());
    QVERIFY(secret->isEnabled());
    QVERIFY(save->isEnabled());
    QVERIFY(!find<QWidget>(dialog, "busyIndicator")->isVisible());
    auto* error = find<QLabel>(dialog, "saveErrorLabel");
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), QStringLiteral("The keychain is locked.\nUnlock it and save again."));
    QCOMPARE(dialog.focusWidget(), secret);
    QCOMPARE(find<QLineEdit>(dialog, "nameEdit")->text(), QStringLiteral("  Ledger sync "));
    QCOMPARE(find<QLineEdit>(dialog, "integrationUserEdit")->text(), QStringLiteral("svc-ledger "));
    QCOMPARE(find<QLineEdit>(dialog, "clientIdEdit")->text(), QStringLiteral("  abcd-1234 "));
    QCOMPARE(secret->text(), QStringLiteral(" s3cr3t-value  "));
    QVERIFY(dialog.isVisible());

    QTest::keyClick(&dialog, Qt::Key_S, Qt::ControlModifier); // Ctrl+S tries again
    QCOMPARE(saveSpy.count(), 2);
    QVERIFY(error->isHidden());
}

void TestGrantDialog::knownAndFreeTextScopesRoundTrip()
{
    Grant stored = storedGrant();
    stored.requestedScopes = ScopeSet::parse(QStringLiteral("custom:x file:read data_tables|w other:y"));
    GrantDialog dialog(GrantDialogMode::Edit, stored, {stored});

    QVERIFY(find<QCheckBox>(dialog, "scopeCheck_file_read")->isChecked());
    QVERIFY(find<QCheckBox>(dialog, "scopeCheck_data_tables_w")->isChecked());
    QVERIFY(!find<QCheckBox>(dialog, "scopeCheck_file_write")->isChecked());
    QVERIFY(!find<QCheckBox>(dialog, "scopeCheck_data_tables_r")->isChecked());
    QCOMPARE(find<QLineEdit>(dialog, "otherScopesEdit")->text(), QStringLiteral("custom:x other:y"));
    QCOMPARE(dialog.grant().requestedScopes.scopes(),
             QStringList({QStringLiteral("file:read"), QStringLiteral("data_tables|w"), QStringLiteral("custom:x"),
                          QStringLiteral("other:y")}));
    QVERIFY(dialog.grant().requestedScopes.sameScopesAs(stored.requestedScopes));

    press(find<QCheckBox>(dialog, "scopeCheck_file_read"));
    press(find<QCheckBox>(dialog, "scopeCheck_activity_read"));
    find<QLineEdit>(dialog, "otherScopesEdit")->setText(QStringLiteral("other:y,  custom:z"));
    QCOMPARE(dialog.grant().requestedScopes.scopes(),
             QStringList({QStringLiteral("activity:read"), QStringLiteral("data_tables|w"), QStringLiteral("other:y"),
                          QStringLiteral("custom:z")}));
}

void TestGrantDialog::showsTheValidatorsVerdictUnderEachField()
{
    const QList<Grant> existing = {existingGrant(QStringLiteral("Payroll"), QStringLiteral("svc-pay"))};
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), existing);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy saveSpy(&dialog, &GrantDialog::saveRequested);
    fillValidAdd(dialog);
    auto* name = find<QLineEdit>(dialog, "nameEdit");
    name->setText(QStringLiteral("payroll"));
    find<QLineEdit>(dialog, "integrationUserEdit")->setText(QStringLiteral("svc-pay"));
    auto* region = find<QComboBox>(dialog, "regionCombo");
    region->setCurrentIndex(region->findData(int(Region::Custom)));
    find<QLineEdit>(dialog, "customUrlEdit")->setText(QStringLiteral("http://example.com/oauth2/token"));
    auto* version = find<QComboBox>(dialog, "apiVersionCombo");
    version->setCurrentIndex(version->findData(int(ApiVersion::V2022_01_01)));
    press(find<QCheckBox>(dialog, "expiresCheck"));
    find<QDateEdit>(dialog, "expiresDateEdit")->setDate(QDate(2001, 1, 1));
    auto* trust = find<QComboBox>(dialog, "trustModeCombo");
    trust->setCurrentIndex(trust->findData(int(TrustMode::Pinned)));
    find<QLineEdit>(dialog, "pinnedFingerprintEdit")->setText(QStringLiteral("AB"));

    press(find<QPushButton>(dialog, "saveButton"));

    QCOMPARE(saveSpy.count(), 0);
    QCOMPARE(dialog.focusWidget(), name); // the first field with an error
    // Each of the validator's problems, word for word, in the label of its field.
    const QMap<GrantField, const char*> errorLabels = {{GrantField::Name, "nameError"},
                                                       {GrantField::TokenUrl, "customUrlError"},
                                                       {GrantField::PinnedFingerprint, "pinnedFingerprintError"}};
    const QMap<GrantField, const char*> warningLabels = {{GrantField::IntegrationUser, "sharedUserWarning"},
                                                         {GrantField::ApiVersion, "deprecatedVersionWarning"},
                                                         {GrantField::ExpiresOn, "expiryPastWarning"}};
    const QList<GrantProblem> problems = GrantValidator::check(dialog.grant(), existing, QDate::currentDate());
    QCOMPARE(problems.size(), 6);
    for (const GrantProblem& problem : problems) {
        const char* labelName = (problem.isError() ? errorLabels : warningLabels).value(problem.field);
        QVERIFY2(labelName, qPrintable(problem.message));
        auto* label = find<QLabel>(dialog, labelName);
        QVERIFY2(label->isVisible(), labelName);
        QCOMPARE(label->text(), problem.message);
    }
    // The sentence `grantkeeper add --token-url` gives for the same URL (tst_cli).
    QCOMPARE(find<QLabel>(dialog, "customUrlError")->text(),
             QStringLiteral("The token URL does not use https: http://example.com/oauth2/token. Use an https:// URL; "
                            "plain http is only allowed for a server on this computer (127.0.0.1)."));
    QCOMPARE(find<QLineEdit>(dialog, "customUrlEdit")->accessibleDescription(),
             find<QLabel>(dialog, "customUrlError")->text());
}

namespace {

const QString PastedSecret = QStringLiteral("pasted-Secret-4f1c");

// The user pastes with Ctrl+V what another application (a browser with Workiva open) put on the clipboard.
void pasteInto(QLineEdit* edit, const QString& clipboardText)
{
    QGuiApplication::clipboard()->setText(clipboardText);
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_V, Qt::ControlModifier);
}

QMessageBox* discardPrompt(const QWidget& dialog)
{
    return dialog.findChild<QMessageBox*>(QStringLiteral("discardSecretConfirmation"));
}

} // namespace

void TestGrantDialog::pastedSecretIsClearedAfterTheGuardsDelay()
{
    using namespace std::chrono_literals;
    gk::test::ManualClock clock(Created);
    ClipboardGuard guard(QGuiApplication::clipboard());
    guard.setClock(clock);
    guard.setClearDelay(30s);
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {}, &guard);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));

    pasteInto(find<QLineEdit>(dialog, "clientSecretEdit"), PastedSecret);
    QVERIFY(find<QLineEdit>(dialog, "clientSecretEdit")->text() == PastedSecret);
    QVERIFY(guard.isGuarding(PastedSecret));
    QVERIFY(find<QWidget>(dialog, "clipboardOffer")->isVisible());
    QCOMPARE(find<QLabel>(dialog, "clipboardOfferLabel")->text(),
             QStringLiteral("What you pasted is still on the clipboard: it is cleared in 30 s, or when this dialog "
                            "closes."));

    clock.advanceSeconds(29);
    guard.tick();
    QVERIFY(QGuiApplication::clipboard()->text() == PastedSecret); // QVERIFY: a failure must not print it
    QCOMPARE(find<QLabel>(dialog, "clipboardOfferLabel")->text(),
             QStringLiteral("What you pasted is still on the clipboard: it is cleared in 1 s, or when this dialog "
                            "closes."));
    clock.advanceSeconds(1);
    guard.tick();
    QCOMPARE(QGuiApplication::clipboard()->text(), QString());
    QVERIFY(find<QWidget>(dialog, "clipboardOffer")->isHidden());
    // The field keeps what was pasted: only the clipboard forgets it.
    QVERIFY(find<QLineEdit>(dialog, "clientSecretEdit")->text() == PastedSecret);
}

void TestGrantDialog::pastedSecretIsClearedWhenTheDialogCloses()
{
    gk::test::ManualClock clock(Created);
    ClipboardGuard guard(QGuiApplication::clipboard());
    guard.setClock(clock);
    auto* dialog = new GrantDialog(GrantDialogMode::Add, Grant::create(QString(), Created), {}, &guard);
    dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    pasteInto(find<QLineEdit>(*dialog, "clientIdEdit"), QStringLiteral("pasted-client-id"));
    QVERIFY(guard.isGuarding(QStringLiteral("pasted-client-id")));
    QTest::keyClicks(find<QLineEdit>(*dialog, "nameEdit"), QStringLiteral("Ledger"));

    // No secret typed: Cancel closes at once, and the pasted Client ID leaves the clipboard with the dialog.
    QTest::mouseClick(find<QPushButton>(*dialog, "cancelButton"), Qt::LeftButton);
    QVERIFY(!dialog->isVisible());
    QCOMPARE(QGuiApplication::clipboard()->text(), QString());
    QVERIFY(!guard.isActive());
    delete dialog;
}

void TestGrantDialog::pastedSecretCopiedOverIsLeftAlone()
{
    gk::test::ManualClock clock(Created);
    ClipboardGuard guard(QGuiApplication::clipboard());
    guard.setClock(clock);
    {
        GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {}, &guard);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        pasteInto(find<QLineEdit>(dialog, "clientSecretEdit"), PastedSecret);
        // The user copies something else before the dialog goes: it is theirs, and stays.
        QGuiApplication::clipboard()->setText(QStringLiteral("meeting notes"));
        QVERIFY(!guard.isActive());
        QVERIFY(find<QWidget>(dialog, "clipboardOffer")->isHidden());
        dialog.done(QDialog::Accepted);
        clock.advanceSeconds(60);
        guard.tick();
    }
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("meeting notes"));
}

void TestGrantDialog::discardingATypedSecretAsksFirst_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("Esc") << QStringLiteral("esc");
    QTest::newRow("Cancel") << QStringLiteral("cancel");
    QTest::newRow("window close") << QStringLiteral("close");
}

void TestGrantDialog::discardingATypedSecretAsksFirst()
{
    QFETCH(QString, how);
    GrantDialog dialog(GrantDialogMode::Add, Grant::create(QString(), Created), {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy rejected(&dialog, &QDialog::rejected);
    QTest::keyClicks(find<QLineEdit>(dialog, "clientSecretEdit"), QStringLiteral("typed-secret"));
    const auto tryToClose = [&] {
        if (how == QLatin1String("esc"))
            QTest::keyClick(find<QLineEdit>(dialog, "clientSecretEdit"), Qt::Key_Escape);
        else if (how == QLatin1String("cancel"))
            QTest::mouseClick(find<QPushButton>(dialog, "cancelButton"), Qt::LeftButton);
        else
            dialog.close();
    };

    tryToClose();
    QMessageBox* prompt = discardPrompt(dialog);
    QVERIFY(prompt);
    QCOMPARE(prompt->text(), QStringLiteral("Discard the Client Secret you entered?"));
    QVERIFY(dialog.isVisible());
    QTest::mouseClick(find<QPushButton>(*prompt, "keepEditingButton"), Qt::LeftButton);
    QTRY_VERIFY(!discardPrompt(dialog));
    QVERIFY(dialog.isVisible());
    QCOMPARE(rejected.count(), 0);
    QCOMPARE(find<QLineEdit>(dialog, "clientSecretEdit")->text(), QStringLiteral("typed-secret"));

    tryToClose();
    prompt = discardPrompt(dialog);
    QVERIFY(prompt);
    QTest::mouseClick(find<QPushButton>(*prompt, "discardSecretButton"), Qt::LeftButton);
    QVERIFY(!dialog.isVisible());
    QCOMPARE(rejected.count(), 1);
}

void TestGrantDialog::closingWithoutASecretDoesNotAsk()
{
    GrantDialog dialog(GrantDialogMode::Edit, existingGrant(QStringLiteral("Ledger"), QStringLiteral("svc")), {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTest::keyClicks(find<QLineEdit>(dialog, "clientIdEdit"), QStringLiteral("typed-id-only"));
    QTest::keyClick(find<QLineEdit>(dialog, "clientIdEdit"), Qt::Key_Escape);
    QVERIFY(!dialog.isVisible());
    QVERIFY(!discardPrompt(dialog));
}

QTEST_MAIN(TestGrantDialog)
#include "tst_grantdialog.moc"
