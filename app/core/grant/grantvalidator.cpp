#include "core/grant/grantvalidator.h"

#include "core/text/printabletext.h"
#include "core/token/certificateinfo.h"
#include "core/token/tokenerror.h"

#include <QFileInfo>
#include <QSslCertificate>

#include <algorithm>

namespace gk {

namespace {

GrantProblem error(GrantField field, const QString& message)
{
    return {field, GrantProblem::Severity::Error, message};
}

GrantProblem warning(GrantField field, const QString& message)
{
    return {field, GrantProblem::Severity::Warning, message};
}

// Names and paths are quoted as typed, but a control character in them must not reach a terminal or a label.
QString quoted(const QString& text, qsizetype maxLength = 60)
{
    return QStringLiteral("“%1”").arg(printableText(text, maxLength));
}

} // namespace

QList<GrantProblem> GrantValidator::check(const Grant& grant, const QList<Grant>& existing, const QDate& today)
{
    QList<GrantProblem> problems;
    const auto add = [&problems](const std::optional<GrantProblem>& problem) {
        if (problem)
            problems.append(*problem);
    };

    const auto nameError = nameProblem(grant.name);
    add(nameError);
    if (!nameError)
        add(uniqueNameProblem(grant, existing));

    if (grant.integrationUser.trimmed().isEmpty())
        add(error(GrantField::IntegrationUser, tr("Enter the integration user's Workiva username.")));
    add(sharedUserWarning(grant, existing));

    if (grant.region == Region::Custom)
        add(tokenUrlProblem(grant));
    if (const QString notice = Environment::deprecationNotice(grant.apiVersion); !notice.isEmpty())
        add(warning(GrantField::ApiVersion, notice));

    add(expiryWarning(grant, today));

    if (grant.trust.mode == TrustMode::SystemPlusCaFile)
        add(caFileProblem(grant.trust.caFilePath));
    else if (grant.trust.mode == TrustMode::Pinned)
        add(pinnedFingerprintProblem(grant.trust.pinnedSha256));
    return problems;
}

std::optional<GrantProblem> GrantValidator::nameProblem(const QString& name)
{
    if (name.trimmed().isEmpty())
        return error(GrantField::Name, tr("Give the grant a name, for example the integration it serves."));
    if (containsControlCharacters(name))
        return error(GrantField::Name, tr("The name contains control characters; type it again."));
    return std::nullopt;
}

bool GrantValidator::hasErrors(const QList<GrantProblem>& problems)
{
    return std::any_of(problems.cbegin(), problems.cend(),
                       [](const GrantProblem& problem) { return problem.isError(); });
}

QStringList GrantValidator::messages(const QList<GrantProblem>& problems, GrantProblem::Severity severity)
{
    QStringList messages;
    for (const GrantProblem& problem : problems) {
        if (problem.severity == severity)
            messages.append(problem.message);
    }
    return messages;
}

std::optional<GrantProblem> GrantValidator::uniqueNameProblem(const Grant& grant, const QList<Grant>& existing)
{
    for (const Grant& other : existing) {
        if (other.id != grant.id && sameGrantName(other.name, grant.name)) {
            return error(GrantField::Name,
                         tr("A grant named %1 already exists: choose another name.").arg(quoted(other.name)));
        }
    }
    return std::nullopt;
}

std::optional<GrantProblem> GrantValidator::sharedUserWarning(const Grant& grant, const QList<Grant>& existing)
{
    QStringList others;
    for (const Grant& other : existing) {
        if (sharesIntegrationUser(grant, other))
            others.append(quoted(other.name));
    }
    if (others.isEmpty())
        return std::nullopt;
    return warning(GrantField::IntegrationUser,
                   tr("The integration user %1 is also used by %2. Workiva recommends one unique integration user per "
                      "integration, so that each integration's changes stay apart.")
                       .arg(quoted(grant.integrationUser.trimmed()), others.join(QStringLiteral(", "))));
}

std::optional<GrantProblem> GrantValidator::tokenUrlProblem(const Grant& grant)
{
    if (grant.customTokenUrl.isEmpty()) {
        return error(GrantField::TokenUrl,
                     tr("Enter the token URL, for example https://api.app.wdesk.com/oauth2/token, "
                        "or pick a region."));
    }
    // The rules a request is held to when it is sent, so that no grant is saved with a URL a test would refuse.
    if (const auto problem = TokenRequest::urlProblem(grant.customTokenUrl, grant.trust.mode))
        return error(GrantField::TokenUrl, problem->summary() + QLatin1Char(' ') + problem->advice());
    return std::nullopt;
}

std::optional<GrantProblem> GrantValidator::expiryWarning(const Grant& grant, const QDate& today)
{
    // The grant is usable through the end of its expiration day, so only an earlier date has passed.
    if (!grant.expiresOn || *grant.expiresOn >= today)
        return std::nullopt;
    return warning(GrantField::ExpiresOn, tr("The expiration date %1 has passed, so the grant has already expired: "
                                             "check the date in Workiva, or create a new grant.")
                                              .arg(grant.expiresOn->toString(Qt::ISODate)));
}

std::optional<GrantProblem> GrantValidator::caFileProblem(const QString& path)
{
    if (path.trimmed().isEmpty()) {
        return error(GrantField::CaFile,
                     tr("Choose the PEM file with the CA certificate, or trust the system CAs only."));
    }
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable())
        return error(GrantField::CaFile,
                     tr("The CA file %1 cannot be read: choose an existing PEM file.").arg(quoted(path, 300)));
    if (QSslCertificate::fromPath(path, QSsl::Pem, QSslCertificate::PatternSyntax::FixedString).isEmpty()) {
        return error(GrantField::CaFile, tr("The CA file %1 holds no PEM certificate: choose one that starts with "
                                            "-----BEGIN CERTIFICATE-----.")
                                             .arg(quoted(path, 300)));
    }
    return std::nullopt;
}

std::optional<GrantProblem> GrantValidator::pinnedFingerprintProblem(const QString& fingerprint)
{
    if (!CertificateInfo::normaliseFingerprint(fingerprint).isEmpty())
        return std::nullopt;
    // The sentence a test gives for the same mistake.
    return error(GrantField::PinnedFingerprint, TokenError::make(TokenErrorCode::InvalidPin, fingerprint).advice());
}

} // namespace gk
