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
    if (leftoverError.isError())
        return QCoreApplication::translate("GrantRepository",
                                           "The grant was removed from the list, but its keychain entry could not be "
                                           "deleted: %1")
            .arg(leftoverError.summary());
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
    if (leftoverError.isError())
        return QCoreApplication::translate("GrantRepository",
                                           "The Client ID and Secret are left over in the keychain (service %1, key "
                                           "%2); delete that entry once the keychain is available, on Linux with: "
                                           "secret-tool clear server %1 user %2")
            .arg(leftoverService, leftoverKey);
    return storeError.advice();
}

GrantRepository::GrantRepository(GrantStore& store, CredentialVault& vault, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_vault(vault)
{}

GrantRepository::Handler GrantRepository::guarded(QObject* context, Handler handler)
{
    // The steps run to the end whatever happens to the caller (a closed dialog must not leave half a save);
    // only the final report is dropped when the caller is gone.
    ++m_pending;
    return [this, guard = QPointer<QObject>(context), handler = std::move(handler)](const RepositoryResult& result) {
        if (guard)
            handler(result);
        if (--m_pending == 0)
            emit idle();
    };
}

void GrantRepository::save(const Grant& grant, const std::optional<Credentials>& credentials, QObject* context,
                           Handler handler)
{
    Handler report = guarded(context, std::move(handler));
    if (!credentials) {
        QTimer::singleShot(0, this, [this, grant, report] {
            RepositoryResult result;
            result.storeError = m_store.upsert(grant);
            report(result);
        });
        return;
    }
    Grant withHint = grant;
    withHint.clientIdHint = credentials->clientIdHint();
    const bool existing = m_store.find(grant.id).has_value();
    replaceEntry(
        grant.keychainKey(), *credentials, existing, [this, withHint] { return m_store.upsert(withHint); }, report);
}

void GrantRepository::replaceCredentials(const QUuid& id, const Credentials& credentials, QObject* context,
                                         Handler handler)
{
    const QString hint = credentials.clientIdHint();
    replaceEntry(
        id.toString(QUuid::WithoutBraces), credentials, true,
        [this, id, hint] { return m_store.updateClientIdHint(id, hint); }, guarded(context, std::move(handler)));
}

void GrantRepository::replaceEntry(const QString& key, const Credentials& credentials, bool mayExist,
                                   std::function<StoreError()> writeMetadata, Handler report)
{
    const auto storeNew = [this, key, credentials, writeMetadata, report](const std::optional<Credentials>& previous) {
        m_vault.store(key, credentials, this, [this, key, previous, writeMetadata, report](const VaultError& error) {
            RepositoryResult result;
            if (error.isError()) {
                result.vaultError = error;
                report(result);
                return;
            }
            result.storeError = writeMetadata();
            if (!result.storeError.isError()) {
                report(result);
                return;
            }
            qCWarning(lcStore) << "metadata save failed, undoing the keychain change:" << result.storeError.codeName();
            const auto afterRollback = [result, report](const VaultError& rollbackError) mutable {
                result.rollbackError = rollbackError;
                report(result);
            };
            if (previous)
                m_vault.store(key, *previous, this, afterRollback);
            else
                m_vault.remove(key, this, afterRollback);
        });
    };

    if (!mayExist) {
        storeNew(std::nullopt);
        return;
    }
    // Keep the current entry so it can be put back if the metadata cannot be saved.
    m_vault.load(key, this, [storeNew, report](const VaultLoadResult& loaded) {
        if (loaded.error.isError() && loaded.error.code != VaultErrorCode::NotFound) {
            RepositoryResult result;
            result.vaultError = loaded.error;
            report(result);
            return;
        }
        storeNew(loaded.error.isError() ? std::nullopt : std::optional<Credentials>(loaded.credentials));
    });
}

void GrantRepository::remove(const QUuid& id, QObject* context, Handler handler)
{
    Handler report = guarded(context, std::move(handler));
    // From the event loop, as every report: a caller removing several grants gets no report inside this call.
    QTimer::singleShot(0, this, [this, id, report] {
        RepositoryResult result;
        // The metadata first: when the file cannot be written (its lock held, a full disk), nothing has changed and
        // the grant keeps its secret.
        result.storeError = m_store.remove(id);
        if (result.storeError.isError()) {
            report(result);
            return;
        }
        const QString key = id.toString(QUuid::WithoutBraces);
        m_vault.remove(key, this, [this, key, result, report](const VaultError& error) mutable {
            // An entry that is already gone is what removing wanted.
            if (error.isError() && error.code != VaultErrorCode::NotFound) {
                qCInfo(lcStore) << "grant removed, its keychain entry left over:" << error.codeName();
                result.leftoverError = error;
                result.leftoverService = m_vault.service();
                result.leftoverKey = key;
            }
            report(result);
        });
    });
}

} // namespace gk
