#include "core/grant/grantrepository.h"

#include "core/grant/grantstore.h"
#include "core/logging/logcategories.h"
#include "core/vault/credentialvault.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>

namespace gk {

QString RepositoryResult::summary() const
{
    if (vaultError.isError())
        return vaultError.summary();
    if (!storeError.isError())
        return {};
    if (rollbackError.isError())
        return storeError.summary() + QLatin1Char(' ') +
               QCoreApplication::translate("GrantRepository", "Undoing the keychain change failed as well: %1")
                   .arg(rollbackError.summary());
    return storeError.summary();
}

QString RepositoryResult::advice() const
{
    if (vaultError.isError())
        return vaultError.advice();
    return storeError.advice();
}

GrantRepository::GrantRepository(GrantStore& store, CredentialVault& vault, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_vault(vault)
{}

void GrantRepository::save(const Grant& grant, const std::optional<Credentials>& credentials, QObject* context,
                           Handler handler)
{
    if (!credentials) {
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, this, [this, grant, guard, handler] {
            if (!guard)
                return;
            RepositoryResult result;
            result.storeError = m_store.upsert(grant);
            handler(result);
        });
        return;
    }

    Grant withHint = grant;
    withHint.clientIdHint = credentials->clientIdHint();
    const QString key = grant.keychainKey();
    const bool existing = m_store.find(grant.id).has_value();

    const auto storeNew = [this, withHint, credentials, key, context,
                           handler](const std::optional<Credentials>& previous) {
        m_vault.store(key, *credentials, context,
                      [this, withHint, previous, context, handler](const VaultError& error) {
                          if (error.isError()) {
                              RepositoryResult result;
                              result.vaultError = error;
                              handler(result);
                              return;
                          }
                          writeMetadata(withHint, previous, context, handler);
                      });
    };

    if (!existing) {
        storeNew(std::nullopt);
        return;
    }
    // Keep the current entry so it can be put back if the metadata cannot be saved.
    m_vault.load(key, context, [storeNew, handler](const VaultLoadResult& loaded) {
        if (loaded.error.isError() && loaded.error.code != VaultErrorCode::NotFound) {
            RepositoryResult result;
            result.vaultError = loaded.error;
            handler(result);
            return;
        }
        storeNew(loaded.error.isError() ? std::nullopt : std::optional<Credentials>(loaded.credentials));
    });
}

void GrantRepository::writeMetadata(const Grant& grant, const std::optional<Credentials>& previous, QObject* context,
                                    Handler handler)
{
    RepositoryResult result;
    result.storeError = m_store.upsert(grant);
    if (!result.storeError.isError()) {
        handler(result);
        return;
    }
    qCWarning(lcStore) << "metadata save failed, undoing the keychain change:" << result.storeError.codeName();
    const auto afterRollback = [result, handler](const VaultError& rollbackError) mutable {
        result.rollbackError = rollbackError;
        handler(result);
    };
    if (previous)
        m_vault.store(grant.keychainKey(), *previous, context, afterRollback);
    else
        m_vault.remove(grant.keychainKey(), context, afterRollback);
}

void GrantRepository::remove(const QUuid& id, QObject* context, Handler handler)
{
    const QString key = id.toString(QUuid::WithoutBraces);
    m_vault.remove(key, context, [this, id, handler](const VaultError& error) {
        RepositoryResult result;
        // An entry that is already gone is what removing wanted.
        if (error.isError() && error.code != VaultErrorCode::NotFound) {
            result.vaultError = error;
            handler(result);
            return;
        }
        result.storeError = m_store.remove(id);
        handler(result);
    });
}

} // namespace gk
