// Deletes QtKeychain's entry for one key straight in the Secret Service, with libsecret's D-Bus path calls.
// QtKeychain deletes through secret_password_clear(), which (libsecret 0.20) completes its task twice when an item
// it found is deleted by someone else before its own Delete call lands (two removals at once: GLib's
// "g_task_return_boolean: assertion '!task->ever_returned'") and passes on "No such interface … on object at path
// /org/freedesktop/secrets/collection/…", which reads like a locked keychain. Here an item that vanished meanwhile is
// what removing wanted.
//
// remove() blocks: run it on a worker thread. cancel() may be called from any thread, also before remove().
#pragma once

#include "core/vault/vaulterror.h"

#include <QString>

#include <memory>

namespace gk {

class SecretServiceRemover
{
public:
    explicit SecretServiceRemover(const QString& service);
    ~SecretServiceRemover();
    SecretServiceRemover(const SecretServiceRemover&) = delete;
    SecretServiceRemover& operator=(const SecretServiceRemover&) = delete;

    // Deletes every entry of key (unlocking its collection first if needed, as QtKeychain does). No error once the
    // entry is gone, also when there was none or another process deleted it first; LockedOrDenied when the
    // collection stayed locked.
    VaultError remove(const QString& key) const;
    // Makes a removal in progress return at once with TimedOut.
    void cancel() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gk
