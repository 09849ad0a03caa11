#include "cli/rotatecommand.h"

#include "cli/clioutput.h"
#include "cli/secretinput.h"
#include "core/expiry/clock.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/settings/preferences.h"
#include "core/token/tokenclient.h"
#include "core/vault/credentialcheck.h"
#include "core/vault/credentialvault.h"

namespace gk::cli {

QString RotateCommand::summary() const
{
    return tr("Replace a grant's secret with a regenerated one (standard input), after a live test proves it.");
}

void RotateCommand::addOptions(QCommandLineParser& parser)
{
    addTimeoutOption(parser);
    parser.addPositionalArgument(QStringLiteral("NAME"), tr("The grant."));
}

void RotateCommand::run(const QCommandLineParser& parser)
{
    const auto timeout = timeoutOption(parser);
    if (!timeout)
        return;
    const auto grant = singleGrantArgument(parser);
    if (!grant)
        return;

    SecretInput input(m_context.output);
    const auto newSecret = input.readLine(tr("New Client Secret for \"%1\" (not shown): ").arg(grant->name), true);
    if (const auto problem = CredentialCheck::checkSecret(newSecret.value_or(QString()))) {
        m_context.output.error(problem->message);
        finish(ExitBadInput);
        return;
    }

    // Regenerating a secret keeps the Client ID: take it from the keychain.
    m_context.vault.load(
        grant->keychainKey(), this,
        [this, grant = *grant, newSecret = newSecret->trimmed(), timeout](const VaultLoadResult& loaded) {
            if (loaded.error.isError()) {
                m_context.output.error(
                    QStringLiteral("%1: %2 %3").arg(grant.name, loaded.error.summary(), loaded.error.advice()));
                finish(ExitKeychain);
                return;
            }
            if (loaded.credentials.clientSecret() == newSecret) {
                m_context.output.error(tr("%1: that is the secret already stored; nothing changed.").arg(grant.name));
                finish(ExitBadInput);
                return;
            }
            verify(grant, Credentials(loaded.credentials.clientId(), newSecret), *timeout);
        });
}

void RotateCommand::verify(const Grant& grant, const Credentials& credentials, std::chrono::seconds timeout)
{
    TokenReply* reply = m_context.client.fetch(grant.tokenRequest(credentials, timeout));
    connect(reply, &TokenReply::finished, this, [this, grant, credentials](const TokenResult& result) {
        m_context.store.appendTestRecord(grant.id, TestRecord::fromTokenResult(result, m_context.clock.now()));
        if (!result.isSuccess()) {
            m_context.output.error(tr("%1: the new secret was NOT stored, the old one is still in place: %2 %3")
                                       .arg(grant.name, result.error().summary(), result.error().advice()));
            finish(exitCodeFor(result.error().failureClass()));
            return;
        }
        m_context.repository.replaceCredentials(
            grant.id, credentials, this, [this, grant](const RepositoryResult& saved) {
                if (!saved.isSuccess()) {
                    m_context.output.error(tr("%1: the new secret works but could not be stored: %2 %3")
                                               .arg(grant.name, saved.summary(), saved.advice()));
                    finish(saved.vaultError.isError() ? ExitKeychain : ExitBadInput);
                    return;
                }
                m_context.output.line(
                    tr("Rotated \"%1\": the new secret fetched a token and replaced the old one.").arg(grant.name));
                finish(ExitOk);
            });
    });
}

} // namespace gk::cli
