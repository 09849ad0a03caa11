#include "core/token/tokenresponseparser.h"

#include <QTest>
#include <QTimeZone>

using namespace gk;

namespace {

const QDateTime ReceivedAt(QDate(2026, 11, 23), QTime(12, 0), QTimeZone::utc());
const ScopeSet Requested = ScopeSet::parse(QStringLiteral("file:read file:write"));

TokenResult parse(int status, const QByteArray& body, QList<QPair<QByteArray, QByteArray>> headers = {})
{
    HttpResponse response;
    response.status = status;
    response.body = body;
    response.headers = std::move(headers);
    response.requestUrl = QUrl(QStringLiteral("https://api.app.wdesk.com/oauth2/token"));
    return TokenResponseParser::parse(response, Requested, ReceivedAt);
}

} // namespace

class TestTokenResponseParser : public QObject
{
    Q_OBJECT

private slots:
    void parsesWorkivaSuccess();
    void differentGrantedScopeIsReported();
    void missingScopeMeansGrantedAsRequested();
    void expiresInOddities_data();
    void expiresInOddities();
    void refusesNonBearerToken();
    void missingTokenTypeIsAssumedBearerWithWarning();
    void refusesTokenWithControlCharacters();
    void malformedSuccessBodies_data();
    void malformedSuccessBodies();
    void mapsOAuthErrors_data();
    void mapsOAuthErrors();
    void readsWorkivaErrorShape();
    void invalidScopeNamesTheRefusedScopes_data();
    void invalidScopeNamesTheRefusedScopes();
    void summarisesHtmlAndEmptyBodies();
    void serverTextIsMadePrintable();
    void rateLimitCarriesRetryAfter_data();
    void rateLimitCarriesRetryAfter();
    void redirectIsAnErrorNamingTheTarget();
    void readsDeprecationAndSunsetHeaders();
    void debugOutputNeverShowsTheToken();
};

void TestTokenResponseParser::parsesWorkivaSuccess()
{
    const TokenResult result = parse(200, R"({"access_token":"eyJhbGciOi.abc","expires_in":599,)"
                                          R"("scope":"file:read file:write","token_type":"Bearer"})");
    QVERIFY(result.isSuccess());
    QCOMPARE(result.token().accessToken, QStringLiteral("eyJhbGciOi.abc"));
    QCOMPARE(result.token().tokenType, QStringLiteral("Bearer"));
    QCOMPARE(result.token().expiresInSeconds, std::optional<qint64>(599));
    QCOMPARE(result.token().expiresAt(ReceivedAt), ReceivedAt.addSecs(599));
    QVERIFY(result.token().scope.grantedAsRequested());
    QVERIFY(!result.token().scope.grantedAssumedFromRequest);
    QVERIFY(result.token().warnings.isEmpty());
    QCOMPARE(result.response().httpStatus, 200);
    QCOMPARE(result.response().receivedAt, ReceivedAt);
}

void TestTokenResponseParser::differentGrantedScopeIsReported()
{
    const TokenResult result =
        parse(200, R"({"access_token":"t","expires_in":600,"scope":"file:read graph:read","token_type":"bearer"})");
    QVERIFY(result.isSuccess());
    QCOMPARE(result.token().scope.missing.toString(), QStringLiteral("file:write"));
    QCOMPARE(result.token().scope.extra.toString(), QStringLiteral("graph:read"));
}

void TestTokenResponseParser::missingScopeMeansGrantedAsRequested()
{
    const TokenResult result = parse(200, R"({"access_token":"t","expires_in":600,"token_type":"Bearer"})");
    QVERIFY(result.isSuccess());
    QVERIFY(result.token().scope.grantedAssumedFromRequest);
    QCOMPARE(result.token().scope.granted, Requested);
}

void TestTokenResponseParser::expiresInOddities_data()
{
    QTest::addColumn<QByteArray>("expiresIn");
    QTest::addColumn<qint64>("expected"); // -1: unknown
    QTest::addColumn<bool>("warned");
    QTest::newRow("number") << QByteArray("600") << qint64(600) << false;
    QTest::newRow("string") << QByteArray("\"600\"") << qint64(600) << true;
    QTest::newRow("missing") << QByteArray() << qint64(-1) << true;
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1) << true;
    QTest::newRow("zero") << QByteArray("0") << qint64(-1) << true;
    QTest::newRow("absurd") << QByteArray("1e300") << qint64(-1) << true;
    QTest::newRow("word") << QByteArray("\"soon\"") << qint64(-1) << true;
    QTest::newRow("object") << QByteArray("{}") << qint64(-1) << true;
}

void TestTokenResponseParser::expiresInOddities()
{
    QFETCH(QByteArray, expiresIn);
    QFETCH(qint64, expected);
    QFETCH(bool, warned);
    QByteArray body = R"({"access_token":"t","token_type":"Bearer")";
    if (!expiresIn.isEmpty())
        body += ",\"expires_in\":" + expiresIn;
    body += '}';
    const TokenResult result = parse(200, body);
    QVERIFY(result.isSuccess());
    QCOMPARE(result.token().expiresInSeconds.value_or(-1), expected);
    QCOMPARE(!result.token().warnings.isEmpty(), warned);
}

void TestTokenResponseParser::refusesNonBearerToken()
{
    const TokenResult result = parse(200, R"({"access_token":"t","token_type":"mac","expires_in":600})");
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::MalformedResponse);
    QVERIFY(result.error().summary().contains(QStringLiteral("\"mac\", not Bearer")));
}

void TestTokenResponseParser::missingTokenTypeIsAssumedBearerWithWarning()
{
    const TokenResult result = parse(200, R"({"access_token":"t","expires_in":600})");
    QVERIFY(result.isSuccess());
    QCOMPARE(result.token().tokenType, QStringLiteral("Bearer"));
    QCOMPARE(result.token().warnings.size(), 1);
}

void TestTokenResponseParser::refusesTokenWithControlCharacters()
{
    const TokenResult result = parse(200, "{\"access_token\":\"abc\\u001b[2Jdef\",\"token_type\":\"Bearer\"}");
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::MalformedResponse);
    QVERIFY(!result.error().summary().contains(QChar(0x1b)));
}

void TestTokenResponseParser::malformedSuccessBodies_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("detailContains");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("the body is empty");
    QTest::newRow("not json") << QByteArray("hello world") << QStringLiteral("the body is not JSON: \"hello world\"");
    QTest::newRow("truncated") << QByteArray(R"({"access_token":"abc","expi)")
                               << QStringLiteral("the JSON is incomplete or invalid");
    QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("not an object");
    QTest::newRow("no access_token") << QByteArray(R"({"token_type":"Bearer"})") << QStringLiteral("no access_token");
    QTest::newRow("empty access_token") << QByteArray(R"({"access_token":""})") << QStringLiteral("no access_token");
    QTest::newRow("numeric access_token") << QByteArray(R"({"access_token":5})") << QStringLiteral("no access_token");
}

void TestTokenResponseParser::malformedSuccessBodies()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, detailContains);
    const TokenResult result = parse(200, body);
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::MalformedResponse);
    QCOMPARE(result.error().httpStatus, 200);
    QVERIFY2(result.error().detail.contains(detailContains), qPrintable(result.error().detail));
    QCOMPARE(int(result.error().failureClass()), int(FailureClass::Network));
}

void TestTokenResponseParser::mapsOAuthErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("expectedCode");
    QTest::addColumn<int>("expectedClass");
    QTest::newRow("401 invalid_client")
        << 401 << QByteArray(R"({"error":"invalid_client","error_description":"Client authentication failed"})")
        << int(TokenErrorCode::InvalidClient) << int(FailureClass::CheckFailed);
    QTest::newRow("400 invalid_scope") << 400
                                       << QByteArray(R"({"error":"invalid_scope","error_description":"task:write"})")
                                       << int(TokenErrorCode::InvalidScope) << int(FailureClass::CheckFailed);
    QTest::newRow("400 invalid_request") << 400 << QByteArray(R"({"error":"invalid_request"})")
                                         << int(TokenErrorCode::InvalidRequest) << int(FailureClass::CheckFailed);
    QTest::newRow("400 invalid_grant") << 400 << QByteArray(R"({"error":"invalid_grant"})")
                                       << int(TokenErrorCode::InvalidGrant) << int(FailureClass::CheckFailed);
    QTest::newRow("401 no body") << 401 << QByteArray() << int(TokenErrorCode::InvalidClient)
                                 << int(FailureClass::CheckFailed);
    QTest::newRow("403") << 403 << QByteArray("Forbidden") << int(TokenErrorCode::AccessDenied)
                         << int(FailureClass::CheckFailed);
    QTest::newRow("404") << 404 << QByteArray("Not Found") << int(TokenErrorCode::HttpError)
                         << int(FailureClass::Network);
    QTest::newRow("500 server_error") << 500 << QByteArray(R"({"error":"server_error"})")
                                      << int(TokenErrorCode::ServerError) << int(FailureClass::Network);
    QTest::newRow("503 unknown error word") << 503 << QByteArray(R"({"error":"overloaded"})")
                                            << int(TokenErrorCode::ServerError) << int(FailureClass::Network);
}

void TestTokenResponseParser::mapsOAuthErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, expectedCode);
    QFETCH(int, expectedClass);
    const TokenResult result = parse(status, body);
    QVERIFY(!result.isSuccess());
    QCOMPARE(int(result.error().code), expectedCode);
    QCOMPARE(int(result.error().failureClass()), expectedClass);
    QCOMPARE(result.error().httpStatus, status);
    QVERIFY(!result.error().summary().isEmpty());
    QVERIFY(!result.error().advice().isEmpty());
}

void TestTokenResponseParser::readsWorkivaErrorShape()
{
    const TokenResult result =
        parse(400, R"({"code":"invalid_scope","message":"Scope 'task:write' is not allowed for this grant",)"
                   R"("target":"scope","details":[]})");
    QCOMPARE(result.error().code, TokenErrorCode::InvalidScope);
    QCOMPARE(result.error().serverError, QStringLiteral("invalid_scope"));
    QCOMPARE(result.error().serverMessage, QStringLiteral("Scope 'task:write' is not allowed for this grant"));
    QVERIFY(result.error().summary().contains(QStringLiteral("task:write")));
}

void TestTokenResponseParser::invalidScopeNamesTheRefusedScopes_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("refused");
    QTest::addColumn<QString>("summary");
    QTest::addColumn<QString>("advice");
    const QString adviceFor = QStringLiteral("Add %1 to the grant in Workiva's API grant settings, or remove it from "
                                             "the scopes this grant requests here.");
    QTest::newRow("named in the description")
        << QByteArray(R"({"error":"invalid_scope","error_description":"The scope file:write is not granted."})")
        << QStringLiteral("file:write")
        << QStringLiteral("The server refused the scope file:write (HTTP 400). (The scope file:write is not granted.)")
        << adviceFor.arg(QStringLiteral("file:write"));
    QTest::newRow("a scope member") << QByteArray(R"({"error":"invalid_scope","scope":"file:write"})")
                                    << QStringLiteral("file:write")
                                    << QStringLiteral("The server refused the scope file:write (HTTP 400).")
                                    << adviceFor.arg(QStringLiteral("file:write"));
    QTest::newRow("both, quoted and listed")
        << QByteArray(R"({"error":"invalid_scope","error_description":"'file:read', file:write: not allowed"})")
        << QStringLiteral("file:read file:write")
        << QStringLiteral("The server refused the scope file:read file:write (HTTP 400). ('file:read', file:write: "
                          "not allowed)")
        << adviceFor.arg(QStringLiteral("file:read file:write"));
    QTest::newRow("a longer scope is not the requested one")
        << QByteArray(R"({"error":"invalid_scope","error_description":"file:writes is unknown"})") << QString()
        << QStringLiteral("The server refused the requested scope (HTTP 400). (file:writes is unknown)")
        << QStringLiteral("Compare the scopes this grant requests with the ones set on the grant in Workiva's API "
                          "grant settings: add the missing ones there, or remove them here.");
    QTest::newRow("not said") << QByteArray(R"({"error":"invalid_scope"})") << QString()
                              << QStringLiteral("The server refused the requested scope (HTTP 400). (invalid_scope)")
                              << QStringLiteral("Compare the scopes this grant requests with the ones set on the "
                                                "grant in Workiva's API grant settings: add the missing ones there, "
                                                "or remove them here.");
}

void TestTokenResponseParser::invalidScopeNamesTheRefusedScopes()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, refused);
    QFETCH(QString, summary);
    QFETCH(QString, advice);
    const TokenResult result = parse(400, body);
    QCOMPARE(result.error().code, TokenErrorCode::InvalidScope);
    QCOMPARE(result.error().refusedScopes.toString(), refused);
    QCOMPARE(result.error().summary(), summary);
    QCOMPARE(result.error().advice(), advice);
}

void TestTokenResponseParser::summarisesHtmlAndEmptyBodies()
{
    const TokenResult html =
        parse(502, "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>");
    QCOMPARE(html.error().code, TokenErrorCode::ServerError);
    QCOMPARE(html.error().serverMessage, QStringLiteral("502 Bad Gateway"));

    const TokenResult empty = parse(500, QByteArray());
    QCOMPARE(empty.error().code, TokenErrorCode::ServerError);
    QCOMPARE(empty.error().serverMessage, QString());
    QCOMPARE(empty.error().summary(), QStringLiteral("The server had an internal problem (HTTP 500)."));
}

void TestTokenResponseParser::serverTextIsMadePrintable()
{
    const TokenResult result =
        parse(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad\\u001b]0;pwned\\u0007\\nclient\"}");
    QCOMPARE(result.error().serverMessage, QStringLiteral("bad\uFFFD]0;pwned\uFFFD client"));
}

void TestTokenResponseParser::rateLimitCarriesRetryAfter_data()
{
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("seconds") << QByteArray("12") << qint64(12);
    QTest::newRow("http date") << QByteArray("Mon, 23 Nov 2026 12:01:30 GMT") << qint64(90);
    QTest::newRow("missing") << QByteArray() << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
}

void TestTokenResponseParser::rateLimitCarriesRetryAfter()
{
    QFETCH(QByteArray, retryAfter);
    QFETCH(qint64, expected);
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!retryAfter.isEmpty())
        headers.append({"Retry-After", retryAfter});
    const TokenResult result = parse(429, R"({"error":"invalid_client"})", headers);
    QCOMPARE(result.error().code, TokenErrorCode::RateLimited);
    QCOMPARE(result.error().retryAfterSeconds.value_or(-1), expected);
}

void TestTokenResponseParser::redirectIsAnErrorNamingTheTarget()
{
    const TokenResult result = parse(307, QByteArray(), {{"Location", "/moved/token"}});
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::Redirected);
    QCOMPARE(result.error().redirectTarget, QUrl(QStringLiteral("https://api.app.wdesk.com/moved/token")));
    QVERIFY(result.error().summary().contains(QStringLiteral("https://api.app.wdesk.com/moved/token")));

    const TokenResult withUserInfo = parse(302, QByteArray(), {{"location", "https://u:p@evil.example/x"}});
    QCOMPARE(withUserInfo.error().redirectTarget, QUrl(QStringLiteral("https://evil.example/x")));

    // Found by the fuzzer: a percent-encoded right-to-left override must not reach the terminal decoded.
    const TokenResult spoofed = parse(302, QByteArray(), {{"Location", "https://evil.example/%E2%80%AEmoc.avikrow"}});
    QVERIFY(!spoofed.error().summary().contains(QChar(0x202E)));
    QVERIFY(spoofed.error().summary().contains(QChar::ReplacementCharacter));
}

void TestTokenResponseParser::readsDeprecationAndSunsetHeaders()
{
    const TokenResult result = parse(200, R"({"access_token":"t","token_type":"Bearer","expires_in":600})",
                                     {{"Deprecation", "@1770854400"}, {"Sunset", "Wed, 31 Jan 2029 00:00:00 GMT"}});
    QVERIFY(result.response().deprecationAnnounced);
    QCOMPARE(result.response().deprecation,
             std::optional(QDateTime(QDate(2026, 2, 12), QTime(0, 0), QTimeZone::utc())));
    QCOMPARE(result.response().sunset, std::optional(QDateTime(QDate(2029, 1, 31), QTime(0, 0), QTimeZone::utc())));

    const TokenResult draft =
        parse(200, R"({"access_token":"t","token_type":"Bearer","expires_in":600})", {{"Deprecation", "true"}});
    QVERIFY(draft.response().deprecationAnnounced);
    QCOMPARE(draft.response().deprecation, std::nullopt);
    QCOMPARE(draft.response().sunset, std::nullopt);
}

void TestTokenResponseParser::debugOutputNeverShowsTheToken()
{
    const TokenResult result =
        parse(200, R"({"access_token":"very-secret-token-value","token_type":"Bearer","expires_in":600})");
    QString text;
    QDebug(&text) << result;
    QVERIFY(!text.contains(QStringLiteral("very-secret-token-value")));
    QVERIFY(text.contains(QStringLiteral("<redacted 23 chars>")));
}

QTEST_GUILESS_MAIN(TestTokenResponseParser)
#include "tst_tokenresponseparser.moc"
