#include "core/vault/libsecretsession.h"

#ifdef GK_HAVE_LIBSECRET

#include "core/vault/credentialvault.h"

#include <QMutex>
#include <QString>

namespace gk::libsecret {

namespace {

QMutex serviceMutex;
SecretService* sharedService = nullptr;

} // namespace

const SecretSchema* qtKeychainSchema()
{
    static const SecretSchema schema = {
        "org.qt.keychain",
        SECRET_SCHEMA_DONT_MATCH_NAME,
        {
            {"user", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"server", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {"type", SECRET_SCHEMA_ATTRIBUTE_STRING},
            {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING},
        },
        0,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
        nullptr,
    };
    return &schema;
}

GObjectPtr<SecretService> openService(GCancellable* cancellable, GError** error)
{
    QMutexLocker locker(&serviceMutex);
    if (!sharedService) {
        sharedService =
            secret_service_open_sync(SECRET_TYPE_SERVICE, nullptr, SECRET_SERVICE_OPEN_SESSION, cancellable, error);
        if (!sharedService)
            return nullptr;
    }
    return GObjectPtr<SecretService>(static_cast<SecretService*>(g_object_ref(sharedService)));
}

void forgetService(SecretService* service)
{
    QMutexLocker locker(&serviceMutex);
    if (service && sharedService == service) {
        g_object_unref(sharedService);
        sharedService = nullptr;
    }
}

VaultError toVaultError(const GError* error)
{
    const QString message = QString::fromUtf8(error->message);
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return VaultError::make(VaultErrorCode::TimedOut, message);
    // The connection to the bus itself broke (the bus or its socket went away).
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
        g_error_matches(error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
        g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
        g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED))
        return VaultError::make(VaultErrorCode::ServiceLost, message);
    if (error->domain == SECRET_ERROR) {
        switch (error->code) {
        case SECRET_ERROR_IS_LOCKED:
            return VaultError::make(VaultErrorCode::LockedOrDenied, message);
        case SECRET_ERROR_NO_SUCH_OBJECT:
            return VaultError::make(VaultErrorCode::NotFound, message);
        default:
            return VaultError::make(VaultErrorCode::Other, message);
        }
    }
    if (error->domain == G_DBUS_ERROR) {
        switch (error->code) {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_UNKNOWN_METHOD:
        case G_DBUS_ERROR_UNKNOWN_OBJECT:
        case G_DBUS_ERROR_UNKNOWN_INTERFACE:
            return VaultError::make(VaultErrorCode::NoKeychain, message);
        case G_DBUS_ERROR_ACCESS_DENIED:
        case G_DBUS_ERROR_AUTH_FAILED:
            return VaultError::make(VaultErrorCode::LockedOrDenied, message);
        case G_DBUS_ERROR_NO_REPLY:
            // Also what a call gets when the Secret Service stops (crashes, is killed) before it answers: that is
            // a keychain gone, not a prompt that may still be waiting.
            if (message.contains(QLatin1String("disconnected"), Qt::CaseInsensitive))
                return VaultError::make(VaultErrorCode::ServiceLost, message);
            return VaultError::make(VaultErrorCode::TimedOut, message);
        case G_DBUS_ERROR_TIMEOUT:
        case G_DBUS_ERROR_TIMED_OUT:
            return VaultError::make(VaultErrorCode::TimedOut, message);
        default:
            break;
        }
    }
    // No session bus at all ("Cannot autolaunch D-Bus …") and the like: the same words QtKeychain passes on.
    return CredentialVault::classifyBackendMessage(message);
}

VaultError failed(SecretService* service, GError* rawError)
{
    const ErrorPtr error(rawError);
    VaultError result =
        error ? toVaultError(error.get())
              : VaultError::make(VaultErrorCode::Other, QStringLiteral("libsecret failed without a reason"));
    // With a session open the Secret Service was there: one that is gone now stopped (was killed, crashed) since.
    if (service && result.code == VaultErrorCode::NoKeychain)
        result.code = VaultErrorCode::ServiceLost;
    if (result.code == VaultErrorCode::NoKeychain || result.code == VaultErrorCode::ServiceLost ||
        result.code == VaultErrorCode::Other)
        forgetService(service);
    return result;
}

bool itemVanished(const GError* error)
{
    return g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
           g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
           g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
           g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
}

QSet<QByteArray> paths(gchar** strings)
{
    QSet<QByteArray> set;
    for (gchar** path = strings; path && *path; ++path)
        set.insert(QByteArray(*path));
    return set;
}

} // namespace gk::libsecret

#endif
