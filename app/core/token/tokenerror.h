// Why a token test failed, in words an administrator understands, with what to do next.
#pragma once

#include "core/scope/scopeset.h"
#include "core/token/certificateinfo.h"

#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace gk {

enum class TokenErrorCode {
    None,
    // The request could not be made as configured.
    InvalidUrl,
    InsecureUrl,
    CaFileUnreadable,
    InvalidPin,
    MissingCredentials,
    // The server refused.
    InvalidClient,
    InvalidScope,
    InvalidRequest,
    InvalidGrant,
    UnauthorizedClient,
    AccessDenied,
    RateLimited,
    HttpError,
    ServerError,
    Redirected,
    // The connection or the answer failed.
    TlsError,
    CertificateChanged,
    Timeout,
    Cancelled,
    HostNotFound,
    ConnectionRefused,
    ProxyError,
    NetworkError,
    ResponseTooLarge,
    MalformedResponse, // keep last: TestRecord::advice() walks the codes up to it
};

// The classes of failure that decide the command line's exit code (DESIGN.md, Command line contract).
enum class FailureClass {
    None,        // 0
    CheckFailed, // 1: the server refused the credentials or the scope
    BadInput,    // 2: the grant's own configuration is unusable
    Keychain,    // 3
    Network,     // 4: network, TLS, timeout, malformed answer
};

struct TokenError
{
    TokenErrorCode code = TokenErrorCode::None;
    int httpStatus = 0;
    QString serverError;   // OAuth2 "error" or Workiva "code", printable characters only
    QString serverMessage; // OAuth2 "error_description", Workiva "message" or the start of a raw body
    QString detail;        // a technical detail from the network stack (never a secret)
    QUrl redirectTarget;   // Redirected: where the server tried to send the request
    std::optional<qint64> retryAfterSeconds;
    // RateLimited: not tried again because the wait would pass this limit on the whole test (retries included).
    std::chrono::milliseconds timeLimit{0};
    CertificateInfo certificate; // TlsError, CertificateChanged: the certificate the server presented
    QString expectedFingerprint; // CertificateChanged: the pinned fingerprint
    ScopeSet refusedScopes;      // InvalidScope: the scopes the server's answer names as refused, when it does

    bool isError() const { return code != TokenErrorCode::None; }
    FailureClass failureClass() const;

    QString codeName() const; // stable, for JSON and history: "invalid_client", "timeout", ...
    QString summary() const;  // one line: what happened
    QString advice() const;   // one or two sentences: what to do, addressed to the administrator who owns the grant

    static TokenError make(TokenErrorCode code, const QString& detail = {});
    // The code for a stable name (codeName()); nullopt for a name this version does not know.
    static std::optional<TokenErrorCode> codeFromName(const QString& name);
    // What to do when the server did not grant these scopes (refused them, or left them out of a token).
    static QString scopeAdvice(const ScopeSet& scopes);

    friend bool operator==(const TokenError&, const TokenError&) = default;
};

} // namespace gk
