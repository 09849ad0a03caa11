#include "core/token/tokenerror.h"

#include <QCoreApplication>

namespace gk {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("TokenError", text);
}

QString withServerText(const QString& summary, const TokenError& error)
{
    if (error.serverMessage.isEmpty())
        return summary;
    return summary + QStringLiteral(" (") + error.serverMessage + QLatin1Char(')');
}

} // namespace

TokenError TokenError::make(TokenErrorCode code, const QString& detail)
{
    TokenError error;
    error.code = code;
    error.detail = detail;
    return error;
}

FailureClass TokenError::failureClass() const
{
    switch (code) {
    case TokenErrorCode::None:
        return FailureClass::None;
    case TokenErrorCode::InvalidUrl:
    case TokenErrorCode::InsecureUrl:
    case TokenErrorCode::CaFileUnreadable:
    case TokenErrorCode::InvalidPin:
    case TokenErrorCode::MissingCredentials:
        return FailureClass::BadInput;
    case TokenErrorCode::InvalidClient:
    case TokenErrorCode::InvalidScope:
    case TokenErrorCode::InvalidRequest:
    case TokenErrorCode::InvalidGrant:
    case TokenErrorCode::UnauthorizedClient:
    case TokenErrorCode::AccessDenied:
        return FailureClass::CheckFailed;
    case TokenErrorCode::Cancelled: // not verified: a script must not take it for a pass
    case TokenErrorCode::RateLimited:
    case TokenErrorCode::HttpError:
    case TokenErrorCode::ServerError:
    case TokenErrorCode::Redirected:
    case TokenErrorCode::TlsError:
    case TokenErrorCode::CertificateChanged:
    case TokenErrorCode::Timeout:
    case TokenErrorCode::HostNotFound:
    case TokenErrorCode::ConnectionRefused:
    case TokenErrorCode::ProxyError:
    case TokenErrorCode::NetworkError:
    case TokenErrorCode::ResponseTooLarge:
    case TokenErrorCode::MalformedResponse:
        return FailureClass::Network;
    }
    return FailureClass::Network;
}

QString TokenError::codeName() const
{
    switch (code) {
    case TokenErrorCode::None:
        return QStringLiteral("none");
    case TokenErrorCode::InvalidUrl:
        return QStringLiteral("invalid_url");
    case TokenErrorCode::InsecureUrl:
        return QStringLiteral("insecure_url");
    case TokenErrorCode::CaFileUnreadable:
        return QStringLiteral("ca_file_unreadable");
    case TokenErrorCode::InvalidPin:
        return QStringLiteral("invalid_pin");
    case TokenErrorCode::MissingCredentials:
        return QStringLiteral("missing_credentials");
    case TokenErrorCode::InvalidClient:
        return QStringLiteral("invalid_client");
    case TokenErrorCode::InvalidScope:
        return QStringLiteral("invalid_scope");
    case TokenErrorCode::InvalidRequest:
        return QStringLiteral("invalid_request");
    case TokenErrorCode::InvalidGrant:
        return QStringLiteral("invalid_grant");
    case TokenErrorCode::UnauthorizedClient:
        return QStringLiteral("unauthorized_client");
    case TokenErrorCode::AccessDenied:
        return QStringLiteral("access_denied");
    case TokenErrorCode::RateLimited:
        return QStringLiteral("rate_limited");
    case TokenErrorCode::HttpError:
        return QStringLiteral("http_error");
    case TokenErrorCode::ServerError:
        return QStringLiteral("server_error");
    case TokenErrorCode::Redirected:
        return QStringLiteral("redirected");
    case TokenErrorCode::TlsError:
        return QStringLiteral("tls_error");
    case TokenErrorCode::CertificateChanged:
        return QStringLiteral("certificate_changed");
    case TokenErrorCode::Timeout:
        return QStringLiteral("timeout");
    case TokenErrorCode::Cancelled:
        return QStringLiteral("cancelled");
    case TokenErrorCode::HostNotFound:
        return QStringLiteral("host_not_found");
    case TokenErrorCode::ConnectionRefused:
        return QStringLiteral("connection_refused");
    case TokenErrorCode::ProxyError:
        return QStringLiteral("proxy_error");
    case TokenErrorCode::NetworkError:
        return QStringLiteral("network_error");
    case TokenErrorCode::ResponseTooLarge:
        return QStringLiteral("response_too_large");
    case TokenErrorCode::MalformedResponse:
        return QStringLiteral("malformed_response");
    }
    return QStringLiteral("unknown");
}

std::optional<TokenErrorCode> TokenError::codeFromName(const QString& name)
{
    for (int value = int(TokenErrorCode::None); value <= int(TokenErrorCode::MalformedResponse); ++value) {
        if (make(TokenErrorCode(value)).codeName() == name)
            return TokenErrorCode(value);
    }
    return std::nullopt;
}

QString TokenError::scopeAdvice(const ScopeSet& scopes)
{
    return tr("Add %1 to the grant in Workiva's API grant settings, or remove it from the scopes this grant requests "
              "here.")
        .arg(scopes.toString());
}

QString TokenError::summary() const
{
    switch (code) {
    case TokenErrorCode::None:
        return {};
    case TokenErrorCode::InvalidUrl:
        return tr("The token URL is not valid: %1.").arg(detail);
    case TokenErrorCode::InsecureUrl:
        return tr("The token URL does not use https: %1.").arg(detail);
    case TokenErrorCode::CaFileUnreadable:
        return tr("The CA certificate file could not be read: %1.").arg(detail);
    case TokenErrorCode::InvalidPin:
        return tr("The pinned fingerprint \"%1\" is not a SHA-256 fingerprint.").arg(detail);
    case TokenErrorCode::MissingCredentials:
        return tr("The Client ID or Client Secret is empty.");
    case TokenErrorCode::InvalidClient:
        return withServerText(tr("The server refused the Client ID or Client Secret (HTTP %1).").arg(httpStatus),
                              *this);
    case TokenErrorCode::InvalidScope:
        if (!refusedScopes.isEmpty())
            return withServerText(
                tr("The server refused the scope %1 (HTTP %2).").arg(refusedScopes.toString()).arg(httpStatus), *this);
        return withServerText(tr("The server refused the requested scope (HTTP %1).").arg(httpStatus), *this);
    case TokenErrorCode::InvalidRequest:
        return withServerText(tr("The server rejected the request as malformed (HTTP %1).").arg(httpStatus), *this);
    case TokenErrorCode::InvalidGrant:
        return withServerText(tr("The server refused the grant (HTTP %1).").arg(httpStatus), *this);
    case TokenErrorCode::UnauthorizedClient:
        return withServerText(
            tr("The client is not allowed to use the client-credentials grant (HTTP %1).").arg(httpStatus), *this);
    case TokenErrorCode::AccessDenied:
        return withServerText(tr("The server denied access (HTTP %1).").arg(httpStatus), *this);
    case TokenErrorCode::RateLimited: {
        QString text = retryAfterSeconds
                           ? tr("The server is rate limiting requests (HTTP 429); it asks to retry after %1 s.")
                                 .arg(*retryAfterSeconds)
                           : tr("The server is rate limiting requests (HTTP 429).");
        if (timeLimit.count() > 0)
            text += QLatin1Char(' ') + tr("Waiting for that would pass this test's time limit of %1 s, so it was not "
                                          "tried again.")
                                           .arg((timeLimit.count() + 999) / 1000);
        return text;
    }
    case TokenErrorCode::HttpError:
        return withServerText(tr("The server answered HTTP %1.").arg(httpStatus), *this);
    case TokenErrorCode::ServerError:
        return withServerText(tr("The server had an internal problem (HTTP %1).").arg(httpStatus), *this);
    case TokenErrorCode::Redirected:
        return tr("The server answered HTTP %1 and tried to redirect to %2; redirects are never followed, so the "
                  "secret was not sent there.")
            .arg(httpStatus)
            .arg(redirectTarget.toDisplayString());
    case TokenErrorCode::TlsError:
        if (certificate.isNull())
            return tr("The secure connection failed: %1.").arg(detail);
        return tr("The server's certificate was refused: %1. Its SHA-256 fingerprint is %2.")
            .arg(detail, CertificateInfo::formatFingerprint(certificate.sha256));
    case TokenErrorCode::CertificateChanged:
        return tr("The server's certificate changed: it presented %1, but %2 is pinned.")
            .arg(CertificateInfo::formatFingerprint(certificate.sha256),
                 CertificateInfo::formatFingerprint(expectedFingerprint));
    case TokenErrorCode::Timeout:
        return tr("The server did not answer in time (%1).").arg(detail);
    case TokenErrorCode::Cancelled:
        return tr("The test was cancelled.");
    case TokenErrorCode::HostNotFound:
        return tr("The server's host name could not be resolved: %1.").arg(detail);
    case TokenErrorCode::ConnectionRefused:
        return tr("The server refused the connection: %1.").arg(detail);
    case TokenErrorCode::ProxyError:
        return tr("The proxy failed: %1.").arg(detail);
    case TokenErrorCode::NetworkError:
        return tr("The network request failed: %1.").arg(detail);
    case TokenErrorCode::ResponseTooLarge:
        return tr("The server's answer was larger than %1 and was not read.").arg(detail);
    case TokenErrorCode::MalformedResponse:
        if (httpStatus > 0)
            return tr("The server's answer (HTTP %1) is not a usable token response: %2.").arg(httpStatus).arg(detail);
        return tr("The server's answer is not a usable token response: %1.").arg(detail);
    }
    return {};
}

QString TokenError::advice() const
{
    switch (code) {
    case TokenErrorCode::None:
    case TokenErrorCode::Cancelled:
        return {};
    case TokenErrorCode::InvalidUrl:
        return tr("Enter a full URL such as https://api.app.wdesk.com/oauth2/token, or pick a region.");
    case TokenErrorCode::InsecureUrl:
        return tr("Use an https:// URL; plain http is only allowed for a server on this computer (127.0.0.1).");
    case TokenErrorCode::CaFileUnreadable:
        return tr("Choose a readable PEM file with the CA certificate, or trust the system CAs only.");
    case TokenErrorCode::InvalidPin:
        return tr("Enter the certificate's SHA-256 fingerprint: 64 hexadecimal digits, with or without colons.");
    case TokenErrorCode::MissingCredentials:
        return tr("Enter the Client ID and Client Secret shown when the grant was created.");
    case TokenErrorCode::InvalidClient:
        return tr("Check the Client ID and Secret. If the secret was regenerated, the grant's user was changed or "
                  "the grant has expired, create or regenerate it in Workiva and store the new secret.");
    case TokenErrorCode::InvalidScope:
        if (!refusedScopes.isEmpty())
            return scopeAdvice(refusedScopes);
        return tr("Compare the scopes this grant requests with the ones set on the grant in Workiva's API grant "
                  "settings: add the missing ones there, or remove them here.");
    case TokenErrorCode::InvalidRequest:
    case TokenErrorCode::UnauthorizedClient:
        return tr("Check the token URL, the API version and the client authentication method (form body or "
                  "HTTP Basic) against the server's documentation.");
    case TokenErrorCode::InvalidGrant:
        return tr("Check in Workiva that the grant still exists and has not expired.");
    case TokenErrorCode::AccessDenied:
        return tr("The grant's IP allowlist may not include this computer's address; check it in Workiva, and "
                  "that the integration user is still active.");
    case TokenErrorCode::RateLimited:
        if (timeLimit.count() > 0)
            return tr("Wait for the time the server asks, then test again; or raise the request timeout so that a "
                      "test can wait that long.");
        return tr("Wait for the time the server asks, then test again; test fewer grants at once.");
    case TokenErrorCode::HttpError:
        return tr("Check the token URL and API version; the server may not be an OAuth2 token endpoint.");
    case TokenErrorCode::ServerError:
        return tr("This is the server's problem, not the grant's; try again later.");
    case TokenErrorCode::Redirected:
        return tr("Check the token URL: use the address the server redirects to only if you trust it.");
    case TokenErrorCode::TlsError:
        return tr("Check that the token URL names the right server. For a private CA, add its certificate as a "
                  "CA file; to trust exactly this certificate, pin its fingerprint.");
    case TokenErrorCode::CertificateChanged:
        return tr("If the new certificate is genuine (check the fingerprint with the server's owner), pin the new "
                  "one; otherwise do not use this connection.");
    case TokenErrorCode::Timeout:
        return tr("Check the network and the token URL, or raise the request timeout.");
    case TokenErrorCode::HostNotFound:
        return tr("Check the host name in the token URL and this computer's DNS settings.");
    case TokenErrorCode::ConnectionRefused:
        return tr("Check the token URL's host and port, and that nothing blocks the connection.");
    case TokenErrorCode::ProxyError:
        return tr("Check the proxy settings (the https_proxy variable) and the proxy's credentials.");
    case TokenErrorCode::NetworkError:
        return tr("Check the network connection and try again.");
    case TokenErrorCode::ResponseTooLarge:
    case TokenErrorCode::MalformedResponse:
        return tr("Check that the token URL points at an OAuth2 token endpoint.");
    }
    return {};
}

} // namespace gk
