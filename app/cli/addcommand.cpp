#include "cli/addcommand.h"

#include "cli/clioutput.h"
#include "cli/secretinput.h"
#include "core/expiry/clock.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/grant/grantvalidator.h"
#include "core/settings/preferences.h"
#include "core/vault/credentialcheck.h"

#include <QFileInfo>

namespace gk::cli {

QString AddCommand::summary() const
{
    return tr("Add a grant; the Client ID and Secret are read from standard input (two lines) or prompted for.");
}

void AddCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOptions({
        {QStringLiteral("name"), tr("A unique name for the grant, e.g. the integration it serves."), tr("NAME")},
        {QStringLiteral("user"), tr("The integration user's Workiva username."), tr("USERNAME")},
        {QStringLiteral("region"), tr("The Workiva region: us, eu or apac."), tr("REGION")},
        {QStringLiteral("token-url"), tr("A custom token endpoint instead of a region."), tr("URL")},
        {QStringLiteral("api-version"), tr("2026-01-01 (default) or 2022-01-01 (deprecated)."), tr("VERSION")},
        {QStringLiteral("scope"), tr("The requested scopes, space-separated, e.g. \"file:read file:write\"."),
         tr("SCOPES")},
        {QStringLiteral("expires"), tr("The grant's expiration date as set in Workiva."), tr("YYYY-MM-DD")},
        {QStringLiteral("auth"), tr("How the client authenticates: body (default) or basic."), tr("METHOD")},
        {QStringLiteral("ca-file"), tr("Also trust the CA certificates in this PEM file."), tr("PEM")},
        {QStringLiteral("notes"), tr("Free text kept with the grant."), tr("TEXT")},
    });
}

std::optional<Grant> AddCommand::grantFromOptions(const QCommandLineParser& parser)
{
    CliOutput& out = m_context.output;
    // Only the options are read here; whether the grant they describe is acceptable is GrantValidator's call, as it
    // is for the dialog.
    Grant grant = Grant::create(parser.value(QStringLiteral("name")), m_context.clock.now());
    grant.integrationUser = parser.value(QStringLiteral("user")).trimmed();

    const bool hasRegion = parser.isSet(QStringLiteral("region"));
    const bool hasUrl = parser.isSet(QStringLiteral("token-url"));
    if (hasRegion == hasUrl) {
        out.error(tr("give either --region us|eu|apac or --token-url URL."));
        return std::nullopt;
    }
    if (hasRegion) {
        const auto region = Environment::regionFromKey(parser.value(QStringLiteral("region")));
        if (!region || *region == Region::Custom) {
            out.error(tr("unknown region \"%1\"; use us, eu or apac, or --token-url for another server.")
                          .arg(parser.value(QStringLiteral("region"))));
            return std::nullopt;
        }
        grant.region = *region;
    } else {
        grant.region = Region::Custom;
        grant.customTokenUrl = QUrl(parser.value(QStringLiteral("token-url")).trimmed(), QUrl::StrictMode);
    }

    grant.apiVersion = m_context.preferences.defaultApiVersion();
    if (parser.isSet(QStringLiteral("api-version"))) {
        const auto version = Environment::versionFromString(parser.value(QStringLiteral("api-version")));
        if (!version) {
            out.error(tr("unknown API version \"%1\"; use 2026-01-01 or 2022-01-01.")
                          .arg(parser.value(QStringLiteral("api-version"))));
            return std::nullopt;
        }
        grant.apiVersion = *version;
    }
    grant.requestedScopes = ScopeSet::parse(parser.value(QStringLiteral("scope")));

    if (parser.isSet(QStringLiteral("expires"))) {
        const QString text = parser.value(QStringLiteral("expires")).trimmed();
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (!date.isValid() || text.size() != 10) {
            out.error(tr("--expires needs a date as YYYY-MM-DD, for example 2027-03-31, not \"%1\".").arg(text));
            return std::nullopt;
        }
        grant.expiresOn = date;
    }
    if (parser.isSet(QStringLiteral("auth"))) {
        const auto method = clientAuthMethodFromKey(parser.value(QStringLiteral("auth")));
        if (!method) {
            out.error(tr("--auth is body or basic, not \"%1\".").arg(parser.value(QStringLiteral("auth"))));
            return std::nullopt;
        }
        grant.authMethod = *method;
    }
    if (parser.isSet(QStringLiteral("ca-file"))) {
        grant.trust.mode = TrustMode::SystemPlusCaFile;
        // Absolute, so that the grant still finds the file when the next command runs from another folder.
        const QString path = parser.value(QStringLiteral("ca-file")).trimmed();
        grant.trust.caFilePath = path.isEmpty() ? path : QFileInfo(path).absoluteFilePath();
    }
    grant.notes = parser.value(QStringLiteral("notes"));

    const QList<GrantProblem> problems =
        GrantValidator::check(grant, m_context.store.grants(), m_context.clock.today());
    if (GrantValidator::hasErrors(problems)) {
        // One line, like every other error: a script reads stderr line by line.
        out.error(GrantValidator::messages(problems, GrantProblem::Severity::Error).join(QLatin1Char(' ')));
        return std::nullopt;
    }
    for (const QString& warning : GrantValidator::messages(problems, GrantProblem::Severity::Warning))
        out.warning(warning);
    return grant;
}

void AddCommand::run(const QCommandLineParser& parser)
{
    if (!parser.positionalArguments().isEmpty()) {
        m_context.output.error(tr("add takes no positional arguments; secrets are never accepted as arguments. "
                                  "Give the Client ID and Secret on standard input."));
        finish(ExitBadInput);
        return;
    }
    if (!loadStore())
        return;
    const auto grant = grantFromOptions(parser);
    if (!grant) {
        finish(ExitBadInput);
        return;
    }

    SecretInput input(m_context.output);
    if (input.isInteractive())
        m_context.output.note(tr("Paste the Client ID and Client Secret shown when the grant was created."));
    const auto clientId = input.readLine(tr("Client ID: "), false);
    const auto clientSecret = clientId ? input.readLine(tr("Client Secret (not shown): "), true) : std::nullopt;
    if (finishIfInterrupted())
        return;
    const QString where = tr(" (Standard input: the Client ID on the first line, the secret on the second.) "
                             "Nothing was stored.");
    if (!input.problem().isEmpty()) {
        m_context.output.error(input.problem() + where);
        finish(ExitBadInput);
        return;
    }
    if (const auto problem = CredentialCheck::check(clientId.value_or(QString()), clientSecret.value_or(QString()))) {
        m_context.output.error(problem->message + where);
        finish(ExitBadInput);
        return;
    }
    if (input.hasUnreadInput()) {
        m_context.output.error(tr("Standard input has more than two lines: give only the Client ID on the first "
                                  "line and the secret on the second. Nothing was stored."));
        finish(ExitBadInput);
        return;
    }
    if (finishIfInterrupted()) // while reading what was left on standard input
        return;
    const Credentials credentials(*clientId, *clientSecret);

    m_context.repository.save(*grant, credentials, this, [this, grant, credentials](const RepositoryResult& result) {
        if (!result.isSuccess()) {
            m_context.output.error(result.summary() + QLatin1Char(' ') + result.advice());
            finish(result.vaultError.isError() ? ExitKeychain : ExitBadInput);
            return;
        }
        m_context.output.line(tr("Added \"%1\" (Client ID %2); the secret is in the keychain.")
                                  .arg(grant->name, credentials.clientIdHint()));
        m_context.output.line(tr("Test it with: grantkeeper test \"%1\"").arg(grant->name));
        finish(ExitOk);
    });
}

} // namespace gk::cli
