#include "core/vault/vaulterror.h"

#include <QCoreApplication>

namespace gk {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("VaultError", text);
}

} // namespace

VaultError VaultError::make(VaultErrorCode code, const QString& backendMessage)
{
    VaultError error;
    error.code = code;
    error.backendMessage = backendMessage;
    return error;
}

QString VaultError::codeName() const
{
    switch (code) {
    case VaultErrorCode::None:
        return QStringLiteral("none");
    case VaultErrorCode::NotFound:
        return QStringLiteral("not_found");
    case VaultErrorCode::LockedOrDenied:
        return QStringLiteral("locked");
    case VaultErrorCode::NoKeychain:
        return QStringLiteral("no_keychain");
    case VaultErrorCode::ServiceLost:
        return QStringLiteral("service_lost");
    case VaultErrorCode::TimedOut:
        return QStringLiteral("timed_out");
    case VaultErrorCode::Other:
        return QStringLiteral("other");
    }
    return QStringLiteral("other");
}

QString VaultError::summary() const
{
    switch (code) {
    case VaultErrorCode::None:
        return {};
    case VaultErrorCode::NotFound:
        return tr("The keychain has no Client ID and Secret for this grant.");
    case VaultErrorCode::LockedOrDenied:
        return tr("The keychain is locked or refused access.");
    case VaultErrorCode::NoKeychain:
        return tr("No keychain is available (no Secret Service is running).");
    case VaultErrorCode::ServiceLost:
        return tr("The keychain service stopped answering (%1).")
            .arg(backendMessage.isEmpty() ? tr("it left the session") : backendMessage);
    case VaultErrorCode::TimedOut:
        return tr("The keychain did not answer in time.");
    case VaultErrorCode::Other:
        return backendMessage.isEmpty() ? tr("The keychain reported an error.")
                                        : tr("The keychain reported an error: %1.").arg(backendMessage);
    }
    return {};
}

QString VaultError::advice() const
{
    switch (code) {
    case VaultErrorCode::None:
        return {};
    case VaultErrorCode::NotFound:
        // Never "regenerate": the server did not refuse anything, and regenerating would break every other copy.
        return tr("Enter the grant's Client ID and Secret again (Edit Grant in the window). The entry may have been "
                  "removed by a keychain reset or another program; a keychain backup may still hold it.");
    case VaultErrorCode::LockedOrDenied:
        return tr("Unlock the login keyring (for example by logging in to the desktop or opening Passwords and "
                  "Keys), allow Grant Keeper access, and try again.");
    case VaultErrorCode::NoKeychain:
        return tr("Start a Secret Service such as GNOME Keyring or KWallet in this session, and check that "
                  "libsecret-1-0 is installed. Grant Keeper never stores secrets in a plain file instead.");
    case VaultErrorCode::ServiceLost:
        // Not "missing": every entry is most likely intact, and nothing about the grant failed.
        return tr("Start it again and retry.");
    case VaultErrorCode::TimedOut:
        return tr("A keychain prompt may be waiting for an answer. Answer or close it; if nothing is shown, restart "
                  "the keyring service or Grant Keeper.");
    case VaultErrorCode::Other:
        return tr("Check that the keychain service is running and unlocked, then try again.");
    }
    return {};
}

} // namespace gk
