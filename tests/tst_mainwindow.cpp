// The window driven as a person would, by objectName: add a grant through the dialog, test it against the real
// HTTPS server, see the granted scope and the countdown, copy the token, see the clipboard cleared, delete it.
// Runs on the offscreen platform against the real keychain (a private gnome-keyring).
#include "core/batch/batchtester.h"
#include "core/expiry/clock.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/model/grantlistmodel.h"
#include "core/settings/preferences.h"
#include "core/token/livetokens.h"
#include "core/token/tokenclient.h"
#include "core/vault/credentialvault.h"
#include "support/httpstokenserver.h"
#include "support/manualclock.h"
#include "ui/clipboardguard.h"
#include "ui/grantdetailspane.h"
#include "ui/grantdialog.h"
#include "ui/mainwindow.h"
#include "ui/rotatesecretdialog.h"
#include "ui/wrappinglabel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QNetworkAccessManager>
#include <QPointer>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <optional>

using namespace gk;
using namespace gk::test;

namespace {

const QString ClientId = QStringLiteral("window-client-8d31");
const QString ClientSecret = QStringLiteral("window-secret-Yx7");

template <typename T>
T* child(QObject* parent, const QString& name)
{
    return parent->findChild<T*>(name);
}

struct ShellRun
{
    int exitCode = -1;
    QByteArray output;
};

// Runs a copied command as a user pasting it into a terminal would: sh reads it from its standard input (never from
// its arguments, where ps would show the token). Waits on the event loop, which the in-process server needs.
ShellRun runAsPasted(const QString& command)
{
    ShellRun run;
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty()) {
        qWarning("curl is not installed: .ci/install-deps installs it");
        return run;
    }
    QProcess shell;
    QSignalSpy finished(&shell, &QProcess::finished);
    shell.start(QStringLiteral("sh"), {QStringLiteral("-s")});
    shell.write(command.toUtf8() + '\n');
    shell.closeWriteChannel();
    if (!finished.wait(30'000)) {
        shell.kill();
        return run;
    }
    run.exitCode = shell.exitStatus() == QProcess::NormalExit ? shell.exitCode() : -1;
    run.output = shell.readAllStandardOutput();
    return run;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void addTestCopyAndDeleteAGrant();
    void failedTestShowsTheReasonAndAdvice();
    void missingKeychainEntryOffersToEnterItAgain();
    void startupNoticeListsGrantsThatNeedAttention();
    void testAllSavesTheHistoryAndKeepsTheList();
    void rateLimitingIsShownWhileTestAllWaits();
    void closingDuringABatchSavesWhatFinished();
    void keychainCheckFindsAndRemovesLeftOverEntries();
    void rejectedRotationIsNotRecordedAsATest();
    void closingOneEditDialogLeavesAnotherDialogsRotationRunning();
    void scopeShortfallIsAmberAndCountedApart();
    void everyActionHasAShortcutAndAName();
    void rotateSecretAsksOnlyForTheNewSecret();
    void trustThisCertificateMakesTheTestPass_data();
    void trustThisCertificateMakesTheTestPass();
    void detailsPaneFitsAt800x600AndRevealsTheClientId();

private:
    void storeCredentials(const Grant& grant, const Credentials& credentials);
    GrantDialog* openAddDialog();
    GrantDialog* openEditDialog();
    void enterNewCredentials(GrantDialog* dialog, const QString& secret);
    void fillAddDialog(GrantDialog* dialog, const QString& name, const QString& secret);
    void addGrantThroughDialog(const QString& name, const QString& secret);
    std::optional<VaultLoadResult> loadCredentials(const QUuid& id);

    QTemporaryDir m_dir;
    std::optional<TestCertificate> m_certificate;
    std::unique_ptr<HttpsTokenServer> m_server;
    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<SystemClock> m_clock;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<CredentialVault> m_vault;
    std::unique_ptr<GrantStore> m_store;
    std::unique_ptr<Preferences> m_preferences;
    std::unique_ptr<TokenClient> m_client;
    std::unique_ptr<GrantRepository> m_repository;
    std::unique_ptr<LiveTokens> m_liveTokens;
    std::unique_ptr<BatchTester> m_tester;
    // The clipboard counts down on a clock of its own that only the test moves.
    std::unique_ptr<ManualClock> m_clipboardClock;
    std::unique_ptr<ClipboardGuard> m_clipboard;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    QString error;
    m_certificate = TestCertificate::generate(m_dir.path(), QStringLiteral("127.0.0.1"), 2, &error);
    QVERIFY2(m_certificate, qPrintable(error));
}

void TestMainWindow::init()
{
    m_server = std::make_unique<HttpsTokenServer>(*m_certificate);
    QVERIFY(m_server->listen());
    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = ClientSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    m_server->serveOAuth(config);

    m_home = std::make_unique<QTemporaryDir>();
    m_clock = std::make_unique<SystemClock>();
    m_network = std::make_unique<QNetworkAccessManager>();
    m_vault = std::make_unique<CredentialVault>(QStringLiteral("grantkeeper-test-") +
                                                QUuid::createUuid().toString(QUuid::WithoutBraces));
    m_store = std::make_unique<GrantStore>(m_home->filePath(QStringLiteral("grants.json")));
    m_preferences = std::make_unique<Preferences>(m_home->filePath(QStringLiteral("grantkeeper.conf")));
    m_preferences->setClipboardClearSeconds(5);
    m_client = std::make_unique<TokenClient>(m_network.get(), m_clock.get());
    m_repository = std::make_unique<GrantRepository>(*m_store, *m_vault);
    m_liveTokens = std::make_unique<LiveTokens>(*m_clock);
    m_tester = std::make_unique<BatchTester>(*m_vault, *m_client, *m_clock);
    m_clipboardClock = std::make_unique<ManualClock>(m_clock->now());
    m_clipboard = std::make_unique<ClipboardGuard>(QGuiApplication::clipboard());
    m_clipboard->setClock(*m_clipboardClock);
    m_window = std::make_unique<MainWindow>(UiContext{*m_store, *m_vault, *m_client, *m_repository, *m_preferences,
                                                      *m_clock, *m_liveTokens, *m_tester, *m_clipboard,
                                                      m_home->filePath(QStringLiteral("grantkeeper.conf"))});
    m_window->show();
    m_window->start();
}

void TestMainWindow::storeCredentials(const Grant& grant, const Credentials& credentials)
{
    bool stored = false;
    m_vault->store(grant.keychainKey(), credentials, this,
                   [&stored](const VaultError& error) { stored = !error.isError(); });
    QTRY_VERIFY_WITH_TIMEOUT(stored, 15'000);
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_clipboard.reset();
    m_clipboardClock.reset();
    m_tester.reset();
    m_liveTokens.reset();
    m_repository.reset();
    m_client.reset();
    m_network.reset();
    m_vault.reset();
    m_store.reset();
    m_preferences.reset();
    m_server.reset();
}

GrantDialog* TestMainWindow::openAddDialog()
{
    child<QAction>(m_window.get(), QStringLiteral("addGrantAction"))->trigger();
    GrantDialog* dialog = nullptr;
    [&] { QTRY_VERIFY((dialog = m_window->findChild<GrantDialog*>()) && dialog->isVisible()); }();
    return dialog;
}

GrantDialog* TestMainWindow::openEditDialog()
{
    const QList<GrantDialog*> before = m_window->findChildren<GrantDialog*>();
    child<QAction>(m_window.get(), QStringLiteral("editGrantAction"))->trigger();
    for (GrantDialog* dialog : m_window->findChildren<GrantDialog*>()) {
        if (!before.contains(dialog) && dialog->mode() == GrantDialogMode::Edit && dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

// An Edit with a new secret needs the Client ID as well: the keychain keeps them as one entry.
void TestMainWindow::enterNewCredentials(GrantDialog* dialog, const QString& secret)
{
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("clientIdEdit")), ClientId);
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("clientSecretEdit")), secret);
}

void TestMainWindow::fillAddDialog(GrantDialog* dialog, const QString& name, const QString& secret)
{
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("nameEdit")), name);
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("integrationUserEdit")), QStringLiteral("svc-window"));
    auto* region = child<QComboBox>(dialog, QStringLiteral("regionCombo"));
    region->setCurrentIndex(region->findData(int(Region::Custom)));
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("customUrlEdit")), m_server->url().toString());
    child<QCheckBox>(dialog, QStringLiteral("scopeCheck_file_read"))->setChecked(true);
    child<QCheckBox>(dialog, QStringLiteral("scopeCheck_file_write"))->setChecked(true);
    auto* trust = child<QComboBox>(dialog, QStringLiteral("trustModeCombo"));
    trust->setCurrentIndex(trust->findData(int(TrustMode::SystemPlusCaFile)));
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("caFileEdit")), m_certificate->certificatePath());
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("clientIdEdit")), ClientId);
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("clientSecretEdit")), secret);
}

void TestMainWindow::addGrantThroughDialog(const QString& name, const QString& secret)
{
    GrantDialog* dialog = openAddDialog();
    QVERIFY(dialog);
    fillAddDialog(dialog, name, secret);
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("saveButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_store->findByName(name).has_value(), 20'000);
    QTRY_VERIFY(m_window->findChild<GrantDialog*>() == nullptr || !m_window->findChild<GrantDialog*>()->isVisible());
}

void TestMainWindow::addTestCopyAndDeleteAGrant()
{
    auto* stack = qobject_cast<QStackedWidget*>(m_window->centralWidget());
    QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("emptyStatePage"));

    addGrantThroughDialog(QStringLiteral("Nightly export"), ClientSecret);
    QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("grantListPage"));
    QCOMPARE(m_store->findByName(QStringLiteral("Nightly export"))->clientIdHint, QStringLiteral("…8d31"));

    // "Test the grant after saving" is on by default: the server answers, the details show what it granted.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestCount(), 1, 20'000);
    auto* outcome = child<QLabel>(m_window.get(), QStringLiteral("detailsOutcomeLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().contains(QStringLiteral("Passed")), 20'000);
    auto* scopes = child<QTreeWidget>(m_window.get(), QStringLiteral("scopeComparisonTree"));
    QCOMPARE(scopes->topLevelItemCount(), 2);
    QCOMPARE(scopes->topLevelItem(0)->text(0), QStringLiteral("file:read"));
    QCOMPARE(scopes->topLevelItem(0)->text(2), QStringLiteral("yes"));
    QCOMPARE(scopes->topLevelItem(1)->text(0), QStringLiteral("file:write"));
    auto* countdown = child<QLabel>(m_window.get(), QStringLiteral("detailsCountdownLabel"));
    QVERIFY2(countdown->text().contains(QStringLiteral("min")), qPrintable(countdown->text()));
    QVERIFY(countdown->text().contains(QStringLiteral("live token in memory")));
    auto* table = child<QTableView>(m_window.get(), QStringLiteral("grantTable"));
    QVERIFY(table->model()->index(0, 5).data().toString().endsWith(QStringLiteral("left")));
    // The history reaches the file off the UI thread, just after the outcome is shown.
    QTRY_COMPARE(m_store->findByName(QStringLiteral("Nightly export"))->history.size(), 1);

    // Copy the live token as a header: no second request, the hint that keeps it out of clipboard history.
    child<QAction>(m_window.get(), QStringLiteral("copyHeaderAction"))->trigger();
    QCOMPARE(m_server->requestCount(), 1);
    const QString token = m_server->issuedTokens().first();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("Authorization: Bearer ") + token);
    QCOMPARE(QGuiApplication::clipboard()->mimeData()->data(QStringLiteral("x-kde-passwordManagerHint")),
             QByteArray("secret"));
    auto* countdownLabel = child<QLabel>(m_window.get(), QStringLiteral("clipboardCountdownLabel"));
    QVERIFY(countdownLabel->isVisible());
    QCOMPARE(countdownLabel->text(), QStringLiteral("The Authorization header is on the clipboard; cleared in 5 s"));

    // The curl command runs as pasted: the grant's CA file, its API base with a placeholder path, and the token
    // on curl's standard input (printf is a shell builtin), so no process has it in its arguments.
    child<QAction>(m_window.get(), QStringLiteral("copyCurlAction"))->trigger();
    const QString curl = QGuiApplication::clipboard()->text();
    const QString expected = QStringLiteral(" printf '%s\\n' 'Authorization: Bearer %1' | curl -H @- -H 'X-Version: "
                                            "2026-01-01' --cacert '%2' 'https://127.0.0.1:%3/REPLACE-WITH-API-PATH'")
                                 .arg(token, m_certificate->certificatePath())
                                 .arg(m_server->port());
    QVERIFY(curl == expected); // QVERIFY: a failure must not print the token
    QVERIFY(!curl.contains(ClientSecret));
    m_server->serveApi("/REPLACE-WITH-API-PATH", "api-call-ok");
    const ShellRun run = runAsPasted(curl);
    QCOMPARE(run.exitCode, 0);
    QCOMPARE(run.output, QByteArray("api-call-ok"));
    QCOMPARE(m_server->requests().last().path, QByteArray("/REPLACE-WITH-API-PATH"));
    QCOMPARE(m_server->requests().last().header("X-Version"), QByteArray("2026-01-01"));

    // Cleared after the configured 5 s, counted on the guard's clock: the test moves it instead of waiting.
    QCOMPARE(countdownLabel->text(), QStringLiteral("The curl command is on the clipboard; cleared in 5 s"));
    m_clipboardClock->advanceSeconds(2);
    m_clipboard->tick();
    QCOMPARE(countdownLabel->text(), QStringLiteral("The curl command is on the clipboard; cleared in 3 s"));
    QVERIFY(QGuiApplication::clipboard()->text() == curl); // QVERIFY: a failure must not print the token
    m_clipboardClock->advanceSeconds(3);
    m_clipboard->tick();
    QVERIFY(QGuiApplication::clipboard()->text().isEmpty());
    QVERIFY(!countdownLabel->isVisible());

    // Delete, confirming in the dialog: the keychain entry goes too.
    const QUuid id = m_store->findByName(QStringLiteral("Nightly export"))->id;
    table->selectRow(0);
    child<QAction>(m_window.get(), QStringLiteral("deleteGrantAction"))->trigger();
    QMessageBox* confirm = nullptr;
    QTRY_VERIFY((confirm = m_window->findChild<QMessageBox*>(QStringLiteral("deleteConfirmation"))));
    QTest::mouseClick(child<QPushButton>(confirm, QStringLiteral("confirmDeleteButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_store->grants().isEmpty(), 20'000);
    QTRY_COMPARE(stack->currentWidget()->objectName(), QStringLiteral("emptyStatePage"));

    std::optional<VaultLoadResult> loaded;
    m_vault->load(id.toString(QUuid::WithoutBraces), this, [&loaded](const VaultLoadResult& r) { loaded = r; });
    QTRY_VERIFY(loaded.has_value());
    QCOMPARE(loaded->error.code, VaultErrorCode::NotFound);
}

void TestMainWindow::failedTestShowsTheReasonAndAdvice()
{
    addGrantThroughDialog(QStringLiteral("Stale"), QStringLiteral("not-the-secret"));
    auto* outcome = child<QLabel>(m_window.get(), QStringLiteral("detailsOutcomeLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().contains(QStringLiteral("Refused")), 20'000);
    QVERIFY(outcome->text().contains(QStringLiteral("refused the Client ID or Client Secret (HTTP 401)")));
    auto* advice = child<QLabel>(m_window.get(), QStringLiteral("detailsAdviceLabel"));
    QVERIFY(advice->isVisible());
    QVERIFY(advice->text().contains(QStringLiteral("regenerated")));
    auto* table = child<QTableView>(m_window.get(), QStringLiteral("grantTable"));
    QTRY_VERIFY(table->model()->index(0, 4).data().toString().startsWith(QStringLiteral("refused")));
}

void TestMainWindow::missingKeychainEntryOffersToEnterItAgain()
{
    // Metadata that says an entry should exist, but the keychain has none (deleted by hand, another machine).
    // The grant passed before: a test that cannot even read its secret says nothing about the grant.
    Grant orphan = Grant::create(QStringLiteral("Orphan"), m_clock->now());
    orphan.region = Region::Custom;
    orphan.customTokenUrl = m_server->url();
    orphan.clientIdHint = QStringLiteral("…8d31");
    TestRecord passed;
    passed.testedAt = m_clock->now().addSecs(-3600);
    passed.verdict = Verdict::Passed;
    passed.httpStatus = 200;
    orphan.appendTestRecord(passed);
    QCOMPARE(m_store->upsert(orphan).code, StoreErrorCode::None);
    m_window->start();
    auto* table = child<QTableView>(m_window.get(), QStringLiteral("grantTable"));
    table->selectRow(0);
    child<QAction>(m_window.get(), QStringLiteral("testAction"))->trigger();

    QMessageBox* box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = m_window->findChild<QMessageBox*>(QStringLiteral("errorMessage"))), 20'000);
    QCOMPARE(box->text(),
             QStringLiteral("“Orphan” was not tested: The keychain has no Client ID and Secret for this grant."));
    QVERIFY(!box->informativeText().contains(QStringLiteral("regenerate"), Qt::CaseInsensitive));
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(child<QLabel>(m_window.get(), QStringLiteral("statusLabel"))->text(),
             QStringLiteral("Test finished: 1 not tested."));
    // The last real result stays, in the list, the details and the file.
    QVERIFY(table->model()
                ->index(0, GrantListModel::LastTestColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("passed")));
    QVERIFY(child<QLabel>(m_window.get(), QStringLiteral("detailsOutcomeLabel"))
                ->text()
                .contains(QStringLiteral("Passed")));
    GrantStore reread(m_store->filePath());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    QCOMPARE(reread.find(orphan.id)->history, QList<TestRecord>{passed});

    auto* reenter = box->findChild<QPushButton*>(QStringLiteral("reenterCredentialsButton"));
    QVERIFY(reenter);
    QTest::mouseClick(reenter, Qt::LeftButton);
    GrantDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<GrantDialog*>()) && dialog->isVisible());
    QCOMPARE(dialog->mode(), GrantDialogMode::Edit);
    QCOMPARE(child<QLineEdit>(dialog, QStringLiteral("nameEdit"))->text(), QStringLiteral("Orphan"));
    dialog->reject();
}

void TestMainWindow::startupNoticeListsGrantsThatNeedAttention()
{
    Grant soon = Grant::create(QStringLiteral("Payroll"), m_clock->now());
    soon.expiresOn = m_clock->today().addDays(5);
    Grant fine = Grant::create(QStringLiteral("Export"), m_clock->now());
    fine.expiresOn = m_clock->today().addDays(200);
    QCOMPARE(m_store->upsert(soon).code, StoreErrorCode::None);
    QCOMPARE(m_store->upsert(fine).code, StoreErrorCode::None);
    m_window->start();
    auto* counts = child<QLabel>(m_window.get(), QStringLiteral("attentionCountsLabel"));
    auto* urgent = child<QLabel>(m_window.get(), QStringLiteral("attentionUrgentLabel"));
    QVERIFY(counts->isVisible());
    QCOMPARE(counts->text(), QStringLiteral("⚠ 1 grant expires within 30 days."));
    QCOMPARE(urgent->toolTip(),
             QStringLiteral("“Payroll”: 5 days left. Extend its expiration date in Workiva, then edit it here."));
}

void TestMainWindow::testAllSavesTheHistoryAndKeepsTheList()
{
    QList<QUuid> ids;
    for (const QString& name : {QStringLiteral("Alpha"), QStringLiteral("Beta"), QStringLiteral("Gamma")}) {
        Grant grant = Grant::create(name, m_clock->now());
        grant.region = Region::Custom;
        grant.customTokenUrl = m_server->url();
        grant.trust.mode = TrustMode::SystemPlusCaFile;
        grant.trust.caFilePath = m_certificate->certificatePath();
        QCOMPARE(m_store->upsert(grant).code, StoreErrorCode::None);
        storeCredentials(grant, Credentials(ClientId, QStringLiteral("stale-secret")));
        ids.append(grant.id);
    }
    m_window->start();
    auto* table = child<QTableView>(m_window.get(), QStringLiteral("grantTable"));
    table->selectRow(2);
    const QUuid selectedId = table->model()->index(2, 0).data(GrantListModel::GrantIdRole).toUuid();
    QVERIFY(!selectedId.isNull());
    QSignalSpy resets(table->model(), &QAbstractItemModel::modelReset);

    // Stale secrets: the server refuses every grant, and every refusal is history to keep.
    child<QAction>(m_window.get(), QStringLiteral("testAllAction"))->trigger();
    const auto allRecorded = [this, &ids] {
        for (const QUuid& id : ids) {
            const auto grant = m_store->find(id);
            if (!grant || grant->history.size() != 1)
                return false;
        }
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(allRecorded(), 20'000);
    GrantStore reread(m_store->filePath());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    for (const QUuid& id : std::as_const(ids)) {
        QCOMPARE(reread.find(id)->history.size(), 1);
        QCOMPARE(reread.find(id)->history.first().verdict, Verdict::Refused);
        QCOMPARE(reread.find(id)->history.first().error.code, TokenErrorCode::InvalidClient);
    }
    // The window knows the file as its own save: the file watcher will not reload the list for it.
    QCOMPARE(m_store->fileStamp(), GrantStore::FileStamp::of(m_store->filePath()));
    for (int row = 0; row < 3; ++row)
        QVERIFY(table->model()
                    ->index(row, GrantListModel::LastTestColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("refused")));
    QCOMPARE(resets.size(), 0);
    QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(table->selectionModel()->selectedRows().first().data(GrantListModel::GrantIdRole).toUuid(), selectedId);

    // A save by another process is still followed, in place as well.
    GrantStore commandLine(m_store->filePath());
    QCOMPARE(commandLine.load().code, StoreErrorCode::None);
    Grant edited = *commandLine.find(selectedId);
    edited.integrationUser = QStringLiteral("svc-edited-elsewhere");
    QCOMPARE(commandLine.upsert(edited).code, StoreErrorCode::None);
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->index(2, GrantListModel::UserColumn).data().toString(),
                              edited.integrationUser, 10'000);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(table->selectionModel()->selectedRows().first().data(GrantListModel::GrantIdRole).toUuid(), selectedId);
}

void TestMainWindow::rejectedRotationIsNotRecordedAsATest()
{
    addGrantThroughDialog(QStringLiteral("Rotating"), ClientSecret);
    const QUuid id = m_store->findByName(QStringLiteral("Rotating"))->id;
    QTRY_COMPARE_WITH_TIMEOUT(m_store->find(id)->history.size(), 1, 20'000);
    QTRY_VERIFY(m_liveTokens->find(id).has_value());
    const QList<TestRecord> history = m_store->find(id)->history;

    auto* table = child<QTableView>(m_window.get(), QStringLiteral("grantTable"));
    table->selectRow(0);
    child<QAction>(m_window.get(), QStringLiteral("editGrantAction"))->trigger();
    GrantDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<GrantDialog*>()) && dialog->isVisible());
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("clientIdEdit")), ClientId);
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("clientSecretEdit")), QStringLiteral("mistyped-new"));
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("saveButton")), Qt::LeftButton);
    auto* error = child<QLabel>(dialog, QStringLiteral("saveErrorLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 20'000);
    QVERIFY2(error->text().contains(QStringLiteral("The new secret was NOT stored, the old one is still in place")),
             qPrintable(error->text()));
    dialog->reject();

    // The attempt is a rotation; the grant's own result, its live token and the list are as they were.
    const Grant grant = *m_store->find(id);
    QCOMPARE(grant.history, history);
    QCOMPARE(grant.rotations.size(), 1);
    QCOMPARE(grant.rotations.first().verdict, Verdict::Refused);
    QCOMPARE(grant.rotations.first().replaced, false);
    QCOMPARE(grant.rotations.first().errorCode, QStringLiteral("invalid_client"));
    QVERIFY(m_liveTokens->find(id).has_value());
    QVERIFY(table->model()
                ->index(0, GrantListModel::LastTestColumn)
                .data()
                .toString()
                .startsWith(QStringLiteral("passed")));
}

void TestMainWindow::closingOneEditDialogLeavesAnotherDialogsRotationRunning()
{
    addGrantThroughDialog(QStringLiteral("Twice"), ClientSecret);
    const QUuid id = m_store->findByName(QStringLiteral("Twice"))->id;
    QTRY_COMPARE_WITH_TIMEOUT(m_store->find(id)->history.size(), 1, 20'000);
    QTRY_COMPARE(m_server->issuedTokens().size(), 1);
    child<QTableView>(m_window.get(), QStringLiteral("grantTable"))->selectRow(0);

    // Two edit dialogs of the grant, each checking a new secret with the server at the same time.
    const QPointer<GrantDialog> kept = openEditDialog();
    QVERIFY(kept);
    enterNewCredentials(kept, ClientSecret);
    QTest::mouseClick(child<QPushButton>(kept, QStringLiteral("saveButton")), Qt::LeftButton);
    QVERIFY(kept->isBusy());
    const QPointer<GrantDialog> closed = openEditDialog();
    QVERIFY(closed);
    enterNewCredentials(closed, QStringLiteral("mistyped-new"));
    QTest::mouseClick(child<QPushButton>(closed, QStringLiteral("saveButton")), Qt::LeftButton);
    QVERIFY(closed->isBusy());

    // The second goes away mid-check: its rotation is abandoned, the first one's runs to its end.
    delete closed.data();
    QTRY_VERIFY_WITH_TIMEOUT(!kept || !kept->isVisible(), 20'000);
    const Grant grant = *m_store->find(id);
    QCOMPARE(grant.rotations.size(), 1);
    QCOMPARE(grant.rotations.first().verdict, Verdict::Passed);
    QCOMPARE(grant.rotations.first().replaced, true);
    QCOMPARE(m_server->issuedTokens().size(), 2);
    const auto live = m_liveTokens->find(id);
    QVERIFY(live);
    QVERIFY(live->accessToken == m_server->issuedTokens().last()); // QVERIFY: a failure must not print the token
}

void TestMainWindow::scopeShortfallIsAmberAndCountedApart()
{
    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = ClientSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    config.grantedScope = QStringLiteral("file:read");
    m_server->serveOAuth(config);
    addGrantThroughDialog(QStringLiteral("Short"), ClientSecret);
    auto* status = child<QLabel>(m_window.get(), QStringLiteral("statusLabel"));
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), QStringLiteral("Test finished: 1 scope missing."), 20'000);
    auto* table = child<QTableView>(m_window.get(), QStringLiteral("grantTable"));
    const QModelIndex lastTest = table->model()->index(0, GrantListModel::LastTestColumn);
    QVERIFY(lastTest.data().toString().startsWith(QStringLiteral("scope missing")));
    QCOMPARE(lastTest.data(GrantListModel::LastVerdictRole), QVariant(int(Verdict::ScopeMissing)));
    auto* outcome = child<QLabel>(m_window.get(), QStringLiteral("detailsOutcomeLabel"));
    QVERIFY(outcome->text().contains(QStringLiteral("The server issued a token but did not grant file:write.")));
    auto* advice = child<QLabel>(m_window.get(), QStringLiteral("detailsAdviceLabel"));
    QVERIFY(advice->text().contains(QStringLiteral("Add file:write to the grant in Workiva's API grant settings")));
    // The history reaches the file after the batch ends, without the UI thread waiting for it.
    QTRY_COMPARE_WITH_TIMEOUT(m_store->findByName(QStringLiteral("Short"))->history.size(), 1, 10'000);
    QCOMPARE(m_store->findByName(QStringLiteral("Short"))->history.first().verdict, Verdict::ScopeMissing);
}

void TestMainWindow::rateLimitingIsShownWhileTestAllWaits()
{
    Grant grant = Grant::create(QStringLiteral("Throttled"), m_clock->now());
    grant.region = Region::Custom;
    grant.customTokenUrl = m_server->url();
    grant.trust.mode = TrustMode::SystemPlusCaFile;
    grant.trust.caFilePath = m_certificate->certificatePath();
    QCOMPARE(m_store->upsert(grant).code, StoreErrorCode::None);
    storeCredentials(grant, Credentials(ClientId, ClientSecret));
    m_server->setHandler([](const RecordedRequest&) {
        // Within the test's time limit (30 s by default): a wait past it is not made at all.
        return Response::oauthError(429, QStringLiteral("slow_down")).withHeader("Retry-After", "20");
    });
    m_window->start();

    child<QAction>(m_window.get(), QStringLiteral("testAllAction"))->trigger();
    auto* status = child<QLabel>(m_window.get(), QStringLiteral("statusLabel"));
    QTRY_COMPARE_WITH_TIMEOUT(status->text(),
                              QStringLiteral("The server is rate limiting (HTTP 429): waiting 20 s, then testing one "
                                             "grant at a time. Press Esc to stop instead."),
                              15'000);
    QVERIFY(child<QProgressBar>(m_window.get(), QStringLiteral("testProgressBar"))->isVisible());

    child<QAction>(m_window.get(), QStringLiteral("cancelTestsAction"))->trigger();
    QVERIFY(!child<QProgressBar>(m_window.get(), QStringLiteral("testProgressBar"))->isVisible());
    QCOMPARE(m_server->requestCount(), 1);
}

void TestMainWindow::closingDuringABatchSavesWhatFinished()
{
    const QString slowClient = QStringLiteral("slow-client-77");
    for (const QString& name : {QStringLiteral("Quick"), QStringLiteral("Stuck")}) {
        Grant grant = Grant::create(name, m_clock->now());
        grant.region = Region::Custom;
        grant.customTokenUrl = m_server->url();
        grant.trust.mode = TrustMode::SystemPlusCaFile;
        grant.trust.caFilePath = m_certificate->certificatePath();
        QCOMPARE(m_store->upsert(grant).code, StoreErrorCode::None);
        storeCredentials(grant, Credentials(name == QStringLiteral("Quick") ? ClientId : slowClient, ClientSecret));
    }
    // One grant is answered at once, the other never: the window is closed while the batch waits for it.
    m_server->setHandler([slowClient](const RecordedRequest& request) {
        if (request.form().value(QStringLiteral("client_id")) == slowClient)
            return Response::neverAnswer();
        return Response::tokenSuccess(QStringLiteral("quick-token"));
    });
    m_window->start();
    child<QAction>(m_window.get(), QStringLiteral("testAllAction"))->trigger();
    auto* table = child<QTableView>(m_window.get(), QStringLiteral("grantTable"));
    const auto verdictOf = [table](const QString& name) {
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            if (table->model()->index(row, GrantListModel::NameColumn).data().toString() == name)
                return table->model()->index(row, GrantListModel::LastTestColumn).data(GrantListModel::LastVerdictRole);
        }
        return QVariant();
    };
    // The variant itself: an untested grant's is empty, which toInt() would read as 0, that is Passed.
    QTRY_COMPARE_WITH_TIMEOUT(verdictOf(QStringLiteral("Quick")), QVariant(int(Verdict::Passed)), 20'000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestCount(), 2, 20'000);

    QVERIFY(m_window->close());
    // What finished is in the file; the grant that was still waiting is not recorded (cancelled is not a result).
    QTRY_VERIFY_WITH_TIMEOUT(!m_store->hasPendingWrites(), 10'000);
    GrantStore reread(m_store->filePath());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    QCOMPARE(reread.findByName(QStringLiteral("Quick"))->history.size(), 1);
    QCOMPARE(reread.findByName(QStringLiteral("Quick"))->history.first().verdict, Verdict::Passed);
    QCOMPARE(reread.findByName(QStringLiteral("Stuck"))->history.size(), 0);
}

void TestMainWindow::keychainCheckFindsAndRemovesLeftOverEntries()
{
    Grant kept = Grant::create(QStringLiteral("Kept"), m_clock->now());
    Grant lost = Grant::create(QStringLiteral("Lost"), m_clock->now());
    QCOMPARE(m_store->upsert(kept).code, StoreErrorCode::None);
    QCOMPARE(m_store->upsert(lost).code, StoreErrorCode::None);
    storeCredentials(kept, Credentials(ClientId, ClientSecret));
    // An entry no grant uses: what an add killed between keychain and file leaves behind.
    const Grant orphan = Grant::create(QStringLiteral("Never saved"), m_clock->now());
    storeCredentials(orphan, Credentials(ClientId, ClientSecret));
    m_window->start();

    child<QAction>(m_window.get(), QStringLiteral("checkKeychainAction"))->trigger();
    QMessageBox* box = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((box = m_window->findChild<QMessageBox*>(QStringLiteral("keychainCheckResult"))), 20'000);
    QCOMPARE(box->text(), QStringLiteral("Grants without a keychain entry: 1. Keychain entries no grant uses: 1."));
    QVERIFY2(box->informativeText().startsWith(QStringLiteral("No entry: “Lost”\n")),
             qPrintable(box->informativeText()));

    QTest::mouseClick(child<QPushButton>(box, QStringLiteral("removeLeftOverButton")), Qt::LeftButton);
    auto* status = m_window->statusBar();
    QTRY_COMPARE_WITH_TIMEOUT(status->currentMessage(), QStringLiteral("Removed left-over keychain entries: 1."),
                              20'000);
    std::optional<VaultLoadResult> loaded;
    m_vault->load(orphan.keychainKey(), this, [&loaded](const VaultLoadResult& result) { loaded = result; });
    QTRY_VERIFY(loaded.has_value());
    QCOMPARE(loaded->error.code, VaultErrorCode::NotFound);
    // The grant's own entry is untouched.
    loaded.reset();
    m_vault->load(kept.keychainKey(), this, [&loaded](const VaultLoadResult& result) { loaded = result; });
    QTRY_VERIFY(loaded.has_value());
    QCOMPARE(loaded->error.code, VaultErrorCode::None);
}

void TestMainWindow::everyActionHasAShortcutAndAName()
{
    const QStringList required = {
        QStringLiteral("addGrantAction"), QStringLiteral("editGrantAction"),   QStringLiteral("deleteGrantAction"),
        QStringLiteral("testAction"),     QStringLiteral("testAllAction"),     QStringLiteral("copyTokenAction"),
        QStringLiteral("filterAction"),   QStringLiteral("preferencesAction"), QStringLiteral("rotateSecretAction")};
    for (const QString& name : required) {
        auto* action = child<QAction>(m_window.get(), name);
        QVERIFY2(action, qPrintable(name));
        QVERIFY2(!action->shortcut().isEmpty(), qPrintable(name));
        QVERIFY2(!action->text().isEmpty(), qPrintable(name));
    }
    QCOMPARE(child<QAction>(m_window.get(), QStringLiteral("addGrantAction"))->shortcut(), QKeySequence::New);
    QCOMPARE(child<QAction>(m_window.get(), QStringLiteral("testAction"))->shortcut(),
             QKeySequence(Qt::CTRL | Qt::Key_T));
    QCOMPARE(child<QAction>(m_window.get(), QStringLiteral("copyTokenAction"))->shortcut(),
             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    QCOMPARE(child<QAction>(m_window.get(), QStringLiteral("filterAction"))->shortcut(),
             QKeySequence(QKeySequence::Find));
    // Esc in the filter box clears the filter (it does not cancel a running test).
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    auto* filter = child<QLineEdit>(m_window.get(), QStringLiteral("filterEdit"));
    filter->setFocus();
    QTest::keyClicks(filter, QStringLiteral("payroll"));
    QCOMPARE(filter->text(), QStringLiteral("payroll"));
    QTest::keyClick(filter, Qt::Key_Escape);
    QCOMPARE(filter->text(), QString());
    for (const char* name : {"filterEdit", "grantTable"})
        QVERIFY(!m_window->findChild<QWidget*>(QLatin1String(name))->accessibleName().isEmpty());
}

std::optional<VaultLoadResult> TestMainWindow::loadCredentials(const QUuid& id)
{
    std::optional<VaultLoadResult> loaded;
    m_vault->load(id.toString(QUuid::WithoutBraces), this, [&loaded](const VaultLoadResult& r) { loaded = r; });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(loaded.has_value(), 15'000); }();
    return loaded;
}

void TestMainWindow::rotateSecretAsksOnlyForTheNewSecret()
{
    addGrantThroughDialog(QStringLiteral("Rotated"), ClientSecret);
    const QUuid id = m_store->findByName(QStringLiteral("Rotated"))->id;
    QTRY_COMPARE_WITH_TIMEOUT(m_store->find(id)->history.size(), 1, 20'000);
    // Workiva regenerated the secret: from now on the server takes only the new one, with the same Client ID.
    const QString newSecret = QStringLiteral("window-secret-rotated-5Qa");
    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = newSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    m_server->serveOAuth(config);

    child<QTableView>(m_window.get(), QStringLiteral("grantTable"))->selectRow(0);
    auto* action = child<QAction>(m_window.get(), QStringLiteral("rotateSecretAction"));
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
    QVERIFY(action->isEnabled());
    action->trigger();
    RotateSecretDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<RotateSecretDialog*>()) && dialog->isVisible());
    // One field, the secret: the Client ID is read from the keychain.
    QCOMPARE(dialog->findChildren<QLineEdit*>().size(), 1);
    auto* secretEdit = child<QLineEdit>(dialog, QStringLiteral("newSecretEdit"));
    QCOMPARE(secretEdit->echoMode(), QLineEdit::Password);

    // A mistyped secret is refused by the server and the old one stays.
    QTest::keyClicks(secretEdit, QStringLiteral("mistyped-secret"));
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("rotateButton")), Qt::LeftButton);
    auto* error = child<QLabel>(dialog, QStringLiteral("rotateErrorLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), 20'000);
    QVERIFY2(error->text().startsWith(QStringLiteral("The new secret was NOT stored, the old one is still in place")),
             qPrintable(error->text()));
    QVERIFY(loadCredentials(id)->credentials.clientSecret() == ClientSecret);

    secretEdit->clear();
    QTest::keyClicks(secretEdit, QStringLiteral(" ") + newSecret);
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("rotateButton")), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->findChild<RotateSecretDialog*>(), 20'000);
    const auto stored = loadCredentials(id);
    QCOMPARE(stored->credentials.clientId(), ClientId);
    QVERIFY(stored->credentials.clientSecret() == newSecret); // QVERIFY: a failure must not print the secret
    const Grant grant = *m_store->find(id);
    QCOMPARE(grant.rotations.size(), 2);
    QCOMPARE(grant.rotations.at(0).replaced, false);
    QCOMPARE(grant.rotations.at(1).replaced, true);
    // The refused attempt is no test of the grant; the new secret's token is (the grant works with it).
    QCOMPARE(grant.history.size(), 2);
    QCOMPARE(grant.history.last().verdict, Verdict::Passed);
    QCOMPARE(m_window->statusBar()->currentMessage(),
             QStringLiteral("The new secret fetched a token and replaced the old one."));
    QVERIFY(m_liveTokens->find(id)->accessToken == m_server->issuedTokens().last());

    // Esc with a secret typed asks before it is thrown away.
    action->trigger();
    QTRY_VERIFY((dialog = m_window->findChild<RotateSecretDialog*>()) && dialog->isVisible());
    QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("newSecretEdit")), QStringLiteral("typed"));
    QTest::keyClick(child<QLineEdit>(dialog, QStringLiteral("newSecretEdit")), Qt::Key_Escape);
    QMessageBox* prompt = nullptr;
    QTRY_VERIFY((prompt = dialog->findChild<QMessageBox*>(QStringLiteral("discardSecretConfirmation"))));
    QVERIFY(dialog->isVisible());
    QTest::mouseClick(child<QPushButton>(prompt, QStringLiteral("discardSecretButton")), Qt::LeftButton);
    QTRY_VERIFY(!m_window->findChild<RotateSecretDialog*>());
}

void TestMainWindow::trustThisCertificateMakesTheTestPass_data()
{
    QTest::addColumn<TrustMode>("mode");
    QTest::newRow("pin it") << TrustMode::Pinned;
    QTest::newRow("save as CA file") << TrustMode::SystemPlusCaFile;
}

void TestMainWindow::trustThisCertificateMakesTheTestPass()
{
    QFETCH(TrustMode, mode);
    // The system CAs do not know the test server's self-signed certificate: the test fails on it.
    Grant grant = Grant::create(QStringLiteral("Private server"), m_clock->now());
    grant.region = Region::Custom;
    grant.customTokenUrl = m_server->url();
    QCOMPARE(m_store->upsert(grant).code, StoreErrorCode::None);
    storeCredentials(grant, Credentials(ClientId, ClientSecret));
    m_window->start();
    child<QTableView>(m_window.get(), QStringLiteral("grantTable"))->selectRow(0);
    child<QAction>(m_window.get(), QStringLiteral("testAction"))->trigger();
    auto* trustButton = child<QPushButton>(m_window.get(), QStringLiteral("trustCertificateButton"));
    QTRY_VERIFY_WITH_TIMEOUT(trustButton->isVisible(), 20'000);
    QCOMPARE(m_server->requestCount(), 0); // refused in the handshake: the secret never left
    const QString fingerprint = CertificateInfo::formatFingerprint(m_certificate->sha256Hex());
    QVERIFY(
        child<WrappingLabel>(m_window.get(), QStringLiteral("detailsCertificateLabel"))->value().contains(fingerprint));

    QTest::mouseClick(trustButton, Qt::LeftButton);
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = m_window->findChild<QMessageBox*>(QStringLiteral("trustCertificateConfirmation"))));
    QVERIFY(box->informativeText().contains(fingerprint));
    QVERIFY(box->informativeText().contains(QStringLiteral("can read the Client Secret")));
    const char* choice = mode == TrustMode::Pinned ? "pinCertificateButton" : "saveCaFileButton";
    QTest::mouseClick(child<QPushButton>(box, QLatin1String(choice)), Qt::LeftButton);

    // Saved like an edit, then tested again at once: this time it passes.
    auto* outcome = child<QLabel>(m_window.get(), QStringLiteral("detailsOutcomeLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().contains(QStringLiteral("Passed")), 20'000);
    QVERIFY(!trustButton->isVisible());
    const TrustSettings trust = m_store->find(grant.id)->trust;
    QCOMPARE(trust.mode, mode);
    if (mode == TrustMode::Pinned) {
        QCOMPARE(trust.pinnedSha256, m_certificate->sha256Hex());
        QCOMPARE(trust.pinnedCertificatePem.toLatin1(), m_certificate->certificate().toPem());
    } else {
        QFile saved(trust.caFilePath);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QSslCertificate::fromData(saved.readAll()).value(0), m_certificate->certificate());
        QCOMPARE(QFileInfo(trust.caFilePath).absolutePath(),
                 QFileInfo(m_store->filePath()).absolutePath() + QStringLiteral("/certificates"));
    }

    // The curl command trusts what the grant trusts: the pinned key (curl checks it) or the saved CA file.
    child<QAction>(m_window.get(), QStringLiteral("copyCurlAction"))->trigger();
    const QString curl = QGuiApplication::clipboard()->text();
    QVERIFY(curl.contains(mode == TrustMode::Pinned ? QStringLiteral("--pinnedpubkey 'sha256//")
                                                    : QStringLiteral("--cacert '%1'").arg(trust.caFilePath)));
    m_server->serveApi("/REPLACE-WITH-API-PATH", "api-call-ok");
    QCOMPARE(runAsPasted(curl).exitCode, 0);
    if (mode != TrustMode::Pinned)
        return;
    // --insecure skips only the CA check: a server with another key is refused before anything is sent.
    QString error;
    const auto other = TestCertificate::generate(m_dir.path(), QStringLiteral("127.0.0.1"), 2, &error);
    QVERIFY2(other, qPrintable(error));
    m_server->setServerCertificate(other->certificate(), other->key());
    const int requestsBefore = m_server->requestCount();
    QCOMPARE(runAsPasted(curl).exitCode, 90); // CURLE_SSL_PINNEDPUBKEYNOTMATCH
    QCOMPARE(m_server->requestCount(), requestsBefore);
}

void TestMainWindow::detailsPaneFitsAt800x600AndRevealsTheClientId()
{
    m_window->resize(800, 600);
    addGrantThroughDialog(QStringLiteral("Layout"), ClientSecret);
    auto* outcome = child<QLabel>(m_window.get(), QStringLiteral("detailsOutcomeLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(outcome->text().contains(QStringLiteral("Passed")), 20'000);
    auto* pane = child<GrantDetailsPane>(m_window.get(), QStringLiteral("grantDetailsPane"));
    auto* scroll = pane->findChild<QScrollArea*>();
    QVERIFY(scroll);
    // Every value inside the visible width: the token URL, the certificate and its fingerprint, the Reveal button.
    const auto allInside = [scroll] {
        const int width = scroll->viewport()->width();
        for (QWidget* widget : scroll->widget()->findChildren<QWidget*>()) {
            if (!widget->isVisible())
                continue;
            const QPoint topLeft = widget->mapTo(scroll->viewport(), QPoint(0, 0));
            if (topLeft.x() < 0 || topLeft.x() + widget->width() > width)
                return false;
        }
        return true;
    };
    QTRY_VERIFY(allInside());
    QVERIFY(scroll->widget()->width() <= scroll->viewport()->width());

    // Tabbing to Reveal moves nothing sideways; Reveal reads the keychain and shows the full Client ID too.
    auto* reveal = child<QPushButton>(m_window.get(), QStringLiteral("revealSecretButton"));
    reveal->setFocus(Qt::TabFocusReason);
    QCOMPARE(scroll->horizontalScrollBar()->value(), 0);
    reveal->click();
    auto* clientId = child<WrappingLabel>(m_window.get(), QStringLiteral("detailsClientIdLabel"));
    QTRY_COMPARE_WITH_TIMEOUT(clientId->value(), ClientId, 15'000);
    QVERIFY(child<WrappingLabel>(m_window.get(), QStringLiteral("detailsSecretLabel"))->value() == ClientSecret);
    QTRY_VERIFY(allInside());
    reveal->click();
    QCOMPARE(clientId->value(), QStringLiteral("…8d31"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
