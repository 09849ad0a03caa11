#include "core/token/tokenresponseparser.h"

#include "core/text/printabletext.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QTimeZone>

#include <algorithm>

namespace gk {

namespace {

constexpr qsizetype MaxServerTextLength = 300;

QString jsonText(const QJsonObject& object, const char* key)
{
    const QJsonValue value = object.value(QLatin1String(key));
    return value.isString() ? printableText(value.toString(), MaxServerTextLength) : QString();
}

// A body that is not JSON: the <title> of an HTML page, or the first characters of the text.
QString rawBodySummary(const QByteArray& body)
{
    const QString text = QString::fromUtf8(body.left(4096));
    static const QRegularExpression title(QStringLiteral("<title[^>]*>([^<]*)</title>"),
                                          QRegularExpression::CaseInsensitiveOption);
    const auto match = title.match(text);
    if (match.hasMatch())
        return printableText(match.captured(1), MaxServerTextLength);
    if (text.contains(QLatin1Char('<'))) {
        QString stripped = text;
        stripped.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
        return printableText(stripped, MaxServerTextLength);
    }
    return printableText(text, MaxServerTextLength);
}

// toDisplayString() decodes percent-encoded characters, so a Location header could carry a control character or
// a right-to-left override (%E2%80%AE) into a message shown on a terminal: show those as U+FFFD instead.
QUrl safeForDisplay(const QUrl& url)
{
    if (!containsControlCharacters(url.toDisplayString()))
        return url;
    const QUrl cleaned(withoutControlCharacters(url.toDisplayString(), false));
    return containsControlCharacters(cleaned.toDisplayString()) ? QUrl() : cleaned;
}

// A token endpoint's 2xx body may be, or hold, the access token even when it is not the JSON expected (form-encoded,
// bare, cut short): such a body is never quoted, since the text reaches the screen, the log and the saved history.
bool mayHoldToken(const QString& text)
{
    if (text.contains(QLatin1String("token"), Qt::CaseInsensitive))
        return true;
    const QStringList words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return std::any_of(words.cbegin(), words.cend(), [](const QString& word) { return word.size() >= 24; });
}

TokenErrorCode codeForOAuthError(const QString& error)
{
    if (error == QLatin1String("invalid_client"))
        return TokenErrorCode::InvalidClient;
    if (error == QLatin1String("invalid_scope"))
        return TokenErrorCode::InvalidScope;
    if (error == QLatin1String("invalid_request") || error == QLatin1String("unsupported_grant_type") ||
        error == QLatin1String("unsupported_response_type"))
        return TokenErrorCode::InvalidRequest;
    if (error == QLatin1String("invalid_grant"))
        return TokenErrorCode::InvalidGrant;
    if (error == QLatin1String("unauthorized_client"))
        return TokenErrorCode::UnauthorizedClient;
    if (error == QLatin1String("access_denied"))
        return TokenErrorCode::AccessDenied;
    if (error == QLatin1String("server_error") || error == QLatin1String("temporarily_unavailable"))
        return TokenErrorCode::ServerError;
    return TokenErrorCode::None;
}

TokenErrorCode codeForStatus(int status)
{
    if (status == 401)
        return TokenErrorCode::InvalidClient;
    if (status == 403)
        return TokenErrorCode::AccessDenied;
    if (status == 429)
        return TokenErrorCode::RateLimited;
    if (status >= 500)
        return TokenErrorCode::ServerError;
    return TokenErrorCode::HttpError;
}

// Which scopes an invalid_scope answer refuses: its "scope" member when it has one, else the requested scopes its
// text names as whole words ("Scope 'file:write' is not allowed"). Empty when the answer does not say.
ScopeSet refusedScopes(const QJsonObject& object, const TokenError& error, const ScopeSet& requestedScope)
{
    if (const QString listed = jsonText(object, "scope"); !listed.isEmpty())
        return ScopeSet::parse(listed);
    const QString text = error.serverMessage + QLatin1Char(' ') + error.serverError;
    QStringList named;
    for (const QString& scope : requestedScope.scopes()) {
        // A scope is a run of printable characters without spaces or quotes (RFC 6749 §3.3): a match must not be
        // part of a longer scope, so "file:read" is not found in "file:readwrite".
        const QRegularExpression word(QStringLiteral("(?<![^\\s'\"`,;(\\[])%1(?=$|[\\s'\"`,;)\\]]|[.:](?:\\s|$))")
                                          .arg(QRegularExpression::escape(scope)));
        if (word.match(text).hasMatch())
            named.append(scope);
    }
    return ScopeSet::fromList(named);
}

TokenError errorFromBody(const HttpResponse& response, const ScopeSet& requestedScope)
{
    QJsonObject object;
    TokenError error;
    error.httpStatus = response.status;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
    if (parseError.error == QJsonParseError::NoError && document.isObject()) {
        object = document.object();
        // OAuth2 (RFC 6749 §5.2) first, then the shape of Workiva's other APIs.
        error.serverError = jsonText(object, "error");
        error.serverMessage = jsonText(object, "error_description");
        if (error.serverError.isEmpty())
            error.serverError = jsonText(object, "code");
        if (error.serverMessage.isEmpty())
            error.serverMessage = jsonText(object, "message");
    } else if (!response.body.trimmed().isEmpty()) {
        error.serverMessage = rawBodySummary(response.body);
    }

    error.code = codeForOAuthError(error.serverError.toLower());
    // A 429 is rate limiting whatever its body says; otherwise the OAuth2 error is more precise than the status.
    if (response.status == 429 || error.code == TokenErrorCode::None)
        error.code = codeForStatus(response.status);
    if (error.code == TokenErrorCode::InvalidScope) {
        error.refusedScopes = refusedScopes(object, error, requestedScope);
        if (error.serverMessage.isEmpty() && !error.serverError.isEmpty() && error.refusedScopes.isEmpty())
            error.serverMessage = error.serverError;
    }
    return error;
}

// expires_in: a positive number of seconds. Odd values are reported as warnings and the lifetime left unknown.
std::optional<qint64> parseExpiresIn(const QJsonValue& value, QStringList& warnings)
{
    if (value.isUndefined() || value.isNull()) {
        warnings.append(QStringLiteral("The server did not say when the token expires (no expires_in)."));
        return std::nullopt;
    }
    double seconds = 0;
    if (value.isDouble()) {
        seconds = value.toDouble();
    } else if (value.isString()) {
        bool ok = false;
        seconds = value.toString().trimmed().toDouble(&ok);
        if (!ok) {
            warnings.append(QStringLiteral("The server's expires_in is not a number."));
            return std::nullopt;
        }
        warnings.append(QStringLiteral("The server sent expires_in as a string instead of a number."));
    } else {
        warnings.append(QStringLiteral("The server's expires_in is not a number."));
        return std::nullopt;
    }
    if (!(seconds > 0)) {
        warnings.append(QStringLiteral("The server's expires_in (%1) is not positive.").arg(seconds));
        return std::nullopt;
    }
    if (seconds > double(TokenResponseParser::MaxPlausibleExpiresIn)) {
        warnings.append(
            QStringLiteral("The server's expires_in (%1 s) is implausibly large.").arg(seconds, 0, 'g', 12));
        return std::nullopt;
    }
    return qint64(seconds);
}

bool isValidAccessToken(const QString& token)
{
    // Bearer tokens are printable ASCII (RFC 6750 b64token is stricter still); anything else could drive a
    // terminal when the token is printed, or break the Authorization header it goes into.
    for (QChar c : token) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return false;
    }
    return !token.isEmpty();
}

TokenResult parseSuccess(const HttpResponse& response, const ResponseInfo& info, const ScopeSet& requestedScope)
{
    const auto malformed = [&](const QString& detail) {
        TokenError error = TokenError::make(TokenErrorCode::MalformedResponse, detail);
        error.httpStatus = response.status;
        return TokenResult::failure(info, error);
    };

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
    if (response.body.trimmed().isEmpty())
        return malformed(QStringLiteral("the body is empty"));
    if (parseError.error != QJsonParseError::NoError) {
        const QByteArray trimmed = response.body.trimmed();
        if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
            // Where it broke, never what it says: the token may be in it.
            qsizetype contentEnd = response.body.size();
            while (contentEnd > 0 && QChar::isSpace(uchar(response.body.at(contentEnd - 1))))
                --contentEnd;
            if (parseError.offset >= contentEnd)
                return malformed(QStringLiteral("the JSON is incomplete or invalid (it ends early, after %1 bytes)")
                                     .arg(response.body.size()));
            return malformed(QStringLiteral("the JSON is incomplete or invalid (%1 at byte %2)")
                                 .arg(parseError.errorString())
                                 .arg(parseError.offset));
        }
        const QString start = rawBodySummary(response.body);
        if (mayHoldToken(start))
            return malformed(QStringLiteral("the body is not JSON (not shown: it may hold the token)"));
        const QString what = QStringLiteral("the body is not JSON");
        return malformed(start.isEmpty() ? what : what + QStringLiteral(": \"") + start.left(80) + QLatin1Char('"'));
    }
    if (!document.isObject())
        return malformed(QStringLiteral("the JSON is not an object"));

    const QJsonObject object = document.object();
    const QJsonValue accessToken = object.value(QLatin1String("access_token"));
    if (!accessToken.isString() || accessToken.toString().isEmpty())
        return malformed(QStringLiteral("it has no access_token"));
    if (!isValidAccessToken(accessToken.toString()))
        return malformed(QStringLiteral("the access_token contains spaces, control or non-ASCII characters"));

    IssuedToken token;
    token.accessToken = accessToken.toString();

    const QJsonValue tokenType = object.value(QLatin1String("token_type"));
    if (tokenType.isString() && !tokenType.toString().isEmpty()) {
        token.tokenType = printableText(tokenType.toString(), 40);
        if (token.tokenType.compare(QLatin1String("bearer"), Qt::CaseInsensitive) != 0)
            return malformed(QStringLiteral("the token_type is \"%1\", not Bearer").arg(token.tokenType));
    } else {
        token.tokenType = QStringLiteral("Bearer");
        token.warnings.append(QStringLiteral("The server did not say the token type; Bearer is assumed."));
    }

    token.expiresInSeconds = parseExpiresIn(object.value(QLatin1String("expires_in")), token.warnings);

    const QJsonValue scope = object.value(QLatin1String("scope"));
    if (scope.isString()) {
        token.scope = ScopeComparison::compare(requestedScope, ScopeSet::parse(printableText(scope.toString(), 4000)));
    } else {
        if (!scope.isUndefined() && !scope.isNull())
            token.warnings.append(QStringLiteral("The server's scope is not a string; it was ignored."));
        token.scope = ScopeComparison::assumeGrantedAsRequested(requestedScope);
    }
    return TokenResult::success(info, token);
}

} // namespace

QByteArray HttpResponse::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

std::optional<QDateTime> TokenResponseParser::parseHttpDate(const QByteArray& value)
{
    // IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 §5.6.7).
    QString text = QString::fromLatin1(value).trimmed();
    if (text.endsWith(QLatin1String(" GMT")) || text.endsWith(QLatin1String(" UTC")))
        text = text.left(text.size() - 4) + QStringLiteral(" +0000");
    QDateTime parsed = QDateTime::fromString(text, Qt::RFC2822Date);
    if (!parsed.isValid())
        return std::nullopt;
    return parsed.toUTC();
}

std::optional<qint64> TokenResponseParser::parseRetryAfter(const QByteArray& value, const QDateTime& now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool ok = false;
    const qint64 seconds = trimmed.toLongLong(&ok);
    if (ok)
        return seconds >= 0 ? std::optional<qint64>(seconds) : std::nullopt;
    if (const auto date = parseHttpDate(trimmed))
        return std::max<qint64>(0, now.secsTo(*date));
    return std::nullopt;
}

std::optional<QDateTime> TokenResponseParser::parseDeprecation(const QByteArray& value)
{
    // RFC 9745: a structured-field date, "@1688169599". Earlier drafts used an HTTP date.
    const QByteArray trimmed = value.trimmed();
    if (trimmed.startsWith('@')) {
        bool ok = false;
        const qint64 seconds = trimmed.mid(1).toLongLong(&ok);
        if (ok)
            return QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc());
        return std::nullopt;
    }
    return parseHttpDate(trimmed);
}

TokenResult TokenResponseParser::parse(const HttpResponse& response, const ScopeSet& requestedScope,
                                       const QDateTime& receivedAt)
{
    ResponseInfo info;
    info.httpStatus = response.status;
    info.receivedAt = receivedAt;
    const QByteArray deprecation = response.header("Deprecation");
    if (!deprecation.isEmpty()) {
        info.deprecationAnnounced = true;
        info.deprecation = parseDeprecation(deprecation);
    }
    const QByteArray sunset = response.header("Sunset");
    if (!sunset.isEmpty())
        info.sunset = parseHttpDate(sunset);

    if (response.status >= 200 && response.status < 300)
        return parseSuccess(response, info, requestedScope);

    if (response.status >= 300 && response.status < 400) {
        TokenError error = TokenError::make(TokenErrorCode::Redirected);
        error.httpStatus = response.status;
        const QUrl location = QUrl::fromEncoded(response.header("Location"));
        error.redirectTarget = response.requestUrl.isValid() ? response.requestUrl.resolved(location) : location;
        // Never echo credentials a server put into a URL.
        error.redirectTarget.setUserInfo(QString());
        error.redirectTarget = safeForDisplay(error.redirectTarget);
        return TokenResult::failure(info, error);
    }

    if (response.status >= 400 && response.status < 600) {
        TokenError error = errorFromBody(response, requestedScope);
        if (error.code == TokenErrorCode::RateLimited)
            error.retryAfterSeconds = parseRetryAfter(response.header("Retry-After"), receivedAt);
        return TokenResult::failure(info, error);
    }

    TokenError error = TokenError::make(TokenErrorCode::MalformedResponse,
                                        QStringLiteral("unexpected HTTP status %1").arg(response.status));
    error.httpStatus = response.status;
    return TokenResult::failure(info, error);
}

} // namespace gk
