// The Secret Service killed while `grantkeeper test --all` reads 200 grants' secrets: told as a keychain that stopped
// answering (exit 3), never as entries missing (whose advice would send an administrator to regenerate intact
// secrets), never as a prompt that may be waiting, and never recorded as the grants failing. The test kills and
// restarts gnome-keyring-daemon, so it runs alone, in a private keyring session of its own (tests/CMakeLists.txt),
// and only the daemon that owns org.freedesktop.secrets on that private bus is ever signalled.
#include "support/clirun.h"
#include "support/httpstokenserver.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusReply>
#include <QDBusVariant>
#include <QDir>
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

using namespace gk::test;

namespace {

const QString ClientId = QStringLiteral("dies-client-31f0");
const QString ClientSecret = QStringLiteral("dies-secret-Hq2+/w");
constexpr int GrantCount = 200;
const QString SecretsName = QStringLiteral("org.freedesktop.secrets");

QString describe(const CliRun& run)
{
    return QStringLiteral("grantkeeper %1 exited %2\nstderr: %3\nstdout: %4")
        .arg(run.arguments.join(QLatin1Char(' ')))
        .arg(run.exitCode)
        .arg(QString::fromUtf8(run.err).right(3000), QString::fromUtf8(run.out).right(1000));
}

bool secretsHasOwner()
{
    return QDBusConnection::sessionBus().interface()->isServiceRegistered(SecretsName).value();
}

// The process that owns org.freedesktop.secrets on this test's private bus, or 0.
qint64 secretsOwnerPid()
{
    const QDBusReply<uint> pid = QDBusConnection::sessionBus().interface()->servicePid(SecretsName);
    return pid.isValid() ? qint64(pid.value()) : 0;
}

bool loginCollectionUnlocked()
{
    QDBusMessage call =
        QDBusMessage::createMethodCall(SecretsName, QStringLiteral("/org/freedesktop/secrets/collection/login"),
                                       QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    call << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    const QDBusReply<QDBusVariant> locked = QDBusConnection::sessionBus().call(call, QDBus::Block, 5'000);
    return locked.isValid() && !locked.value().variant().toBool();
}

} // namespace

class TestCliKeyringDies : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void keyringKilledDuringTheBulkReadIsToldAsUnavailable_data();
    void keyringKilledDuringTheBulkReadIsToldAsUnavailable();

private:
    // Ends whatever owns org.freedesktop.secrets on this bus (the session's daemon, or one the bus started on
    // demand), then starts a daemon on this test's own keyring folder, unlocked with its own password.
    void restartKeyring();
    void killKeyring();
    QProcessEnvironment environment() const { return cliEnvironment(m_home.path()); }
    QJsonArray grants() const;

    QTemporaryDir m_certificateDir;
    std::optional<TestCertificate> m_certificate;
    std::unique_ptr<HttpsTokenServer> m_server;
    QTemporaryDir m_home;
    QTemporaryDir m_keyringData;    // the daemon's XDG_DATA_HOME: the login keyring survives a restart
    QTemporaryDir m_keyringRuntime; // its XDG_RUNTIME_DIR: not the session's, so it never joins that daemon
    QByteArray m_keyringPassword;
    qint64 m_daemonPid = 0;
};

void TestCliKeyringDies::initTestCase()
{
    if (qEnvironmentVariable("GK_PRIVATE_KEYRING") != QLatin1String("1") ||
        qEnvironmentVariable("GK_TEST_MAY_KILL_KEYRING") != QLatin1String("1"))
        QSKIP("kills the Secret Service: only inside with-private-keyring.sh with GK_TEST_MAY_KILL_KEYRING=1");
    QVERIFY2(QFile::exists(QStringLiteral(GK_BINARY)), GK_BINARY);
    QString error;
    m_certificate = TestCertificate::generate(m_certificateDir.path(), QStringLiteral("127.0.0.1"), 2, &error);
    QVERIFY2(m_certificate, qPrintable(error));
    m_server = std::make_unique<HttpsTokenServer>(*m_certificate);
    QVERIFY(m_server->listen());
    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = ClientSecret;
    m_server->serveOAuth(config);

    m_keyringPassword = QUuid::createUuid().toByteArray(QUuid::Id128);
    restartKeyring();
    if (QTest::currentTestFailed())
        return;

    // One grant through `add`, then as many copies of it in grants.json as asked for, each with its own entry.
    const CliRun added =
        runCli(QStringLiteral(GK_BINARY),
               {QStringLiteral("add"), QStringLiteral("--name"), QStringLiteral("Grant 000"), QStringLiteral("--user"),
                QStringLiteral("svc"), QStringLiteral("--token-url"), m_server->url().toString(),
                QStringLiteral("--ca-file"), m_certificate->certificatePath()},
               (ClientId + QLatin1Char('\n') + ClientSecret + QLatin1Char('\n')).toUtf8(), environment());
    QVERIFY2(added.exitCode == 0, qPrintable(describe(added)));
    const QString filePath = QDir(m_home.path()).filePath(QStringLiteral("data/grantkeeper/grants.json"));
    QFile file(filePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonObject document = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    QJsonArray all = document.value(QStringLiteral("grants")).toArray();
    const QJsonObject first = all.first().toObject();
    for (int i = 1; i < GrantCount; ++i) {
        QJsonObject copy = first;
        const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        copy.insert(QStringLiteral("id"), id);
        copy.insert(QStringLiteral("name"), QStringLiteral("Grant %1").arg(i, 3, 10, QLatin1Char('0')));
        all.append(copy);
        // The entry as Grant Keeper writes it; the secret goes to secret-tool on standard input only.
        QJsonObject entry;
        entry.insert(QStringLiteral("v"), 1);
        entry.insert(QStringLiteral("key"), id);
        entry.insert(QStringLiteral("client_id"), ClientId);
        entry.insert(QStringLiteral("client_secret"), ClientSecret);
        QProcess tool;
        tool.start(QStringLiteral("secret-tool"),
                   {QStringLiteral("store"), QStringLiteral("--label=grantkeeper"), QStringLiteral("server"),
                    QStringLiteral("grantkeeper"), QStringLiteral("user"), id, QStringLiteral("type"),
                    QStringLiteral("plaintext")});
        tool.write(QJsonDocument(entry).toJson(QJsonDocument::Compact));
        tool.closeWriteChannel();
        QVERIFY(tool.waitForFinished(30'000));
        QCOMPARE(tool.exitCode(), 0);
    }
    document.insert(QStringLiteral("grants"), all);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(document).toJson());
    file.close();
}

void TestCliKeyringDies::cleanupTestCase()
{
    // Only the daemon this test started; the session's own cleanup ends the bus.
    if (m_daemonPid > 0 && secretsOwnerPid() == m_daemonPid)
        ::kill(pid_t(m_daemonPid), SIGTERM);
}

void TestCliKeyringDies::killKeyring()
{
    // Whatever owns the name on this private bus: never anything found by its process name.
    for (int attempt = 0; attempt < 5 && secretsHasOwner(); ++attempt) {
        const qint64 pid = secretsOwnerPid();
        QVERIFY(pid > 0);
        ::kill(pid_t(pid), SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(secretsOwnerPid() != pid, 10'000);
    }
    QVERIFY(!secretsHasOwner());
}

void TestCliKeyringDies::restartKeyring()
{
    // A daemon the bus starts on demand (for a call of the command that just ended) may take the name first; its
    // login keyring is not this test's, and stays locked. Then it is ended too, and this test's started again.
    for (int attempt = 0; attempt < 5; ++attempt) {
        killKeyring();
        if (QTest::currentTestFailed())
            return;
        QProcess daemon;
        QProcessEnvironment daemonEnvironment = QProcessEnvironment::systemEnvironment();
        for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "GNOME_KEYRING_CONTROL", "GNOME_KEYRING_PID"})
            daemonEnvironment.remove(QString::fromLatin1(name));
        daemonEnvironment.insert(QStringLiteral("XDG_DATA_HOME"), m_keyringData.path());
        daemonEnvironment.insert(QStringLiteral("XDG_RUNTIME_DIR"), m_keyringRuntime.path());
        daemon.setProcessEnvironment(daemonEnvironment);
        daemon.start(QStringLiteral("gnome-keyring-daemon"),
                     {QStringLiteral("--replace"), QStringLiteral("--unlock"), QStringLiteral("--components=secrets")});
        daemon.write(m_keyringPassword); // no newline: it would become part of the password
        daemon.closeWriteChannel();
        QVERIFY(daemon.waitForFinished(30'000)); // it starts the daemon and returns
        QCOMPARE(daemon.exitCode(), 0);
        if (QTest::qWaitFor([] { return secretsHasOwner(); }, 10'000) &&
            QTest::qWaitFor([] { return loginCollectionUnlocked(); }, 5'000)) {
            m_daemonPid = secretsOwnerPid();
            QVERIFY(m_daemonPid > 0);
            return;
        }
    }
    QFAIL("could not start a gnome-keyring-daemon with this test's unlocked keyring");
}

QJsonArray TestCliKeyringDies::grants() const
{
    const CliRun listed =
        runCli(QStringLiteral(GK_BINARY), {QStringLiteral("list"), QStringLiteral("--json")}, {}, environment());
    return QJsonDocument::fromJson(listed.out).object().value(QStringLiteral("grants")).toArray();
}

void TestCliKeyringDies::keyringKilledDuringTheBulkReadIsToldAsUnavailable_data()
{
    // Where the read is when the daemon dies. "held" is certain: the daemon is stopped before the command starts, so
    // the read cannot end before the kill. The later points race the read: a read that ended first must then have
    // told the truth about every grant.
    QTest::addColumn<QByteArray>("killWhenLogged");
    QTest::addColumn<bool>("holdDaemonFirst");
    QTest::newRow("held, killed once the read is asked for")
        << QByteArray("gk.core.vault: loading 200 \"keys\"") << true;
    QTest::newRow("once the session is open") << QByteArray("Secret Service session ready") << false;
    QTest::newRow("once the search is done") << QByteArray("search done after") << false;
}

void TestCliKeyringDies::keyringKilledDuringTheBulkReadIsToldAsUnavailable()
{
    QFETCH(QByteArray, killWhenLogged);
    QFETCH(bool, holdDaemonFirst);
    restartKeyring();
    if (QTest::currentTestFailed())
        return;
    const QJsonArray before = grants();
    QCOMPARE(before.size(), GrantCount);
    const qint64 daemon = m_daemonPid;
    if (holdDaemonFirst)
        QCOMPARE(::kill(pid_t(daemon), SIGSTOP), 0);

    QProcess process;
    process.setProcessEnvironment(environment());
    process.setStandardInputFile(QProcess::nullDevice());
    QByteArray err;
    connect(&process, &QProcess::readyReadStandardError, &process,
            [&process, &err] { err.append(process.readAllStandardError()); });
    process.start(QStringLiteral(GK_BINARY),
                  {QStringLiteral("--verbose"), QStringLiteral("test"), QStringLiteral("--all")});
    QTRY_VERIFY_WITH_TIMEOUT(err.contains(killWhenLogged) || process.state() == QProcess::NotRunning, 60'000);
    // Held, the daemon cannot have answered: the read is under way when it dies.
    QVERIFY2(!holdDaemonFirst || err.contains(killWhenLogged), err.constData());
    QCOMPARE(::kill(pid_t(daemon), SIGKILL), 0); // a stopped process dies of SIGKILL too
    QVERIFY(awaitExit(process));
    err.append(process.readAllStandardError());
    const QByteArray out = process.readAllStandardOutput();
    const int exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    QByteArrayList messages; // the command's own lines, without the log
    QByteArray log;
    for (const QByteArray& line : err.split('\n')) {
        if (line.startsWith("grantkeeper: "))
            messages.append(line);
        else
            log += line + '\n';
    }
    // The log, then the first and last of the command's lines (Qt Test cuts long messages).
    const QString context =
        QStringLiteral("exit %1\nlog: %2\nfirst: %3\nlast: %4\nstdout: %5")
            .arg(exitCode)
            .arg(QString::fromUtf8(log).right(2500), QString::fromUtf8(messages.value(0)),
                 QString::fromUtf8(messages.value(messages.size() - 1)), QString::fromUtf8(out).right(300));
    // Whatever the outcome: never the advice for a refused secret, never a waiting prompt, never "no entry".
    QVERIFY2(!err.contains("egenerate"), qPrintable(context));
    QVERIFY2(!err.contains("did not answer in time"), qPrintable(context));
    QVERIFY2(!err.contains("prompt"), qPrintable(context));
    QVERIFY2(!err.contains("has no Client ID and Secret"), qPrintable(context));
    QVERIFY2(!err.contains("GLib"), qPrintable(context));

    restartKeyring(); // for `list`, and the next case
    const QJsonArray after = grants();
    QCOMPARE(after.size(), GrantCount);
    qInfo() << (exitCode == 3 ? "the daemon died before the read ended" : "the read ended before the daemon died");
    if (exitCode == 3) {
        // Every grant: not tested, because the keychain service stopped answering. Nothing recorded.
        QCOMPARE(messages.size(), GrantCount);
        for (const QByteArray& line : std::as_const(messages)) {
            QVERIFY2(line.contains(" (not tested): The keychain service stopped answering ("), line.constData());
            QVERIFY2(line.endsWith("). Start it again and retry."), line.constData());
        }
        QCOMPARE(after, before);
        return;
    }
    // The read came first: every grant was really tested, and passed.
    QVERIFY2(!holdDaemonFirst, qPrintable(context));
    QVERIFY2(exitCode == 0, qPrintable(context));
    QVERIFY2(out.contains("200 of 200 grants passed"), qPrintable(context));
    for (const QJsonValue& grant : after) {
        QCOMPARE(grant.toObject().value(QStringLiteral("last_test")).toObject().value(QStringLiteral("verdict")),
                 QJsonValue(QStringLiteral("passed")));
    }
}

QTEST_GUILESS_MAIN(TestCliKeyringDies)
#include "tst_cli_keyringdies.moc"
