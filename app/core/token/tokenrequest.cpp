#include "core/token/tokenrequest.h"

#include "core/token/certificateinfo.h"

#include <QDebug>
#include <QHostAddress>

#include <algorithm>

namespace gk {

namespace {

void appendField(QByteArray& body, const char* name, const QString& value)
{
    if (!body.isEmpty())
        body.append('&');
    body.append(name);
    body.append('=');
    // Everything but RFC 3986 unreserved characters is percent-encoded, so '+' and '&' in a secret survive.
    body.append(QUrl::toPercentEncoding(value));
}

} // namespace

QString clientAuthMethodKey(ClientAuthMethod method)
{
    return method == ClientAuthMethod::HttpBasic ? QStringLiteral("basic") : QStringLiteral("body");
}

std::optional<ClientAuthMethod> clientAuthMethodFromKey(const QString& key)
{
    const QString normalised = key.trimmed().toLower();
    if (normalised == QLatin1String("body"))
        return ClientAuthMethod::FormBody;
    if (normalised == QLatin1String("basic"))
        return ClientAuthMethod::HttpBasic;
    return std::nullopt;
}

bool TokenRequest::isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

std::optional<TokenError> TokenRequest::urlProblem(const QUrl& url, TrustMode trustMode)
{
    if (!url.isValid() || url.host().isEmpty() || url.isRelative())
        return TokenError::make(TokenErrorCode::InvalidUrl, url.toDisplayString());
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("http")) {
        if (!isLoopbackHost(url.host()))
            return TokenError::make(TokenErrorCode::InsecureUrl, url.toDisplayString());
    } else if (scheme != QLatin1String("https")) {
        return TokenError::make(TokenErrorCode::InvalidUrl, url.toDisplayString());
    }
    if (!url.userInfo().isEmpty())
        return TokenError::make(TokenErrorCode::InvalidUrl, QStringLiteral("user information in a URL is not allowed"));
    // Without TLS there is no certificate to compare with the pin.
    if (trustMode == TrustMode::Pinned && scheme != QLatin1String("https"))
        return TokenError::make(TokenErrorCode::InsecureUrl, url.toDisplayString());
    return std::nullopt;
}

std::optional<TokenError> TokenRequest::validate() const
{
    if (auto problem = urlProblem(tokenUrl, trust.mode))
        return problem;
    if (trust.mode == TrustMode::Pinned && CertificateInfo::normaliseFingerprint(trust.pinnedSha256).isEmpty())
        return TokenError::make(TokenErrorCode::InvalidPin, trust.pinnedSha256);
    if (!credentials.isComplete())
        return TokenError::make(TokenErrorCode::MissingCredentials);
    return std::nullopt;
}

QByteArray TokenRequest::formBody() const
{
    QByteArray body;
    appendField(body, "grant_type", QStringLiteral("client_credentials"));
    if (!scope.isEmpty())
        appendField(body, "scope", scope.toString());
    if (authMethod == ClientAuthMethod::FormBody) {
        appendField(body, "client_id", credentials.clientId());
        appendField(body, "client_secret", credentials.clientSecret());
    }
    return body;
}

QNetworkRequest TokenRequest::networkRequest() const
{
    QNetworkRequest request(tokenUrl);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("X-Version", Environment::versionString(apiVersion).toLatin1());
    if (authMethod == ClientAuthMethod::HttpBasic) {
        const QByteArray pair = credentials.clientId().toUtf8() + ':' + credentials.clientSecret().toUtf8();
        request.setRawHeader("Authorization", "Basic " + pair.toBase64());
    }
    // A secret goes only where the user pointed it: a 3xx is reported, never followed.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    // One small POST per connection turn gains nothing from HTTP/2, and TokenClient::preconnect() opens
    // HTTP/1.1 connections (Qt's connectToHostEncrypted() does), which a request allowing HTTP/2 would not reuse.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    // Qt takes an int of milliseconds: clamp, or a huge value wraps negative and switches the timeout off.
    request.setTransferTimeout(int(std::clamp(timeout, std::chrono::milliseconds(1), MaxTimeout).count()));
    return request;
}

QDebug operator<<(QDebug debug, const TokenRequest& request)
{
    QDebugStateSaver saver(debug);
    debug.nospace() << "TokenRequest(url=" << request.tokenUrl.toDisplayString()
                    << ", version=" << Environment::versionString(request.apiVersion)
                    << ", scope=" << request.scope.toString() << ", auth=" << clientAuthMethodKey(request.authMethod)
                    << ", trust=" << TrustSettings::modeKey(request.trust.mode) << ", " << request.credentials << ')';
    return debug;
}

} // namespace gk
