#include "core/vault/credentialvault.h"

#include "core/logging/logcategories.h"
#include "core/vault/secretserviceprobe.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

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

} // namespace

CredentialVault::CredentialVault(const QString& service, QObject* parent)
    : QObject(parent)
    , m_service(service)
{}

CredentialVault::~CredentialVault() = default;

QByteArray CredentialVault::encode(const Credentials& credentials)
{
    QJsonObject object;
    object.insert(QStringLiteral("v"), EntryFormatVersion);
    object.insert(QStringLiteral("client_id"), credentials.clientId());
    object.insert(QStringLiteral("client_secret"), credentials.clientSecret());
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<Credentials> CredentialVault::decode(const QByteArray& data)
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
    job->start();
}

void CredentialVault::store(const QString& key, const Credentials& credentials, QObject* context, Handler handler)
{
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setBinaryData(encode(credentials));
    qCDebug(lcVault) << "storing" << credentials << "under" << key;
    start(job, context, [handler = std::move(handler)](QKeychain::Job*, const VaultError& error) { handler(error); });
}

void CredentialVault::load(const QString& key, QObject* context, LoadHandler handler)
{
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    qCDebug(lcVault) << "loading" << key;
    start(job, context, [handler = std::move(handler)](QKeychain::Job* finished, const VaultError& error) {
        VaultLoadResult result;
        result.error = error;
        if (!error.isError() && finished) {
            const auto* readJob = static_cast<QKeychain::ReadPasswordJob*>(finished);
            const auto credentials = decode(readJob->binaryData());
            if (credentials)
                result.credentials = *credentials;
            else
                result.error = VaultError::make(VaultErrorCode::Other,
                                                QStringLiteral("the keychain entry is not in Grant Keeper's format"));
        }
        handler(result);
    });
}

void CredentialVault::remove(const QString& key, QObject* context, Handler handler)
{
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    qCDebug(lcVault) << "removing" << key;
    start(job, context, [handler = std::move(handler)](QKeychain::Job*, const VaultError& error) { handler(error); });
}

} // namespace gk
