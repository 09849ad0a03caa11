#include "cli/doctorcommand.h"

#include "cli/clioutput.h"
#include "cli/secretinput.h"
#include "core/grant/grantstore.h"
#include "core/grant/keychainconsistency.h"
#include "core/vault/credentialvault.h"

namespace gk::cli {

QString DoctorCommand::summary() const
{
    return tr("Check that the grants and the keychain agree; --fix removes keychain entries no grant uses.");
}

void DoctorCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("fix"),
                      tr("Remove the keychain entries no grant points at (asks first on a terminal). Entries are "
                         "never created: a grant without one needs its Client ID and Secret entered again.")});
}

void DoctorCommand::run(const QCommandLineParser& parser)
{
    if (!parser.positionalArguments().isEmpty()) {
        m_context.output.error(tr("doctor takes no grant names: it checks them all."));
        finish(ExitBadInput);
        return;
    }
    m_fix = parser.isSet(QStringLiteral("fix"));
    if (!loadStore())
        return;
    m_context.vault.listKeys(this, [this](const VaultError& error, const QStringList& keys, bool) {
        if (error.isError()) {
            m_context.output.error(
                tr("Could not list the keychain's entries: %1 %2").arg(error.summary(), error.advice()));
            finish(ExitKeychain);
            return;
        }
        report(keys);
    });
}

void DoctorCommand::report(const QStringList& keys)
{
    const KeychainConsistency consistency = KeychainConsistency::compare(m_context.store.grants(), keys);
    m_missing = int(consistency.missing.size());
    m_leftOver = consistency.leftOver;
    for (const Grant& grant : consistency.missing) {
        m_context.output.line(tr("MISSING   %1: the keychain has no Client ID and Secret for it. Enter them again "
                                 "(Edit Grant in the window), or remove the grant.")
                                  .arg(grant.name));
    }
    for (const QString& key : std::as_const(m_leftOver)) {
        m_context.output.line(
            tr("LEFT OVER keychain entry %1 (service \"%2\"): no grant uses it.").arg(key, m_context.vault.service()));
    }
    m_context.output.line(consistency.summary(m_context.store.grants().size()));
    if (consistency.isConsistent()) {
        finish(ExitOk);
        return;
    }
    m_context.output.note(consistency.advice());
    if (!m_fix || m_leftOver.isEmpty()) {
        if (!m_leftOver.isEmpty())
            m_context.output.note(tr("Remove the left-over entries with: grantkeeper doctor --fix"));
        finish(ExitCheckFailed);
        return;
    }
    SecretInput input(m_context.output);
    if (input.isInteractive()) {
        const auto answer = input.readLine(
            tr("Remove the %1 left-over keychain entries listed above? [y/N] ").arg(m_leftOver.size()), false);
        if (finishIfInterrupted())
            return;
        const QString reply = answer.value_or(QString()).trimmed().toLower();
        if (reply != QLatin1String("y") && reply != QLatin1String("yes")) {
            m_context.output.line(tr("Nothing was removed."));
            finish(ExitCheckFailed);
            return;
        }
    }
    removeNext();
}

void DoctorCommand::removeNext()
{
    if (m_leftOver.isEmpty()) {
        m_context.output.line(tr("Removed left-over keychain entries: %1.").arg(m_removed));
        finish(m_removeFailed ? ExitKeychain : (m_missing > 0 ? ExitCheckFailed : ExitOk));
        return;
    }
    const QString key = m_leftOver.takeFirst();
    m_context.vault.remove(key, this, [this, key](const VaultError& error) {
        if (error.code == VaultErrorCode::NotFound) {
            // Gone already: another Grant Keeper (a second `doctor --fix`) removed it first, which is what was wanted.
        } else if (error.isError()) {
            m_removeFailed = true;
            m_context.output.error(
                tr("Could not remove keychain entry %1: %2 %3").arg(key, error.summary(), error.advice()));
        } else {
            ++m_removed;
        }
        removeNext();
    });
}

} // namespace gk::cli
