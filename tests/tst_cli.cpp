// The command line run as a process, against the real keychain and a real HTTPS token server.
#include "support/clirun.h"
#include "support/httpstokenserver.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>
#include <memory>
#include <sys/types.h>
#include <sys/wait.h>

using namespace gk::test;

namespace {

const QString ClientId = QStringLiteral("cli-client-4e7d21");
const QString ClientSecret = QStringLiteral("cli-secret-Zq9+/x");
const QString RotatedSecret = QStringLiteral("cli-rotated-Kp3=");

QJsonObject jsonOf(const CliRun& run)
{
    return QJsonDocument::fromJson(run.out).object();
}

// secret-tool's exit code for ACTION (lookup, clear) on the grantkeeper entry of key: 0 found, 1 not found.
int secretToolExitCode(const QString& action, const QString& key)
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
               {action, QStringLiteral("server"), QStringLiteral("grantkeeper"), QStringLiteral("user"), key});
    tool.closeWriteChannel();
    tool.waitForFinished(30'000);
    tool.readAllStandardOutput(); // what lookup prints is the secret: read and dropped, never shown
    return tool.exitStatus() == QProcess::NormalExit ? tool.exitCode() : -1;
}

QString describe(const CliRun& run)
{
    // stderr first: it holds the reason, and Qt Test cuts long messages.
    return QStringLiteral("grantkeeper %1 exited %2\nstderr: %3\nstdout: %4")
        .arg(run.arguments.join(QLatin1Char(' ')))
        .arg(run.exitCode)
        .arg(QString::fromUtf8(run.err).right(3000), QString::fromUtf8(run.out));
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void addTestTokenListRemoveSession();
    void wrongSecretExitsOneWithOneLineReason();
    void refusedScopeExitsOne();
    void expiringListsGrantsInsideTheWindow();
    void rotateStoresOnlyAVerifiedSecret();
    void badInputExitsTwo_data();
    void badInputExitsTwo();
    void pastExpiryAndSharedUserWarnButAdd();
    void badTokenUrlIsRefusedInTheDialogsWords();
    void unknownGrantExitsTwo();
    void missingKeychainExitsThree();
    void unreachableServerExitsFour();
    void redirectIsReportedAndNotFollowed();
    void deprecationIsAnnounced();
    void rateLimitingIsWaitedOutAndSaid();
    void rateLimitingPastTheTimeoutIsNotWaitedFor();
    void nothingSecretIsLeftBehind();
    void removeWithTheFileLockedKeepsTheGrantAndItsSecret();
    void removeWithoutKeychainSaysTheEntryIsLeftOver();
    void doctorFindsLeftOverAndMissingEntries();
    void concurrentRemovesTellTheLoserItWasAlreadyRemoved();
    void concurrentDoctorFixesRemoveEachLeftOverOnce();
    void interruptedTestAllReportsCancelledAndRecordsWhatFinished();
    void aSecondSignalEndsAtOnce();
    void interruptedTokenIsCancelled();
    void interruptedAddChangesNothing();
    void interruptedRotateKeepsTheOldSecret();
    void strayArgumentWithoutCommandIsAUsageError_data();
    void strayArgumentWithoutCommandIsAUsageError();
    void windowOptionsStillOpenTheWindow();
    void serverThatNeverAnswersEndsTheCommandAtItsTimeout();
    void commandStuckPastItsTimeLimitGivesUp();
    void exitStuckOnAThreadEndsWithTheAnswersCode();

private:
    CliRun run(const QStringList& arguments, const QByteArray& input = {},
               const QProcessEnvironment& extra = QProcessEnvironment());
    QProcessEnvironment environment(const QProcessEnvironment& extra = QProcessEnvironment()) const;
    // Started and left running, its standard input open; its output is collected into the given arrays.
    std::unique_ptr<QProcess> start(const QStringList& arguments, QByteArray* out, QByteArray* err);
    // The first `answered` requests get the server's answer at once, every later one only after a long delay.
    void answerSlowlyAfter(int answered);
    QJsonObject grantJson(const QString& name);
    CliRun add(const QString& name, const QStringList& extraArguments = {}, const QString& secret = ClientSecret);

    QTemporaryDir m_certificateDir;
    std::optional<TestCertificate> m_certificate;
    std::unique_ptr<HttpsTokenServer> m_server;
    std::unique_ptr<QTemporaryDir> m_home;
    QList<CliRun> m_runs;
    QStringList m_unsetVariables; // left out of the environment of the processes started
};

void TestCli::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(GK_BINARY)), GK_BINARY);
    QVERIFY(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"));
    QString error;
    m_certificate = TestCertificate::generate(m_certificateDir.path(), QStringLiteral("127.0.0.1"), 2, &error);
    QVERIFY2(m_certificate, qPrintable(error));
}

void TestCli::init()
{
    m_server = std::make_unique<HttpsTokenServer>(*m_certificate);
    QVERIFY(m_server->listen());
    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = ClientSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    m_server->serveOAuth(config);
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    m_runs.clear();
    m_unsetVariables.clear();
}

void TestCli::cleanup()
{
    m_server.reset();
    m_home.reset();
}

QProcessEnvironment TestCli::environment(const QProcessEnvironment& extra) const
{
    QProcessEnvironment environment = cliEnvironment(m_home->path());
    environment.insert(extra);
    for (const QString& name : m_unsetVariables)
        environment.remove(name);
    return environment;
}

std::unique_ptr<QProcess> TestCli::start(const QStringList& arguments, QByteArray* out, QByteArray* err)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(environment());
    QProcess* raw = process.get();
    connect(raw, &QProcess::readyReadStandardOutput, raw, [raw, out] { out->append(raw->readAllStandardOutput()); });
    connect(raw, &QProcess::readyReadStandardError, raw, [raw, err] { err->append(raw->readAllStandardError()); });
    process->start(QStringLiteral(GK_BINARY), arguments);
    return process;
}

void TestCli::answerSlowlyAfter(int answered)
{
    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = ClientSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    const auto oauth = HttpsTokenServer::oauthServer(config);
    auto count = std::make_shared<int>(0);
    m_server->setHandler([oauth, count, answered](const RecordedRequest& request) {
        Response response = oauth(request);
        if ((*count)++ >= answered)
            response.delayMs = 300'000; // longer than any test: the answer never comes in time
        return response;
    });
}

QJsonObject TestCli::grantJson(const QString& name)
{
    const QJsonArray grants =
        jsonOf(run({QStringLiteral("list"), QStringLiteral("--json")})).value(QStringLiteral("grants")).toArray();
    for (const QJsonValue& grant : grants) {
        if (grant.toObject().value(QStringLiteral("name")).toString() == name)
            return grant.toObject();
    }
    return {};
}

CliRun TestCli::run(const QStringList& arguments, const QByteArray& input, const QProcessEnvironment& extra)
{
    const CliRun result = runCli(QStringLiteral(GK_BINARY), arguments, input, environment(extra));
    m_runs.append(result);
    return result;
}

CliRun TestCli::add(const QString& name, const QStringList& extraArguments, const QString& secret)
{
    QStringList arguments = {QStringLiteral("add"),
                             QStringLiteral("--name"),
                             name,
                             QStringLiteral("--user"),
                             QStringLiteral("svc-export"),
                             QStringLiteral("--token-url"),
                             m_server->url().toString(),
                             QStringLiteral("--ca-file"),
                             m_certificate->certificatePath(),
                             QStringLiteral("--scope"),
                             QStringLiteral("file:read file:write")};
    arguments += extraArguments;
    return run(arguments,
               (QStringLiteral("  ") + ClientId + QStringLiteral(" \n") + secret + QStringLiteral("\n")).toUtf8());
}

void TestCli::addTestTokenListRemoveSession()
{
    const CliRun added =
        add(QStringLiteral("Nightly export"), {QStringLiteral("--expires"), QStringLiteral("2099-12-31")});
    QVERIFY2(added.exitCode == 0, qPrintable(describe(added)));
    QVERIFY(added.out.contains("Added \"Nightly export\""));
    QVERIFY(added.out.contains(QStringLiteral("(Client ID …7d21)").toUtf8()));

    const CliRun tested = run({QStringLiteral("test"), QStringLiteral("Nightly export"), QStringLiteral("--json")});
    QVERIFY2(tested.exitCode == 0, qPrintable(describe(tested)));
    const QJsonObject result = jsonOf(tested).value(QStringLiteral("results")).toArray().first().toObject();
    QCOMPARE(result.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(result.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
    QCOMPARE(result.value(QStringLiteral("expires_in")).toInt(), 599);
    QCOMPARE(result.value(QStringLiteral("granted_scope")).toArray(),
             QJsonArray({QStringLiteral("file:read"), QStringLiteral("file:write")}));
    QCOMPARE(result.value(QStringLiteral("http_status")).toInt(), 200);
    QCOMPARE(result.value(QStringLiteral("certificate"))
                 .toObject()
                 .value(QStringLiteral("sha256"))
                 .toString()
                 .remove(QLatin1Char(':'))
                 .toLower(),
             m_certificate->sha256Hex());
    QCOMPARE(jsonOf(tested).value(QStringLiteral("passed")).toInt(), 1);
    QVERIFY(!tested.out.contains(m_server->issuedTokens().first().toUtf8()));

    const CliRun human = run({QStringLiteral("test"), QStringLiteral("nightly EXPORT")});
    QVERIFY2(human.exitCode == 0, qPrintable(describe(human)));
    QVERIFY(human.out.startsWith("PASS  Nightly export: granted file:read file:write (as requested)"));

    const CliRun token = run({QStringLiteral("token"), QStringLiteral("Nightly export")});
    QCOMPARE(token.exitCode, 0);
    QCOMPARE(token.out, m_server->issuedTokens().last().toUtf8() + '\n');
    QVERIFY(token.err.isEmpty());

    const CliRun listed = run({QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(listed.exitCode, 0);
    const QJsonObject grant = jsonOf(listed).value(QStringLiteral("grants")).toArray().first().toObject();
    QCOMPARE(grant.value(QStringLiteral("name")).toString(), QStringLiteral("Nightly export"));
    QCOMPARE(grant.value(QStringLiteral("expires_on")).toString(), QStringLiteral("2099-12-31"));
    QCOMPARE(grant.value(QStringLiteral("expiry_status")).toString(), QStringLiteral("ok"));
    QCOMPARE(grant.value(QStringLiteral("last_test")).toObject().value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(grant.value(QStringLiteral("client_id_hint")).toString(), QStringLiteral("…7d21"));

    const CliRun table = run({QStringLiteral("list")});
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.startsWith("NAME"));
    QVERIFY(table.out.contains("Nightly export"));
    QVERIFY(table.out.contains("passed just now"));

    const CliRun removed = run({QStringLiteral("remove"), QStringLiteral("Nightly export")});
    QVERIFY2(removed.exitCode == 0, qPrintable(describe(removed)));
    const CliRun empty = run({QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(jsonOf(empty).value(QStringLiteral("grants")).toArray().size(), 0);
    QCOMPARE(run({QStringLiteral("token"), QStringLiteral("Nightly export")}).exitCode, 2);
}

void TestCli::wrongSecretExitsOneWithOneLineReason()
{
    QCOMPARE(add(QStringLiteral("Stale"), {}, QStringLiteral("not-the-secret")).exitCode, 0);
    const CliRun tested = run({QStringLiteral("test"), QStringLiteral("Stale")});
    QCOMPARE(tested.exitCode, 1);
    QVERIFY(tested.out.isEmpty());
    QCOMPARE(tested.err.count('\n'), 1);
    QVERIFY2(tested.err.startsWith(
                 "grantkeeper: Stale (refused): The server refused the Client ID or Client Secret (HTTP 401)"),
             tested.err.constData());
    // The history, `list` and `test --json` tell the same verdict.
    const QJsonObject last = jsonOf(run({QStringLiteral("list"), QStringLiteral("--json")}))
                                 .value(QStringLiteral("grants"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QStringLiteral("last_test"))
                                 .toObject();
    QCOMPARE(last.value(QStringLiteral("verdict")).toString(), QStringLiteral("refused"));
    QCOMPARE(last.value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(last.value(QStringLiteral("error_code")).toString(), QStringLiteral("invalid_client"));
    const QJsonObject json = jsonOf(run({QStringLiteral("test"), QStringLiteral("Stale"), QStringLiteral("--json")}))
                                 .value(QStringLiteral("results"))
                                 .toArray()
                                 .first()
                                 .toObject();
    QCOMPARE(json.value(QStringLiteral("verdict")).toString(), QStringLiteral("refused"));
    QVERIFY(json.value(QStringLiteral("scope_ok")).isNull());
}

void TestCli::refusedScopeExitsOne()
{
    QCOMPARE(
        add(QStringLiteral("Too much"), {QStringLiteral("--scope"), QStringLiteral("file:read task:write")}).exitCode,
        0);
    const CliRun tested = run({QStringLiteral("test"), QStringLiteral("Too much"), QStringLiteral("--json")});
    QCOMPARE(tested.exitCode, 1);
    const QJsonObject error = jsonOf(tested)
                                  .value(QStringLiteral("results"))
                                  .toArray()
                                  .first()
                                  .toObject()
                                  .value(QStringLiteral("error"))
                                  .toObject();
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("invalid_scope"));
    // With --json too, each failing grant gets its one line on stderr; both name the refused scope.
    QCOMPARE(tested.err.count('\n'), 1);
    QVERIFY2(
        tested.err.startsWith("grantkeeper: Too much (refused): The server refused the scope task:write (HTTP 400)"),
        tested.err.constData());
    QVERIFY(tested.err.contains("Add task:write to the grant in Workiva's API grant settings"));
    QCOMPARE(error.value(QStringLiteral("refused_scope")).toArray(), QJsonArray{QStringLiteral("task:write")});
    QVERIFY(error.value(QStringLiteral("message"))
                .toString()
                .startsWith(QStringLiteral("The server refused the scope task:write (HTTP 400).")));
    const QJsonObject result = jsonOf(tested).value(QStringLiteral("results")).toArray().first().toObject();
    QCOMPARE(result.value(QStringLiteral("verdict")).toString(), QStringLiteral("refused"));
    QCOMPARE(result.value(QStringLiteral("scope_ok")), QJsonValue(false));
    QCOMPARE(result.value(QStringLiteral("requested_scope")).toArray(),
             (QJsonArray{QStringLiteral("file:read"), QStringLiteral("task:write")}));
}

void TestCli::expiringListsGrantsInsideTheWindow()
{
    const QDate today = QDate::currentDate();
    QCOMPARE(
        add(QStringLiteral("Expired"), {QStringLiteral("--expires"), today.addDays(-3).toString(Qt::ISODate)}).exitCode,
        0);
    QCOMPARE(
        add(QStringLiteral("Soon"), {QStringLiteral("--expires"), today.addDays(10).toString(Qt::ISODate)}).exitCode,
        0);
    QCOMPARE(
        add(QStringLiteral("Later"), {QStringLiteral("--expires"), today.addDays(100).toString(Qt::ISODate)}).exitCode,
        0);
    QCOMPARE(add(QStringLiteral("Undated")).exitCode, 0);

    const CliRun defaults = run({QStringLiteral("expiring"), QStringLiteral("--json")});
    QCOMPARE(defaults.exitCode, 1);
    const QJsonArray found = jsonOf(defaults).value(QStringLiteral("grants")).toArray();
    QCOMPARE(found.size(), 2);
    QCOMPARE(found.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Expired"));
    QCOMPARE(found.at(0).toObject().value(QStringLiteral("days_left")).toInt(), -3);
    QCOMPARE(found.at(0).toObject().value(QStringLiteral("expiry_status")).toString(), QStringLiteral("expired"));
    QCOMPARE(found.at(1).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Soon"));
    QCOMPARE(found.at(1).toObject().value(QStringLiteral("days_left")).toInt(), 10);
    QCOMPARE(jsonOf(defaults).value(QStringLiteral("within_days")).toInt(), 30);

    const CliRun narrow = run({QStringLiteral("expiring"), QStringLiteral("--within"), QStringLiteral("5")});
    QCOMPARE(narrow.exitCode, 1);
    QVERIFY(narrow.out.contains("Expired"));
    QVERIFY(!narrow.out.contains("Soon"));

    QCOMPARE(run({QStringLiteral("remove"), QStringLiteral("Expired")}).exitCode, 0);
    const CliRun none = run({QStringLiteral("expiring"), QStringLiteral("--within"), QStringLiteral("5")});
    QCOMPARE(none.exitCode, 0);
    QCOMPARE(none.out, QByteArray("No grant has expired or expires within 5 days.\n"));

    // The warning window set in Preferences is the default of `expiring` and `list` alike.
    QDir().mkpath(m_home->filePath(QStringLiteral("config/grantkeeper")));
    QFile conf(m_home->filePath(QStringLiteral("config/grantkeeper/grantkeeper.conf")));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("[expiry]\nwarningDays=7\n");
    conf.close();
    const CliRun seven = run({QStringLiteral("expiring"), QStringLiteral("--json")});
    QCOMPARE(seven.exitCode, 0);
    QCOMPARE(jsonOf(seven).value(QStringLiteral("within_days")).toInt(), 7);
    QCOMPARE(jsonOf(seven).value(QStringLiteral("grants")).toArray().size(), 0);
    const QJsonArray listed =
        jsonOf(run({QStringLiteral("list"), QStringLiteral("--json")})).value(QStringLiteral("grants")).toArray();
    for (const QJsonValue& grant : listed) {
        if (grant.toObject().value(QStringLiteral("name")).toString() == QLatin1String("Soon"))
            QCOMPARE(grant.toObject().value(QStringLiteral("expiry_status")).toString(), QStringLiteral("ok"));
    }
}

void TestCli::rotateStoresOnlyAVerifiedSecret()
{
    QCOMPARE(add(QStringLiteral("Rotating")).exitCode, 0);

    // The add way round (ID, then secret) is not taken as a secret: nothing changes.
    const CliRun twoLines = run({QStringLiteral("rotate"), QStringLiteral("Rotating")},
                                (ClientId + QLatin1Char('\n') + RotatedSecret + QLatin1Char('\n')).toUtf8());
    QCOMPARE(twoLines.exitCode, 2);
    QVERIFY2(twoLines.err.startsWith("grantkeeper: Standard input has more than one line: give only the new secret "
                                     "(rotation keeps the Client ID). Nothing was changed."),
             twoLines.err.constData());

    // The server still knows only the old secret: the new one is refused and not stored.
    const CliRun refused = run({QStringLiteral("rotate"), QStringLiteral("Rotating")}, RotatedSecret.toUtf8() + '\n');
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.err.contains("The new secret was NOT stored, the old one is still in place"),
             refused.err.constData());
    // A rejected new secret says nothing about the stored one: no test was recorded.
    QVERIFY(jsonOf(run({QStringLiteral("list"), QStringLiteral("--json")}))
                .value(QStringLiteral("grants"))
                .toArray()
                .first()
                .toObject()
                .value(QStringLiteral("last_test"))
                .isNull());
    QCOMPARE(run({QStringLiteral("test"), QStringLiteral("Rotating")}).exitCode, 0);

    // The secret was regenerated in Workiva: now only the new one works.
    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = RotatedSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    m_server->serveOAuth(config);
    QCOMPARE(run({QStringLiteral("test"), QStringLiteral("Rotating")}).exitCode, 1);
    const CliRun rotated = run({QStringLiteral("rotate"), QStringLiteral("Rotating")}, RotatedSecret.toUtf8() + '\n');
    QVERIFY2(rotated.exitCode == 0, qPrintable(describe(rotated)));
    QVERIFY(rotated.out.contains("Rotated \"Rotating\""));
    QCOMPARE(run({QStringLiteral("test"), QStringLiteral("Rotating")}).exitCode, 0);

    const CliRun history = run({QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(jsonOf(history)
                 .value(QStringLiteral("grants"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("last_test"))
                 .toObject()
                 .value(QStringLiteral("ok"))
                 .toBool(),
             true);
}

void TestCli::badInputExitsTwo_data()
{
    QTest::addColumn<QStringList>("extraArguments");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expectedError");
    const QByteArray good = (ClientId + QStringLiteral("\n") + ClientSecret + QStringLiteral("\n")).toUtf8();
    QTest::newRow("malformed date") << QStringList{QStringLiteral("--expires"), QStringLiteral("31/12/2027")} << good
                                    << QByteArray("--expires needs a date as YYYY-MM-DD");
    QTest::newRow("impossible date") << QStringList{QStringLiteral("--expires"), QStringLiteral("2027-02-30")} << good
                                     << QByteArray("--expires needs a date as YYYY-MM-DD");
    QTest::newRow("empty secret") << QStringList{} << (ClientId + QStringLiteral("\n\n")).toUtf8()
                                  << QByteArray("The Client Secret is empty");
    QTest::newRow("no input") << QStringList{} << QByteArray() << QByteArray("The Client ID is empty");
    QTest::newRow("same value twice") << QStringList{}
                                      << (ClientId + QStringLiteral("\n") + ClientId + QStringLiteral("\n")).toUtf8()
                                      << QByteArray("The Client ID and the Client Secret are the same");
    QTest::newRow("space inside secret") << QStringList{} << (ClientId + QStringLiteral("\nab cd\n")).toUtf8()
                                         << QByteArray("contains a space");
    const QByteArray idLine = (ClientId + QStringLiteral("\n")).toUtf8();
    QTest::newRow("NUL in secret") << QStringList{} << idLine + QByteArray("ab\0cd\n", 6)
                                   << QByteArray("The Client Secret contains an invisible control character (U+0000 "
                                                 "at character 3)");
    QTest::newRow("escape in secret") << QStringList{} << idLine + QByteArray("\x1b[2Jab\n")
                                      << QByteArray("The Client Secret contains an invisible control character "
                                                    "(U+001B at character 1)");
    QTest::newRow("secret not UTF-8") << QStringList{} << idLine + QByteArray("ab\xff\xfe\n")
                                      << QByteArray("The Client Secret is not valid UTF-8 text");
    QTest::newRow("a third line") << QStringList{} << good + "left-over\n"
                                  << QByteArray("Standard input has more than two lines: give only the Client ID on "
                                                "the first line and the secret on the second. Nothing was stored.");
    QTest::newRow("2 KB secret") << QStringList{} << idLine + QByteArray(2048, 'x') + '\n'
                                 << QByteArray("The Client Secret is 2048 characters long; no Client ID or Secret is "
                                               "longer than 1024.");
    QTest::newRow("100 KB secret") << QStringList{} << idLine + QByteArray(100 * 1024, 'x') + '\n'
                                   << QByteArray("A line on standard input is longer than 64 KB");
    QTest::newRow("secret as argument") << QStringList{ClientSecret} << good
                                        << QByteArray("secrets are never accepted as arguments");
    QTest::newRow("bad auth") << QStringList{QStringLiteral("--auth"), QStringLiteral("digest")} << good
                              << QByteArray("--auth is body or basic");
    QTest::newRow("missing ca file") << QStringList{QStringLiteral("--ca-file"), QStringLiteral("/nonexistent.pem")}
                                     << good
                                     << QByteArray("The CA file “/nonexistent.pem” cannot be read: choose an existing "
                                                   "PEM file.");
    QTest::newRow("not a pem file") << QStringList{QStringLiteral("--ca-file"), QStringLiteral(GK_BINARY)} << good
                                    << QByteArray("holds no PEM certificate");
    QTest::newRow("no name") << QStringList{QStringLiteral("--name"), QStringLiteral(" ")} << good
                             << QByteArray("Give the grant a name, for example the integration it serves.");
}

void TestCli::badInputExitsTwo()
{
    QFETCH(QStringList, extraArguments);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expectedError);
    QStringList arguments = {QStringLiteral("add"),    QStringLiteral("--name"), QStringLiteral("Bad"),
                             QStringLiteral("--user"), QStringLiteral("svc"),    QStringLiteral("--region"),
                             QStringLiteral("us")};
    arguments += extraArguments;
    const CliRun result = run(arguments, input);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(expectedError), result.err.constData());
    QCOMPARE(result.err.count('\n'), 1);
    const CliRun listed = run({QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(jsonOf(listed).value(QStringLiteral("grants")).toArray().size(), 0);
}

void TestCli::pastExpiryAndSharedUserWarnButAdd()
{
    const QDate yesterday = QDate::currentDate().addDays(-1);
    const CliRun expired =
        add(QStringLiteral("Expired"), {QStringLiteral("--expires"), yesterday.toString(Qt::ISODate)});
    QVERIFY2(expired.exitCode == 0, qPrintable(describe(expired)));
    QVERIFY(expired.out.contains("Added \"Expired\""));
    QCOMPARE(QString::fromUtf8(expired.err),
             QStringLiteral("grantkeeper: warning: The expiration date %1 has passed, so the grant has already "
                            "expired: check the date in Workiva, or create a new grant.\n")
                 .arg(yesterday.toString(Qt::ISODate)));

    // The same integration user for a second grant: said, and still added.
    const CliRun shared = add(QStringLiteral("Second"));
    QVERIFY2(shared.exitCode == 0, qPrintable(describe(shared)));
    QCOMPARE(QString::fromUtf8(shared.err),
             QStringLiteral("grantkeeper: warning: The integration user “svc-export” is also used by “Expired”. "
                            "Workiva recommends one unique integration user per integration, so that each "
                            "integration's changes stay apart.\n"));

    const CliRun listed = run({QStringLiteral("list"), QStringLiteral("--json")});
    const QJsonArray grants = jsonOf(listed).value(QStringLiteral("grants")).toArray();
    QCOMPARE(grants.size(), 2);
    QCOMPARE(grants.at(0).toObject().value(QStringLiteral("expires_on")).toString(), yesterday.toString(Qt::ISODate));
}

void TestCli::badTokenUrlIsRefusedInTheDialogsWords()
{
    const CliRun refused =
        run({QStringLiteral("add"), QStringLiteral("--name"), QStringLiteral("Plain"), QStringLiteral("--user"),
             QStringLiteral("svc"), QStringLiteral("--token-url"), QStringLiteral("http://example.com/oauth2/token")},
            (ClientId + QStringLiteral("\n") + ClientSecret + QStringLiteral("\n")).toUtf8());
    QCOMPARE(refused.exitCode, 2);
    // Word for word what the dialog shows under its token URL field (tst_grantdialog), from the same validator.
    QCOMPARE(QString::fromUtf8(refused.err),
             QStringLiteral("grantkeeper: The token URL does not use https: http://example.com/oauth2/token. Use an "
                            "https:// URL; plain http is only allowed for a server on this computer (127.0.0.1).\n"));
    QVERIFY(refused.out.isEmpty());
    QCOMPARE(jsonOf(run({QStringLiteral("list"), QStringLiteral("--json")}))
                 .value(QStringLiteral("grants"))
                 .toArray()
                 .size(),
             0);
}

void TestCli::unknownGrantExitsTwo()
{
    const CliRun tested = run({QStringLiteral("test"), QStringLiteral("nope")});
    QCOMPARE(tested.exitCode, 2);
    QVERIFY(tested.err.contains("no grant named \"nope\""));
    QCOMPARE(run({QStringLiteral("frobnicate")}).exitCode, 2);
    QCOMPARE(run({QStringLiteral("test")}).exitCode, 2);
    QCOMPARE(
        run({QStringLiteral("test"), QStringLiteral("--jobs"), QStringLiteral("0"), QStringLiteral("--all")}).exitCode,
        2);
}

void TestCli::missingKeychainExitsThree()
{
    QCOMPARE(add(QStringLiteral("Nightly")).exitCode, 0);
    QProcessEnvironment noBus;
    noBus.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/bus"));
    const CliRun tested = run({QStringLiteral("test"), QStringLiteral("Nightly")}, {}, noBus);
    QCOMPARE(tested.exitCode, 3);
    QVERIFY2(tested.err.contains("No keychain is available"), tested.err.constData());
    QCOMPARE(m_server->requestCount(), 0);
    // The keychain's trouble is not the grant's: nothing is recorded (a cron job must not mark it failed).
    QVERIFY(jsonOf(run({QStringLiteral("list"), QStringLiteral("--json")}))
                .value(QStringLiteral("grants"))
                .toArray()
                .first()
                .toObject()
                .value(QStringLiteral("last_test"))
                .isNull());

    const CliRun added =
        run({QStringLiteral("add"), QStringLiteral("--name"), QStringLiteral("Other"), QStringLiteral("--user"),
             QStringLiteral("svc"), QStringLiteral("--region"), QStringLiteral("eu")},
            (ClientId + QStringLiteral("\n") + ClientSecret + QStringLiteral("\n")).toUtf8(), noBus);
    QCOMPARE(added.exitCode, 3);
    const CliRun listed = run({QStringLiteral("list"), QStringLiteral("--json")}, {}, noBus);
    QCOMPARE(listed.exitCode, 0); // listing never needs the keychain
    QCOMPARE(jsonOf(listed).value(QStringLiteral("grants")).toArray().size(), 1);
}

void TestCli::unreachableServerExitsFour()
{
    QCOMPARE(add(QStringLiteral("Gone")).exitCode, 0);
    m_server.reset(); // the port is closed now
    const CliRun tested =
        run({QStringLiteral("test"), QStringLiteral("Gone"), QStringLiteral("--timeout"), QStringLiteral("5")});
    QCOMPARE(tested.exitCode, 4);
    QVERIFY(tested.err.contains("refused the connection"));
}

void TestCli::redirectIsReportedAndNotFollowed()
{
    QCOMPARE(add(QStringLiteral("Moved")).exitCode, 0);
    m_server->enqueue(Response::redirect(307, m_server->url(QStringLiteral("/elsewhere"))));
    const CliRun tested = run({QStringLiteral("test"), QStringLiteral("Moved")});
    QCOMPARE(tested.exitCode, 4);
    QVERIFY(tested.err.contains("/elsewhere"));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestCli::deprecationIsAnnounced()
{
    // The 2022-01-01 token API is known to be deprecated: every passing test says until when and what to use.
    QCOMPARE(add(QStringLiteral("Old API"), {QStringLiteral("--api-version"), QStringLiteral("2022-01-01")}).exitCode,
             0);
    const CliRun old = run({QStringLiteral("test"), QStringLiteral("Old API")});
    QCOMPARE(old.exitCode, 0);
    QVERIFY2(old.out.contains("API version 2022-01-01 is deprecated and stops working after 2029-01-31: edit the "
                              "grant, choose 2026-01-01"),
             old.out.constData());
    QCOMPARE(m_server->requests().last().header("X-Version"), QByteArray("2022-01-01"));

    // Deprecation and Sunset headers (RFC 9745, RFC 8594) are shown for any grant.
    QCOMPARE(add(QStringLiteral("Current API")).exitCode, 0);
    m_server->enqueue(Response::tokenSuccess(QStringLiteral("tok-abc"), QStringLiteral("file:read file:write"))
                          .withHeader("Deprecation", "@1798761600")
                          .withHeader("Sunset", "Sat, 01 Jul 2028 00:00:00 GMT"));
    const CliRun announced = run({QStringLiteral("test"), QStringLiteral("Current API")});
    QCOMPARE(announced.exitCode, 0);
    QVERIFY2(announced.out.contains("The server announces that this endpoint is deprecated, sunset 2028-07-01."),
             announced.out.constData());
    const CliRun json = run({QStringLiteral("test"), QStringLiteral("Old API"), QStringLiteral("--json")});
    QCOMPARE(jsonOf(json)
                 .value(QStringLiteral("results"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("api_version_sunset"))
                 .toString(),
             QStringLiteral("2029-01-31"));
}

void TestCli::rateLimitingIsWaitedOutAndSaid()
{
    QCOMPARE(add(QStringLiteral("Busy")).exitCode, 0);
    m_server->enqueue(Response::oauthError(429, QStringLiteral("slow_down")).withHeader("Retry-After", "1"));
    const CliRun tested = run({QStringLiteral("test"), QStringLiteral("Busy"), QStringLiteral("--json")});
    QVERIFY2(tested.exitCode == 0, qPrintable(describe(tested)));
    QCOMPARE(tested.err,
             QByteArray("grantkeeper: The server is rate limiting (HTTP 429): waiting 1 s, then testing one grant at a "
                        "time.\n"));
    const QJsonObject result = jsonOf(tested).value(QStringLiteral("results")).toArray().first().toObject();
    QCOMPARE(result.value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(result.value(QStringLiteral("attempts")).toInt(), 2);
    QCOMPARE(m_server->requestCount(), 2);
}

void TestCli::rateLimitingPastTheTimeoutIsNotWaitedFor()
{
    // --timeout bounds the whole test: a server that asks for a longer wait than is left gets no second request.
    QCOMPARE(add(QStringLiteral("Busy")).exitCode, 0);
    m_server->setHandler([](const RecordedRequest&) {
        return Response::oauthError(429, QStringLiteral("slow_down")).withHeader("Retry-After", "7");
    });
    const CliRun tested = run({QStringLiteral("test"), QStringLiteral("Busy"), QStringLiteral("--timeout"),
                               QStringLiteral("5"), QStringLiteral("--json")});
    QCOMPARE(tested.exitCode, 4);
    QCOMPARE(m_server->requestCount(), 1);
    const QString reason =
        QStringLiteral("The server is rate limiting requests (HTTP 429); it asks to retry after 7 s. "
                       "Waiting for that would pass this test's time limit of 5 s, so it was not "
                       "tried again.");
    const QString advice = QStringLiteral("Wait for the time the server asks, then test again; or raise the request "
                                          "timeout so that a test can wait that long.");
    QCOMPARE(QString::fromUtf8(tested.err),
             QStringLiteral("grantkeeper: Busy (unreachable): %1 %2\n").arg(reason, advice));
    const QJsonObject result = jsonOf(tested).value(QStringLiteral("results")).toArray().first().toObject();
    QCOMPARE(result.value(QStringLiteral("verdict")).toString(), QStringLiteral("unreachable"));
    QCOMPARE(result.value(QStringLiteral("attempts")).toInt(), 1);
    const QJsonObject error = result.value(QStringLiteral("error")).toObject();
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("rate_limited"));
    QCOMPARE(error.value(QStringLiteral("retry_after")).toInt(), 7);
    QCOMPARE(error.value(QStringLiteral("message")).toString(), reason);
}

void TestCli::nothingSecretIsLeftBehind()
{
    QCOMPARE(add(QStringLiteral("Leak check"), {QStringLiteral("--verbose")}).exitCode, 0);
    QCOMPARE(run({QStringLiteral("--verbose"), QStringLiteral("test"), QStringLiteral("Leak check")}).exitCode, 0);
    QCOMPARE(run({QStringLiteral("test"), QStringLiteral("--verbose"), QStringLiteral("--json"),
                  QStringLiteral("Leak check")})
                 .exitCode,
             0);
    QCOMPARE(run({QStringLiteral("--verbose"), QStringLiteral("list")}).exitCode, 0);
    const CliRun token = run({QStringLiteral("--verbose"), QStringLiteral("token"), QStringLiteral("Leak check")});
    QCOMPARE(token.exitCode, 0);

    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = RotatedSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    m_server->serveOAuth(config);
    QCOMPARE(run({QStringLiteral("--verbose"), QStringLiteral("rotate"), QStringLiteral("Leak check")},
                 RotatedSecret.toUtf8() + '\n')
                 .exitCode,
             0);
    QCOMPARE(run({QStringLiteral("--verbose"), QStringLiteral("test"), QStringLiteral("Leak check")}).exitCode, 0);
    QCOMPARE(run({QStringLiteral("--verbose"), QStringLiteral("remove"), QStringLiteral("Leak check")}).exitCode, 0);

    QStringList secrets = {ClientSecret, RotatedSecret};
    QCOMPARE(m_server->issuedTokens().size(), 5); // test, test --json, token, rotate, test
    secrets += m_server->issuedTokens();
    QByteArrayList needles;
    for (const QString& secret : std::as_const(secrets)) {
        needles.append(secret.toUtf8());
        needles.append(QUrl::toPercentEncoding(secret));
        needles.append(secret.toUtf8().toBase64());
    }
    const QByteArray tokenOutput = token.out;

    // Every argument list given, and every line printed, to stdout or stderr, by every command (the token
    // command's own stdout excepted).
    for (const CliRun& run : std::as_const(m_runs)) {
        const QByteArray arguments = run.arguments.join(QLatin1Char(' ')).toUtf8();
        for (const QByteArray& needle : std::as_const(needles))
            QVERIFY2(!arguments.contains(needle), "a secret in a command line");
        for (const QByteArray& needle : std::as_const(needles)) {
            QVERIFY2(!run.err.contains(needle),
                     qPrintable(QStringLiteral("a secret in the stderr of: ") + run.arguments.join(QLatin1Char(' '))));
            if (run.out != tokenOutput)
                QVERIFY2(!run.out.contains(needle), qPrintable(QStringLiteral("a secret in the stdout of: ") +
                                                               run.arguments.join(QLatin1Char(' '))));
        }
    }
    // Verbose runs did log something.
    QVERIFY(m_runs.at(1).err.contains("gk."));

    // Every file the app wrote: data, config, cache and home.
    int files = 0;
    QDirIterator it(m_home->path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray contents = file.readAll();
        ++files;
        // Metadata keeps only a hint of the Client ID; the whole ID lives in the keychain with the secret.
        QVERIFY2(!contents.contains(ClientId.toUtf8()),
                 qPrintable(QStringLiteral("the Client ID in ") + file.fileName()));
        for (const QByteArray& needle : std::as_const(needles))
            QVERIFY2(!contents.contains(needle), qPrintable(QStringLiteral("a secret in ") + file.fileName()));
    }
    QVERIFY(files >= 1); // grants.json at least
}

void TestCli::removeWithTheFileLockedKeepsTheGrantAndItsSecret()
{
    QCOMPARE(add(QStringLiteral("Locked out")).exitCode, 0);
    // Another process holds grants.json's lock past the wait (a lock that cannot be taken: a folder in its place).
    const QString grantsFile = m_home->filePath(QStringLiteral("data/grantkeeper/grants.json"));
    QVERIFY(QDir().mkdir(grantsFile + QStringLiteral(".lock")));
    const CliRun refused = run({QStringLiteral("remove"), QStringLiteral("Locked out")});
    QCOMPARE(refused.exitCode, 2);
    QCOMPARE(QString::fromUtf8(refused.err),
             QStringLiteral("grantkeeper: Locked out: Another Grant Keeper is saving %1 and did not finish in time. "
                            "Try again in a moment. If no other Grant Keeper is running, delete the file %1.lock. "
                            "Nothing was removed: the grant and its keychain entry are as they were.\n")
                 .arg(grantsFile));
    QVERIFY(refused.out.isEmpty());
    QVERIFY(QDir().rmdir(grantsFile + QStringLiteral(".lock")));

    // Still listed, and its secret still works.
    QCOMPARE(grantJson(QStringLiteral("Locked out")).value(QStringLiteral("name")).toString(),
             QStringLiteral("Locked out"));
    const CliRun tested = run({QStringLiteral("test"), QStringLiteral("Locked out")});
    QVERIFY2(tested.exitCode == 0, qPrintable(describe(tested)));

    const CliRun removed = run({QStringLiteral("remove"), QStringLiteral("Locked out")});
    QVERIFY2(removed.exitCode == 0, qPrintable(describe(removed)));
    QCOMPARE(removed.out, QByteArray("Removed \"Locked out\" and its keychain entry.\n"));
}

void TestCli::removeWithoutKeychainSaysTheEntryIsLeftOver()
{
    QCOMPARE(add(QStringLiteral("Orphaned")).exitCode, 0);
    const QString id = grantJson(QStringLiteral("Orphaned")).value(QStringLiteral("id")).toString();
    QVERIFY(!QUuid::fromString(id).isNull());
    const auto lookup = [&id](const QString& action) {
        QProcess secretTool;
        secretTool.start(QStringLiteral("secret-tool"),
                         {action, QStringLiteral("server"), QStringLiteral("grantkeeper"), QStringLiteral("user"), id});
        secretTool.closeWriteChannel();
        secretTool.waitForFinished(30'000);
        // What lookup prints is the secret: read and dropped, never shown.
        secretTool.readAllStandardOutput();
        return secretTool.exitStatus() == QProcess::NormalExit ? secretTool.exitCode() : -1;
    };
    QCOMPARE(lookup(QStringLiteral("lookup")), 0);

    // The keychain is unreachable when the entry is to be deleted: the grant leaves the list, and its entry is
    // left over, which is said with how to clear it.
    QProcessEnvironment noBus;
    noBus.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/bus"));
    const CliRun removed = run({QStringLiteral("remove"), QStringLiteral("Orphaned")}, {}, noBus);
    QCOMPARE(removed.exitCode, 3);
    QVERIFY(removed.out.isEmpty());
    QVERIFY2(removed.err.count('\n') == 1, removed.err.constData());
    QVERIFY2(removed.err.startsWith("grantkeeper: Orphaned: The grant was removed from the list, but its keychain "
                                    "entry could not be deleted: No keychain is available"),
             removed.err.constData());
    QVERIFY2(removed.err.endsWith(QStringLiteral("The Client ID and Secret are left over in the keychain (service "
                                                 "grantkeeper, key %1); delete that entry once the keychain is "
                                                 "available, on Linux with: secret-tool clear server grantkeeper user "
                                                 "%1\n")
                                      .arg(id)
                                      .toUtf8()),
             removed.err.constData());
    QCOMPARE(jsonOf(run({QStringLiteral("list"), QStringLiteral("--json")}))
                 .value(QStringLiteral("grants"))
                 .toArray()
                 .size(),
             0);

    // The entry is there, and the advice clears it.
    QCOMPARE(lookup(QStringLiteral("lookup")), 0);
    QCOMPARE(lookup(QStringLiteral("clear")), 0);
    QCOMPARE(lookup(QStringLiteral("lookup")), 1);
}

void TestCli::doctorFindsLeftOverAndMissingEntries()
{
    const auto secretTool = [](const QString& action, const QString& id) {
        QProcess tool;
        tool.start(QStringLiteral("secret-tool"),
                   {action, QStringLiteral("server"), QStringLiteral("grantkeeper"), QStringLiteral("user"), id});
        tool.closeWriteChannel();
        tool.waitForFinished(30'000);
        tool.readAllStandardOutput(); // what lookup prints is the secret: read and dropped, never shown
        return tool.exitStatus() == QProcess::NormalExit ? tool.exitCode() : -1;
    };
    // The keyring is shared by this file's tests and their grants files are not: start from no left-overs.
    QVERIFY(run({QStringLiteral("doctor"), QStringLiteral("--fix")}).exitCode != 3);
    QCOMPARE(run({QStringLiteral("doctor")}).out, QByteArray("No grants, and no keychain entries left over.\n"));

    // A grant removed while the keychain was away leaves its entry behind; another grant's entry was deleted by hand.
    QCOMPARE(add(QStringLiteral("Orphaned")).exitCode, 0);
    const QString orphan = grantJson(QStringLiteral("Orphaned")).value(QStringLiteral("id")).toString();
    QProcessEnvironment noBus;
    noBus.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/bus"));
    QCOMPARE(run({QStringLiteral("remove"), QStringLiteral("Orphaned")}, {}, noBus).exitCode, 3);
    QCOMPARE(add(QStringLiteral("Kept")).exitCode, 0);
    QCOMPARE(add(QStringLiteral("Lost")).exitCode, 0);
    QCOMPARE(
        secretTool(QStringLiteral("clear"), grantJson(QStringLiteral("Lost")).value(QStringLiteral("id")).toString()),
        0);

    const CliRun found = run({QStringLiteral("doctor")});
    QVERIFY2(found.exitCode == 1, qPrintable(describe(found)));
    QCOMPARE(found.out,
             QStringLiteral("MISSING   Lost: the keychain has no Client ID and Secret for it. Enter them again "
                            "(Edit Grant in the window), or remove the grant.\n"
                            "LEFT OVER keychain entry %1 (service \"grantkeeper\"): no grant uses it.\n"
                            "Grants without a keychain entry: 1. Keychain entries no grant uses: 1.\n")
                 .arg(orphan)
                 .toUtf8());
    QCOMPARE(found.err, QByteArray("A grant without its entry cannot be tested: enter its Client ID and Secret again "
                                   "(Edit Grant), or remove the grant. A left-over entry holds a secret nothing here "
                                   "uses: remove it, unless another Grant Keeper data folder on this computer uses "
                                   "it.\nRemove the left-over entries with: grantkeeper doctor --fix\n"));
    QCOMPARE(secretTool(QStringLiteral("lookup"), orphan), 0); // only looked at

    // --fix removes what no grant uses, and only that; the missing entry still needs its owner.
    const CliRun fixed = run({QStringLiteral("doctor"), QStringLiteral("--fix")});
    QVERIFY2(fixed.exitCode == 1, qPrintable(describe(fixed)));
    QVERIFY2(fixed.out.endsWith("Removed left-over keychain entries: 1.\n"), fixed.out.constData());
    QCOMPARE(secretTool(QStringLiteral("lookup"), orphan), 1);
    QCOMPARE(run({QStringLiteral("test"), QStringLiteral("Kept")}).exitCode, 0);
    const CliRun after = run({QStringLiteral("doctor")});
    QCOMPARE(after.exitCode, 1);
    QVERIFY(after.out.startsWith("MISSING   Lost:"));
    QVERIFY(!after.out.contains("LEFT OVER"));
}

void TestCli::concurrentRemovesTellTheLoserItWasAlreadyRemoved()
{
    // Either may win, and the loser may lose at the name look-up or at the file: several rounds meet both.
    for (int round = 0; round < 4; ++round) {
        const QString name = QStringLiteral("Twice%1").arg(round);
        QCOMPARE(add(name).exitCode, 0);
        const QString id = grantJson(name).value(QStringLiteral("id")).toString();
        const QList<CliRun> runs =
            runClisAtOnce(QStringLiteral(GK_BINARY),
                          {{QStringLiteral("remove"), name}, {QStringLiteral("remove"), name}}, environment());
        const CliRun& winner = runs.at(0).exitCode == 0 ? runs.at(0) : runs.at(1);
        const CliRun& loser = runs.at(0).exitCode == 0 ? runs.at(1) : runs.at(0);
        QVERIFY2(winner.exitCode == 0, qPrintable(describe(winner) + QLatin1Char('\n') + describe(loser)));
        QCOMPARE(winner.out, QStringLiteral("Removed \"%1\" and its keychain entry.\n").arg(name).toUtf8());
        QVERIFY2(winner.err.isEmpty(), winner.err.constData());
        // Unknown grant: exit 2, and the truth, with no GLib assertion and no word of a locked keychain.
        QVERIFY2(loser.exitCode == 2, qPrintable(describe(loser)));
        QVERIFY(loser.out.isEmpty());
        const QByteArray lostAtLookup =
            QStringLiteral("grantkeeper: no grant named \"%1\"; `grantkeeper list` shows the names.\n")
                .arg(name)
                .toUtf8();
        const QByteArray lostAtFile = QStringLiteral("grantkeeper: %1 was already removed (by another Grant Keeper, "
                                                     "meanwhile); nothing was changed.\n")
                                          .arg(name)
                                          .toUtf8();
        QVERIFY2(loser.err == lostAtLookup || loser.err == lostAtFile, loser.err.constData());
        QCOMPARE(secretToolExitCode(QStringLiteral("lookup"), id), 1);
    }
    QCOMPARE(jsonOf(run({QStringLiteral("list"), QStringLiteral("--json")}))
                 .value(QStringLiteral("grants"))
                 .toArray()
                 .size(),
             0);
}

void TestCli::concurrentDoctorFixesRemoveEachLeftOverOnce()
{
    // The keyring is shared by this file's tests and their grants files are not: start from no left-overs.
    QVERIFY(run({QStringLiteral("doctor"), QStringLiteral("--fix")}).exitCode != 3);
    // Many entries, so that the two removals interleave: each finds entries the other deletes under its feet, which
    // QtKeychain's removal (libsecret's secret_password_clear) told as a locked keychain, with a GLib assertion.
    QStringList orphans;
    for (int i = 0; i < 20; ++i) {
        orphans.append(QUuid::createUuid().toString(QUuid::WithoutBraces));
        QProcess tool;
        tool.start(QStringLiteral("secret-tool"),
                   {QStringLiteral("store"), QStringLiteral("--label=left over"), QStringLiteral("server"),
                    QStringLiteral("grantkeeper"), QStringLiteral("user"), orphans.last(), QStringLiteral("type"),
                    QStringLiteral("plaintext")});
        tool.write("not-a-secret");
        tool.closeWriteChannel();
        QVERIFY(tool.waitForFinished(30'000));
        QCOMPARE(tool.exitCode(), 0);
    }
    const QList<CliRun> runs = runClisAtOnce(
        QStringLiteral(GK_BINARY),
        {{QStringLiteral("doctor"), QStringLiteral("--fix")}, {QStringLiteral("doctor"), QStringLiteral("--fix")}},
        environment());
    int removed = 0;
    for (const CliRun& fixed : runs) {
        QVERIFY2(fixed.exitCode == 0, qPrintable(describe(fixed)));
        QVERIFY2(!fixed.err.contains("GLib") && !fixed.err.contains("CRITICAL") &&
                     !fixed.err.contains("Could not remove"),
                 fixed.err.constData());
        const QByteArray last = fixed.out.trimmed().split('\n').constLast();
        QVERIFY2(last.startsWith("Removed left-over keychain entries: "), fixed.out.constData());
        removed += last.mid(qsizetype(qstrlen("Removed left-over keychain entries: "))).chopped(1).toInt();
    }
    // Each entry removed by one of them at least (one that found it gone already counts it as removed too); none is
    // left.
    QVERIFY2(removed >= orphans.size() && removed <= 2 * orphans.size(), qPrintable(QString::number(removed)));
    for (const QString& orphan : std::as_const(orphans))
        QCOMPARE(secretToolExitCode(QStringLiteral("lookup"), orphan), 1);
}

void TestCli::interruptedTestAllReportsCancelledAndRecordsWhatFinished()
{
    QCOMPARE(add(QStringLiteral("First")).exitCode, 0);
    QCOMPARE(add(QStringLiteral("Second")).exitCode, 0);
    QCOMPARE(add(QStringLiteral("Third")).exitCode, 0);
    answerSlowlyAfter(1);

    // One at a time, in the order added: First gets its answer, Second waits for one when Ctrl+C comes.
    QByteArray out;
    QByteArray err;
    const auto process = start(
        {QStringLiteral("test"), QStringLiteral("--all"), QStringLiteral("--jobs"), QStringLiteral("1")}, &out, &err);
    QTRY_VERIFY_WITH_TIMEOUT(out.contains("PASS  First:"), 30'000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestCount(), 2, 30'000);
    QCOMPARE(::kill(pid_t(process->processId()), SIGINT), 0);
    QVERIFY(awaitExit(*process, 30'000)); // a stuck child's backtrace is logged first
    out += process->readAllStandardOutput();
    err += process->readAllStandardError();

    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 4);
    const QList<QByteArray> lines = out.split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).startsWith("PASS  First: granted file:read file:write (as requested)"));
    QCOMPARE(lines.at(1), QByteArray("1 of 3 grants passed: 1 passed, 2 cancelled."));
    QCOMPARE(err, QByteArray("grantkeeper: Second (not tested): The test was cancelled.\n"
                             "grantkeeper: Third (not tested): The test was cancelled.\n"));
    QCOMPARE(m_server->requestCount(), 2);

    // What finished is recorded; the cancelled grants keep what they had (nothing).
    const QJsonObject first = grantJson(QStringLiteral("First")).value(QStringLiteral("last_test")).toObject();
    QCOMPARE(first.value(QStringLiteral("verdict")).toString(), QStringLiteral("passed"));
    QVERIFY(grantJson(QStringLiteral("Second")).value(QStringLiteral("last_test")).isNull());
    QVERIFY(grantJson(QStringLiteral("Third")).value(QStringLiteral("last_test")).isNull());
}

void TestCli::aSecondSignalEndsAtOnce()
{
    QCOMPARE(add(QStringLiteral("Waiting")).exitCode, 0);
    answerSlowlyAfter(0);
    QByteArray out;
    QByteArray err;
    const auto process = start({QStringLiteral("test"), QStringLiteral("--all")}, &out, &err);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestCount(), 1, 30'000);
    // Two signals before the first is handled: stopped, the process holds both until it continues. Which one a
    // thread takes first is up to the kernel (any thread may take a process's signal), so the second is either:
    // it ends the process at once, with 128 + its number.
    const pid_t pid = pid_t(process->processId());
    QCOMPARE(::kill(pid, SIGSTOP), 0);
    siginfo_t stopped{};
    QCOMPARE(::waitid(P_PID, id_t(pid), &stopped, WSTOPPED | WNOWAIT), 0); // stopped now; left for QProcess to reap
    QCOMPARE(stopped.si_code, CLD_STOPPED);
    QCOMPARE(::kill(pid, SIGINT), 0);
    QCOMPARE(::kill(pid, SIGHUP), 0);
    QCOMPARE(::kill(pid, SIGCONT), 0);
    QVERIFY(awaitExit(*process, 30'000)); // a stuck child's backtrace is logged first
    out += process->readAllStandardOutput();
    err += process->readAllStandardError();
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QVERIFY2(process->exitCode() == 128 + SIGINT || process->exitCode() == 128 + SIGHUP,
             qPrintable(QString::number(process->exitCode())));
    QVERIFY(out.isEmpty());
    QVERIFY2(err.isEmpty(), err.constData());
    QVERIFY(grantJson(QStringLiteral("Waiting")).value(QStringLiteral("last_test")).isNull());
}

void TestCli::interruptedTokenIsCancelled()
{
    QCOMPARE(add(QStringLiteral("Slow")).exitCode, 0);
    answerSlowlyAfter(0);
    QByteArray out;
    QByteArray err;
    const auto process = start({QStringLiteral("token"), QStringLiteral("Slow")}, &out, &err);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestCount(), 1, 30'000);
    QCOMPARE(::kill(pid_t(process->processId()), SIGTERM), 0);
    QVERIFY(awaitExit(*process, 30'000)); // a stuck child's backtrace is logged first
    out += process->readAllStandardOutput();
    err += process->readAllStandardError();
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 4);
    QVERIFY(out.isEmpty());
    QCOMPARE(err, QByteArray("grantkeeper: Slow (not tested): The test was cancelled.\n"));
    QVERIFY(grantJson(QStringLiteral("Slow")).value(QStringLiteral("last_test")).isNull());
}

void TestCli::interruptedAddChangesNothing()
{
    // Interrupted while it waits for the Client ID on standard input.
    QByteArray out;
    QByteArray err;
    const auto process =
        start({QStringLiteral("--verbose"), QStringLiteral("add"), QStringLiteral("--name"), QStringLiteral("Halfway"),
               QStringLiteral("--user"), QStringLiteral("svc"), QStringLiteral("--region"), QStringLiteral("eu")},
              &out, &err);
    // Logged once Ctrl+C is handled by the command line (before that, it would end the process).
    QTRY_VERIFY_WITH_TIMEOUT(err.contains("gk.cli: running \"add\""), 30'000);
    QCOMPARE(::kill(pid_t(process->processId()), SIGINT), 0);
    QVERIFY(awaitExit(*process, 30'000)); // a stuck child's backtrace is logged first
    err += process->readAllStandardError();
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 4);
    // Besides the log, one line: no complaint about an empty Client ID.
    QByteArrayList messages;
    for (const QByteArray& line : err.split('\n')) {
        if (line.startsWith("grantkeeper: "))
            messages.append(line);
    }
    QCOMPARE(messages, QByteArrayList{"grantkeeper: cancelled; nothing was changed."});
    QVERIFY(out.isEmpty());
    QCOMPARE(jsonOf(run({QStringLiteral("list"), QStringLiteral("--json")}))
                 .value(QStringLiteral("grants"))
                 .toArray()
                 .size(),
             0);
}

void TestCli::interruptedRotateKeepsTheOldSecret()
{
    QCOMPARE(add(QStringLiteral("Rotating")).exitCode, 0);
    answerSlowlyAfter(0);
    QByteArray out;
    QByteArray err;
    const auto process = start({QStringLiteral("rotate"), QStringLiteral("Rotating")}, &out, &err);
    process->write(RotatedSecret.toUtf8() + '\n');
    process->closeWriteChannel();
    // The new secret is being verified when the signal comes.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->requestCount(), 1, 30'000);
    QCOMPARE(::kill(pid_t(process->processId()), SIGHUP), 0);
    QVERIFY(awaitExit(*process, 30'000)); // a stuck child's backtrace is logged first
    err += process->readAllStandardError();
    QCOMPARE(process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(process->exitCode(), 4);
    QCOMPARE(err, QByteArray("grantkeeper: Rotating: The rotation was cancelled; the old secret is still in place.\n"));

    // The old secret is still the stored one.
    m_server->serveOAuth([] {
        OAuthServerConfig config;
        config.clientId = ClientId;
        config.clientSecret = ClientSecret;
        config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
        return config;
    }());
    const CliRun tested = run({QStringLiteral("test"), QStringLiteral("Rotating")});
    QVERIFY2(tested.exitCode == 0, qPrintable(describe(tested)));
}

void TestCli::strayArgumentWithoutCommandIsAUsageError_data()
{
    QTest::addColumn<QString>("argument");
    QTest::newRow("-v") << QStringLiteral("-v");
    QTest::newRow("-V") << QStringLiteral("-V");
    QTest::newRow("--json") << QStringLiteral("--json");
    QTest::newRow("-x after --verbose") << QStringLiteral("-x");
}

void TestCli::strayArgumentWithoutCommandIsAUsageError()
{
    QFETCH(QString, argument);
    // No display of any kind: a window could not open here (it used to abort, exit 134).
    m_unsetVariables = {QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY"),
                        QStringLiteral("QT_QPA_PLATFORM")};
    QStringList arguments = {argument};
    if (argument == QLatin1String("-x"))
        arguments.prepend(QStringLiteral("--verbose"));
    const CliRun result = run(arguments);
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(QString::fromUtf8(result.err),
             QStringLiteral("grantkeeper: unknown option %1; see grantkeeper --help\n").arg(argument));
    QVERIFY(result.out.isEmpty());

    const CliRun help = run({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.startsWith("Usage: grantkeeper"));
}

void TestCli::windowOptionsStillOpenTheWindow()
{
    // Qt's own window options (with values, with "=", flags) go to the window, not to the command line's usage error.
    QByteArray out;
    QByteArray err;
    const auto process = start({QStringLiteral("--verbose"), QStringLiteral("-platform"), QStringLiteral("offscreen"),
                                QStringLiteral("-style=Fusion"), QStringLiteral("-reverse"),
                                QStringLiteral("-qwindowgeometry"), QStringLiteral("640x480+0+0")},
                               &out, &err);
    // The window loads the grants at start (logged with --verbose) and then keeps running.
    QTRY_VERIFY_WITH_TIMEOUT(err.contains("gk.core.store: loaded 0 grants") || process->state() == QProcess::NotRunning,
                             30'000);
    QVERIFY2(process->state() == QProcess::Running, err.constData());
    QVERIFY(!err.contains("unknown option"));
    process->kill();
    process->waitForFinished(30'000);
}

void TestCli::serverThatNeverAnswersEndsTheCommandAtItsTimeout()
{
    QCOMPARE(add(QStringLiteral("Silent")).exitCode, 0);
    answerSlowlyAfter(0); // the request is accepted and never answered
    const CliRun tested =
        run({QStringLiteral("test"), QStringLiteral("Silent"), QStringLiteral("--timeout"), QStringLiteral("2")});
    QVERIFY2(tested.exitCode == 4, qPrintable(describe(tested)));
    QCOMPARE(m_server->requestCount(), 1);
    QVERIFY2(tested.err.startsWith("grantkeeper: Silent (unreachable): "), tested.err.constData());
    QVERIFY2(tested.err.count('\n') == 1, tested.err.constData());
    QVERIFY2(!tested.err.contains("gave up"), tested.err.constData()); // its own timeout, not the backstop
    QVERIFY2(tested.out.isEmpty(), tested.out.constData());
}

void TestCli::commandStuckPastItsTimeLimitGivesUp()
{
    QCOMPARE(add(QStringLiteral("Stuck")).exitCode, 0);
    // GK_TEST_HANG=command (test builds only): the command blocks its thread for good once its time limit is set,
    // as nothing in it is meant to: only the overall deadline ends it. The limit: the keychain's 10 s and the 1 s
    // --timeout, then 5 s of grace.
    QProcessEnvironment hang;
    hang.insert(QStringLiteral("GK_TEST_HANG"), QStringLiteral("command"));
    const CliRun stuck = run(
        {QStringLiteral("token"), QStringLiteral("Stuck"), QStringLiteral("--timeout"), QStringLiteral("1")}, {}, hang);
    QVERIFY2(stuck.exitCode == 4, qPrintable(describe(stuck)));
    QVERIFY(stuck.out.isEmpty());
    QCOMPARE(stuck.err, QByteArray("grantkeeper: gave up after 16 s: the command did not finish within its time limit "
                                   "(a keychain or network call that never ended); nothing was recorded for the grants "
                                   "still waiting.\n"));
    QCOMPARE(m_server->requestCount(), 0);
    QVERIFY(grantJson(QStringLiteral("Stuck")).value(QStringLiteral("last_test")).isNull());
}

void TestCli::exitStuckOnAThreadEndsWithTheAnswersCode()
{
    QCOMPARE(add(QStringLiteral("Ending")).exitCode, 0);
    // GK_TEST_HANG=exit (test builds only): once the answer is out, leaving main() never ends, as when a thread's
    // join waits on a peer that went away. The exit watchdog ends the process with the answer's exit code.
    QProcessEnvironment hang;
    hang.insert(QStringLiteral("GK_TEST_HANG"), QStringLiteral("exit"));
    const CliRun stuck = run({QStringLiteral("test"), QStringLiteral("Ending")}, {}, hang);
    QVERIFY2(stuck.exitCode == 0, qPrintable(describe(stuck)));
    QVERIFY2(stuck.out.startsWith("PASS  Ending: granted file:read file:write (as requested); Bearer token"),
             stuck.out.constData());
    QCOMPARE(stuck.out.count('\n'), 1);
    QVERIFY2(stuck.err.isEmpty(), stuck.err.constData());
    // A failing answer keeps its code too.
    m_server->serveOAuth([] {
        OAuthServerConfig config;
        config.clientId = ClientId;
        config.clientSecret = QStringLiteral("another-secret");
        return config;
    }());
    const CliRun refused = run({QStringLiteral("test"), QStringLiteral("Ending")}, {}, hang);
    QVERIFY2(refused.exitCode == 1, qPrintable(describe(refused)));
    QVERIFY(refused.err.startsWith("grantkeeper: Ending (refused): "));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
