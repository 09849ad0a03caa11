#include "core/token/environment.h"
#include "core/token/tokenrequest.h"

#include <QTest>
#include <QUrlQuery>

using namespace gk;

namespace {

TokenRequest sampleRequest()
{
    TokenRequest request;
    request.tokenUrl = Environment::tokenUrl(Region::US, ApiVersion::V2026_01_01);
    request.scope = ScopeSet::parse(QStringLiteral("file:read file:write"));
    request.credentials = Credentials(QStringLiteral("client-1234abcd"), QStringLiteral("s3cr+t&=%/x"));
    return request;
}

QMap<QString, QString> decodeForm(const QByteArray& body)
{
    QMap<QString, QString> form;
    for (const QByteArray& pair : body.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        form.insert(QString::fromUtf8(QByteArray::fromPercentEncoding(pair.left(eq))),
                    QString::fromUtf8(QByteArray::fromPercentEncoding(pair.mid(eq + 1))));
    }
    return form;
}

} // namespace

class TestTokenRequest : public QObject
{
    Q_OBJECT

private slots:
    void regionsAndVersionsGiveDocumentedUrls_data();
    void regionsAndVersionsGiveDocumentedUrls();
    void deprecatedVersionKnowsItsSunset();
    void formBodyCarriesCredentialsWhenAuthIsBody();
    void basicAuthKeepsCredentialsOutOfTheBody();
    void omitsScopeWhenNoneRequested();
    void setsExactHeadersAndNoRedirects();
    void refusesPlainHttpExceptLoopback_data();
    void refusesPlainHttpExceptLoopback();
    void refusesEmptyCredentials();
    void pinnedTrustNeedsAFingerprintAndHttps();
    void debugOutputNeverShowsTheSecret();
};

void TestTokenRequest::regionsAndVersionsGiveDocumentedUrls_data()
{
    QTest::addColumn<int>("region");
    QTest::addColumn<int>("version");
    QTest::addColumn<QString>("expected");
    QTest::newRow("us 2026") << int(Region::US) << int(ApiVersion::V2026_01_01)
                             << QStringLiteral("https://api.app.wdesk.com/oauth2/token");
    QTest::newRow("eu 2026") << int(Region::EU) << int(ApiVersion::V2026_01_01)
                             << QStringLiteral("https://api.eu.wdesk.com/oauth2/token");
    QTest::newRow("apac 2022") << int(Region::APAC) << int(ApiVersion::V2022_01_01)
                               << QStringLiteral("https://api.apac.wdesk.com/iam/v1/oauth2/token");
    QTest::newRow("custom has no preset") << int(Region::Custom) << int(ApiVersion::V2026_01_01) << QString();
}

void TestTokenRequest::regionsAndVersionsGiveDocumentedUrls()
{
    QFETCH(int, region);
    QFETCH(int, version);
    QFETCH(QString, expected);
    QCOMPARE(Environment::tokenUrl(Region(region), ApiVersion(version)).toString(), expected);
}

void TestTokenRequest::deprecatedVersionKnowsItsSunset()
{
    QVERIFY(Environment::isDeprecated(ApiVersion::V2022_01_01));
    QVERIFY(!Environment::isDeprecated(ApiVersion::V2026_01_01));
    QCOMPARE(Environment::sunsetDate(ApiVersion::V2022_01_01), std::optional<QDate>(QDate(2029, 1, 31)));
    QCOMPARE(Environment::deprecatedSince(ApiVersion::V2022_01_01), std::optional<QDate>(QDate(2026, 2, 12)));
    QCOMPARE(Environment::versionFromString(QStringLiteral("2022-01-01")), std::optional(ApiVersion::V2022_01_01));
    QCOMPARE(Environment::versionFromString(QStringLiteral("2023-01-01")), std::nullopt);
    QCOMPARE(Environment::DefaultApiVersion, ApiVersion::V2026_01_01);
}

void TestTokenRequest::formBodyCarriesCredentialsWhenAuthIsBody()
{
    const TokenRequest request = sampleRequest();
    const auto form = decodeForm(request.formBody());
    QCOMPARE(form.value(QStringLiteral("grant_type")), QStringLiteral("client_credentials"));
    QCOMPARE(form.value(QStringLiteral("scope")), QStringLiteral("file:read file:write"));
    QCOMPARE(form.value(QStringLiteral("client_id")), QStringLiteral("client-1234abcd"));
    QCOMPARE(form.value(QStringLiteral("client_secret")), QStringLiteral("s3cr+t&=%/x"));
    QCOMPARE(form.size(), 4);
    // '+' must be encoded, or a server decodes it as a space.
    QVERIFY(!request.formBody().contains('+'));
    QVERIFY(request.networkRequest().rawHeader("Authorization").isEmpty());
}

void TestTokenRequest::basicAuthKeepsCredentialsOutOfTheBody()
{
    TokenRequest request = sampleRequest();
    request.authMethod = ClientAuthMethod::HttpBasic;
    const auto form = decodeForm(request.formBody());
    QCOMPARE(form.keys(), QStringList({QStringLiteral("grant_type"), QStringLiteral("scope")}));
    QCOMPARE(request.networkRequest().rawHeader("Authorization"),
             QByteArray("Basic " + QByteArray("client-1234abcd:s3cr+t&=%/x").toBase64()));
}

void TestTokenRequest::omitsScopeWhenNoneRequested()
{
    TokenRequest request = sampleRequest();
    request.scope = {};
    QVERIFY(!decodeForm(request.formBody()).contains(QStringLiteral("scope")));
}

void TestTokenRequest::setsExactHeadersAndNoRedirects()
{
    TokenRequest request = sampleRequest();
    request.apiVersion = ApiVersion::V2022_01_01;
    const QNetworkRequest networkRequest = request.networkRequest();
    QCOMPARE(networkRequest.url(), request.tokenUrl);
    QCOMPARE(networkRequest.rawHeader("Accept"), QByteArray("application/json"));
    QCOMPARE(networkRequest.header(QNetworkRequest::ContentTypeHeader).toByteArray(),
             QByteArray("application/x-www-form-urlencoded"));
    QCOMPARE(networkRequest.rawHeader("X-Version"), QByteArray("2022-01-01"));
    QCOMPARE(networkRequest.attribute(QNetworkRequest::RedirectPolicyAttribute).toInt(),
             int(QNetworkRequest::ManualRedirectPolicy));
}

void TestTokenRequest::refusesPlainHttpExceptLoopback_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("expectedError");
    QTest::newRow("https") << QStringLiteral("https://example.com/oauth2/token") << int(TokenErrorCode::None);
    QTest::newRow("http remote") << QStringLiteral("http://example.com/oauth2/token")
                                 << int(TokenErrorCode::InsecureUrl);
    QTest::newRow("http 127.0.0.1") << QStringLiteral("http://127.0.0.1:8080/token") << int(TokenErrorCode::None);
    QTest::newRow("http 127.1.2.3") << QStringLiteral("http://127.1.2.3/token") << int(TokenErrorCode::None);
    QTest::newRow("http ::1") << QStringLiteral("http://[::1]:8080/token") << int(TokenErrorCode::None);
    QTest::newRow("http localhost") << QStringLiteral("http://localhost/token") << int(TokenErrorCode::None);
    QTest::newRow("http lookalike") << QStringLiteral("http://127.0.0.1.example.com/token")
                                    << int(TokenErrorCode::InsecureUrl);
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com/token") << int(TokenErrorCode::InvalidUrl);
    QTest::newRow("relative") << QStringLiteral("/oauth2/token") << int(TokenErrorCode::InvalidUrl);
    QTest::newRow("user info") << QStringLiteral("https://user:pw@example.com/token")
                               << int(TokenErrorCode::InvalidUrl);
}

void TestTokenRequest::refusesPlainHttpExceptLoopback()
{
    QFETCH(QString, url);
    QFETCH(int, expectedError);
    TokenRequest request = sampleRequest();
    request.tokenUrl = QUrl(url);
    const auto error = request.validate();
    QCOMPARE(int(error ? error->code : TokenErrorCode::None), expectedError);
    // The rule validate() applies is the one a grant is checked with before any request exists.
    const auto urlProblem = TokenRequest::urlProblem(QUrl(url), TrustMode::System);
    QCOMPARE(int(urlProblem ? urlProblem->code : TokenErrorCode::None), expectedError);
}

void TestTokenRequest::refusesEmptyCredentials()
{
    TokenRequest request = sampleRequest();
    request.credentials = Credentials(QStringLiteral("id-only"), QStringLiteral("  "));
    const auto error = request.validate();
    QVERIFY(error);
    QCOMPARE(error->code, TokenErrorCode::MissingCredentials);
    QCOMPARE(int(error->failureClass()), int(FailureClass::BadInput));
}

void TestTokenRequest::pinnedTrustNeedsAFingerprintAndHttps()
{
    TokenRequest request = sampleRequest();
    request.trust.mode = TrustMode::Pinned;
    request.trust.pinnedSha256 = QStringLiteral("abc");
    QCOMPARE(request.validate().value().code, TokenErrorCode::InvalidPin);
    QCOMPARE(int(request.validate()->failureClass()), int(FailureClass::BadInput));

    request.trust.pinnedSha256 = QString(64, QLatin1Char('C'));
    QCOMPARE(request.validate(), std::nullopt);

    request.tokenUrl = QUrl(QStringLiteral("http://127.0.0.1:8080/token")); // no TLS: nothing to pin
    QCOMPARE(request.validate().value().code, TokenErrorCode::InsecureUrl);
    QCOMPARE(TokenRequest::urlProblem(request.tokenUrl, TrustMode::Pinned).value().code, TokenErrorCode::InsecureUrl);
    QCOMPARE(TokenRequest::urlProblem(request.tokenUrl, TrustMode::System), std::nullopt);
}

void TestTokenRequest::debugOutputNeverShowsTheSecret()
{
    const TokenRequest request = sampleRequest();
    QString text;
    QDebug(&text) << request;
    QVERIFY(!text.contains(request.credentials.clientSecret()));
    QVERIFY(!text.contains(request.credentials.clientId()));
    QVERIFY(text.contains(QStringLiteral("…abcd")));
    QVERIFY(text.contains(QStringLiteral("<redacted>")));
}

QTEST_GUILESS_MAIN(TestTokenRequest)
#include "tst_tokenrequest.moc"
