// CredentialVault when the keychain never answers. ctest runs this on a private bus (dbus-run-session) with no
// gnome-keyring: the test itself owns org.freedesktop.secrets and holds every call libsecret makes unanswered,
// which is what a Secret Service stuck behind an unanswerable prompt looks like. Releasing the held calls with an
// error lets the stalled job finish, so recovery is tested without waiting for D-Bus's own 25 s timeout.
#include "core/vault/credentialvault.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusVirtualObject>
#include <QMutex>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <optional>

using namespace gk;
using namespace std::chrono_literals;

namespace gk {
char* toString(const VaultErrorCode& code)
{
    return qstrdup(VaultError::make(code).codeName().toUtf8().constData());
}
} // namespace gk

namespace {

const QString SecretsService = QStringLiteral("org.freedesktop.secrets");
const QString SecretsPath = QStringLiteral("/org/freedesktop/secrets");

constexpr auto Deadline = 300ms;
constexpr int WaitMs = 5'000;

const Credentials SampleCredentials(QStringLiteral("client-id-for-a-stuck-keychain"), QStringLiteral("secret+/=&%"));

QString uniqueKey()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// Owns every object path under /org/freedesktop/secrets and answers nothing until told to.
class SilentSecretService : public QDBusVirtualObject
{
public:
    QString introspect(const QString&) const override { return {}; }

    bool handleMessage(const QDBusMessage& message, const QDBusConnection& connection) override
    {
        // Qt may call this on its D-Bus thread.
        QMutexLocker locker(&m_mutex);
        ++m_received;
        if (m_answering)
            answer(message, connection);
        else
            m_held.append(message);
        return true;
    }

    int received() const
    {
        QMutexLocker locker(&m_mutex);
        return m_received;
    }

    // From now on every call is held again.
    void holdEverything()
    {
        QMutexLocker locker(&m_mutex);
        m_answering = false;
        m_received = 0;
    }

    // From now on every call, held or new, fails as if the service had gone away.
    void answerEverything(const QDBusConnection& connection)
    {
        QMutexLocker locker(&m_mutex);
        m_answering = true;
        for (const QDBusMessage& message : std::as_const(m_held))
            answer(message, connection);
        m_held.clear();
    }

private:
    static void answer(const QDBusMessage& message, const QDBusConnection& connection)
    {
        if (message.type() == QDBusMessage::MethodCallMessage && message.isReplyRequired()) {
            connection.send(message.createErrorReply(
                QStringLiteral("org.freedesktop.DBus.Error.ServiceUnknown"),
                QStringLiteral("The name org.freedesktop.secrets was not provided by any .service files")));
        }
    }

    mutable QMutex m_mutex;
    int m_received = 0;
    bool m_answering = false;
    QList<QDBusMessage> m_held;
};

} // namespace

class TestCredentialVaultDeadline : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void missedDeadlineStallsTheVaultUntilTheJobFinishes();
    void missedReadDeadlineCancelsTheReadWithoutStalling();
    void aStuckSessionOpeningDoesNotHoldUpTheAnswer();
    void aReadQueuedBehindAStuckJobAnswersAtItsDeadline();
    void cleanupTestCase();

private:
    SilentSecretService m_service;
};

void TestCredentialVaultDeadline::initTestCase()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    QVERIFY2(bus.isConnected(), qPrintable(QStringLiteral("no D-Bus session bus: ") + bus.lastError().message()));
    // A real Secret Service on this bus means this is not the private bus ctest gives the test.
    QVERIFY2(!bus.interface()->isServiceRegistered(SecretsService).value(),
             "org.freedesktop.secrets is already owned: run this test under dbus-run-session (ctest does)");
    QVERIFY(bus.registerVirtualObject(SecretsPath, &m_service, QDBusConnection::SubPath));
    QVERIFY2(bus.registerService(SecretsService), qPrintable(bus.lastError().message()));
}

void TestCredentialVaultDeadline::init()
{
    m_service.holdEverything();
}

void TestCredentialVaultDeadline::missedDeadlineStallsTheVaultUntilTheJobFinishes()
{
    CredentialVault vault(QStringLiteral("grantkeeper-test-deadline"));
    vault.setDeadline(Deadline);
    QSignalSpy recovered(&vault, &CredentialVault::recovered);

    // The stuck job: answered TimedOut once its deadline passes, while libsecret is still waiting.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("missed its deadline of 300 ms$")));
    int storeCalls = 0;
    std::optional<VaultError> storeResult;
    vault.store(uniqueKey(), SampleCredentials, this, [&](const VaultError& error) {
        ++storeCalls;
        storeResult = error;
    });
    QCOMPARE(storeCalls, 0);
    QTRY_COMPARE_WITH_TIMEOUT(storeCalls, 1, WaitMs);
    QCOMPARE(storeResult->code, VaultErrorCode::TimedOut);
    QVERIFY(!storeResult->summary().isEmpty());
    QVERIFY(!storeResult->advice().isEmpty());
    QVERIFY2(m_service.received() > 0, "the job never reached the (silent) Secret Service");
    QVERIFY(vault.isStalled());

    // While it is outstanding, new work is refused at once (still asynchronously) instead of queueing behind it.
    std::optional<VaultLoadResult> refusedLoad;
    vault.load(uniqueKey(), this, [&refusedLoad](const VaultLoadResult& result) { refusedLoad = result; });
    QVERIFY(!refusedLoad.has_value());
    QTRY_VERIFY_WITH_TIMEOUT(refusedLoad.has_value(), WaitMs);
    QCOMPARE(refusedLoad->error.code, VaultErrorCode::TimedOut);
    QCOMPARE(refusedLoad->error.backendMessage, QStringLiteral("an earlier keychain job has not finished"));

    std::optional<VaultError> refusedRemove;
    vault.remove(uniqueKey(), this, [&refusedRemove](const VaultError& error) { refusedRemove = error; });
    QVERIFY(!refusedRemove.has_value());
    QTRY_VERIFY_WITH_TIMEOUT(refusedRemove.has_value(), WaitMs);
    QCOMPARE(refusedRemove->code, VaultErrorCode::TimedOut);
    QVERIFY(vault.isStalled());
    QCOMPARE(recovered.count(), 0);

    // The keychain answers again: the stuck job finishes late, the vault says so once and takes work again.
    m_service.answerEverything(QDBusConnection::sessionBus());
    QTRY_COMPARE_WITH_TIMEOUT(recovered.count(), 1, WaitMs);
    QVERIFY(!vault.isStalled());
    QCOMPARE(storeCalls, 1); // the late answer is dropped: its caller already heard TimedOut

    std::optional<VaultLoadResult> laterLoad;
    vault.load(uniqueKey(), this, [&laterLoad](const VaultLoadResult& result) { laterLoad = result; });
    QTRY_VERIFY_WITH_TIMEOUT(laterLoad.has_value(), WaitMs);
    // Reached the service this time, which now fails every call as if it had gone away.
    QCOMPARE(laterLoad->error.code, VaultErrorCode::NoKeychain);
    QCOMPARE(recovered.count(), 1);
}

void TestCredentialVaultDeadline::missedReadDeadlineCancelsTheReadWithoutStalling()
{
    // Reads go to the Secret Service on a worker thread and can be cancelled, unlike QtKeychain's jobs.
    CredentialVault vault(QStringLiteral("grantkeeper-test-deadline"));
    vault.setDeadline(Deadline);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                           "a keychain read missed its deadline of 300 ms; cancelling it$")));
    const QStringList keys{uniqueKey(), uniqueKey()};
    int calls = 0;
    QHash<QString, VaultLoadResult> loaded;
    vault.loadMany(keys, this, [&](const QHash<QString, VaultLoadResult>& results) {
        ++calls;
        loaded = results;
    });
    QCOMPARE(calls, 0);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, WaitMs);
    QVERIFY2(m_service.received() > 0, "the read never reached the (silent) Secret Service");
    QCOMPARE(loaded.size(), 2);
    for (const QString& key : keys)
        QCOMPARE(loaded.value(key).error.code, VaultErrorCode::TimedOut);
    QVERIFY(!vault.isStalled());

    // The next read is not refused: it reaches the service, which now fails every call as if it had gone away.
    m_service.answerEverything(QDBusConnection::sessionBus());
    std::optional<VaultLoadResult> laterLoad;
    vault.load(uniqueKey(), this, [&laterLoad](const VaultLoadResult& result) { laterLoad = result; });
    QTRY_VERIFY_WITH_TIMEOUT(laterLoad.has_value(), WaitMs);
    QCOMPARE(laterLoad->error.code, VaultErrorCode::NoKeychain);
    QCOMPARE(calls, 1);
}

void TestCredentialVaultDeadline::aStuckSessionOpeningDoesNotHoldUpTheAnswer()
{
    // prepareReads() opens the session on a worker thread; a read waits for it, and still answers at its deadline
    // when the service never does.
    CredentialVault vault(QStringLiteral("grantkeeper-test-deadline"));
    vault.setDeadline(Deadline);
    vault.prepareReads();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                           "a keychain read missed its deadline of 300 ms; cancelling it$")));
    int calls = 0;
    std::optional<VaultLoadResult> loaded;
    vault.load(uniqueKey(), this, [&](const VaultLoadResult& result) {
        ++calls;
        loaded = result;
    });
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, WaitMs);
    QCOMPARE(loaded->error.code, VaultErrorCode::TimedOut);
    QVERIFY2(m_service.received() > 0, "the session was never asked for");

    m_service.answerEverything(QDBusConnection::sessionBus());
    std::optional<VaultLoadResult> laterLoad;
    vault.load(uniqueKey(), this, [&laterLoad](const VaultLoadResult& result) { laterLoad = result; });
    QTRY_VERIFY_WITH_TIMEOUT(laterLoad.has_value(), WaitMs);
    QCOMPARE(laterLoad->error.code, VaultErrorCode::NoKeychain);
    QCOMPARE(calls, 1);
}

void TestCredentialVaultDeadline::aReadQueuedBehindAStuckJobAnswersAtItsDeadline()
{
    // A read waits for the write started before it, but not past its own deadline.
    CredentialVault vault(QStringLiteral("grantkeeper-test-deadline"));
    vault.setDeadline(Deadline);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("job for .* missed its deadline of 300 ms$")));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(
                                           "a keychain read missed its deadline of 300 ms; cancelling it$")));
    vault.store(uniqueKey(), SampleCredentials, this, [](const VaultError&) {});
    int calls = 0;
    QHash<QString, VaultLoadResult> loaded;
    const QString key = uniqueKey();
    vault.loadMany({key}, this, [&](const QHash<QString, VaultLoadResult>& results) {
        ++calls;
        loaded = results;
    });
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, WaitMs);
    QCOMPARE(loaded.value(key).error.code, VaultErrorCode::TimedOut);

    // The stuck write finishes late; the queued read, already answered, does not answer again.
    m_service.answerEverything(QDBusConnection::sessionBus());
    QTRY_VERIFY_WITH_TIMEOUT(!vault.isStalled(), WaitMs);
    QCoreApplication::processEvents();
    QCOMPARE(calls, 1);
}

void TestCredentialVaultDeadline::cleanupTestCase()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    bus.unregisterService(SecretsService);
    bus.unregisterObject(SecretsPath, QDBusConnection::UnregisterTree);
}

QTEST_GUILESS_MAIN(TestCredentialVaultDeadline)
#include "tst_credentialvault_deadline.moc"
