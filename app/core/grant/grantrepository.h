// Saves and removes grants across the keychain and the grants file, all or nothing.
#pragma once

#include "core/grant/grant.h"
#include "core/grant/storeerror.h"
#include "core/vault/credentials.h"
#include "core/vault/vaulterror.h"

#include <QObject>
#include <QUuid>

#include <functional>
#include <optional>

namespace gk {

class CredentialVault;
class GrantStore;

struct RepositoryResult
{
    VaultError vaultError;    // the keychain step failed (nothing was changed)
    StoreError storeError;    // the file step failed (a save's keychain step was undone, see rollbackError)
    VaultError rollbackError; // undoing the keychain step failed too: the keychain may hold an orphan entry
    // Removing: the grant is gone from the file, but its keychain entry could not be deleted and is left over.
    VaultError leftoverError;
    QString leftoverService; // where the left-over entry is, to clear it by hand
    QString leftoverKey;

    bool isSuccess() const { return !vaultError.isError() && !storeError.isError() && !leftoverError.isError(); }
    // Removing: whether the grant is gone from the file (also when its keychain entry was left over).
    bool removedFromList() const { return !vaultError.isError() && !storeError.isError(); }
    QString summary() const;
    QString advice() const;
};

// Every step runs to its end even if the caller's context object is destroyed meanwhile; only the final report
// is then dropped. Saving writes the keychain entry first and the metadata second; if the metadata cannot be saved, the
// new keychain entry is removed again, or the replaced one restored. Removing changes the metadata first and deletes
// the keychain entry last: a file that cannot be written leaves grant and secret as they were, and an entry that
// cannot be deleted is reported as left over (a secret nobody points at), never a grant whose secret is gone.
class GrantRepository : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<void(const RepositoryResult&)>;

    GrantRepository(GrantStore& store, CredentialVault& vault, QObject* parent = nullptr);

    GrantStore& store() { return m_store; }

    // credentials: the new Client ID and Secret, or nullopt to keep the stored ones (an edit of metadata only).
    // The grant's clientIdHint is set from the new credentials. The handler runs once, from the event loop.
    void save(const Grant& grant, const std::optional<Credentials>& credentials, QObject* context, Handler handler);
    // Rotation: new credentials for an existing grant; of the metadata only the Client ID hint changes, so
    // edits made meanwhile by another process are kept.
    void replaceCredentials(const QUuid& id, const Credentials& credentials, QObject* context, Handler handler);
    void remove(const QUuid& id, QObject* context, Handler handler);

    // True while a save, rotation or removal has not reached its end. Quitting then would leave a keychain
    // entry without metadata (or the other way round): wait for idle().
    bool isBusy() const { return m_pending > 0; }

signals:
    void idle();

private:
    // Counts the operation as pending until its report; drops the report if the caller is gone.
    Handler guarded(QObject* context, Handler handler);
    // Stores the entry (keeping the old one when mayExist), then runs writeMetadata; undoes the keychain step
    // if that fails.
    void replaceEntry(const QString& key, const Credentials& credentials, bool mayExist,
                      std::function<StoreError()> writeMetadata, Handler report);

    GrantStore& m_store;
    CredentialVault& m_vault;
    int m_pending = 0;
};

} // namespace gk
