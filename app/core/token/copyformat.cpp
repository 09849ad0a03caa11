#include "core/token/copyformat.h"

#include "core/grant/grant.h"
#include "core/token/curlcommand.h"

namespace gk {

QString CopyFormat::text(Kind kind, const Grant& grant, const QString& accessToken,
                         const QByteArray& pinnedCertificatePem)
{
    switch (kind) {
    case Token:
        return accessToken;
    case AuthorizationHeader:
        return QStringLiteral("Authorization: Bearer ") + accessToken;
    case CurlCommand:
        return gk::CurlCommand::build(grant, accessToken,
                                      pinnedCertificatePem.isEmpty() ? grant.trust.pinnedCertificatePem.toUtf8()
                                                                     : pinnedCertificatePem);
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
