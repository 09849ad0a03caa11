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

    const QList<GrantProblem> textErrors = textProblems(grant);
    const auto addTextErrors = [&problems, &textErrors](GrantField field) {
        for (const GrantProblem& problem : textErrors) {
            if (problem.field == field)
                problems.append(problem);
        }
    };

    const auto nameError = nameProblem(grant.name);
    add(nameError);
    if (!nameError)
        add(uniqueNameProblem(grant, existing));

    addTextErrors(GrantField::IntegrationUser);
    if (grant.integrationUser.trimmed().isEmpty())
        add(error(GrantField::IntegrationUser, tr("Enter the integration user's Workiva username.")));
    add(sharedUserWarning(grant, existing));
    addTextErrors(GrantField::Scopes);

    if (grant.region == Region::Custom)
        add(tokenUrlProblem(grant));
    if (const QString notice = Environment::deprecationNotice(grant.apiVersion); !notice.isEmpty())
        add(warning(GrantField::ApiVersion, notice));

    add(expiryWarning(grant, today));

    if (grant.trust.mode == TrustMode::SystemPlusCaFile)
        add(caFileProblem(grant.trust.caFilePath));
    else if (grant.trust.mode == TrustMode::Pinned)
        add(pinnedFingerprintProblem(grant.trust.pinnedSha256));
    addTextErrors(GrantField::Notes);
    addTextErrors(GrantField::IpAllowlistNote);
    return problems;
}

std::optional<GrantProblem> GrantValidator::nameProblem(const QString& name)
{
    if (name.trimmed().isEmpty())
        return error(GrantField::Name, tr("Give the grant a name, for example the integration it serves."));
    if (name.trimmed().size() > MaxNameLength)
        return error(GrantField::Name, tr("The name is %1 characters long: keep it to %2, for example the integration "
                                          "it serves.")
                                           .arg(name.trimmed().size())
                                           .arg(MaxNameLength));
    if (containsControlCharacters(name))
        return error(GrantField::Name, tr("The name contains a line break, tab or invisible control character: "
                                          "remove it."));
    return std::nullopt;
}

QList<GrantProblem> GrantValidator::textProblems(const Grant& grant)
{
    QList<GrantProblem> problems;
    if (const auto name = nameProblem(grant.name); name && !grant.name.trimmed().isEmpty())
        problems.append(*name);
    if (grant.integrationUser.trimmed().size() > MaxNameLength)
        problems.append(error(GrantField::IntegrationUser,
                              tr("The integration user is %1 characters long; a Workiva username is at most %2.")
                                  .arg(grant.integrationUser.trimmed().size())
                                  .arg(MaxNameLength)));
    else if (containsControlCharacters(grant.integrationUser))
        problems.append(error(GrantField::IntegrationUser,
                              tr("The integration user contains a line break, tab or invisible control character: "
                                 "remove it.")));
    for (const QString& scope : grant.requestedScopes.scopes()) {
        if (scope.size() > MaxNameLength || containsControlCharacters(scope)) {
            problems.append(
                error(GrantField::Scopes, tr("A scope is longer than %1 characters or contains an invisible control "
                                             "character: enter the scopes as Workiva lists them, separated by spaces.")
                                              .arg(MaxNameLength)));
            break;
        }
    }
    // Notes may run over several lines; anything else invisible may not.
    const auto noteProblem = [](GrantField field, const QString& text,
                                const QString& what) -> std::optional<GrantProblem> {
        if (text.size() > MaxNotesLength)
            return error(field,
                         tr("%1 is %2 characters long: keep it to %3.").arg(what).arg(text.size()).arg(MaxNotesLength));
        QString withoutLayout = text;
        withoutLayout.remove(QLatin1Char('\n')).remove(QLatin1Char('\r')).replace(QLatin1Char('\t'), QLatin1Char(' '));
        if (containsControlCharacters(withoutLayout))
            return error(field, tr("%1 contains an invisible control character: remove it.").arg(what));
        return std::nullopt;
    };
    if (const auto notes = noteProblem(GrantField::Notes, grant.notes, tr("The note")))
        problems.append(*notes);
    if (const auto allowlist =
            noteProblem(GrantField::IpAllowlistNote, grant.ipAllowlistNote, tr("The IP allowlist note")))
        problems.append(*allowlist);
    return problems;
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
    return internationalHostWarning(grant.customTokenUrl);
}

std::optional<GrantProblem> GrantValidator::internationalHostWarning(const QUrl& url)
{
    // What goes on the wire is the ASCII (punycode) form: a host that differs from it holds letters beyond ASCII,
    // which is how look-alike addresses are made (Cyrillic "а" for Latin "a").
    const QString sent = url.host(QUrl::FullyEncoded);
    // Unicode whatever Qt's list of IDN top-level domains says: the administrator must see the letters.
    const QString shown = QUrl::fromAce(sent.toLatin1(), QUrl::IgnoreIDNWhitelist);
    if (sent == shown)
        return std::nullopt;
    QStringList scripts;
    for (const char32_t c : shown.toUcs4()) {
        const QString name = scriptName(QChar::script(c));
        if (!name.isEmpty() && !scripts.contains(name))
            scripts.append(name);
    }
    const QString mixed = scripts.size() > 1
                              ? tr(" It mixes %1 letters, as look-alike addresses do.").arg(scripts.join(tr(" and ")))
                              : QString();
    return warning(GrantField::TokenUrl, tr("The host %1 is an international domain name, sent as %2.%3 Make sure it "
                                            "is the server you mean before you store a secret for it.")
                                             .arg(quoted(shown), sent, mixed));
}

QString GrantValidator::scriptName(int script)
{
    switch (QChar::Script(script)) {
    case QChar::Script_Latin:
        return tr("Latin");
    case QChar::Script_Cyrillic:
        return tr("Cyrillic");
    case QChar::Script_Greek:
        return tr("Greek");
    case QChar::Script_Armenian:
        return tr("Armenian");
    case QChar::Script_Hebrew:
        return tr("Hebrew");
    case QChar::Script_Arabic:
        return tr("Arabic");
    case QChar::Script_Han:
        return tr("Han");
    case QChar::Script_Hiragana:
    case QChar::Script_Katakana:
        return tr("Japanese");
    case QChar::Script_Hangul:
        return tr("Hangul");
    case QChar::Script_Common:
    case QChar::Script_Inherited:
        return QString(); // digits, dots and hyphens belong to every script
    default:
        return tr("other");
    }
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
