// Pure: turns an HTTP status, headers and body into a token or an error. No network, no clock of its own.
#pragma once

#include "core/scope/scopeset.h"
#include "core/token/tokenresult.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QUrl>

#include <optional>

namespace gk {

struct HttpResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers; // as received; names are matched case-insensitively
    QByteArray body;
    QUrl requestUrl; // to resolve a relative Location header

    QByteArray header(const QByteArray& name) const;
};

class TokenResponseParser
{
public:
    // Lifetimes longer than this are treated as nonsense rather than trusted (ten years).
    static constexpr qint64 MaxPlausibleExpiresIn = 10LL * 365 * 24 * 3600;

    // receivedAt becomes ResponseInfo::receivedAt and the base for Retry-After given as a date.
    static TokenResult parse(const HttpResponse& response, const ScopeSet& requestedScope, const QDateTime& receivedAt);

    // Header helpers, public so the client and tests can use them alone.
    static std::optional<QDateTime> parseHttpDate(const QByteArray& value);
    static std::optional<qint64> parseRetryAfter(const QByteArray& value, const QDateTime& now);
    static std::optional<QDateTime> parseDeprecation(const QByteArray& value);
};

} // namespace gk
