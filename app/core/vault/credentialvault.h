// The only place secrets are stored: one OS keychain entry per grant, through QtKeychain, never in plaintext.
#pragma once

#include "core/vault/credentials.h"
#include "core/vault/vaulterror.h"
#include "core/vault/vaultloadresult.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QDBusServiceWatcher;

namespace QKeychain {
class Job;
}

namespace gk {

class SecretServiceReader;
class SecretServiceRemover;

// Asynchronous: every call returns at once and calls its handler exactly once, later, from the event loop,
// unless the context object is destroyed first. Writes are QtKeychain jobs, which run one after
// another; each job gets a deadline, and after a job misses it the vault refuses new work (TimedOut) until
// that job has finished, because the libsecret backend cannot cancel it and every later job would queue
// behind it. Reads go straight to the Secret Service on a worker thread (SecretServiceReader) where libsecret
// is available: many keys in one round trip, cancelled when they miss the deadline. So do removals
// (SecretServiceRemover): QtKeychain's, through libsecret, break when another process removes the same entry.
class CredentialVault : public QObject
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds DefaultDeadline{10'000};

    using LoadHandler = std::function<void(const VaultLoadResult&)>;
    using LoadManyHandler = std::function<void(const QHash<QString, VaultLoadResult>&)>;
    using Handler = std::function<void(const VaultError&)>;
    // keys: every key this service has an entry for; someLocked: entries in a locked collection are among them.
    using ListHandler = std::function<void(const VaultError& error, const QStringList& keys, bool someLocked)>;

    // service: the keychain service name, normally AppIdentity::keychainService().
    explicit CredentialVault(const QString& service, QObject* parent = nullptr);
    ~CredentialVault() override;

    void setDeadline(std::chrono::milliseconds deadline) { m_deadline = deadline; }
    std::chrono::milliseconds deadline() const { return m_deadline; }
    QString service() const { return m_service; }

    // key: the grant's UUID (without braces).
    void store(const QString& key, const Credentials& credentials, QObject* context, Handler handler);
    void load(const QString& key, QObject* context, LoadHandler handler);
    // Reads every key at once (one Secret Service round trip where QtKeychain itself would use the Secret
    // Service, else one QtKeychain job per key); the handler gets one result per key. A Secret Service read has
    // one deadline for all its keys, counted from this call.
    void loadMany(const QStringList& keys, QObject* context, LoadManyHandler handler);
    // Opens the connection and encrypted session to the Secret Service on a worker thread now, so that a read
    // soon after starts without waiting for them (the command line calls it before it loads the grants).
    // Reads nothing and asks the user nothing; does nothing where reads go through QtKeychain.
    void prepareReads();
    // Idempotent: an entry that is not there (also because another process removed it first) is no error.
    void remove(const QString& key, QObject* context, Handler handler);
    // Every key with an entry of this service, without reading a secret or asking the user anything; for finding
    // entries no grant points at. Only where reads go to the Secret Service (not KWallet): elsewhere an error says
    // so. Answers by the deadline.
    void listKeys(QObject* context, ListHandler handler);

    // True while a job that missed its deadline is still outstanding.
    bool isStalled() const { return m_stalledJobs > 0; }

    // The stored form of one entry: versioned JSON, so the format can evolve. It names its own key, so a bulk
    // read can tell the entries apart without asking for each one's attributes (entries written before the key
    // was added decode with an empty key).
    static QByteArray encode(const QString& key, const Credentials& credentials);
    static std::optional<Credentials> decode(const QByteArray& data, QString* key = nullptr);

    // Maps QtKeychain's error code and text to ours (public for the unit test of the mapping).
    static VaultError mapError(int keychainError, const QString& errorString);
    // What a backend's error text alone says: a missing Secret Service, a locked collection, or something else.
    static VaultError classifyBackendMessage(const QString& errorString);

signals:
    // The keychain answered again after a job had missed its deadline.
    void recovered();

private:
    void loadWithJob(const QString& key, QObject* context, LoadHandler handler);
    void loadWithJobs(const QStringList& keys, QObject* context, LoadManyHandler handler);
    struct PendingRead;
    void loadWithSecretService(const QStringList& keys, QObject* context, LoadManyHandler handler);
    void startRead(const std::shared_ptr<PendingRead>& read);
    void answer(const std::shared_ptr<PendingRead>& read, const VaultError& error);
    // Watches the Secret Service's bus name from the first read on: when its owner leaves, a read in progress is told
    // so at once, whatever libsecret still waits for (the bus may be starting a new daemon for it).
    void watchService();
    void serviceLeft();
    void answer(const std::shared_ptr<PendingRead>& read, const QHash<QString, VaultLoadResult>& results);
    void removeWithSecretService(const QString& key, QObject* context, Handler handler);
    void start(QKeychain::Job* job, QObject* context, std::function<void(QKeychain::Job*, const VaultError&)> done);

    QString m_service;
    std::chrono::milliseconds m_deadline = DefaultDeadline;
    int m_stalledJobs = 0;
    QList<std::shared_ptr<SecretServiceReader>> m_readers; // reads in progress, cancelled if the vault goes
    QList<std::weak_ptr<PendingRead>> m_pendingReads;      // unanswered Secret Service reads
    QDBusServiceWatcher* m_serviceWatcher = nullptr;
    QList<std::shared_ptr<SecretServiceRemover>> m_removers; // removals in progress, cancelled if the vault goes
    std::shared_ptr<SecretServiceReader> m_warmUp;           // prepareReads() in progress
};

} // namespace gk
