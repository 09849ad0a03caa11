// The outcome of one token request: facts about the response, and either the issued token or the error.
#pragma once

#include "core/scope/scopeset.h"
#include "core/token/certificateinfo.h"
#include "core/token/tokenerror.h"

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

class QDebug;

namespace gk {

// Facts known about a response whether or not it carried a token.
struct ResponseInfo
{
    int httpStatus = 0;      // 0: no HTTP answer (refused, TLS, timeout)
    qint64 roundTripMs = -1; // from sending the request to the last byte; -1 if unknown
    QDateTime receivedAt;
    CertificateInfo serverCertificate;
    std::optional<QDateTime> deprecation; // RFC 9745 Deprecation header
    std::optional<QDateTime> sunset;      // RFC 8594 Sunset header
    bool deprecationAnnounced = false;    // a Deprecation header was present, with or without a date

    // What the server's Deprecation and Sunset headers announce, in one sentence; empty when they announce nothing.
    QString deprecationNotice() const;
};

struct IssuedToken
{
    // A token whose server gave no lifetime (no expires_in) is taken to live this long, the lifetime Workiva's
    // tokens have: the one rule for its countdown, its reuse and the JSON, wherever the token is shown.
    static constexpr qint64 AssumedLifetimeSeconds = 600;

    QString accessToken; // a secret: memory only, never printed, logged or stored
    QString tokenType;
    std::optional<qint64> expiresInSeconds;
    ScopeComparison scope;
    QStringList warnings; // e.g. "expires_in missing": the token works but something is odd

    bool lifetimeAssumed() const { return !expiresInSeconds.has_value(); }
    qint64 lifetimeSeconds() const { return expiresInSeconds.value_or(AssumedLifetimeSeconds); }
    // receivedAt plus the lifetime; invalid only when receivedAt is.
    QDateTime expiresAt(const QDateTime& receivedAt) const;
};

class TokenResult
{
public:
    static TokenResult success(const ResponseInfo& response, const IssuedToken& token);
    static TokenResult failure(const ResponseInfo& response, const TokenError& error);
    static TokenResult failure(const TokenError& error);

    bool isSuccess() const { return m_token.has_value(); }
    const ResponseInfo& response() const { return m_response; }
    ResponseInfo& response() { return m_response; }
    // Only valid when isSuccess().
    const IssuedToken& token() const { return *m_token; }
    // Only valid when isSuccess().
    void addWarning(const QString& warning) { m_token->warnings.append(warning); }
    const TokenError& error() const { return m_error; }

private:
    ResponseInfo m_response;
    std::optional<IssuedToken> m_token;
    TokenError m_error;
};

// Prints everything but the access token.
QDebug operator<<(QDebug debug, const IssuedToken& token);
QDebug operator<<(QDebug debug, const TokenResult& result);

} // namespace gk

Q_DECLARE_METATYPE(gk::TokenResult)
