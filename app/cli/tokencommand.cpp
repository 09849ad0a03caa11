#include "cli/tokencommand.h"

#include "cli/clioutput.h"
#include "core/batch/batchtester.h"
#include "core/grant/grantstore.h"
#include "core/settings/preferences.h"

namespace gk::cli {

QString TokenCommand::summary() const
{
    return tr("Print a fresh access token and nothing else, for use in scripts.");
}

void TokenCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOption(
        {QStringLiteral("timeout"), tr("Give up on the server after SECONDS (default 30)."), tr("SECONDS")});
    parser.addPositionalArgument(QStringLiteral("NAME"), tr("The grant."));
}

void TokenCommand::run(const QCommandLineParser& parser)
{
    const QStringList names = parser.positionalArguments();
    if (names.size() != 1) {
        m_context.output.error(tr("name exactly one grant: grantkeeper token NAME"));
        finish(ExitBadInput);
        return;
    }
    const auto timeout =
        positiveIntOption(parser, QStringLiteral("timeout"), int(m_context.preferences.requestTimeout().count()), 600);
    if (!timeout) {
        finish(ExitBadInput);
        return;
    }
    if (!loadStore())
        return;
    const auto grant = grantNamed(names.first());
    if (!grant) {
        finish(ExitBadInput);
        return;
    }

    // A batch of one: the same secret read, fetch and history record as `test`.
    auto* tester = new BatchTester(m_context.vault, m_context.client, m_context.clock, &m_context.store, this);
    tester->setTimeout(std::chrono::seconds(*timeout));
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
