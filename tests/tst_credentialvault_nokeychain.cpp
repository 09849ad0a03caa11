// CredentialVault with no Secret Service at all: every job must end in NoKeychain, quickly, and nothing may be
// written anywhere else instead. main() takes the session bus and the display away before Qt or libsecret start.
#include "core/vault/credentialvault.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QTemporaryDir>
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

// Folders for HOME and the XDG variables, so a plaintext fallback (QtKeychain's QSettings store) would show.
QTemporaryDir* homeDir = nullptr;

constexpr auto Deadline = 5s;
// Past the deadline, so a job that hangs ends in TimedOut and fails the comparison instead of the wait.
constexpr int WaitMs = 10'000;

const Credentials SampleCredentials(QStringLiteral("client-id-without-keychain"), QStringLiteral("secret+/=&%value"));

QString uniqueKey()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QStringList filesUnder(const QString& path)
{
    QStringList files;
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    return files;
}

} // namespace

class TestCredentialVaultNoKeychain : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void storeReportsNoKeychain_data();
    void storeReportsNoKeychain();
    void loadReportsNoKeychain_data();
    void loadReportsNoKeychain();
    void removeReportsNoKeychain();
    void noKeychainAdviceNeverOffersPlaintext();
    void cleanupTestCase();

private:
    void addBusRows();
};

void TestCredentialVaultNoKeychain::addBusRows()
{
    QTest::addColumn<bool>("busAddressSet");
    // GLib's own words (Debian bookworm), which the vault has to recognise as "no keychain".
    QTest::addColumn<QString>("expectedMessage");
    QTest::newRow("bus socket missing") << true << QStringLiteral("Could not connect: No such file or directory");
    // No address and no display: GLib cannot autolaunch a bus.
    QTest::newRow("no bus and no display") << false << QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY");
}

void TestCredentialVaultNoKeychain::init()
{
    QVERIFY(qEnvironmentVariableIsEmpty("DISPLAY"));
    qputenv("DBUS_SESSION_BUS_ADDRESS",
            QFile::encodeName(QStringLiteral("unix:path=") + homeDir->filePath(QStringLiteral("no-such-bus"))));
}

void TestCredentialVaultNoKeychain::storeReportsNoKeychain_data()
{
    addBusRows();
}

void TestCredentialVaultNoKeychain::storeReportsNoKeychain()
{
    QFETCH(bool, busAddressSet);
    QFETCH(QString, expectedMessage);
    if (!busAddressSet)
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");

    CredentialVault vault(QStringLiteral("grantkeeper-test-nokeychain"));
    vault.setDeadline(Deadline);
    std::optional<VaultError> result;
    int calls = 0;
    vault.store(uniqueKey(), SampleCredentials, this, [&](const VaultError& error) {
        ++calls;
        result = error;
    });
    QCOMPARE(calls, 0);
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), WaitMs);
    QCOMPARE(result->code, VaultErrorCode::NoKeychain);
    QCOMPARE(result->backendMessage, expectedMessage);
    QCOMPARE(calls, 1);
    QVERIFY(!vault.isStalled());
    // No insecure fallback: nothing was written in place of the keychain.
    QCOMPARE(filesUnder(homeDir->path()), QStringList());
}

void TestCredentialVaultNoKeychain::loadReportsNoKeychain_data()
{
    addBusRows();
}

void TestCredentialVaultNoKeychain::loadReportsNoKeychain()
{
    QFETCH(bool, busAddressSet);
    QFETCH(QString, expectedMessage);
    if (!busAddressSet)
        qunsetenv("DBUS_SESSION_BUS_ADDRESS");

    CredentialVault vault(QStringLiteral("grantkeeper-test-nokeychain"));
    vault.setDeadline(Deadline);
    std::optional<VaultLoadResult> result;
    vault.load(uniqueKey(), this, [&result](const VaultLoadResult& loaded) { result = loaded; });
    QVERIFY(!result.has_value());
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), WaitMs);
    QCOMPARE(result->error.code, VaultErrorCode::NoKeychain);
    QCOMPARE(result->error.backendMessage, expectedMessage);
    QCOMPARE(result->credentials, Credentials());
}

void TestCredentialVaultNoKeychain::removeReportsNoKeychain()
{
    CredentialVault vault(QStringLiteral("grantkeeper-test-nokeychain"));
    vault.setDeadline(Deadline);
    std::optional<VaultError> result;
    vault.remove(uniqueKey(), this, [&result](const VaultError& error) { result = error; });
    QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), WaitMs);
    QCOMPARE(result->code, VaultErrorCode::NoKeychain);
}

void TestCredentialVaultNoKeychain::noKeychainAdviceNeverOffersPlaintext()
{
    const VaultError error = VaultError::make(VaultErrorCode::NoKeychain);
    QVERIFY(!error.summary().isEmpty());
    const QString advice = error.advice();
    QVERIFY2(advice.contains(QStringLiteral("Secret Service")), qPrintable(advice));
    // It says plainly that there is no file fallback, and offers no way to make one.
    QVERIFY2(advice.contains(QStringLiteral("never stores secrets in a plain file")), qPrintable(advice));
    for (const QString& offer : {QStringLiteral("insecure"), QStringLiteral("--plain"), QStringLiteral("unencrypted"),
                                 QStringLiteral("fallback")}) {
        QVERIFY2(!advice.contains(offer, Qt::CaseInsensitive), qPrintable(advice));
    }
}

void TestCredentialVaultNoKeychain::cleanupTestCase()
{
    QCOMPARE(filesUnder(homeDir->path()), QStringList());
}

int main(int argc, char* argv[])
{
    // Before QCoreApplication and before libsecret's first use: GLib reads these once it connects.
    qunsetenv("DISPLAY");
    qunsetenv("WAYLAND_DISPLAY");
    QTemporaryDir home;
    if (!home.isValid())
        qFatal("cannot create a temporary folder: %s", qPrintable(home.errorString()));
    homeDir = &home;
    for (const char* variable : {"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"})
        qputenv(variable, QFile::encodeName(home.path()));

    QCoreApplication app(argc, argv);
    TestCredentialVaultNoKeychain test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_credentialvault_nokeychain.moc"
