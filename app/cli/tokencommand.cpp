#include "cli/tokencommand.h"

#include "cli/clioutput.h"
#include "core/batch/batchtester.h"
#include "core/grant/grantstore.h"
#include "core/settings/preferences.h"
#include "core/vault/credentialvault.h"

namespace gk::cli {

QString TokenCommand::summary() const
{
    return tr("Print a fresh access token and nothing else, for use in scripts.");
}

void TokenCommand::addOptions(QCommandLineParser& parser)
{
    addTimeoutOption(parser);
    parser.addPositionalArgument(QStringLiteral("NAME"), tr("The grant."));
}

void TokenCommand::run(const QCommandLineParser& parser)
{
    m_context.vault.prepareReads(); // the Secret Service session opens while the grants load
    const auto timeout = timeoutOption(parser);
    if (!timeout)
        return;
    const auto grant = singleGrantArgument(parser);
    if (!grant)
        return;

    // The secret's read, then one grant's whole test.
    limitTime(std::chrono::duration_cast<std::chrono::seconds>(m_context.vault.deadline()) + *timeout);
    // A batch of one: the same secret read, fetch and history record as `test`.
    m_tester = new BatchTester(m_context.vault, m_context.client, m_context.clock, &m_context.store, this);
    m_tester->setTimeout(*timeout);
    // grantTested is the one signal that carries the token itself.
    connect(m_tester, &BatchTester::grantTested, this, [this](const GrantTestResult& result) {
        const TestVerdict verdict = result.verdict();
        // A token short of a requested scope is still what the server grants this grant: print it, and say so.
        if (!result.hasToken()) {
            m_context.output.error(failureLine(result.grantName, verdict));
            finish(exitCodeFor(verdict.failureClass()));
            return;
        }
        if (!verdict.isPass())
            m_context.output.error(failureLine(result.grantName, verdict));
        // The parser accepts only printable ASCII tokens, so this cannot carry terminal control sequences.
        m_context.output.value(result.token->token().accessToken);
        finish(ExitOk);
    });
    m_tester->start({*grant});
}

void TokenCommand::cancel()
{
    // The grant ends as cancelled, which reports itself through grantTested.
    if (m_tester && m_tester->isRunning())
        m_tester->cancel();
    else
        Command::cancel();
}

} // namespace gk::cli
