// CredentialVault against the real Secret Service: a fresh, unlocked gnome-keyring on a private D-Bus session that
// tests/support/with-private-keyring.sh starts for this test. No fake stands in for the keychain here.
#include "core/vault/credentialvault.h"
#include "core/vault/secretservicereader.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusVariant>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <qt6keychain/keychain.h>

#include <optional>

using namespace gk;
using namespace std::chrono_literals;

namespace gk {
// Lets QCOMPARE print "not_found" instead of a number when two codes differ.
char* toString(const VaultErrorCode& code)
{
    return qstrdup(VaultError::make(code).codeName().toUtf8().constData());
}
} // namespace gk

namespace {

const QString SecretsService = QStringLiteral("org.freedesktop.secrets");
const QString SecretsPath = QStringLiteral("/org/freedesktop/secrets");
const QString LoginCollection = QStringLiteral("/org/freedesktop/secrets/collection/login");
const QString ServiceInterface = QStringLiteral("org.freedesktop.Secret.Service");
const QString CollectionInterface = QStringLiteral("org.freedesktop.Secret.Collection");
const QString ItemInterface = QStringLiteral("org.freedesktop.Secret.Item");
const QString PropertiesInterface = QStringLiteral("org.freedesktop.DBus.Properties");

// Generous: a job takes 1 to 20 ms here; the bound only keeps a broken keychain from hanging the test.
constexpr int JobWaitMs = 15'000;

// Characters that break naive quoting, URL or base64 handling, plus non-ASCII; no spaces (values are trimmed).
const Credentials SpecialCredentials(QStringLiteral("id+/=&%-9f8e7d6c"),
                                     QStringLiteral("s3cr+t/=&%?#~!$^*()[]{}|;:,.<>`'\"\\é€✓=="));
const Credentials OtherCredentials(QStringLiteral("second-client-id-0042"), QStringLiteral("another/secret+value=="));

QString uniqueService()
{
    return QStringLiteral("grantkeeper-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString uniqueKey()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// The vault's answers, waited for with a context that dies with the helper, so a late answer after a failed
// wait never writes to a dead stack frame.
std::optional<VaultError> storeAndWait(CredentialVault& vault, const QString& key, const Credentials& credentials)
{
    QObject context;
    std::optional<VaultError> result;
    vault.store(key, credentials, &context, [&result](const VaultError& error) { result = error; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, JobWaitMs))
        return std::nullopt;
    return result;
}

bool storedOk(CredentialVault& vault, const QString& key, const Credentials& credentials)
{
    const auto stored = storeAndWait(vault, key, credentials);
    return stored && !stored->isError();
}

std::optional<VaultLoadResult> loadAndWait(CredentialVault& vault, const QString& key)
{
    QObject context;
    std::optional<VaultLoadResult> result;
    vault.load(key, &context, [&result](const VaultLoadResult& loaded) { result = loaded; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, JobWaitMs))
        return std::nullopt;
    return result;
}

std::optional<VaultError> removeAndWait(CredentialVault& vault, const QString& key)
{
    QObject context;
    std::optional<VaultError> result;
    vault.remove(key, &context, [&result](const VaultError& error) { result = error; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, JobWaitMs))
        return std::nullopt;
    return result;
}

QByteArray describe(const VaultError& error)
{
    // The backend message never holds a secret (vaulterror.h), so it may appear in a failure message.
    return (error.codeName() + QStringLiteral(": ") + error.backendMessage).toUtf8();
}

QDBusMessage callSecrets(const QString& path, const QString& interface, const QString& method,
                         const QVariantList& arguments = {})
{
    QDBusMessage message = QDBusMessage::createMethodCall(SecretsService, path, interface, method);
    message.setArguments(arguments);
    return QDBusConnection::sessionBus().call(message, QDBus::Block, JobWaitMs);
}

std::optional<bool> loginCollectionLocked()
{
    const QDBusMessage reply = callSecrets(LoginCollection, PropertiesInterface, QStringLiteral("Get"),
                                           {CollectionInterface, QStringLiteral("Locked")});
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return std::nullopt;
    return qvariant_cast<QDBusVariant>(reply.arguments().constFirst()).variant().toBool();
}

// Every item, locked or not, that QtKeychain would find for this service.
QList<QDBusObjectPath> itemsOfService(const QString& service)
{
    const QMap<QString, QString> attributes{{QStringLiteral("server"), service}};
    const QDBusMessage reply =
        callSecrets(SecretsPath, ServiceInterface, QStringLiteral("SearchItems"), {QVariant::fromValue(attributes)});
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().size() != 2)
        return {};
    return qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().at(0)) +
           qdbus_cast<QList<QDBusObjectPath>>(reply.arguments().at(1));
}

QMap<QString, QString> attributesOf(const QDBusObjectPath& item)
{
    const QDBusMessage reply = callSecrets(item.path(), PropertiesInterface, QStringLiteral("Get"),
                                           {ItemInterface, QStringLiteral("Attributes")});
    if (reply.type() != QDBusMessage::ReplyMessage || reply.arguments().isEmpty())
        return {};
    const QVariant value = qvariant_cast<QDBusVariant>(reply.arguments().constFirst()).variant();
    return qdbus_cast<QMap<QString, QString>>(value);
}

struct SecretToolResult
{
    bool finished = false;
    int exitCode = -1;
    QByteArray output; // may hold a secret: compare it, never print it
};

SecretToolResult secretToolLookup(const QString& service, const QString& key)
{
    QProcess process;
    process.start(QStringLiteral("secret-tool"),
                  {QStringLiteral("lookup"), QStringLiteral("server"), service, QStringLiteral("user"), key});
    SecretToolResult result;
    result.finished = process.waitForFinished(JobWaitMs) && process.exitStatus() == QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.output = process.readAllStandardOutput();
    return result;
}

// Writes an entry the way QtKeychain's libsecret backend does, with any contents and type.
bool secretToolStore(const QString& service, const QString& key, const QString& type, const QByteArray& contents)
{
    QProcess process;
    process.start(QStringLiteral("secret-tool"),
                  {QStringLiteral("store"), QStringLiteral("--label=test entry"), QStringLiteral("user"), key,
                   QStringLiteral("server"), service, QStringLiteral("type"), type});
    if (!process.waitForStarted(JobWaitMs))
        return false;
    process.write(contents);
    process.closeWriteChannel();
    return process.waitForFinished(JobWaitMs) && process.exitStatus() == QProcess::NormalExit &&
           process.exitCode() == 0;
}

std::optional<QHash<QString, VaultLoadResult>> loadManyAndWait(CredentialVault& vault, const QStringList& keys)
{
    QObject context;
    std::optional<QHash<QString, VaultLoadResult>> result;
    vault.loadMany(keys, &context, [&result](const QHash<QString, VaultLoadResult>& loaded) { result = loaded; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, JobWaitMs))
        return std::nullopt;
    return result;
}

} // namespace

class TestCredentialVault : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // The stored form and the error mapping: no keychain involved.
    void encodesAsCompactVersionedJson();
    void decodeRoundTripsEncode();
    void decodeRejectsMalformedEntries_data();
    void decodeRejectsMalformedEntries();
    void mapsKeychainErrors_data();
    void mapsKeychainErrors();
    void everyErrorHasSummaryAndAdvice();

    // Against the real Secret Service.
    void storesAndLoadsCredentialsAsOneEntry();
    void storedEntryIsReadableBySecretTool();
    void storingAgainReplacesTheEntry();
    void removeDeletesTheEntry();
    void removingAMissingEntrySucceeds();
    void loadingAMissingEntryReportsNotFound();
    void keepsEntriesOfOtherServicesApart();
    void readsTakeTheBackendQtKeychainTakes();
    void loadManyReadsEveryKeyAtOnce();
    void loadManyReadsEntriesWrittenWithoutTheirKey();
    void aTextEntryWinsOverABinaryOneLikeQtKeychain();
    void anEntryNamingAnotherKeyIsNotHandedOut();
    void handlerRunsOnceAndOnlyAfterTheCallReturns();
    void handlerIsNotCalledWhenContextIsDestroyedFirst();
    void destroyingTheVaultMidJobLetsTheJobFinish();

    // Locks the only collection for good (it cannot be unlocked without a prompt): must stay the last test.
    void lockedCollectionFailsWritesAndHidesEntries();
};

void TestCredentialVault::initTestCase()
{
    // Refuse to run against a desktop session: these tests write items and finally lock the login keyring.
    QVERIFY2(qEnvironmentVariable("GK_PRIVATE_KEYRING") == QStringLiteral("1"),
             "Run this test through tests/support/with-private-keyring.sh (ctest does): it writes to and locks the "
             "login keyring, so it never runs against a real one.");
    QDBusConnection bus = QDBusConnection::sessionBus();
    QVERIFY2(bus.isConnected(), qPrintable(QStringLiteral("no D-Bus session bus: ") + bus.lastError().message()));
    QVERIFY2(bus.interface()->isServiceRegistered(SecretsService).value(),
             "no Secret Service (org.freedesktop.secrets) on the session bus");
    QVERIFY2(loginCollectionLocked() == std::optional<bool>(false),
             "the Secret Service has no unlocked login collection");
    qDBusRegisterMetaType<QMap<QString, QString>>();
}

void TestCredentialVault::encodesAsCompactVersionedJson()
{
    const Credentials credentials(QStringLiteral("my-client-id"), QStringLiteral("my-secret"));
    QCOMPARE(CredentialVault::encode(QStringLiteral("k-1"), credentials),
             QByteArray(R"({"client_id":"my-client-id","client_secret":"my-secret","key":"k-1","v":1})"));
}

void TestCredentialVault::decodeRoundTripsEncode()
{
    QString key;
    const auto decoded =
        CredentialVault::decode(CredentialVault::encode(QStringLiteral("k-2"), SpecialCredentials), &key);
    QVERIFY(decoded.has_value());
    QVERIFY2(*decoded == SpecialCredentials, "decode(encode(x)) differs from x");
    QCOMPARE(key, QStringLiteral("k-2"));

    // Entries written before the key was part of them still decode, with an empty key.
    key = QStringLiteral("not overwritten?");
    const auto old = CredentialVault::decode(R"({"v":1,"client_id":"a","client_secret":"b"})", &key);
    QVERIFY(old.has_value());
    QCOMPARE(old->clientId(), QStringLiteral("a"));
    QCOMPARE(key, QString());
}

void TestCredentialVault::decodeRejectsMalformedEntries_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("client_id=a&client_secret=b");
    QTest::newRow("truncated") << QByteArray(R"({"v":1,"client_id":"a","client_secret":"b")");
    QTest::newRow("array") << QByteArray(R"([1,"a","b"])");
    QTest::newRow("no version") << QByteArray(R"({"client_id":"a","client_secret":"b"})");
    QTest::newRow("newer version") << QByteArray(R"({"v":2,"client_id":"a","client_secret":"b"})");
    QTest::newRow("version as text") << QByteArray(R"({"v":"1","client_id":"a","client_secret":"b"})");
    QTest::newRow("no secret") << QByteArray(R"({"v":1,"client_id":"a"})");
    QTest::newRow("blank secret") << QByteArray(R"({"v":1,"client_id":"a","client_secret":"  "})");
    QTest::newRow("no client id") << QByteArray(R"({"v":1,"client_secret":"b"})");
    QTest::newRow("secret not a string") << QByteArray(R"({"v":1,"client_id":"a","client_secret":42})");
}

void TestCredentialVault::decodeRejectsMalformedEntries()
{
    QFETCH(QByteArray, data);
    QVERIFY(!CredentialVault::decode(data).has_value());
}

void TestCredentialVault::mapsKeychainErrors_data()
{
    QTest::addColumn<int>("keychainError");
    QTest::addColumn<QString>("message");
    QTest::addColumn<VaultErrorCode>("expected");

    QTest::newRow("no error") << int(QKeychain::NoError) << QString() << VaultErrorCode::None;
    QTest::newRow("entry not found") << int(QKeychain::EntryNotFound) << QStringLiteral("No such secret item")
                                     << VaultErrorCode::NotFound;
    QTest::newRow("locked") << int(QKeychain::AccessDenied)
                            << QStringLiteral("Cannot create an item in a locked "
                                              "collection")
                            << VaultErrorCode::LockedOrDenied;
    QTest::newRow("denied by user") << int(QKeychain::AccessDeniedByUser) << QString()
                                    << VaultErrorCode::LockedOrDenied;
    QTest::newRow("no backend") << int(QKeychain::NoBackendAvailable) << QString() << VaultErrorCode::NoKeychain;
    QTest::newRow("not implemented") << int(QKeychain::NotImplemented) << QString() << VaultErrorCode::NoKeychain;
    // QtKeychain 0.13 reports a missing Secret Service as OtherError with D-Bus's words (ENVIRONMENT.md).
    QTest::newRow("no X11 to autolaunch D-Bus")
        << int(QKeychain::OtherError) << QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY")
        << VaultErrorCode::NoKeychain;
    QTest::newRow("no secrets service file")
        << int(QKeychain::OtherError)
        << QStringLiteral("The name org.freedesktop.secrets was not provided by any .service files")
        << VaultErrorCode::NoKeychain;
    QTest::newRow("no session bus socket")
        << int(QKeychain::OtherError) << QStringLiteral("Could not connect: No such file or directory")
        << VaultErrorCode::NoKeychain;
    // Without libsecret installed QtKeychain cannot say more than this: as good as no keychain.
    QTest::newRow("unknown error") << int(QKeychain::OtherError) << QStringLiteral("Unknown error")
                                   << VaultErrorCode::NoKeychain;
    QTest::newRow("another failure") << int(QKeychain::OtherError) << QStringLiteral("Something else broke")
                                     << VaultErrorCode::Other;
    // An item another process deleted between libsecret's search and its Delete call: gone, not locked.
    QTest::newRow("item deleted meanwhile")
        << int(QKeychain::CouldNotDeleteEntry)
        << QStringLiteral("No such interface “org.freedesktop.Secret.Item” on object at path "
                          "/org/freedesktop/secrets/collection/login/2")
        << VaultErrorCode::NotFound;
    QTest::newRow("could not delete") << int(QKeychain::CouldNotDeleteEntry) << QStringLiteral("Could not delete")
                                      << VaultErrorCode::Other;
}

void TestCredentialVault::mapsKeychainErrors()
{
    QFETCH(int, keychainError);
    QFETCH(QString, message);
    QFETCH(VaultErrorCode, expected);

    const VaultError error = CredentialVault::mapError(keychainError, message);
    QCOMPARE(error.code, expected);
    QCOMPARE(error.backendMessage, expected == VaultErrorCode::None ? QString() : message);
}

void TestCredentialVault::everyErrorHasSummaryAndAdvice()
{
    const VaultErrorCode codes[] = {VaultErrorCode::NotFound, VaultErrorCode::LockedOrDenied,
                                    VaultErrorCode::NoKeychain, VaultErrorCode::TimedOut, VaultErrorCode::Other};
    for (const VaultErrorCode code : codes) {
        const VaultError error = VaultError::make(code);
        QVERIFY(error.isError());
        QVERIFY2(!error.summary().isEmpty(), qPrintable(error.codeName()));
        QVERIFY2(!error.advice().isEmpty(), qPrintable(error.codeName()));
    }
    QVERIFY(!VaultError().isError());
    QCOMPARE(VaultError().summary(), QString());
}

void TestCredentialVault::storesAndLoadsCredentialsAsOneEntry()
{
    const QString service = uniqueService();
    const QString key = uniqueKey();
    CredentialVault vault(service);

    const auto stored = storeAndWait(vault, key, SpecialCredentials);
    QVERIFY2(stored.has_value(), "store did not finish");
    QVERIFY2(stored->code == VaultErrorCode::None, describe(*stored));

    const auto loaded = loadAndWait(vault, key);
    QVERIFY2(loaded.has_value(), "load did not finish");
    QVERIFY2(loaded->error.code == VaultErrorCode::None, describe(loaded->error));
    QCOMPARE(loaded->credentials.clientId(), SpecialCredentials.clientId());
    QVERIFY2(loaded->credentials.clientSecret() == SpecialCredentials.clientSecret(),
             "the loaded Client Secret differs from the stored one (not shown)");

    // Client ID and Secret together are one item, under QtKeychain's schema: server = service, user = key.
    const QList<QDBusObjectPath> items = itemsOfService(service);
    QCOMPARE(items.size(), 1);
    const QMap<QString, QString> expectedAttributes{
        {QStringLiteral("xdg:schema"), QStringLiteral("org.qt.keychain")},
        {QStringLiteral("server"), service},
        {QStringLiteral("user"), key},
        {QStringLiteral("type"), QStringLiteral("base64")},
    };
    QCOMPARE(attributesOf(items.constFirst()), expectedAttributes);
}

void TestCredentialVault::storedEntryIsReadableBySecretTool()
{
    const QString service = uniqueService();
    const QString key = uniqueKey();
    CredentialVault vault(service);
    const auto stored = storeAndWait(vault, key, SpecialCredentials);
    QVERIFY2(stored.has_value(), "store did not finish");
    QVERIFY2(stored->code == VaultErrorCode::None, describe(*stored));

    const SecretToolResult lookup = secretToolLookup(service, key);
    QVERIFY2(lookup.finished, "secret-tool did not finish (is libsecret-tools installed?)");
    QCOMPARE(lookup.exitCode, 0);
    // QtKeychain stores binary data base64-encoded (attribute type=base64); inside is the vault's JSON.
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromBase64(lookup.output));
    const QJsonObject expected{
        {QStringLiteral("v"), 1},
        {QStringLiteral("key"), key},
        {QStringLiteral("client_id"), SpecialCredentials.clientId()},
        {QStringLiteral("client_secret"), SpecialCredentials.clientSecret()},
    };
    QVERIFY2(document.isObject(), "secret-tool did not read the vault's JSON (contents not shown)");
    QVERIFY2(document.object() == expected, "secret-tool read other values than the vault stored (not shown)");
}

void TestCredentialVault::storingAgainReplacesTheEntry()
{
    const QString service = uniqueService();
    const QString key = uniqueKey();
    CredentialVault vault(service);
    const auto first = storeAndWait(vault, key, SpecialCredentials);
    QVERIFY2(first.has_value() && first->code == VaultErrorCode::None, first ? describe(*first) : "no answer");

    const auto second = storeAndWait(vault, key, OtherCredentials);
    QVERIFY2(second.has_value(), "second store did not finish");
    QVERIFY2(second->code == VaultErrorCode::None, describe(*second));

    const auto loaded = loadAndWait(vault, key);
    QVERIFY2(loaded.has_value(), "load did not finish");
    QVERIFY2(loaded->error.code == VaultErrorCode::None, describe(loaded->error));
    QCOMPARE(loaded->credentials.clientId(), OtherCredentials.clientId());
    QVERIFY2(loaded->credentials.clientSecret() == OtherCredentials.clientSecret(),
             "the loaded Client Secret is not the replacement (not shown)");
    QCOMPARE(itemsOfService(service).size(), 1);
}

void TestCredentialVault::removeDeletesTheEntry()
{
    const QString service = uniqueService();
    const QString key = uniqueKey();
    CredentialVault vault(service);
    const auto stored = storeAndWait(vault, key, SpecialCredentials);
    QVERIFY2(stored.has_value() && stored->code == VaultErrorCode::None, stored ? describe(*stored) : "no answer");
    QCOMPARE(itemsOfService(service).size(), 1);

    const auto removed = removeAndWait(vault, key);
    QVERIFY2(removed.has_value(), "remove did not finish");
    QVERIFY2(removed->code == VaultErrorCode::None, describe(*removed));
    QCOMPARE(itemsOfService(service).size(), 0);

    const auto loaded = loadAndWait(vault, key);
    QVERIFY2(loaded.has_value(), "load did not finish");
    QCOMPARE(loaded->error.code, VaultErrorCode::NotFound);
    QVERIFY(!loaded->credentials.isComplete());
}

void TestCredentialVault::removingAMissingEntrySucceeds()
{
    // libsecret's secret_password_clear() reports "nothing removed" as success, and QtKeychain passes that on:
    // removing is idempotent, which is what a caller that rolls back a half-saved grant needs.
    CredentialVault vault(uniqueService());
    const auto removed = removeAndWait(vault, uniqueKey());
    QVERIFY2(removed.has_value(), "remove did not finish");
    QVERIFY2(removed->code == VaultErrorCode::None, describe(*removed));
}

void TestCredentialVault::loadingAMissingEntryReportsNotFound()
{
    CredentialVault vault(uniqueService());
    const auto loaded = loadAndWait(vault, uniqueKey());
    QVERIFY2(loaded.has_value(), "load did not finish");
    QCOMPARE(loaded->error.code, VaultErrorCode::NotFound);
    QVERIFY(!loaded->error.summary().isEmpty());
    QVERIFY(!loaded->error.advice().isEmpty());
    QCOMPARE(loaded->credentials, Credentials());
}

void TestCredentialVault::keepsEntriesOfOtherServicesApart()
{
    // The same key under another service name (another test run, another app) is another entry.
    const QString key = uniqueKey();
    CredentialVault vault(uniqueService());
    CredentialVault otherVault(uniqueService());
    const auto stored = storeAndWait(vault, key, SpecialCredentials);
    QVERIFY2(stored.has_value() && stored->code == VaultErrorCode::None, stored ? describe(*stored) : "no answer");

    const auto loaded = loadAndWait(otherVault, key);
    QVERIFY2(loaded.has_value(), "load did not finish");
    QCOMPARE(loaded->error.code, VaultErrorCode::NotFound);
}

void TestCredentialVault::readsTakeTheBackendQtKeychainTakes()
{
    // ctest runs this binary twice: as it is, and as tst_credentialvault_kde with a Plasma 5 session's
    // environment, where every other test here then goes through QtKeychain's read jobs.
    const bool plasma = qgetenv("XDG_CURRENT_DESKTOP") == "KDE" && qgetenv("KDE_SESSION_VERSION") == "5";
    QCOMPARE(SecretServiceReader::readsMatchQtKeychain(), !plasma);
}

void TestCredentialVault::loadManyReadsEveryKeyAtOnce()
{
    const QString service = uniqueService();
    CredentialVault vault(service);
    CredentialVault otherVault(uniqueService());
    const QStringList keys{uniqueKey(), uniqueKey(), uniqueKey()};
    QVERIFY(storedOk(vault, keys.at(0), SpecialCredentials));
    QVERIFY(storedOk(vault, keys.at(1), OtherCredentials));
    // The third key exists only under another service; a fourth entry of this service is not asked for.
    QVERIFY(storedOk(otherVault, keys.at(2), OtherCredentials));
    QVERIFY(storedOk(vault, uniqueKey(), OtherCredentials));

    const auto loaded = loadManyAndWait(vault, keys);
    QVERIFY2(loaded.has_value(), "loadMany did not finish");
    QCOMPARE(loaded->size(), 3);
    QVERIFY2(loaded->value(keys.at(0)).error.code == VaultErrorCode::None, describe(loaded->value(keys.at(0)).error));
    QVERIFY2(loaded->value(keys.at(0)).credentials == SpecialCredentials, "first entry differs (not shown)");
    QVERIFY2(loaded->value(keys.at(1)).credentials == OtherCredentials, "second entry differs (not shown)");
    QCOMPARE(loaded->value(keys.at(2)).error.code, VaultErrorCode::NotFound);
    QCOMPARE(loaded->value(keys.at(2)).credentials, Credentials());

    const auto none = loadManyAndWait(vault, {});
    QVERIFY2(none.has_value(), "loadMany of no keys did not finish");
    QCOMPARE(none->size(), 0);
}

void TestCredentialVault::loadManyReadsEntriesWrittenWithoutTheirKey()
{
    // Grant Keeper 0.1 wrote {"v":1,"client_id":…,"client_secret":…} without the key; such entries are found by
    // their attributes, alone (one key) and among others (many).
    const QString service = uniqueService();
    CredentialVault vault(service);
    const QString oldKey = uniqueKey();
    const QString newKey = uniqueKey();
    const QByteArray oldEntry =
        QJsonDocument(QJsonObject{{QStringLiteral("v"), 1},
                                  {QStringLiteral("client_id"), OtherCredentials.clientId()},
                                  {QStringLiteral("client_secret"), OtherCredentials.clientSecret()}})
            .toJson(QJsonDocument::Compact);
    QVERIFY(secretToolStore(service, oldKey, QStringLiteral("base64"), oldEntry.toBase64()));
    QVERIFY(storedOk(vault, newKey, SpecialCredentials));

    const auto many = loadManyAndWait(vault, {oldKey, newKey});
    QVERIFY2(many.has_value(), "loadMany did not finish");
    QVERIFY2(many->value(oldKey).error.code == VaultErrorCode::None, describe(many->value(oldKey).error));
    QVERIFY2(many->value(oldKey).credentials == OtherCredentials, "old entry differs (not shown)");
    QVERIFY2(many->value(newKey).credentials == SpecialCredentials, "new entry differs (not shown)");

    const auto one = loadAndWait(vault, oldKey);
    QVERIFY2(one.has_value(), "load did not finish");
    QVERIFY2(one->credentials == OtherCredentials, "old entry read alone differs (not shown)");
}

void TestCredentialVault::aTextEntryWinsOverABinaryOneLikeQtKeychain()
{
    const QString service = uniqueService();
    const QString key = uniqueKey();
    CredentialVault vault(service);
    QVERIFY(storedOk(vault, key, SpecialCredentials));
    QVERIFY(secretToolStore(service, key, QStringLiteral("plaintext"), CredentialVault::encode(key, OtherCredentials)));
    QCOMPARE(itemsOfService(service).size(), 2);

    const auto one = loadAndWait(vault, key);
    QVERIFY2(one.has_value(), "load did not finish");
    QVERIFY2(one->credentials == OtherCredentials, "the binary entry was read, not the text one");
    const auto many = loadManyAndWait(vault, {key, uniqueKey()});
    QVERIFY2(many.has_value(), "loadMany did not finish");
    QVERIFY2(many->value(key).credentials == OtherCredentials, "the binary entry was read, not the text one");
}

void TestCredentialVault::anEntryNamingAnotherKeyIsNotHandedOut()
{
    // An entry whose contents name another grant's key is not that grant's secret, whatever its attributes say.
    const QString service = uniqueService();
    const QString key = uniqueKey();
    const QString otherKey = uniqueKey();
    CredentialVault vault(service);
    QVERIFY(secretToolStore(service, key, QStringLiteral("plaintext"),
                            CredentialVault::encode(otherKey, OtherCredentials)));

    const auto one = loadAndWait(vault, key);
    QVERIFY2(one.has_value(), "load did not finish");
    QCOMPARE(one->error.code, VaultErrorCode::Other);
    QCOMPARE(one->credentials, Credentials());

    // Read with others, the misfiled entry neither stands in for the grant it names nor hides that grant's own.
    QVERIFY(storedOk(vault, otherKey, SpecialCredentials));
    const auto many = loadManyAndWait(vault, {key, otherKey});
    QVERIFY2(many.has_value(), "loadMany did not finish");
    QCOMPARE(many->value(key).error.code, VaultErrorCode::Other);
    QCOMPARE(many->value(key).credentials, Credentials());
    QVERIFY2(many->value(otherKey).error.code == VaultErrorCode::None, describe(many->value(otherKey).error));
    QVERIFY2(many->value(otherKey).credentials == SpecialCredentials, "another entry was handed out (not shown)");
}

void TestCredentialVault::handlerRunsOnceAndOnlyAfterTheCallReturns()
{
    const QString key = uniqueKey();
    CredentialVault vault(uniqueService());
    int storeCalls = 0;
    int loadCalls = 0;
    VaultLoadResult loaded;

    vault.store(key, SpecialCredentials, this, [&storeCalls](const VaultError&) { ++storeCalls; });
    QCOMPARE(storeCalls, 0);
    vault.load(key, this, [&loadCalls, &loaded](const VaultLoadResult& result) {
        ++loadCalls;
        loaded = result;
    });
    QCOMPARE(loadCalls, 0);

    QTRY_COMPARE_WITH_TIMEOUT(loadCalls, 1, JobWaitMs);
    // QtKeychain runs jobs one at a time, so the store had finished before the load answered.
    QCOMPARE(storeCalls, 1);
    QVERIFY2(loaded.error.code == VaultErrorCode::None, describe(loaded.error));

    // One more round trip through the keychain gives a duplicate answer every chance to arrive.
    const auto removed = removeAndWait(vault, key);
    QVERIFY2(removed.has_value(), "remove did not finish");
    QCOMPARE(storeCalls, 1);
    QCOMPARE(loadCalls, 1);
}

void TestCredentialVault::handlerIsNotCalledWhenContextIsDestroyedFirst()
{
    const QString key = uniqueKey();
    CredentialVault vault(uniqueService());
    int calls = 0;
    auto* context = new QObject;
    vault.store(key, SpecialCredentials, context, [&calls](const VaultError&) { ++calls; });
    vault.load(key, context, [&calls](const VaultLoadResult&) { ++calls; });
    delete context;

    // Jobs run in order: once this later one has answered, the two above have finished too.
    const auto barrier = loadAndWait(vault, uniqueKey());
    QVERIFY2(barrier.has_value(), "the later load did not finish");
    QCOMPARE(barrier->error.code, VaultErrorCode::NotFound);
    QCOMPARE(calls, 0);
}

void TestCredentialVault::destroyingTheVaultMidJobLetsTheJobFinish()
{
    // The job cannot be cancelled, so it outlives the vault; it must still be freed (with the secret it holds)
    // once it finishes. The asan preset's leak check is what sees a job that is never freed.
    const QString service = uniqueService();
    const QString key = uniqueKey();
    int calls = 0;
    {
        CredentialVault doomed(service);
        doomed.store(key, SpecialCredentials, this, [&calls](const VaultError&) { ++calls; });
    }

    // Jobs run in order, also across vaults: once this one has answered, the orphaned store has finished.
    CredentialVault vault(service);
    const auto loaded = loadAndWait(vault, key);
    QVERIFY2(loaded.has_value(), "load did not finish");
    QVERIFY2(loaded->error.code == VaultErrorCode::None, describe(loaded->error));
    QVERIFY2(loaded->credentials == SpecialCredentials, "the orphaned store wrote other values (not shown)");
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCOMPARE(calls, 0);
}

void TestCredentialVault::lockedCollectionFailsWritesAndHidesEntries()
{
    const QString service = uniqueService();
    const QString key = uniqueKey();
    CredentialVault vault(service);
    vault.setDeadline(5s);
    const auto stored = storeAndWait(vault, key, SpecialCredentials);
    QVERIFY2(stored.has_value() && stored->code == VaultErrorCode::None, stored ? describe(*stored) : "no answer");

    const QList<QDBusObjectPath> collections{QDBusObjectPath(LoginCollection)};
    const QDBusMessage lockReply =
        callSecrets(SecretsPath, ServiceInterface, QStringLiteral("Lock"), {QVariant::fromValue(collections)});
    QVERIFY2(lockReply.type() == QDBusMessage::ReplyMessage, qPrintable(lockReply.errorMessage()));
    QCOMPARE(loginCollectionLocked(), std::optional<bool>(true));

    // Headless, gnome-keyring cannot show its unlock prompt, so libsecret's unlock attempt is dismissed at once
    // (about 80 ms here) and nothing hangs. A write says AccessDenied: "Cannot create an item in a locked collection".
    const auto storeOutcome = storeAndWait(vault, uniqueKey(), OtherCredentials);
    QVERIFY2(storeOutcome.has_value(), "store into the locked collection did not finish");
    QVERIFY2(storeOutcome->code == VaultErrorCode::LockedOrDenied, describe(*storeOutcome));

    // libsecret answers a read with "no password" without an error (QtKeychain: EntryNotFound); the vault asks
    // the Secret Service whether the collection is locked before it believes that, and says "locked".
    const auto loadOutcome = loadAndWait(vault, key);
    QVERIFY2(loadOutcome.has_value(), "load from the locked collection did not finish");
    QVERIFY2(loadOutcome->error.code == VaultErrorCode::LockedOrDenied, describe(loadOutcome->error));
    QVERIFY(!loadOutcome->credentials.isComplete());

    // A remove that libsecret calls done (it skips locked items) is reported as "locked" too, so neither a
    // rollback nor `grantkeeper remove` takes it for a deletion: the item is still there.
    const auto removeOutcome = removeAndWait(vault, key);
    QVERIFY2(removeOutcome.has_value(), "remove from the locked collection did not finish");
    QVERIFY2(removeOutcome->code == VaultErrorCode::LockedOrDenied, describe(*removeOutcome));
    QCOMPARE(itemsOfService(service).size(), 1);
    QVERIFY(!vault.isStalled());
}

QTEST_GUILESS_MAIN(TestCredentialVault)
#include "tst_credentialvault.moc"
