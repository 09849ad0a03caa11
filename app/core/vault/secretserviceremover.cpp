#include "core/vault/secretserviceremover.h"

#include "core/logging/logcategories.h"
#include "core/vault/libsecretsession.h"

namespace gk {

#ifdef GK_HAVE_LIBSECRET

using namespace libsecret;

struct SecretServiceRemover::Private
{
    QString service;
    GObjectPtr<GCancellable> cancellable{g_cancellable_new()};
};

SecretServiceRemover::SecretServiceRemover(const QString& service)
    : d(std::make_unique<Private>())
{
    d->service = service;
}

SecretServiceRemover::~SecretServiceRemover() = default;

void SecretServiceRemover::cancel() const
{
    g_cancellable_cancel(d->cancellable.get());
}

VaultError SecretServiceRemover::remove(const QString& key) const
{
    GCancellable* cancellable = d->cancellable.get();
    GError* rawError = nullptr;
    const GObjectPtr<SecretService> service = openService(cancellable, &rawError);
    if (!service)
        return failed(nullptr, rawError);

    const QByteArray serviceName = d->service.toUtf8();
    const QByteArray user = key.toUtf8();
    const HashTablePtr query(g_hash_table_new(g_str_hash, g_str_equal));
    g_hash_table_insert(query.get(), const_cast<char*>("server"), const_cast<char*>(serviceName.constData()));
    g_hash_table_insert(query.get(), const_cast<char*>("user"), const_cast<char*>(user.constData()));
    gchar** unlockedPaths = nullptr;
    gchar** lockedPaths = nullptr;
    if (!secret_service_search_for_dbus_paths_sync(service.get(), qtKeychainSchema(), query.get(), cancellable,
                                                   &unlockedPaths, &lockedPaths, &rawError)) {
        return failed(service.get(), rawError);
    }
    const StrvPtr unlocked(unlockedPaths);
    const StrvPtr locked(lockedPaths);
    QSet<QByteArray> deletable = paths(unlocked.get());

    if (locked && *locked) {
        // A locked entry is unlocked first; the Secret Service may ask the user (as QtKeychain's removal does).
        gchar** nowUnlocked = nullptr;
        secret_service_unlock_dbus_paths_sync(service.get(), const_cast<const gchar**>(locked.get()), cancellable,
                                              &nowUnlocked, &rawError);
        const StrvPtr unlockedNow(nowUnlocked);
        if (rawError)
            return failed(service.get(), rawError);
        const QSet<QByteArray> opened = paths(unlockedNow.get());
        if (!paths(locked.get()).subtract(opened).isEmpty())
            return VaultError::make(VaultErrorCode::LockedOrDenied, QStringLiteral("the keychain stayed locked"));
        deletable.unite(opened);
    }

    for (const QByteArray& path : std::as_const(deletable)) {
        if (secret_service_delete_item_dbus_path_sync(service.get(), path.constData(), cancellable, &rawError))
            continue;
        const ErrorPtr error(rawError);
        rawError = nullptr;
        if (!error)
            continue; // nothing deleted, nothing wrong: gone already
        if (itemVanished(error.get())) {
            qCDebug(lcVault) << "a keychain entry of" << key << "was deleted by someone else meanwhile";
            continue;
        }
        return failed(service.get(), g_error_copy(error.get()));
    }
    // Nothing there, or deleted by another process first: the entry is gone, which is what removing wanted (as with
    // QtKeychain, removing is idempotent).
    return {};
}

#else // no libsecret: QtKeychain's jobs do every removal

struct SecretServiceRemover::Private
{};

SecretServiceRemover::SecretServiceRemover(const QString&)
    : d(std::make_unique<Private>())
{}

SecretServiceRemover::~SecretServiceRemover() = default;

void SecretServiceRemover::cancel() const {}

VaultError SecretServiceRemover::remove(const QString&) const
{
    return VaultError::make(VaultErrorCode::NoKeychain, QStringLiteral("built without libsecret"));
}

#endif

} // namespace gk
