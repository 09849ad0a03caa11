#include "cli/credentialcheck.h"

#include <QCoreApplication>

namespace gk::cli {

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

} // namespace

QString CredentialCheck::problemWithSecret(const QString& clientSecret)
{
    if (clientSecret.trimmed().isEmpty())
        return tr("the Client Secret is empty; paste the secret shown when the grant was created.");
    if (hasInnerWhitespace(clientSecret))
        return tr("the Client Secret contains a space or line break; paste it again without them.");
    return {};
}

QString CredentialCheck::problemWith(const QString& clientId, const QString& clientSecret)
{
    if (clientId.trimmed().isEmpty())
        return tr("the Client ID is empty; give the Client ID on the first line and the secret on the second.");
    if (hasInnerWhitespace(clientId))
        return tr("the Client ID contains a space or line break; paste it again without them.");
    if (const QString problem = problemWithSecret(clientSecret); !problem.isEmpty())
        return problem;
    if (clientId.trimmed() == clientSecret.trimmed())
        return tr("the Client ID and the Client Secret are the same; one of them was pasted twice.");
    return {};
}

} // namespace gk::cli
