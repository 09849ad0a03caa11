// GrantRepository against the real keychain: saving and removing are all-or-nothing across keychain and file.
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/vault/credentialvault.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace gk;

namespace {

const QDateTime Now(QDate(2026, 11, 23), QTime(9, 0), QTimeZone::utc());

} // namespace

class TestGrantRepository : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void savesKeychainEntryAndMetadata();
    void failedMetadataSaveRemovesTheNewEntry();
    void failedMetadataSaveRestoresTheReplacedSecret();
    void editWithoutCredentialsKeepsTheSecret();
    void replacingCredentialsKeepsMetadataEditedElsewhere();
    void removeDeletesMetadataThenEntry();
    void removeSucceedsWhenTheEntryIsAlreadyGone();
    void removeWithTheFileLockedKeepsTheGrantAndItsSecret();

private:
    RepositoryResult save(const Grant& grant, const std::optional<Credentials>& credentials);
    RepositoryResult remove(const QUuid& id);
    VaultLoadResult load(const Grant& grant);
    void damageTheFile();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<GrantStore> m_store;
    std::unique_ptr<CredentialVault> m_vault;
    std::unique_ptr<GrantRepository> m_repository;
};

void TestGrantRepository::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_store = std::make_unique<GrantStore>(m_dir->filePath(QStringLiteral("grants.json")));
    QCOMPARE(m_store->load().code, StoreErrorCode::None);
    // A service of its own per test: no test sees another's entries.
    m_vault = std::make_unique<CredentialVault>(QStringLiteral("grantkeeper-test-") +
                                                QUuid::createUuid().toString(QUuid::WithoutBraces));
    m_vault->setDeadline(std::chrono::seconds(10));
    m_repository = std::make_unique<GrantRepository>(*m_store, *m_vault);
}

void TestGrantRepository::cleanup()
{
    m_repository.reset();
    m_vault.reset();
    m_store.reset();
    m_dir.reset();
}

RepositoryResult TestGrantRepository::save(const Grant& grant, const std::optional<Credentials>& credentials)
{
    std::optional<RepositoryResult> outcome;
    m_repository->save(grant, credentials, this, [&outcome](const RepositoryResult& result) { outcome = result; });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 30'000); }();
    return outcome.value_or(RepositoryResult{});
}

RepositoryResult TestGrantRepository::remove(const QUuid& id)
{
    std::optional<RepositoryResult> outcome;
    m_repository->remove(id, this, [&outcome](const RepositoryResult& result) { outcome = result; });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 30'000); }();
    return outcome.value_or(RepositoryResult{});
}

VaultLoadResult TestGrantRepository::load(const Grant& grant)
{
    std::optional<VaultLoadResult> outcome;
    m_vault->load(grant.keychainKey(), this, [&outcome](const VaultLoadResult& result) { outcome = result; });
    [&] { QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 30'000); }();
    return outcome.value_or(VaultLoadResult{});
}

void TestGrantRepository::damageTheFile()
{
    // Another process damaged the file after we loaded it: the next save must fail, never overwrite it.
    QFile file(m_store->filePath());
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("{ damaged");
}

void TestGrantRepository::savesKeychainEntryAndMetadata()
{
    const Grant grant = Grant::create(QStringLiteral("Nightly export"), Now);
    const Credentials credentials(QStringLiteral("client-0123abcd"), QStringLiteral("secret-one"));
    const RepositoryResult result = save(grant, credentials);
    QVERIFY2(result.isSuccess(), qPrintable(result.summary()));

    const VaultLoadResult loaded = load(grant);
    QCOMPARE(loaded.error.code, VaultErrorCode::None);
    QVERIFY(loaded.credentials == credentials);
    const auto stored = m_store->find(grant.id);
    QVERIFY(stored);
    QCOMPARE(stored->clientIdHint, QStringLiteral("…abcd"));

    QFile file(m_store->filePath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray contents = file.readAll();
    QVERIFY(!contents.contains("secret-one"));
    QVERIFY(!contents.contains("client-0123abcd"));
}

void TestGrantRepository::failedMetadataSaveRemovesTheNewEntry()
{
    const Grant grant = Grant::create(QStringLiteral("Nightly export"), Now);
    damageTheFile();
    const RepositoryResult result = save(grant, Credentials(QStringLiteral("client-0123abcd"), QStringLiteral("s1")));
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.vaultError.code, VaultErrorCode::None);
    QCOMPARE(result.storeError.code, StoreErrorCode::Corrupt);
    QCOMPARE(result.rollbackError.code, VaultErrorCode::None);
    QVERIFY(!result.summary().isEmpty());
    QCOMPARE(load(grant).error.code, VaultErrorCode::NotFound);
}

void TestGrantRepository::failedMetadataSaveRestoresTheReplacedSecret()
{
    const Grant grant = Grant::create(QStringLiteral("Nightly export"), Now);
    const Credentials original(QStringLiteral("client-0123abcd"), QStringLiteral("original-secret"));
    QVERIFY(save(grant, original).isSuccess());

    damageTheFile();
    const RepositoryResult result =
        save(grant, Credentials(QStringLiteral("client-0123abcd"), QStringLiteral("rotated-secret")));
    QCOMPARE(result.storeError.code, StoreErrorCode::Corrupt);
    QCOMPARE(result.rollbackError.code, VaultErrorCode::None);
    const VaultLoadResult loaded = load(grant);
    QCOMPARE(loaded.error.code, VaultErrorCode::None);
    QVERIFY(loaded.credentials == original);
}

void TestGrantRepository::editWithoutCredentialsKeepsTheSecret()
{
    Grant grant = Grant::create(QStringLiteral("Nightly export"), Now);
    const Credentials credentials(QStringLiteral("client-0123abcd"), QStringLiteral("secret-one"));
    QVERIFY(save(grant, credentials).isSuccess());

    grant = *m_store->find(grant.id);
    grant.notes = QStringLiteral("now with notes");
    QVERIFY(save(grant, std::nullopt).isSuccess());
    QCOMPARE(m_store->find(grant.id)->notes, QStringLiteral("now with notes"));
    QCOMPARE(m_store->find(grant.id)->clientIdHint, QStringLiteral("…abcd"));
    QVERIFY(load(grant).credentials == credentials);
}

void TestGrantRepository::replacingCredentialsKeepsMetadataEditedElsewhere()
{
    const Grant grant = Grant::create(QStringLiteral("Nightly export"), Now);
    QVERIFY(save(grant, Credentials(QStringLiteral("client-0123abcd"), QStringLiteral("old-secret"))).isSuccess());

    // Another process (the window) edits the grant while this one rotates the secret.
    GrantStore other(m_store->filePath());
    QCOMPARE(other.load().code, StoreErrorCode::None);
    Grant edited = *other.find(grant.id);
    edited.notes = QStringLiteral("edited meanwhile");
    QCOMPARE(other.upsert(edited).code, StoreErrorCode::None);

    const Credentials rotated(QStringLiteral("client-0123wxyz"), QStringLiteral("new-secret"));
    std::optional<RepositoryResult> outcome;
    m_repository->replaceCredentials(grant.id, rotated, this, [&outcome](const RepositoryResult& r) { outcome = r; });
    QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), 30'000);
    QVERIFY2(outcome->isSuccess(), qPrintable(outcome->summary()));
    QCOMPARE(m_store->find(grant.id)->notes, QStringLiteral("edited meanwhile"));
    QCOMPARE(m_store->find(grant.id)->clientIdHint, QStringLiteral("…wxyz"));
    QVERIFY(load(grant).credentials == rotated);
}

void TestGrantRepository::removeDeletesMetadataThenEntry()
{
    const Grant grant = Grant::create(QStringLiteral("Nightly export"), Now);
    QVERIFY(save(grant, Credentials(QStringLiteral("client-0123abcd"), QStringLiteral("s1"))).isSuccess());
    const RepositoryResult result = remove(grant.id);
    QVERIFY2(result.isSuccess(), qPrintable(result.summary()));
    QVERIFY(!m_store->find(grant.id));
    QCOMPARE(load(grant).error.code, VaultErrorCode::NotFound);
}

void TestGrantRepository::removeSucceedsWhenTheEntryIsAlreadyGone()
{
    const Grant grant = Grant::create(QStringLiteral("Nightly export"), Now);
    QCOMPARE(m_store->upsert(grant).code, StoreErrorCode::None); // metadata without a keychain entry
    const RepositoryResult result = remove(grant.id);
    QVERIFY2(result.isSuccess(), qPrintable(result.summary()));
    QVERIFY(!m_store->find(grant.id));
}

void TestGrantRepository::removeWithTheFileLockedKeepsTheGrantAndItsSecret()
{
    const Grant grant = Grant::create(QStringLiteral("Nightly export"), Now);
    const Credentials credentials(QStringLiteral("client-0123abcd"), QStringLiteral("kept-secret"));
    QVERIFY(save(grant, credentials).isSuccess());

    // Another process holds the file's lock past the wait (a lock that cannot be taken: a folder in its place).
    const QString lockPath = m_store->filePath() + QStringLiteral(".lock");
    QVERIFY(QDir().mkdir(lockPath));
    m_store->setLockTimeout(std::chrono::milliseconds(200));
    const RepositoryResult refused = remove(grant.id);
    QVERIFY(!refused.isSuccess());
    QCOMPARE(refused.storeError.code, StoreErrorCode::LockTimeout);
    QCOMPARE(refused.vaultError.code, VaultErrorCode::None);
    // Nothing changed: the grant is listed, on disk too, and its secret is still in the keychain.
    QVERIFY(m_store->find(grant.id));
    GrantStore reread(m_store->filePath());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    QVERIFY(reread.find(grant.id));
    const VaultLoadResult kept = load(grant);
    QCOMPARE(kept.error.code, VaultErrorCode::None);
    QVERIFY(kept.credentials == credentials);

    // Once the lock is gone, removing takes both.
    QVERIFY(QDir().rmdir(lockPath));
    const RepositoryResult removed = remove(grant.id);
    QVERIFY2(removed.isSuccess(), qPrintable(removed.summary()));
    QVERIFY(!m_store->find(grant.id));
    QCOMPARE(load(grant).error.code, VaultErrorCode::NotFound);
}

QTEST_GUILESS_MAIN(TestGrantRepository)
#include "tst_grantrepository.moc"
