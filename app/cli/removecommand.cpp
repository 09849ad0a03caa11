#include "cli/removecommand.h"

#include "cli/clioutput.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"

namespace gk::cli {

QString RemoveCommand::summary() const
{
    return tr("Remove a grant: its keychain entry first, then its metadata.");
}

void RemoveCommand::addOptions(QCommandLineParser& parser)
{
    parser.addPositionalArgument(QStringLiteral("NAME"), tr("The grant."));
}

void RemoveCommand::run(const QCommandLineParser& parser)
{
    const auto grant = singleGrantArgument(parser);
    if (!grant)
        return;
    m_context.repository.remove(grant->id, this, [this, name = grant->name](const RepositoryResult& result) {
        if (!result.isSuccess()) {
            m_context.output.error(
                QStringLiteral("%1: %2 %3 The grant was kept.").arg(name, result.summary(), result.advice()));
            finish(result.vaultError.isError() ? ExitKeychain : ExitBadInput);
            return;
        }
        m_context.output.line(tr("Removed \"%1\" and its keychain entry.").arg(name));
        finish(ExitOk);
    });
}

} // namespace gk::cli
