// libFuzzer target for TokenResponseParser: whatever a server sends, the parser neither crashes nor lets a bad
// token or a control character through. Run it with tests/fuzz/run-fuzz.sh [SECONDS].
//
// The input reads like an HTTP response, so the seed corpus is made of real answers:
//   line 1       the status ("200", or "HTTP/1.1 200 OK"); without digits, the first byte picks one
//   next lines   headers, "Name: value", up to the first empty line
//   the rest     the body
// A header "X-Requested-Scope" sets the scope the request asked for.
#include "core/text/printabletext.h"
#include "core/token/tokenresponseparser.h"

#include <QByteArray>
#include <QDateTime>
#include <QTimeZone>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void require(bool condition, const char* what)
{
    if (condition)
        return;
    std::fprintf(stderr, "fuzz_tokenresponseparser: invariant broken: %s\n", what);
    std::abort();
}

// The offending text, with everything outside printable ASCII as \u escapes, for the crash report.
void requireNoControlCharacters(const QString& text, const char* what)
{
    if (!gk::containsControlCharacters(text))
        return;
    QByteArray escaped;
    for (QChar c : text) {
        if (c.unicode() >= 0x20 && c.unicode() < 0x7f)
            escaped.append(static_cast<char>(c.unicode()));
        else
            escaped.append(QByteArray("\\u") + QByteArray::number(c.unicode(), 16).rightJustified(4, '0'));
    }
    std::fprintf(stderr, "fuzz_tokenresponseparser: %s\n", escaped.constData());
    require(false, what);
}

bool isPrintableAscii(const QString& text)
{
    for (QChar c : text) {
        if (c.unicode() < 0x21 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

QByteArray nextLine(const QByteArray& data, qsizetype& position)
{
    qsizetype end = data.indexOf('\n', position);
    if (end < 0)
        end = data.size();
    QByteArray line = data.mid(position, end - position);
    position = end + 1;
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

int statusFrom(const QByteArray& line)
{
    QByteArray text = line;
    if (text.startsWith("HTTP/")) {
        const qsizetype space = text.indexOf(' ');
        text = space < 0 ? QByteArray() : text.mid(space + 1);
    }
    int status = 0;
    qsizetype digits = 0;
    while (digits < text.size() && digits < 4 && text.at(digits) >= '0' && text.at(digits) <= '9') {
        status = status * 10 + (text.at(digits) - '0');
        ++digits;
    }
    if (digits == 0 && !line.isEmpty())
        status = 100 + static_cast<unsigned char>(line.at(0)) * 2; // 100..610: every class, and some beyond
    return status;
}

void checkHeaderHelpers(const QByteArray& value, const QDateTime& now)
{
    if (const auto date = gk::TokenResponseParser::parseHttpDate(value))
        require(date->isValid() && date->timeSpec() == Qt::UTC, "parseHttpDate returned an invalid or local date");
    if (const auto seconds = gk::TokenResponseParser::parseRetryAfter(value, now))
        require(*seconds >= 0, "parseRetryAfter returned a negative delay");
    if (const auto deprecation = gk::TokenResponseParser::parseDeprecation(value))
        (void)deprecation->isValid(); // any value is fine, as long as getting there is
}

void checkError(const gk::TokenError& error)
{
    require(error.isError(), "a failure without an error code");
    requireNoControlCharacters(error.serverError, "control character in the server's error");
    requireNoControlCharacters(error.serverMessage, "control character in the server's message");
    requireNoControlCharacters(error.summary(), "control character in the error summary");
    requireNoControlCharacters(error.advice(), "control character in the error advice");
    if (error.retryAfterSeconds)
        require(*error.retryAfterSeconds >= 0, "negative Retry-After");
}

void checkToken(const gk::IssuedToken& token)
{
    require(!token.accessToken.isEmpty(), "a success with an empty access token");
    require(isPrintableAscii(token.accessToken), "a success with an access token that is not printable ASCII");
    require(token.tokenType.compare(QLatin1String("bearer"), Qt::CaseInsensitive) == 0,
            "a success with a token type other than Bearer");
    if (token.expiresInSeconds)
        require(*token.expiresInSeconds > 0 &&
                    *token.expiresInSeconds <= gk::TokenResponseParser::MaxPlausibleExpiresIn,
                "a lifetime outside (0, MaxPlausibleExpiresIn]");
    for (const QString& warning : token.warnings)
        requireNoControlCharacters(warning, "control character in a warning");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    const QDateTime receivedAt(QDate(2025, 3, 14), QTime(9, 26, 53), QTimeZone::utc());

    gk::HttpResponse response;
    response.requestUrl = QUrl(QStringLiteral("https://api.app.wdesk.com/oauth2/token"));
    qsizetype position = 0;
    const QByteArray statusLine = nextLine(input, position);
    response.status = statusFrom(statusLine);
    checkHeaderHelpers(statusLine, receivedAt);

    QString requested = QStringLiteral("file:read data_assets:read");
    while (position < input.size()) {
        const QByteArray line = nextLine(input, position);
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = colon < 0 ? line : line.left(colon);
        const QByteArray value = colon < 0 ? QByteArray() : line.mid(colon + 1).trimmed();
        if (name.compare("X-Requested-Scope", Qt::CaseInsensitive) == 0)
            requested = QString::fromUtf8(value);
        else
            response.headers.append({name, value});
        checkHeaderHelpers(value, receivedAt);
    }
    // A copy, not a view: the parser may keep parts of the body beyond this call.
    response.body = position < input.size() ? input.mid(position) : QByteArray();
    response.body.detach();
    checkHeaderHelpers(response.body.left(64), receivedAt);

    const gk::TokenResult result = gk::TokenResponseParser::parse(response, gk::ScopeSet::parse(requested), receivedAt);
    require(result.response().httpStatus == response.status, "the response's status was not kept");
    if (result.isSuccess()) {
        require(response.status >= 200 && response.status < 300, "a success outside 2xx");
        checkToken(result.token());
    } else {
        checkError(result.error());
    }
    return 0;
}
