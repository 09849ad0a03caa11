// Reads QtKeychain's entries of one service straight from the Secret Service with libsecret: any number of keys
// with one search and one GetSecrets call, over libsecret's encrypted (Diffie-Hellman) session. QtKeychain reads
// one key per job, one job at a time, and looks a binary entry up twice (as text first), which made a batch of
// 500 grants wait over a second for its secrets. Writes and removals stay with QtKeychain.
//
// read() blocks: run it on a worker thread. cancel() may be called from any thread, also before read().
#pragma once

#include "core/vault/vaultloadresult.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

namespace gk {

struct SecretServiceReadResult
{
    VaultError error;                        // set when the read failed as a whole (no keychain, cancelled, ...)
    QHash<QString, VaultLoadResult> entries; // one per requested key when error is not set
};

struct SecretServiceListResult
{
    VaultError error; // set when the keychain could not be searched
    QStringList keys; // every key of the service's entries, locked ones included, each once
    bool someLocked = false;
};

class SecretServiceReader
{
public:
    // False when Grant Keeper was built without libsecret (not Linux): use QtKeychain's jobs instead.
    static bool isAvailable();
    // True when reading here finds what QtKeychain wrote: built with libsecret, and not in a KDE session, where
    // QtKeychain (0.13 on KDE 4 and Plasma 5; 0.14 also on Plasma 6) writes to KWallet when kwalletd runs.
    static bool readsMatchQtKeychain();

    explicit SecretServiceReader(const QString& service);
    ~SecretServiceReader();
    SecretServiceReader(const SecretServiceReader&) = delete;
    SecretServiceReader& operator=(const SecretServiceReader&) = delete;

    // Unlocks the collection if needed (the Secret Service may ask the user) and reads every key in keys.
    // A key with no entry reads as NotFound, a key whose collection stayed locked as LockedOrDenied.
    SecretServiceReadResult read(const QStringList& keys) const;
    // Every key that has an entry of this service, without reading a secret or unlocking anything (attributes are
    // readable in a locked collection too).
    SecretServiceListResult listKeys() const;
    // Opens the process's connection and session to the Secret Service, which every read then shares.
    void openSession() const;
    // Makes a read (or openSession()) in progress return at once with TimedOut.
    void cancel() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace gk
