// Replacing a grant's secret (DESIGN.md, capability 8): the new secret is verified with a live token first, then
// replaces the stored one, then the attempt is recorded, as a rotation, never as a test of the stored secret.
// The one workflow behind the window's edit dialog and `grantkeeper rotate`.
#pragma once

#include "core/grant/grant.h"
#include "core/grant/grantrepository.h"
#include "core/token/tokenresult.h"
#include "core/vault/credentials.h"
#include "core/vault/vaulterror.h"
#include "core/verdict/testverdict.h"

#include <QCoreApplication>
#include <QObject>
#include <QPointer>

#include <chrono>
#include <optional>

namespace gk {

class Clock;
class CredentialVault;
class TokenClient;
class TokenReply;

struct RotationOutcome
{
    Q_DECLARE_TR_FUNCTIONS(RotationOutcome)

public:
    QString grantName;
    // The server's answer to the new secret. NotTested when it was never asked: the stored Client ID could not be
    // read (keychainError), the rotation was cancelled, or the new secret is the one already stored (unchanged).
    TestVerdict verdict;
    std::optional<TokenResult> token; // when a token was issued: the caller may keep it as the live token
    bool unchanged = false;
    bool replaced = false;  // the new secret is now the stored one
    RepositoryResult saved; // replacing it, when it was verified

    bool isSuccess() const { return replaced; }
    // One sentence of what happened and what to do, the same in the window and on the command line.
    QString summary() const;
    QString advice() const;
};

class SecretRotation : public QObject
{
    Q_OBJECT

public:
    enum class Save {
        CredentialsOnly,     // of the metadata only the Client ID hint changes (edits made elsewhere meanwhile stay)
        GrantAndCredentials, // the grant as given (the edit dialog's metadata) is saved with the new pair
    };

    // None of the parts is owned; all must outlive the rotation.
    SecretRotation(GrantRepository& repository, CredentialVault& vault, TokenClient& client, const Clock& clock,
                   QObject* parent = nullptr);
    ~SecretRotation() override;

    // A regenerated secret: Workiva keeps the Client ID, so it is read from the keychain.
    void rotateSecret(const Grant& grant, const QString& newSecret, std::chrono::milliseconds timeout);
    // A new Client ID and Secret, verified against the grant as given.
    void rotate(const Grant& grant, const Credentials& credentials, std::chrono::milliseconds timeout, Save save);
    // Abandons the rotation before anything was replaced (a replacement under way runs to its end).
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    // Exactly once per rotation, from the event loop.
    void finished(const gk::RotationOutcome& outcome);

private:
    void verify(const Credentials& credentials);
    void replace(const Credentials& credentials);
    void record();
    void finish();

    GrantRepository& m_repository;
    CredentialVault& m_vault;
    TokenClient& m_client;
    const Clock& m_clock;

    Grant m_grant;
    Save m_save = Save::CredentialsOnly;
    std::chrono::milliseconds m_timeout{};
    RotationOutcome m_outcome;
    QPointer<TokenReply> m_reply;
    bool m_running = false;
    quint64 m_generation = 0;
};

} // namespace gk

Q_DECLARE_METATYPE(gk::RotationOutcome)
