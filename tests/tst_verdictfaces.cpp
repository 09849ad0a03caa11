// One verdict, told the same everywhere: for each kind of answer a real server gives, `grantkeeper test`, its exit
// code, `test --json`, `list --json`, the history in grants.json and the window's list model must agree. A test
// that never reached the server (a locked keyring, a rejected rotation) is told and never recorded.
// Runs the real command line against the real keychain and a real HTTPS token server on 127.0.0.1.
#include "core/expiry/clock.h"
#include "core/grant/grantstore.h"
#include "core/model/grantlistmodel.h"
#include "core/verdict/testverdict.h"
#include "support/clirun.h"
#include "support/httpstokenserver.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusVariant>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace gk;
using namespace gk::test;

namespace {

const QString ClientId = QStringLiteral("faces-client-91b3");
const QString ClientSecret = QStringLiteral("faces-secret-Vw7+q");
const QString Name = QStringLiteral("Ledger sync");

QJsonObject jsonOf(const CliRun& run)
{
    return QJsonDocument::fromJson(run.out).object();
}

QByteArray describe(const QStringList& arguments, const CliRun& run)
{
    return QStringLiteral("grantkeeper %1 exited %2\nstderr: %3\nstdout: %4")
        .arg(arguments.join(QLatin1Char(' ')))
        .arg(run.exitCode)
        .arg(QString::fromUtf8(run.err), QString::fromUtf8(run.out))
        .toUtf8();
}

// The Secret Service's login collection, the one gnome-keyring's private session starts unlocked.
const QString SecretsService = QStringLiteral("org.freedesktop.secrets");
const QString SecretsPath = QStringLiteral("/org/freedesktop/secrets");
const QString LoginCollection = QStringLiteral("/org/freedesktop/secrets/collection/login");

bool lockLoginCollection()
{
    QDBusMessage lock = QDBusMessage::createMethodCall(
        SecretsService, SecretsPath, QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("Lock"));
    lock << QVariant::fromValue(QList<QDBusObjectPath>{QDBusObjectPath(LoginCollection)});
    if (QDBusConnection::sessionBus().call(lock, QDBus::Block, 10'000).type() != QDBusMessage::ReplyMessage)
        return false;
    QDBusMessage locked = QDBusMessage::createMethodCall(
        SecretsService, LoginCollection, QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    locked << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    const QDBusMessage reply = QDBusConnection::sessionBus().call(locked, QDBus::Block, 10'000);
    return reply.type() == QDBusMessage::ReplyMessage && !reply.arguments().isEmpty() &&
           reply.arguments().constFirst().value<QDBusVariant>().variant().toBool();
}

} // namespace

class TestVerdictFaces : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void serverAnswerIsToldTheSameEverywhere_data();
    void serverAnswerIsToldTheSameEverywhere();
    void rejectedRotationIsNotRecordedAsATest();
    // Locks the private keyring for good: ctest runs it alone, as tst_verdictfaces_locked.
    void lockedKeyringIsToldAndNotRecorded();

private:
    CliRun run(const QStringList& arguments, const QByteArray& input = {});
    void addGrant(const QStringList& extraArguments);
    // The grant as the file holds it now, and as the window's list shows it.
    Grant storedGrant();
    void checkListModel(const Grant& grant, std::optional<Verdict> verdict);
    QJsonObject listedLastTest();

    QTemporaryDir m_certificateDir;
    std::optional<TestCertificate> m_certificate;
    std::unique_ptr<HttpsTokenServer> m_server;
    std::unique_ptr<QTemporaryDir> m_home;
};

void TestVerdictFaces::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(GK_BINARY)), GK_BINARY);
    QVERIFY(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"));
    QString error;
    m_certificate = TestCertificate::generate(m_certificateDir.path(), QStringLiteral("127.0.0.1"), 2, &error);
    QVERIFY2(m_certificate, qPrintable(error));
}

void TestVerdictFaces::init()
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
}

void TestVerdictFaces::cleanup()
{
    m_server.reset();
    m_home.reset();
}

CliRun TestVerdictFaces::run(const QStringList& arguments, const QByteArray& input)
{
    return runCli(QStringLiteral(GK_BINARY), arguments, input, cliEnvironment(m_home->path()));
}

void TestVerdictFaces::addGrant(const QStringList& extraArguments)
{
    QStringList arguments = {
        QStringLiteral("add"),      QStringLiteral("--name"),  Name,
        QStringLiteral("--user"),   QStringLiteral("svc-gl"),  QStringLiteral("--token-url"),
        m_server->url().toString(), QStringLiteral("--scope"), QStringLiteral("file:read file:write")};
    arguments += extraArguments;
    const CliRun added = run(arguments, (ClientId + QLatin1Char('\n') + ClientSecret + QLatin1Char('\n')).toUtf8());
    QVERIFY2(added.exitCode == 0, describe(arguments, added).constData());
}

Grant TestVerdictFaces::storedGrant()
{
    GrantStore store(m_home->filePath(QStringLiteral("data/grantkeeper/grants.json")));
    store.load();
    const auto grant = store.findByName(Name);
    return grant ? *grant : Grant();
}

void TestVerdictFaces::checkListModel(const Grant& grant, std::optional<Verdict> verdict)
{
    SystemClock clock;
    GrantListModel model(clock);
    model.setGrants({grant});
    const QModelIndex lastTest = model.index(0, GrantListModel::LastTestColumn);
    if (!verdict) {
        QVERIFY(!lastTest.data(GrantListModel::LastVerdictRole).isValid());
        return;
    }
    // The variant itself: an empty one would read as 0, which is Passed.
    QCOMPARE(lastTest.data(GrantListModel::LastVerdictRole), QVariant(int(*verdict)));
    QVERIFY2(lastTest.data().toString().startsWith(TestVerdict::label(*verdict) + QLatin1Char(' ')),
             qPrintable(lastTest.data().toString()));
}

QJsonObject TestVerdictFaces::listedLastTest()
{
    const CliRun listed = run({QStringLiteral("list"), QStringLiteral("--json")});
    return jsonOf(listed)
        .value(QStringLiteral("grants"))
        .toArray()
        .first()
        .toObject()
        .value(QStringLiteral("last_test"))
        .toObject();
}

void TestVerdictFaces::serverAnswerIsToldTheSameEverywhere_data()
{
    QTest::addColumn<QStringList>("addArguments");
    QTest::addColumn<QString>("grantedScope"); // null: as requested
    QTest::addColumn<QString>("serverSecret");
    QTest::addColumn<int>("verdict");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("line");    // how `test NAME` starts its line (stdout for a token, else stderr)
    QTest::addColumn<QJsonValue>("scopeOk"); // `test --json`
    QTest::addColumn<QString>("errorCode");  // `test --json` error.code, and the history's
    QTest::addColumn<QJsonArray>("refusedScope");

    const QString ca = QStringLiteral("--ca-file");
    const QString caPath = m_certificate->certificatePath();
    QTest::newRow("full pass") << QStringList{ca, caPath} << QString() << ClientSecret << int(Verdict::Passed) << 0
                               << QByteArray("PASS  Ledger sync: granted file:read file:write (as requested)")
                               << QJsonValue(true) << QString() << QJsonArray();
    QTest::newRow("scope shortfall") << QStringList{ca, caPath} << QStringLiteral("file:read") << ClientSecret
                                     << int(Verdict::ScopeMissing) << 1
                                     << QByteArray("SCOPE  Ledger sync: granted file:read; NOT granted: file:write")
                                     << QJsonValue(false) << QStringLiteral("scope_missing") << QJsonArray();
    QTest::newRow("401") << QStringList{ca, caPath} << QString() << QStringLiteral("regenerated-in-workiva")
                         << int(Verdict::Refused) << 1
                         << QByteArray("grantkeeper: Ledger sync (refused): The server refused the Client ID or "
                                       "Client Secret (HTTP 401)")
                         << QJsonValue(QJsonValue::Null) << QStringLiteral("invalid_client") << QJsonArray();
    QTest::newRow("invalid_scope naming its scope")
        << QStringList{ca, caPath, QStringLiteral("--scope"), QStringLiteral("file:read task:write")} << QString()
        << ClientSecret << int(Verdict::Refused) << 1
        << QByteArray("grantkeeper: Ledger sync (refused): The server refused the scope task:write (HTTP 400)")
        << QJsonValue(false) << QStringLiteral("invalid_scope") << QJsonArray{QStringLiteral("task:write")};
    // The test server's certificate is self-signed: with the system's trust alone, TLS refuses it.
    QTest::newRow("TLS failure") << QStringList() << QString() << ClientSecret << int(Verdict::Unreachable) << 4
                                 << QByteArray("grantkeeper: Ledger sync (unreachable): ")
                                 << QJsonValue(QJsonValue::Null) << QStringLiteral("tls_error") << QJsonArray();
}

void TestVerdictFaces::serverAnswerIsToldTheSameEverywhere()
{
    QFETCH(QStringList, addArguments);
    QFETCH(QString, grantedScope);
    QFETCH(QString, serverSecret);
    QFETCH(int, verdict);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, line);
    QFETCH(QJsonValue, scopeOk);
    QFETCH(QString, errorCode);
    QFETCH(QJsonArray, refusedScope);

    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = serverSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    if (!grantedScope.isNull())
        config.grantedScope = grantedScope;
    m_server->serveOAuth(config);
    addGrant(addArguments);
    const QString verdictName = TestVerdict::name(Verdict(verdict));

    // The command line's words and exit code.
    const QStringList humanArguments{QStringLiteral("test"), Name};
    const CliRun human = run(humanArguments);
    QVERIFY2(human.exitCode == exitCode, describe(humanArguments, human).constData());
    const QByteArray& told =
        Verdict(verdict) == Verdict::Passed || Verdict(verdict) == Verdict::ScopeMissing ? human.out : human.err;
    QVERIFY2(told.startsWith(line), describe(humanArguments, human).constData());

    // `test --json`: the verdict, `ok` agreeing with it, and the scope and error details.
    const QStringList jsonArguments{QStringLiteral("test"), Name, QStringLiteral("--json")};
    const CliRun json = run(jsonArguments);
    QVERIFY2(json.exitCode == exitCode, describe(jsonArguments, json).constData());
    const QJsonObject result = jsonOf(json).value(QStringLiteral("results")).toArray().first().toObject();
    QCOMPARE(result.value(QStringLiteral("verdict")).toString(), verdictName);
    QCOMPARE(result.value(QStringLiteral("ok")).toBool(), Verdict(verdict) == Verdict::Passed);
    QCOMPARE(result.value(QStringLiteral("scope_ok")), scopeOk);
    QCOMPARE(jsonOf(json).value(QStringLiteral("verdicts")).toObject().value(verdictName).toInt(), 1);
    const QJsonObject error = result.value(QStringLiteral("error")).toObject();
    if (Verdict(verdict) != Verdict::ScopeMissing)
        QCOMPARE(error.value(QStringLiteral("code")).toString(), errorCode);
    QCOMPARE(error.value(QStringLiteral("refused_scope")).toArray(), refusedScope);

    // `list --json` tells the last of the two tests, with the same verdict.
    const QJsonObject last = listedLastTest();
    QCOMPARE(last.value(QStringLiteral("verdict")).toString(), verdictName);
    QCOMPARE(last.value(QStringLiteral("ok")).toBool(), Verdict(verdict) == Verdict::Passed);
    QCOMPARE(last.value(QStringLiteral("error_code")).toString(), errorCode);

    // The history holds both tests, each with this verdict, and the window's list shows it.
    const Grant grant = storedGrant();
    QCOMPARE(grant.history.size(), 2);
    for (const TestRecord& record : grant.history) {
        QCOMPARE(int(record.verdict), verdict);
        QCOMPARE(record.passed(), Verdict(verdict) == Verdict::Passed);
    }
    checkListModel(grant, Verdict(verdict));
}

void TestVerdictFaces::rejectedRotationIsNotRecordedAsATest()
{
    addGrant({QStringLiteral("--ca-file"), m_certificate->certificatePath()});
    QCOMPARE(run({QStringLiteral("test"), Name}).exitCode, 0);

    // A new secret the server does not know: refused, not stored, and not the grant's result.
    const QStringList arguments{QStringLiteral("rotate"), Name};
    const CliRun rotated = run(arguments, QByteArrayLiteral("typed-wrong-Xy1\n"));
    QVERIFY2(rotated.exitCode == 1, describe(arguments, rotated).constData());
    QVERIFY2(rotated.err.contains("The new secret was NOT stored, the old one is still in place"),
             rotated.err.constData());

    const Grant grant = storedGrant();
    QCOMPARE(grant.history.size(), 1);
    QCOMPARE(grant.history.first().verdict, Verdict::Passed);
    QCOMPARE(grant.rotations.size(), 1);
    QCOMPARE(grant.rotations.first().replaced, false);
    QCOMPARE(listedLastTest().value(QStringLiteral("verdict")).toString(), QStringLiteral("passed"));
    checkListModel(grant, Verdict::Passed);
    // The stored secret still works.
    QCOMPARE(run({QStringLiteral("test"), Name}).exitCode, 0);
}

void TestVerdictFaces::lockedKeyringIsToldAndNotRecorded()
{
    if (!qEnvironmentVariableIsSet("GK_TEST_MAY_LOCK_KEYRING"))
        QSKIP("locks the keyring for good: run alone, as ctest's tst_verdictfaces_locked does");
    addGrant({QStringLiteral("--ca-file"), m_certificate->certificatePath()});
    QCOMPARE(run({QStringLiteral("test"), Name}).exitCode, 0);
    QVERIFY(lockLoginCollection());

    const QStringList arguments{QStringLiteral("test"), Name, QStringLiteral("--json")};
    const CliRun locked = run(arguments);
    QVERIFY2(locked.exitCode == 3, describe(arguments, locked).constData());
    const QJsonObject result = jsonOf(locked).value(QStringLiteral("results")).toArray().first().toObject();
    QCOMPARE(result.value(QStringLiteral("verdict")).toString(), QStringLiteral("not_tested"));
    QCOMPARE(result.value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString(),
             QStringLiteral("keychain_locked"));
    QVERIFY2(!locked.err.contains("regenerate") && !locked.err.contains("Regenerate"), locked.err.constData());

    // Not the grant's result: the last real one stays, everywhere.
    const Grant grant = storedGrant();
    QCOMPARE(grant.history.size(), 1);
    QCOMPARE(grant.history.first().verdict, Verdict::Passed);
    QCOMPARE(listedLastTest().value(QStringLiteral("verdict")).toString(), QStringLiteral("passed"));
    checkListModel(grant, Verdict::Passed);
}

QTEST_GUILESS_MAIN(TestVerdictFaces)
#include "tst_verdictfaces.moc"
