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

    // A batch of one: the same secret read, fetch and history record as `test`.
    auto* tester = new BatchTester(m_context.vault, m_context.client, m_context.clock, &m_context.store, this);
    tester->setTimeout(*timeout);
    // grantTested is the one signal that carries the token itself.
    connect(tester, &BatchTester::grantTested, this, [this](const GrantTestResult& result) {
        if (!result.isSuccess()) {
            m_context.output.error(
                QStringLiteral("%1: %2 %3").arg(result.grantName, result.errorSummary(), result.errorAdvice()));
            finish(exitCodeFor(result.failureClass()));
            return;
        }
        // The parser accepts only printable ASCII tokens, so this cannot carry terminal control sequences.
        m_context.output.value(result.token->token().accessToken);
        finish(ExitOk);
    });
    tester->start({*grant});
}

} // namespace gk::cli
