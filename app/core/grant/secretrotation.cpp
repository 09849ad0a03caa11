#include "core/grant/secretrotation.h"

#include "core/expiry/clock.h"
#include "core/grant/grantstore.h"
#include "core/logging/logcategories.h"
#include "core/token/tokenclient.h"
#include "core/vault/credentialvault.h"

#include <QTimer>

namespace gk {

QString RotationOutcome::summary() const
{
    if (replaced) {
        if (verdict.kind() == Verdict::ScopeMissing)
            return tr("The new secret fetched a token and replaced the old one, but the server did not grant %1.")
                .arg(verdict.missingScopes().toString());
        return tr("The new secret fetched a token and replaced the old one.");
    }
    if (unchanged)
        return tr("That is the secret already stored; nothing changed.");
    if (saved.vaultError.isError() || saved.storeError.isError())
        return tr("The new secret works but could not be stored: %1").arg(saved.summary());
    if (verdict.vaultError().isError())
        return tr("The stored Client ID could not be read, so the new secret was not tried: %1")
            .arg(verdict.vaultError().summary());
    if (verdict.localReason() == TestVerdict::LocalReason::Cancelled)
        return tr("The rotation was cancelled; the old secret is still in place.");
    return tr("The new secret was NOT stored, the old one is still in place: %1").arg(verdict.tokenError().summary());
}

QString RotationOutcome::advice() const
{
    if (replaced)
        return verdict.advice();
    if (unchanged)
        return {};
    if (saved.vaultError.isError() || saved.storeError.isError())
        return saved.advice();
    return verdict.advice();
}

SecretRotation::SecretRotation(GrantRepository& repository, CredentialVault& vault, TokenClient& client,
                               const Clock& clock, QObject* parent)
    : QObject(parent)
    , m_repository(repository)
    , m_vault(vault)
    , m_client(client)
    , m_clock(clock)
{}

SecretRotation::~SecretRotation()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->cancel();
    }
}

void SecretRotation::rotateSecret(const Grant& grant, const QString& newSecret, std::chrono::milliseconds timeout)
{
    if (m_running)
        return;
    m_running = true;
    m_grant = grant;
    m_save = Save::CredentialsOnly;
    m_timeout = timeout;
    m_outcome = RotationOutcome{};
    m_outcome.grantName = grant.name;
    const quint64 generation = ++m_generation;
    m_vault.load(grant.keychainKey(), this, [this, generation, newSecret](const VaultLoadResult& loaded) {
        if (generation != m_generation)
            return;
        if (loaded.error.isError()) {
            m_outcome.verdict = TestVerdict::fromKeychain(loaded.error, m_grant.requestedScopes);
            finish();
            return;
        }
        if (loaded.credentials.clientSecret() == newSecret.trimmed()) {
            m_outcome.unchanged = true;
            m_outcome.verdict = TestVerdict::fromToken(
                TokenResult::failure(TokenError::make(TokenErrorCode::Cancelled)), m_grant.requestedScopes);
            finish();
            return;
        }
        verify(Credentials(loaded.credentials.clientId(), newSecret.trimmed()));
    });
}

void SecretRotation::rotate(const Grant& grant, const Credentials& credentials, std::chrono::milliseconds timeout,
                            Save save)
{
    if (m_running)
        return;
    m_running = true;
    m_grant = grant;
    m_save = save;
    m_timeout = timeout;
    m_outcome = RotationOutcome{};
    m_outcome.grantName = grant.name;
    ++m_generation;
    verify(credentials);
}

void SecretRotation::verify(const Credentials& credentials)
{
    m_reply = m_client.fetch(m_grant.tokenRequest(credentials, m_timeout));
    const quint64 generation = m_generation;
    connect(m_reply, &TokenReply::finished, this, [this, generation, credentials](const TokenResult& result) {
        if (generation != m_generation)
            return;
        m_outcome.verdict = TestVerdict::fromToken(result, m_grant.requestedScopes);
        // A token proves the secret, whatever the scopes: those belong to the grant's settings, not to its secret.
        if (!result.isSuccess()) {
            record();
            finish();
            return;
        }
        m_outcome.token = result;
        replace(credentials);
    });
}

void SecretRotation::replace(const Credentials& credentials)
{
    const auto done = [this](const RepositoryResult& saved) {
        m_outcome.saved = saved;
        m_outcome.replaced = saved.isSuccess();
        record();
        finish();
    };
    // The replacement runs to its end even if the rotation is cancelled or deleted meanwhile: half a save is worse.
    if (m_save == Save::GrantAndCredentials)
        m_repository.save(m_grant, credentials, this, done);
    else
        m_repository.replaceCredentials(m_grant.id, credentials, this, done);
}

void SecretRotation::record()
{
    if (!m_outcome.verdict.isRecorded())
        return;
    const QDateTime now = m_clock.now();
    RotationRecord rotation;
    rotation.attemptedAt = now;
    rotation.verdict = m_outcome.verdict.kind();
    rotation.replaced = m_outcome.replaced;
    if (!m_outcome.verdict.isPass() && m_outcome.verdict.kind() != Verdict::ScopeMissing)
        rotation.errorCode = m_outcome.verdict.errorCode();
    else if (!m_outcome.replaced)
        rotation.errorCode = m_outcome.saved.vaultError.isError()
                                 ? QStringLiteral("keychain_") + m_outcome.saved.vaultError.codeName()
                                 : m_outcome.saved.storeError.codeName();
    GrantStore& store = m_repository.store();
    if (const StoreError error = store.appendRotationRecord(m_grant.id, rotation); error.isError())
        qCWarning(lcStore) << "could not record the rotation:" << error.codeName();
    // The new secret is now the grant's: the token it fetched is the grant's test result as well.
    if (!m_outcome.replaced || !m_outcome.token)
        return;
    if (const auto test = TestRecord::of(m_outcome.verdict, &*m_outcome.token, now)) {
        if (const StoreError error = store.appendTestRecord(m_grant.id, *test); error.isError())
            qCWarning(lcStore) << "could not record the test:" << error.codeName();
    }
}

void SecretRotation::cancel()
{
    if (!m_running || m_outcome.token)
        return; // nothing started, or the replacement is under way and must run to its end
    ++m_generation;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->cancel();
    }
    m_outcome.verdict = TestVerdict::fromToken(TokenResult::failure(TokenError::make(TokenErrorCode::Cancelled)),
                                               m_grant.requestedScopes);
    finish();
}

void SecretRotation::finish()
{
    m_running = false;
    m_reply = nullptr;
    const RotationOutcome outcome = m_outcome;
    // From the event loop, so a caller that deletes the rotation in its handler is safe.
    QTimer::singleShot(0, this, [this, outcome] { emit finished(outcome); });
}

} // namespace gk
