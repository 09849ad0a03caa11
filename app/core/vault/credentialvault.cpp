#include "core/vault/credentialvault.h"

#include "core/logging/logcategories.h"
#include "core/vault/secretserviceprobe.h"
#include "core/vault/secretservicereader.h"
#include "core/vault/secretserviceremover.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <qt6keychain/keychain.h>

#ifdef Q_OS_LINUX
#include <QDBusConnection>
#include <QDBusServiceWatcher>
#endif

#include <memory>
#include <utility>

namespace gk {

namespace {

constexpr int EntryFormatVersion = 1;

bool mentionsMissingService(const QString& text)
{
    // With no Secret Service QtKeychain 0.13 says OtherError (not NoBackendAvailable), with D-Bus's own words.
    static const char* const hints[] = {
        "org.freedesktop.secrets",
        "autolaunch",
        "D-Bus",
        "DBus",
        "dbus",
        "No such interface",
        "ServiceUnknown",
        "was not provided by any",
        "Could not connect",
        "NoBackend",
    };
    for (const char* hint : hints) {
        if (text.contains(QLatin1String(hint)))
            return true;
    }
    return false;
}

// QtKeychain runs the jobs of every vault one after another, and reads go around that queue: a read waits for
// the jobs started before it, so it sees what they wrote or removed.
int jobsInFlight = 0;

QList<std::function<void()>>& readsWaitingForJobs()
{
    static QList<std::function<void()>> waiting;
    return waiting;
}

// Keychain reads wait on D-Bus, not on a CPU: their own threads, so a slow Secret Service never holds up
// QtConcurrent work elsewhere in the process.
QThreadPool* readerPool()
{
    static QThreadPool* pool = [] {
        auto* created = new QThreadPool; // lives as long as the process: a read may outlast every vault
        created->setMaxThreadCount(4);
        created->setExpiryTimeout(30'000);
        // The vaults have cancelled their reads by then; let the threads leave libsecret before statics go.
        qAddPostRoutine([] { readerPool()->waitForDone(2'000); });
        return created;
    }();
    return pool;
}

void jobGone()
{
    if (--jobsInFlight > 0)
        return;
    const QList<std::function<void()>> waiting = std::exchange(readsWaitingForJobs(), {});
    for (const auto& read : waiting)
        read();
}

} // namespace

CredentialVault::CredentialVault(const QString& service, QObject* parent)
    : QObject(parent)
    , m_service(service)
{}

CredentialVault::~CredentialVault()
{
    // Their worker threads return at once; nobody waits for their answers any more.
    for (const auto& reader : std::as_const(m_readers))
        reader->cancel();
    for (const auto& remover : std::as_const(m_removers))
        remover->cancel();
    if (m_warmUp)
        m_warmUp->cancel();
}

QByteArray CredentialVault::encode(const QString& key, const Credentials& credentials)
{
    QJsonObject object;
    object.insert(QStringLiteral("v"), EntryFormatVersion);
    object.insert(QStringLiteral("key"), key);
    object.insert(QStringLiteral("client_id"), credentials.clientId());
    object.insert(QStringLiteral("client_secret"), credentials.clientSecret());
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<Credentials> CredentialVault::decode(const QByteArray& data, QString* key)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    if (object.value(QStringLiteral("v")).toInt() != EntryFormatVersion)
        return std::nullopt;
    const Credentials credentials(object.value(QStringLiteral("client_id")).toString(),
                                  object.value(QStringLiteral("client_secret")).toString());
    if (!credentials.isComplete())
        return std::nullopt;
    if (key)
        *key = object.value(QStringLiteral("key")).toString();
    return credentials;
}

VaultError CredentialVault::mapError(int keychainError, const QString& errorString)
{
    switch (static_cast<QKeychain::Error>(keychainError)) {
    case QKeychain::NoError:
        return {};
    case QKeychain::EntryNotFound:
        return VaultError::make(VaultErrorCode::NotFound, errorString);
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return VaultError::make(VaultErrorCode::LockedOrDenied, errorString);
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return VaultError::make(VaultErrorCode::NoKeychain, errorString);
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        break;
    }
    return classifyBackendMessage(errorString);
}

VaultError CredentialVault::classifyBackendMessage(const QString& errorString)
{
    // An item deleted by another process between a search and the call on it (two removals at once) names the
    // item's path under its collection: the entry is gone, the keychain is fine.
    if (errorString.contains(QLatin1String("org.freedesktop.Secret.Item")) &&
        (errorString.contains(QLatin1String("No such interface")) ||
         errorString.contains(QLatin1String("No such object"))))
        return VaultError::make(VaultErrorCode::NotFound, errorString);
    // A keyring that was never created (or could not be unlocked) names the collection's path: that is a
    // locked keychain to unlock, not a missing one.
    if (errorString.contains(QLatin1String("/org/freedesktop/secrets/collection/")))
        return VaultError::make(VaultErrorCode::LockedOrDenied, errorString);
    // Without libsecret QtKeychain cannot load its backend and says no more than this.
    if (errorString == QLatin1String("Unknown error") || mentionsMissingService(errorString))
        return VaultError::make(VaultErrorCode::NoKeychain, errorString);
    return VaultError::make(VaultErrorCode::Other, errorString);
}

void CredentialVault::start(QKeychain::Job* job, QObject* context,
                            std::function<void(QKeychain::Job*, const VaultError&)> done)
{
    if (isStalled()) {
        // An earlier job never finished: a new one would only queue behind it.
        delete job;
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, this, [guard, done = std::move(done)] {
            if (guard)
                done(nullptr, VaultError::make(VaultErrorCode::TimedOut, QStringLiteral("an earlier keychain job "
                                                                                        "has not finished")));
        });
        return;
    }

    // The job deletes itself (deferred) once it has finished, even if the vault is gone by then: it cannot be
    // cancelled, and deleting it earlier would leave libsecret a dangling pointer.
    job->setAutoDelete(true);
    job->setInsecureFallback(false);

    // Shared between the deadline and the job's finish, whichever comes first answers the caller.
    struct State
    {
        bool answered = false;
        bool timedOut = false;
        QPointer<QObject> context;
        std::function<void(QKeychain::Job*, const VaultError&)> done;
    };
    auto state = std::make_shared<State>();
    state->context = context;
    state->done = std::move(done);

    auto* deadline = new QTimer(job);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [this, state, job] {
        if (state->answered)
            return;
        state->answered = true;
        state->timedOut = true;
        ++m_stalledJobs;
        qCWarning(lcVault) << "keychain job for" << job->key() << "missed its deadline of" << m_deadline.count()
                           << "ms";
        if (state->context)
            state->done(nullptr, VaultError::make(VaultErrorCode::TimedOut));
    });

    connect(job, &QKeychain::Job::finished, this, [this, state, deadline](QKeychain::Job* finishedJob) {
        deadline->stop();
        if (state->timedOut) {
            // The late answer is dropped: its caller was already told about the timeout.
            --m_stalledJobs;
            qCInfo(lcVault) << "a late keychain job finished; the keychain is usable again";
            if (m_stalledJobs == 0)
                emit recovered();
            return;
        }
        state->answered = true;
        const VaultError error = mapError(finishedJob->error(), finishedJob->errorString());
        qCDebug(lcVault) << "keychain job for" << finishedJob->key() << "finished:" << error.codeName();
        // libsecret reports a read from a locked collection as "not found" and a delete as done while the
        // item stays: believe either only once the collection is known not to be locked.
        const bool doubtful =
            (qobject_cast<QKeychain::ReadPasswordJob*>(finishedJob) && error.code == VaultErrorCode::NotFound) ||
            (qobject_cast<QKeychain::DeletePasswordJob*>(finishedJob) && !error.isError());
        if (!doubtful) {
            if (state->context)
                state->done(finishedJob, error);
            return;
        }
        // The job deletes itself after this signal; the probe answers later, so pass no job on.
        SecretServiceProbe::isDefaultCollectionLocked(this, [state, error](std::optional<bool> locked) {
            if (!state->context)
                return;
            if (locked.value_or(false))
                state->done(nullptr, VaultError::make(VaultErrorCode::LockedOrDenied,
                                                      QStringLiteral("the keychain's default collection is locked")));
            else
                state->done(nullptr, error);
        });
    });

    deadline->start(m_deadline);
    ++jobsInFlight;
    connect(job, &QObject::destroyed, [] { jobGone(); });
    job->start();
}

void CredentialVault::store(const QString& key, const Credentials& credentials, QObject* context, Handler handler)
{
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setBinaryData(encode(key, credentials));
    qCDebug(lcVault) << "storing" << credentials << "under" << key;
    start(job, context, [handler = std::move(handler)](QKeychain::Job*, const VaultError& error) { handler(error); });
}

void CredentialVault::load(const QString& key, QObject* context, LoadHandler handler)
{
    if (SecretServiceReader::readsMatchQtKeychain()) {
        loadWithSecretService(
            {key}, context, [key, handler = std::move(handler)](const auto& results) { handler(results.value(key)); });
        return;
    }
    loadWithJob(key, context, std::move(handler));
}

void CredentialVault::loadWithJob(const QString& key, QObject* context, LoadHandler handler)
{
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    qCDebug(lcVault) << "loading" << key << "through QtKeychain";
    start(job, context, [key, handler = std::move(handler)](QKeychain::Job* finished, const VaultError& error) {
        VaultLoadResult result;
        result.error = error;
        if (!error.isError() && finished) {
            const auto* readJob = static_cast<QKeychain::ReadPasswordJob*>(finished);
            QString namedKey;
            const auto credentials = decode(readJob->binaryData(), &namedKey);
            if (credentials && (namedKey.isEmpty() || namedKey == key))
                result.credentials = *credentials;
            else
                result.error = VaultError::make(VaultErrorCode::Other,
                                                credentials ? QStringLiteral("the keychain entry names another grant")
                                                            : QStringLiteral("the keychain entry is not in Grant "
                                                                             "Keeper's format"));
        }
        handler(result);
    });
}

void CredentialVault::loadMany(const QStringList& keys, QObject* context, LoadManyHandler handler)
{
    if (SecretServiceReader::readsMatchQtKeychain())
        loadWithSecretService(keys, context, std::move(handler));
    else
        loadWithJobs(keys, context, std::move(handler));
}

void CredentialVault::prepareReads()
{
    if (!SecretServiceReader::readsMatchQtKeychain() || m_warmUp)
        return;
    watchService();
    auto reader = std::make_shared<SecretServiceReader>(m_service);
    m_warmUp = reader;
    auto* watcher = new QFutureWatcher<void>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, reader] {
        if (m_warmUp == reader)
            m_warmUp.reset(); // a later call may try again (after a failure; after success it costs nothing)
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(readerPool(), [reader] { reader->openSession(); }));
}

void CredentialVault::loadWithJobs(const QStringList& keys, QObject* context, LoadManyHandler handler)
{
    // One job after another, as QtKeychain would run them anyway.
    struct State
    {
        QStringList keys;
        QHash<QString, VaultLoadResult> results;
        LoadManyHandler handler;
        std::function<void()> next;
    };
    auto state = std::make_shared<State>();
    state->keys = keys;
    state->keys.removeDuplicates(); // progress is counted in answers
    state->handler = std::move(handler);
    QPointer<QObject> guard(context);
    // The step holds the state weakly; the job in flight holds it strongly, so it lives exactly as long as needed.
    state->next = [this, weakState = std::weak_ptr<State>(state), guard] {
        const auto current = weakState.lock();
        if (!current)
            return;
        if (current->results.size() == current->keys.size()) {
            if (guard)
                current->handler(current->results);
            return;
        }
        const QString key = current->keys.at(current->results.size());
        loadWithJob(key, this, [current, key](const VaultLoadResult& result) {
            current->results.insert(key, result);
            current->next();
        });
    };
    if (keys.isEmpty()) {
        QTimer::singleShot(0, this, [state] { state->next(); });
        return;
    }
    state->next();
}

struct CredentialVault::PendingRead
{
    QStringList keys;
    QPointer<QObject> context;
    LoadManyHandler handler;
    std::shared_ptr<SecretServiceReader> reader; // set once the read has started
    QPointer<QTimer> deadline;
    bool answered = false;
};

void CredentialVault::loadWithSecretService(const QStringList& keys, QObject* context, LoadManyHandler handler)
{
    auto read = std::make_shared<PendingRead>();
    read->keys = keys;
    read->context = context;
    read->handler = std::move(handler);
    if (keys.isEmpty()) {
        QTimer::singleShot(0, this, [this, read] { answer(read, QHash<QString, VaultLoadResult>()); });
        return;
    }
    if (isStalled()) {
        // A job that missed its deadline is still stuck in the Secret Service; a read would most likely be too.
        QTimer::singleShot(0, this, [this, read] {
            answer(read, VaultError::make(VaultErrorCode::TimedOut,
                                          QStringLiteral("an earlier keychain job has not finished")));
        });
        return;
    }

    // One deadline from now, also while the read waits for earlier jobs: the caller hears by then, whatever the
    // job or the worker thread is stuck on, and a late answer is dropped.
    auto* deadline = new QTimer(this);
    read->deadline = deadline;
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [this, read] {
        if (read->answered)
            return;
        qCWarning(lcVault) << "a keychain read missed its deadline of" << m_deadline.count() << "ms; cancelling it";
        if (read->reader)
            read->reader->cancel();
        if (m_warmUp)
            m_warmUp->cancel(); // the read waits for the session it is opening
        answer(read, VaultError::make(VaultErrorCode::TimedOut));
    });
    deadline->start(m_deadline);

    qCDebug(lcVault) << "loading" << keys.size() << (keys.size() == 1 ? keys.constFirst() : QStringLiteral("keys"));
    watchService();
    m_pendingReads.append(read);
    if (jobsInFlight > 0) {
        QPointer<CredentialVault> self(this);
        // Weak: a read answered at its deadline is not kept alive by a queue that may wait on a stuck job.
        readsWaitingForJobs().append([self, waiting = std::weak_ptr<PendingRead>(read)] {
            const auto pending = waiting.lock();
            if (self && pending && !pending->answered)
                self->startRead(pending);
        });
        return;
    }
    startRead(read);
}

void CredentialVault::listKeys(QObject* context, ListHandler handler)
{
    const QPointer<QObject> receiver(context);
    auto deliver = [receiver, handler](const VaultError& error, const QStringList& keys, bool someLocked) {
        if (receiver)
            handler(error, keys, someLocked);
    };
    if (!SecretServiceReader::readsMatchQtKeychain()) {
        QTimer::singleShot(0, this, [deliver] {
            deliver(VaultError::make(VaultErrorCode::Other,
                                     QStringLiteral("listing keychain entries needs the Secret Service (not KWallet)")),
                    {}, false);
        });
        return;
    }
    auto reader = std::make_shared<SecretServiceReader>(m_service);
    auto answered = std::make_shared<bool>(false);
    auto* deadline = new QTimer(this);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [reader, answered, deliver, deadline] {
        deadline->deleteLater();
        if (std::exchange(*answered, true))
            return;
        reader->cancel();
        deliver(VaultError::make(VaultErrorCode::TimedOut), {}, false);
    });
    deadline->start(m_deadline);
    auto* watcher = new QFutureWatcher<SecretServiceListResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [watcher, answered, deliver, timer = QPointer(deadline)] {
        watcher->deleteLater();
        if (timer) // gone already when the deadline came first
            timer->deleteLater();
        if (std::exchange(*answered, true))
            return;
        const SecretServiceListResult result = watcher->result();
        deliver(result.error, result.keys, result.someLocked);
    });
    watcher->setFuture(QtConcurrent::run(readerPool(), [reader] { return reader->listKeys(); }));
}

void CredentialVault::startRead(const std::shared_ptr<PendingRead>& read)
{
    read->reader = std::make_shared<SecretServiceReader>(m_service);
    m_readers.append(read->reader);
    auto* watcher = new QFutureWatcher<SecretServiceReadResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, read] {
        m_readers.removeOne(read->reader);
        watcher->deleteLater();
        if (read->answered)
            return;
        const SecretServiceReadResult result = watcher->result();
        qCDebug(lcVault) << "keychain read of" << read->keys.size() << "keys finished:"
                         << (result.error.isError() ? result.error.codeName() : QStringLiteral("none"));
        if (result.error.isError()) {
            answer(read, result.error);
            return;
        }
        QHash<QString, VaultLoadResult> results;
        bool anyNotFound = false;
        for (const QString& key : std::as_const(read->keys)) {
            const VaultLoadResult entry = result.entries.value(key);
            anyNotFound = anyNotFound || entry.error.code == VaultErrorCode::NotFound;
            results.insert(key, entry);
        }
        if (!anyNotFound) {
            answer(read, results);
            return;
        }
        // An entry may be hidden by a locked collection: believe "not found" only once it is known not to be
        // locked. The deadline still stands meanwhile.
        SecretServiceProbe::isDefaultCollectionLocked(this, [this, read, results](std::optional<bool> locked) mutable {
            if (locked.value_or(false)) {
                const VaultError lockedError = VaultError::make(
                    VaultErrorCode::LockedOrDenied, QStringLiteral("the keychain's default collection is locked"));
                for (auto& entry : results) {
                    if (entry.error.code == VaultErrorCode::NotFound)
                        entry.error = lockedError;
                }
            }
            answer(read, results);
        });
    });
    const auto reader = read->reader;
    const QStringList keys = read->keys;
    watcher->setFuture(QtConcurrent::run(readerPool(), [reader, keys] { return reader->read(keys); }));
}

void CredentialVault::answer(const std::shared_ptr<PendingRead>& read, const VaultError& error)
{
    QHash<QString, VaultLoadResult> results;
    for (const QString& key : std::as_const(read->keys))
        results.insert(key, {error, {}});
    answer(read, results);
}

void CredentialVault::answer(const std::shared_ptr<PendingRead>& read, const QHash<QString, VaultLoadResult>& results)
{
    if (read->answered)
        return;
    read->answered = true;
    m_pendingReads.removeIf([&read](const std::weak_ptr<PendingRead>& pending) {
        const auto locked = pending.lock();
        return !locked || locked == read;
    });
    if (read->deadline)
        read->deadline->deleteLater();
    if (read->context)
        read->handler(results);
}

void CredentialVault::watchService()
{
#ifdef Q_OS_LINUX
    if (m_serviceWatcher)
        return;
    const QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected())
        return; // the read itself says there is no keychain
    qCDebug(lcVault) << "watching the Secret Service's bus name";
    m_serviceWatcher = new QDBusServiceWatcher(QStringLiteral("org.freedesktop.secrets"), bus,
                                               QDBusServiceWatcher::WatchForOwnerChange, this);
    connect(m_serviceWatcher, &QDBusServiceWatcher::serviceOwnerChanged, this,
            [this](const QString&, const QString& oldOwner, const QString& newOwner) {
                qCDebug(lcVault) << "the Secret Service's owner changed from" << oldOwner << "to" << newOwner;
                if (!oldOwner.isEmpty())
                    serviceLeft();
            });
#endif
}

void CredentialVault::serviceLeft()
{
    const QList<std::weak_ptr<PendingRead>> pending = std::exchange(m_pendingReads, {});
    for (const auto& weakRead : pending) {
        const auto read = weakRead.lock();
        if (!read || read->answered)
            continue;
        qCWarning(lcVault) << "the Secret Service left the session bus during a keychain read";
        if (read->reader)
            read->reader->cancel();
        if (m_warmUp)
            m_warmUp->cancel(); // the read may wait for the session it is opening
        answer(read, VaultError::make(VaultErrorCode::ServiceLost, QStringLiteral("it left the session bus")));
    }
}

void CredentialVault::remove(const QString& key, QObject* context, Handler handler)
{
    qCDebug(lcVault) << "removing" << key;
    if (SecretServiceReader::readsMatchQtKeychain()) {
        removeWithSecretService(key, context, std::move(handler));
        return;
    }
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    start(job, context, [handler = std::move(handler)](QKeychain::Job*, const VaultError& error) { handler(error); });
}

void CredentialVault::removeWithSecretService(const QString& key, QObject* context, Handler handler)
{
    struct State
    {
        bool answered = false;
        QPointer<QObject> context;
        Handler handler;
        QPointer<QTimer> deadline;
    };
    auto state = std::make_shared<State>();
    state->context = context;
    state->handler = std::move(handler);
    auto deliver = [state](const VaultError& error) {
        if (std::exchange(state->answered, true))
            return;
        if (state->deadline)
            state->deadline->deleteLater();
        if (state->context)
            state->handler(error);
    };
    auto remover = std::make_shared<SecretServiceRemover>(m_service);
    m_removers.append(remover);

    // Counted as a job: reads started meanwhile wait for it, so they do not find what is being removed.
    ++jobsInFlight;
    auto* deadline = new QTimer(this);
    state->deadline = deadline;
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [this, remover, deliver] {
        qCWarning(lcVault) << "a keychain removal missed its deadline of" << m_deadline.count() << "ms; cancelling it";
        remover->cancel();
        deliver(VaultError::make(VaultErrorCode::TimedOut));
    });
    deadline->start(m_deadline);
    // Not the vault's child: the count of jobs in flight must drop when the removal ends, even if the vault is gone.
    auto* watcher = new QFutureWatcher<VaultError>;
    connect(watcher, &QFutureWatcherBase::finished, watcher,
            [self = QPointer<CredentialVault>(this), watcher, remover, deliver] {
                watcher->deleteLater();
                const VaultError error = watcher->result();
                qCDebug(lcVault) << "keychain removal finished:"
                                 << (error.isError() ? error.codeName() : QStringLiteral("none"));
                if (self)
                    self->m_removers.removeOne(remover);
                deliver(error);
                jobGone();
            });
    watcher->setFuture(QtConcurrent::run(readerPool(), [remover, key] { return remover->remove(key); }));
}

} // namespace gk
