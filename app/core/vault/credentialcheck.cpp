#include "core/vault/credentialcheck.h"

#include <QCoreApplication>

namespace gk {

namespace {

bool hasInnerWhitespace(const QString& text)
{
    for (QChar c : text.trimmed()) {
        if (c.isSpace())
            return true;
    }
    return false;
}

QString tr(const char* text)
{
    return QCoreApplication::translate("CredentialCheck", text);
}

CredentialProblem problem(CredentialProblem::Field field, const QString& message)
{
    return CredentialProblem{field, message};
}

} // namespace

std::optional<CredentialProblem> CredentialCheck::checkSecret(const QString& clientSecret)
{
    using Field = CredentialProblem::Field;
    if (clientSecret.trimmed().isEmpty())
        return problem(Field::ClientSecret,
                       tr("The Client Secret is empty: paste the secret shown when the grant was created."));
    if (hasInnerWhitespace(clientSecret))
        return problem(Field::ClientSecret,
                       tr("The Client Secret contains a space or line break: paste it again without them."));
    return std::nullopt;
}

std::optional<CredentialProblem> CredentialCheck::check(const QString& clientId, const QString& clientSecret)
{
    using Field = CredentialProblem::Field;
    if (clientId.trimmed().isEmpty())
        return problem(Field::ClientId, tr("The Client ID is empty: paste the Client ID shown with the grant."));
    if (hasInnerWhitespace(clientId))
        return problem(Field::ClientId,
                       tr("The Client ID contains a space or line break: paste it again without them."));
    if (auto secretProblem = checkSecret(clientSecret))
        return secretProblem;
    if (clientId.trimmed() == clientSecret.trimmed())
        return problem(Field::ClientSecret,
                       tr("The Client ID and the Client Secret are the same: one of them was pasted twice."));
    return std::nullopt;
}

} // namespace gk
