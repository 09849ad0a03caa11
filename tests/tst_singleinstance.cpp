// One window per session, with real processes: the window started as `grantkeeper`, then a second launch that
// must show the first window and end, and the command line working meanwhile. On the test's private session bus
// (the D-Bus name), and with no session bus at all (the local socket), a crashed first instance included.
#include "support/clirun.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

#include <sys/stat.h>

using namespace gk::test;

namespace {

const QString ApplicationId = QStringLiteral("io.github.grantkeeper.GrantKeeper");
const QString AlreadyOpen =
    QStringLiteral("grantkeeper: Grant Keeper is already open in this session; its window was brought to the front.\n");
const QString BroughtToFront = QStringLiteral("Brought to the front at the request of another launch");

// 0 when there is no such file. A socket made afresh has a new inode.
ino_t inodeOf(const QString& path)
{
    struct stat info = {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? info.st_ino : 0;
}

} // namespace

class TestSingleInstance : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void secondLaunchShowsTheFirstWindowOnTheSessionBus();
    void withoutASessionBusALocalSocketDoesTheSame();

private:
    void startWindow(const QProcessEnvironment& environment);
    void expectSecondLaunchShowsTheFirst(const QProcessEnvironment& environment);

    std::unique_ptr<QTemporaryDir> m_home;
    std::unique_ptr<QProcess> m_window;
};

void TestSingleInstance::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
}

void TestSingleInstance::cleanup()
{
    if (m_window && m_window->state() != QProcess::NotRunning) {
        m_window->terminate();
        if (!m_window->waitForFinished(10000))
            m_window->kill();
    }
    m_window.reset();
    m_home.reset();
}

void TestSingleInstance::startWindow(const QProcessEnvironment& environment)
{
    m_window = std::make_unique<QProcess>();
    m_window->setProcessEnvironment(environment);
    m_window->start(QStringLiteral(GK_BINARY), {QStringLiteral("--verbose")});
    QVERIFY(m_window->waitForStarted());
}

void TestSingleInstance::expectSecondLaunchShowsTheFirst(const QProcessEnvironment& environment)
{
    const CliRun second = runCli(QStringLiteral(GK_BINARY), {}, {}, environment);
    QCOMPARE(second.exitCode, 0);
    QCOMPARE(QString::fromUtf8(second.err), AlreadyOpen);
    QByteArray windowLog;
    QTRY_VERIFY_WITH_TIMEOUT((windowLog += m_window->readAllStandardError()).contains(BroughtToFront.toUtf8()), 10000);
    QCOMPARE(windowLog.count(BroughtToFront.toUtf8()), 1);
    QCOMPARE(m_window->state(), QProcess::Running); // one window, still open

    // The command line is not a second window: it works while the window is open.
    const CliRun list = runCli(QStringLiteral(GK_BINARY), {QStringLiteral("list")}, {}, environment);
    QCOMPARE(list.exitCode, 0);
}

void TestSingleInstance::secondLaunchShowsTheFirstWindowOnTheSessionBus()
{
    QDBusConnectionInterface* bus = QDBusConnection::sessionBus().interface();
    QVERIFY(bus);
    QVERIFY2(!bus->isServiceRegistered(ApplicationId), "another Grant Keeper owns the name on the test's bus");
    QProcessEnvironment environment = cliEnvironment(m_home->path());
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    startWindow(environment);
    QTRY_VERIFY_WITH_TIMEOUT(bus->isServiceRegistered(ApplicationId), 30000);
    expectSecondLaunchShowsTheFirst(environment);

    // Once the window is closed the name is free: the next launch is the window.
    m_window->terminate();
    QVERIFY(m_window->waitForFinished(10000));
    QTRY_VERIFY_WITH_TIMEOUT(!bus->isServiceRegistered(ApplicationId), 10000);
}

void TestSingleInstance::withoutASessionBusALocalSocketDoesTheSame()
{
    QProcessEnvironment environment = cliEnvironment(m_home->path());
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/bus"));
    const QString runtime = m_home->filePath(QStringLiteral("runtime"));
    QVERIFY(QDir().mkpath(runtime));
    QVERIFY(QFile::setPermissions(runtime, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
    const QString socket = runtime + QStringLiteral("/") + ApplicationId + QStringLiteral(".socket");

    startWindow(environment);
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(socket).exists(), 30000);
    QCOMPARE(QFileInfo(socket).permissions() & (QFileDevice::ReadOther | QFileDevice::WriteOther), 0);
    expectSecondLaunchShowsTheFirst(environment);

    // A window killed outright leaves its socket behind; the next launch must not take it for a running window.
    ::kill(pid_t(m_window->processId()), SIGKILL);
    QVERIFY(m_window->waitForFinished(10000));
    const ino_t stale = inodeOf(socket);
    QVERIFY(stale != 0);
    startWindow(environment);
    QTRY_VERIFY_WITH_TIMEOUT(inodeOf(socket) != 0 && inodeOf(socket) != stale, 30000); // listening afresh
    expectSecondLaunchShowsTheFirst(environment);
}

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
