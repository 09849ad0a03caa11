#include "cli/rotatecommand.h"

#include "cli/clioutput.h"
#include "cli/secretinput.h"
#include "core/vault/credentialcheck.h"

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
    if (finishIfInterrupted())
        return;
    if (!input.problem().isEmpty()) {
        m_context.output.error(input.problem() + tr(" Nothing was changed."));
        finish(ExitBadInput);
        return;
    }
    if (const auto problem = CredentialCheck::checkSecret(newSecret.value_or(QString()))) {
        m_context.output.error(problem->message + tr(" Nothing was changed."));
        finish(ExitBadInput);
        return;
    }
    if (input.hasUnreadInput()) {
        // Rotation keeps the Client ID: a second line is most likely an ID and secret given the add way round.
        m_context.output.error(tr("Standard input has more than one line: give only the new secret (rotation "
                                  "keeps the Client ID). Nothing was changed."));
        finish(ExitBadInput);
        return;
    }
    if (finishIfInterrupted()) // while reading what was left on standard input
        return;

    // Regenerating a secret keeps the Client ID: the rotation reads it from the keychain.
    m_rotation = new SecretRotation(m_context.repository, m_context.vault, m_context.client, m_context.clock, this);
    connect(m_rotation, &SecretRotation::finished, this, &RotateCommand::report);
    m_rotation->rotateSecret(*grant, *newSecret, *timeout);
}

void RotateCommand::cancel()
{
    // The outcome says the rotation was cancelled and the old secret is still in place.
    if (m_rotation && m_rotation->isRunning())
        m_rotation->cancel();
    else
        Command::cancel();
}

void RotateCommand::report(const RotationOutcome& outcome)
{
    const QString advice = outcome.advice();
    const QString message = advice.isEmpty() ? outcome.summary() : outcome.summary() + QLatin1Char(' ') + advice;
    if (outcome.replaced) {
        m_context.output.line(tr("Rotated \"%1\": %2").arg(outcome.grantName, outcome.summary()));
        if (!outcome.verdict.isPass())
            m_context.output.error(QStringLiteral("%1: %2").arg(outcome.grantName, advice));
        finish(ExitOk);
        return;
    }
    m_context.output.error(QStringLiteral("%1: %2").arg(outcome.grantName, message));
    if (outcome.unchanged)
        finish(ExitBadInput);
    else if (outcome.saved.vaultError.isError())
        finish(ExitKeychain);
    else if (outcome.saved.storeError.isError())
        finish(ExitBadInput);
    else
        finish(exitCodeFor(outcome.verdict.failureClass()));
}

} // namespace gk::cli
