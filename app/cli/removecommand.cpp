#include "cli/removecommand.h"

#include "cli/clioutput.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"

namespace gk::cli {

QString RemoveCommand::summary() const
{
    return tr("Remove a grant: its metadata first, then its keychain entry.");
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
        if (result.leftoverError.isError()) {
            m_context.output.error(QStringLiteral("%1: %2 %3").arg(name, result.summary(), result.advice()));
            finish(ExitKeychain);
            return;
        }
        if (result.storeError.code == StoreErrorCode::GrantNotFound) {
            // Another Grant Keeper removed it between this one's look-up and its change: the file was left as it was.
            m_context.output.error(tr("%1 was already removed (by another Grant Keeper, meanwhile); nothing was "
                                      "changed.")
                                       .arg(name));
            finish(ExitBadInput);
            return;
        }
        if (!result.isSuccess()) {
            m_context.output.error(tr("%1: %2 %3 Nothing was removed: the grant and its keychain entry are as they "
                                      "were.")
                                       .arg(name, result.summary(), result.advice()));
            finish(result.vaultError.isError() ? ExitKeychain : ExitBadInput);
            return;
        }
        m_context.output.line(tr("Removed \"%1\" and its keychain entry.").arg(name));
        finish(ExitOk);
    });
}

} // namespace gk::cli
