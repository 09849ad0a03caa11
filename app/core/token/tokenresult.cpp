#include "core/token/tokenresult.h"

#include <QCoreApplication>
#include <QDebug>

namespace gk {

QString ResponseInfo::deprecationNotice() const
{
    if (!deprecationAnnounced && !sunset)
        return {};
    if (sunset)
        return QCoreApplication::translate("ResponseInfo",
                                           "The server announces that this endpoint is deprecated, sunset %1.")
            .arg(sunset->toUTC().date().toString(Qt::ISODate));
    return QCoreApplication::translate("ResponseInfo", "The server announces that this endpoint is deprecated.");
}

QDateTime IssuedToken::expiresAt(const QDateTime& receivedAt) const
{
    return receivedAt.isValid() ? receivedAt.addSecs(lifetimeSeconds()) : QDateTime();
}

TokenResult TokenResult::success(const ResponseInfo& response, const IssuedToken& token)
{
    TokenResult result;
    result.m_response = response;
    result.m_token = token;
    return result;
}

TokenResult TokenResult::failure(const ResponseInfo& response, const TokenError& error)
{
    TokenResult result;
    result.m_response = response;
    result.m_error = error;
    return result;
}

TokenResult TokenResult::failure(const TokenError& error)
{
    return failure(ResponseInfo{}, error);
}

QDebug operator<<(QDebug debug, const IssuedToken& token)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "IssuedToken(accessToken=<redacted " << token.accessToken.size()
                    << " chars>, type=" << token.tokenType << ", expiresIn=" << token.expiresInSeconds.value_or(-1)
                    << ", granted=" << token.scope.granted.toString() << ')';
    return debug;
}

QDebug operator<<(QDebug debug, const TokenResult& result)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "TokenResult(http=" << result.response().httpStatus
                    << ", roundTripMs=" << result.response().roundTripMs << ", ";
    if (result.isSuccess())
        debug << result.token();
    else
        debug << "error=" << result.error().codeName();
    debug << ')';
    return debug;
}

} // namespace gk
