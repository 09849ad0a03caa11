#include "core/vault/credentialcheck.h"

#include <QCoreApplication>

namespace gk {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("CredentialCheck", text);
}

CredentialProblem problem(CredentialProblem::Field field, const QString& message)
{
    return CredentialProblem{field, message};
}

QString codePoint(char32_t c)
{
    return QStringLiteral("U+") + QString::number(uint(c), 16).toUpper().rightJustified(4, QLatin1Char('0'));
}

// What is wrong with the characters of a value (never the value itself: it is a secret), or nothing.
std::optional<QString> characterProblem(const QString& value, const QString& what)
{
    const QString trimmed = value.trimmed();
    if (trimmed.size() > CredentialCheck::MaxLength)
        return tr("%1 is %2 characters long; no Client ID or Secret is longer than %3. Paste only the value "
                  "shown with the grant.")
            .arg(what)
            .arg(trimmed.size())
            .arg(CredentialCheck::MaxLength);
    qsizetype position = 0;
    for (const char32_t c : trimmed.toUcs4()) {
        ++position;
        if (c == QChar::ReplacementCharacter)
            return tr("%1 is not valid UTF-8 text (character %2 could not be read): paste it again from where it "
                      "was shown.")
                .arg(what)
                .arg(position);
        if (QChar::isSpace(c))
            return tr("%1 contains a space or line break: paste it again without them.").arg(what);
        const QChar::Category category = QChar::category(c);
        if (category == QChar::Other_Control || category == QChar::Other_Format)
            return tr("%1 contains an invisible control character (%2 at character %3): paste it again from where "
                      "it was shown, without it.")
                .arg(what, codePoint(c))
                .arg(position);
    }
    return std::nullopt;
}

} // namespace

std::optional<CredentialProblem> CredentialCheck::checkSecret(const QString& clientSecret)
{
    using Field = CredentialProblem::Field;
    if (clientSecret.trimmed().isEmpty())
        return problem(Field::ClientSecret,
                       tr("The Client Secret is empty: paste the secret shown when the grant was created."));
    if (const auto characters = characterProblem(clientSecret, tr("The Client Secret")))
        return problem(Field::ClientSecret, *characters);
    return std::nullopt;
}

std::optional<CredentialProblem> CredentialCheck::check(const QString& clientId, const QString& clientSecret)
{
    using Field = CredentialProblem::Field;
    if (clientId.trimmed().isEmpty())
        return problem(Field::ClientId, tr("The Client ID is empty: paste the Client ID shown with the grant."));
    if (const auto characters = characterProblem(clientId, tr("The Client ID")))
        return problem(Field::ClientId, *characters);
    if (auto secretProblem = checkSecret(clientSecret))
        return secretProblem;
    if (clientId.trimmed() == clientSecret.trimmed())
        return problem(Field::ClientSecret,
                       tr("The Client ID and the Client Secret are the same: one of them was pasted twice."));
    return std::nullopt;
}

} // namespace gk
