#include "core/token/copyformat.h"

#include "core/grant/grant.h"

namespace gk {

namespace {

QString shellQuoted(const QString& text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

QString CopyFormat::text(Kind kind, const Grant& grant, const QString& accessToken)
{
    switch (kind) {
    case Token:
        return accessToken;
    case AuthorizationHeader:
        return QStringLiteral("Authorization: Bearer ") + accessToken;
    case CurlCommand: {
        // The API base of the grant's region, for the user to complete with a path; never the client secret.
        QUrl base = grant.apiBaseUrl();
        base.setPath(QStringLiteral("/"));
        return QStringLiteral("curl -H %1 -H %2 %3")
            .arg(shellQuoted(QStringLiteral("Authorization: Bearer ") + accessToken),
                 shellQuoted(QStringLiteral("X-Version: ") + Environment::versionString(grant.apiVersion)),
                 shellQuoted(base.toString()));
    }
    }
    return {};
}

QString CopyFormat::description(Kind kind)
{
    switch (kind) {
    case Token:
        return tr("access token");
    case AuthorizationHeader:
        return tr("Authorization header");
    case CurlCommand:
        return tr("curl command");
    }
    return {};
}

} // namespace gk
