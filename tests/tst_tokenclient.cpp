// TokenClient against a real HTTPS token server on 127.0.0.1.
#include "core/expiry/clock.h"
#include "core/logging/logcategories.h"
#include "core/token/tokenclient.h"
#include "support/httpstokenserver.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace gk;
using namespace gk::test;

namespace {

const QString ClientId = QStringLiteral("client-7f3a9c21");
const QString ClientSecret = QStringLiteral("s3cr3t+/=&%value");
const QDateTime Now(QDate(2026, 11, 23), QTime(12, 0), QTimeZone::utc());

OAuthServerConfig serverConfig()
{
    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = ClientSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    return config;
}

// The ways a grant can trust the chain's server, as rows of the data-driven tests.
enum class ChainTrust {
    System,       // system CAs only: the test root is not among them
    CaFile,       // system CAs plus the test root's PEM
    PinnedLeaf,   // the leaf's fingerprint
    WrongPin,     // a fingerprint no certificate has
    PinnedExpired // the expired leaf's fingerprint
};

QStringList capturedMessages;

void captureMessage(QtMsgType, const QMessageLogContext&, const QString& message)
{
    capturedMessages.append(message);
}

} // namespace

Q_DECLARE_METATYPE(ChainTrust)

class TestTokenClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void fetchesTokenWithExactRequest();
    void basicAuthSendsCredentialsOnlyInTheHeader();
    void wrongSecretIsInvalidClient();
    void refusedScopeNamesTheScope();
    void grantedScopeDifferentFromRequested();
    void redirectIsReportedAndNeverFollowed();
    void nonJsonAnswerIsMalformed();
    void silentServerHitsTheDeadline();
    void cancelEndsTheRequestAtOnce();
    void oversizedBodyIsRefused_data();
    void oversizedBodyIsRefused();
    void untrustedCertificateIsRefusedBeforeSending();
    void pinnedCertificateIsAcceptedWithoutCa();
    void changedCertificateIsRefusedWithBothFingerprints();
    void wrongHostIsRefusedEvenWhenPinned();
    void plainHttpWorksOnLoopbackOnly();
    void closedPortIsConnectionRefused();
    void missingCaFileFailsWithoutNetwork();
    void verboseLogNeverShowsSecretOrToken();

    // A leaf issued by a CA through an intermediate, as real token servers present it.
    void pinnedLeafOfACaIssuedChainIsAccepted();
    void pinnedIntermediateIsNotAccepted();
    void caFileTrustsTheChain();
    void trustIsNotSharedBetweenGrantsOnOneHost_data();
    void trustIsNotSharedBetweenGrantsOnOneHost();
    void certificateIsReportedOnAReusedConnection_data();
    void certificateIsReportedOnAReusedConnection();
    void expiredCertificateIsRefused_data();
    void expiredCertificateIsRefused();

private:
    TokenRequest requestFor(const QUrl& url) const;
    TokenResult fetch(const TokenRequest& request);
    // A token server presenting the chain's leaf (or expired leaf) and its intermediate.
    std::unique_ptr<HttpsTokenServer> startChainServer(bool expiredLeaf = false) const;
    TrustSettings chainTrust(ChainTrust trust) const;

    QTemporaryDir m_dir;
    std::optional<TestCertificate> m_certificate;
    std::optional<TestCertificateChain> m_chain;
    std::unique_ptr<HttpsTokenServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<TokenClient> m_client;
};

void TestTokenClient::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_certificate = TestCertificate::generate(m_dir.path(), QStringLiteral("127.0.0.1"), 2, &error);
    QVERIFY2(m_certificate, qPrintable(error));
    m_chain = TestCertificateChain::generate(m_dir.path(), &error);
    QVERIFY2(m_chain, qPrintable(error));
}

void TestTokenClient::init()
{
    m_server = std::make_unique<HttpsTokenServer>(*m_certificate);
    QVERIFY2(m_server->listen(), qPrintable(m_server->errorString()));
    OAuthServerConfig config = serverConfig();
    config.path = "/oauth2/token";
    m_server->serveOAuth(config);
    // A fresh manager per test: no connection or TLS session is carried from one test to the next.
    m_network = std::make_unique<QNetworkAccessManager>();
    m_clock = std::make_unique<ManualClock>(Now);
    m_client = std::make_unique<TokenClient>(m_network.get(), m_clock.get());
}

void TestTokenClient::cleanup()
{
    m_client.reset();
    m_network.reset();
    m_server.reset();
    setVerboseLogging(false);
}

TokenRequest TestTokenClient::requestFor(const QUrl& url) const
{
    TokenRequest request;
    request.tokenUrl = url;
    request.scope = ScopeSet::parse(QStringLiteral("file:read file:write"));
    request.credentials = Credentials(ClientId, ClientSecret);
    request.trust.mode = TrustMode::SystemPlusCaFile;
    request.trust.caFilePath = m_certificate->certificatePath();
    request.timeout = std::chrono::seconds(10);
    return request;
}

TokenResult TestTokenClient::fetch(const TokenRequest& request)
{
    TokenReply* reply = m_client->fetch(request);
    QSignalSpy finished(reply, &TokenReply::finished);
    if (!finished.wait(15'000))
        return TokenResult::failure(TokenError::make(TokenErrorCode::NetworkError, QStringLiteral("test timed out")));
    return finished.first().first().value<TokenResult>();
}

std::unique_ptr<HttpsTokenServer> TestTokenClient::startChainServer(bool expiredLeaf) const
{
    auto server =
        expiredLeaf ? std::make_unique<HttpsTokenServer>(m_chain->presentedExpiredChain(), m_chain->expiredLeaf().key())
                    : std::make_unique<HttpsTokenServer>(*m_chain);
    if (!server->listen())
        return nullptr;
    OAuthServerConfig config = serverConfig();
    config.path = "/oauth2/token";
    server->serveOAuth(config);
    return server;
}

TrustSettings TestTokenClient::chainTrust(ChainTrust trust) const
{
    TrustSettings settings;
    switch (trust) {
    case ChainTrust::System:
        break;
    case ChainTrust::CaFile:
        settings.mode = TrustMode::SystemPlusCaFile;
        settings.caFilePath = m_chain->rootCertificatePath();
        break;
    case ChainTrust::PinnedLeaf:
        settings.mode = TrustMode::Pinned;
        settings.pinnedSha256 = m_chain->sha256Hex();
        break;
    case ChainTrust::WrongPin:
        settings.mode = TrustMode::Pinned;
        settings.pinnedSha256 = QString(64, QLatin1Char('b'));
        break;
    case ChainTrust::PinnedExpired:
        settings.mode = TrustMode::Pinned;
        settings.pinnedSha256 = m_chain->expiredLeaf().sha256Hex();
        break;
    }
    return settings;
}

void TestTokenClient::fetchesTokenWithExactRequest()
{
    const TokenResult result = fetch(requestFor(m_server->url()));
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    QCOMPARE(result.token().tokenType, QStringLiteral("Bearer"));
    QCOMPARE(result.token().expiresInSeconds, std::optional<qint64>(599));
    QCOMPARE(result.token().scope.granted.toString(), QStringLiteral("file:read file:write"));
    QVERIFY(result.token().scope.grantedAsRequested());
    QCOMPARE(m_server->issuedTokens(), QStringList{result.token().accessToken});
    QCOMPARE(result.response().httpStatus, 200);
    QCOMPARE(result.response().receivedAt, Now);
    QVERIFY(result.response().roundTripMs >= 0);
    QCOMPARE(result.response().serverCertificate.sha256, m_certificate->sha256Hex());
    QVERIFY(result.response().serverCertificate.subject.contains(QStringLiteral("CN=127.0.0.1")));

    QCOMPARE(m_server->requestCount(), 1);
    const RecordedRequest request = m_server->requests().first();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, QByteArray("/oauth2/token"));
    QCOMPARE(request.header("Accept"), QByteArray("application/json"));
    QCOMPARE(request.header("Content-Type"), QByteArray("application/x-www-form-urlencoded"));
    QCOMPARE(request.header("X-Version"), QByteArray("2026-01-01"));
    QVERIFY(!request.hasHeader("Authorization"));
    QVERIFY(!request.hasHeader("Cookie"));
    const QMap<QString, QString> form = request.form();
    QCOMPARE(form.value(QStringLiteral("grant_type")), QStringLiteral("client_credentials"));
    QCOMPARE(form.value(QStringLiteral("scope")), QStringLiteral("file:read file:write"));
    QCOMPARE(form.value(QStringLiteral("client_id")), ClientId);
    QVERIFY(form.value(QStringLiteral("client_secret")) == ClientSecret);
    QCOMPARE(form.size(), 4);
}

void TestTokenClient::basicAuthSendsCredentialsOnlyInTheHeader()
{
    TokenRequest request = requestFor(m_server->url());
    request.authMethod = ClientAuthMethod::HttpBasic;
    request.apiVersion = ApiVersion::V2022_01_01;
    const TokenResult result = fetch(request);
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    const RecordedRequest received = m_server->requests().first();
    QVERIFY(received.header("Authorization").startsWith("Basic "));
    QCOMPARE(received.header("X-Version"), QByteArray("2022-01-01"));
    QCOMPARE(received.form().keys(), QStringList({QStringLiteral("grant_type"), QStringLiteral("scope")}));
}

void TestTokenClient::wrongSecretIsInvalidClient()
{
    TokenRequest request = requestFor(m_server->url());
    request.credentials = Credentials(ClientId, QStringLiteral("wrong-secret"));
    const TokenResult result = fetch(request);
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::InvalidClient);
    QCOMPARE(result.error().httpStatus, 401);
    QCOMPARE(result.response().httpStatus, 401);
    QCOMPARE(int(result.error().failureClass()), int(FailureClass::CheckFailed));
    QVERIFY(result.error().advice().contains(QStringLiteral("regenerated")));
}

void TestTokenClient::refusedScopeNamesTheScope()
{
    TokenRequest request = requestFor(m_server->url());
    request.scope = ScopeSet::parse(QStringLiteral("file:read task:write"));
    const TokenResult result = fetch(request);
    QCOMPARE(result.error().code, TokenErrorCode::InvalidScope);
    QCOMPARE(result.error().httpStatus, 400);
    QVERIFY2(result.error().summary().contains(QStringLiteral("task:write")), qPrintable(result.error().summary()));
}

void TestTokenClient::grantedScopeDifferentFromRequested()
{
    m_server->enqueue(Response::tokenSuccess(QStringLiteral("abc"), QStringLiteral("file:read graph:read")));
    const TokenResult result = fetch(requestFor(m_server->url()));
    QVERIFY(result.isSuccess());
    QCOMPARE(result.token().scope.missing.toString(), QStringLiteral("file:write"));
    QCOMPARE(result.token().scope.extra.toString(), QStringLiteral("graph:read"));
}

void TestTokenClient::redirectIsReportedAndNeverFollowed()
{
    HttpsTokenServer elsewhere(*m_certificate);
    QVERIFY(elsewhere.listen());
    elsewhere.serveOAuth(serverConfig());
    const QUrl target = elsewhere.url(QStringLiteral("/stolen"));
    m_server->enqueue(Response::redirect(307, target));

    const TokenResult result = fetch(requestFor(m_server->url()));
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::Redirected);
    QCOMPARE(result.error().httpStatus, 307);
    QCOMPARE(result.error().redirectTarget, target);
    QVERIFY(result.error().summary().contains(target.toString()));
    // Let any follow-up the client might attempt reach the servers before counting.
    QCoreApplication::processEvents();
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(elsewhere.requestCount(), 0);
    QCOMPARE(elsewhere.connectionCount(), 0);
    QCOMPARE(elsewhere.handshakeCount(), 0);
}

void TestTokenClient::nonJsonAnswerIsMalformed()
{
    m_server->enqueue(Response::raw(200, "text/html", "<html><title>Sign in</title></html>"));
    const TokenResult result = fetch(requestFor(m_server->url()));
    QCOMPARE(result.error().code, TokenErrorCode::MalformedResponse);
    QCOMPARE(result.error().httpStatus, 200);
    QCOMPARE(int(result.error().failureClass()), int(FailureClass::Network));
}

void TestTokenClient::silentServerHitsTheDeadline()
{
    m_server->enqueue(Response::neverAnswer());
    TokenRequest request = requestFor(m_server->url());
    request.timeout = std::chrono::milliseconds(300);
    const TokenResult result = fetch(request);
    QCOMPARE(result.error().code, TokenErrorCode::Timeout);
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(int(result.error().failureClass()), int(FailureClass::Network));
}

void TestTokenClient::cancelEndsTheRequestAtOnce()
{
    m_server->enqueue(Response::neverAnswer());
    TokenReply* reply = m_client->fetch(requestFor(m_server->url()));
    QSignalSpy finished(reply, &TokenReply::finished);
    QSignalSpy received(m_server.get(), &HttpsTokenServer::requestReceived);
    QVERIFY(received.wait(10'000));
    QElapsedTimer elapsed;
    elapsed.start();
    reply->cancel();
    reply->cancel();              // a second cancel is harmless
    QCOMPARE(finished.size(), 0); // never from inside cancel(): from the event loop
    QVERIFY(finished.wait(5'000));
    QVERIFY2(elapsed.elapsed() < 5'000, "cancel must not wait for the 10 s deadline");
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().value<TokenResult>().error().code, TokenErrorCode::Cancelled);
    QCOMPARE(int(finished.first().first().value<TokenResult>().error().failureClass()), int(FailureClass::Network));
}

void TestTokenClient::oversizedBodyIsRefused_data()
{
    QTest::addColumn<bool>("sendContentLength");
    QTest::newRow("announced by Content-Length") << true;
    QTest::newRow("without Content-Length") << false;
}

void TestTokenClient::oversizedBodyIsRefused()
{
    QFETCH(bool, sendContentLength);
    m_server->enqueue(Response::hugeBody(64LL * 1024 * 1024, sendContentLength));
    const TokenResult result = fetch(requestFor(m_server->url()));
    QCOMPARE(result.error().code, TokenErrorCode::ResponseTooLarge);
    QVERIFY(result.error().summary().contains(QStringLiteral("1 MiB")));
}

void TestTokenClient::untrustedCertificateIsRefusedBeforeSending()
{
    TokenRequest request = requestFor(m_server->url());
    request.trust = {}; // system CAs only: the self-signed test certificate is not among them
    const TokenResult result = fetch(request);
    QCOMPARE(result.error().code, TokenErrorCode::TlsError);
    QCOMPARE(result.error().certificate.sha256, m_certificate->sha256Hex());
    QVERIFY(result.error().summary().contains(CertificateInfo::formatFingerprint(m_certificate->sha256Hex())));
    QCOMPARE(m_server->requestCount(), 0);
}

void TestTokenClient::pinnedCertificateIsAcceptedWithoutCa()
{
    TokenRequest request = requestFor(m_server->url());
    request.trust = {};
    request.trust.mode = TrustMode::Pinned;
    request.trust.pinnedSha256 = CertificateInfo::formatFingerprint(m_certificate->sha256Hex()); // colon form
    const TokenResult result = fetch(request);
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    QCOMPARE(result.response().serverCertificate.sha256, m_certificate->sha256Hex());
}

void TestTokenClient::changedCertificateIsRefusedWithBothFingerprints()
{
    const QString pinned(64, QLatin1Char('a'));
    TokenRequest request = requestFor(m_server->url());
    request.trust = {};
    request.trust.mode = TrustMode::Pinned;
    request.trust.pinnedSha256 = pinned;
    const TokenResult result = fetch(request);
    QCOMPARE(result.error().code, TokenErrorCode::CertificateChanged);
    QCOMPARE(result.error().certificate.sha256, m_certificate->sha256Hex());
    QCOMPARE(result.error().expectedFingerprint, pinned);
    QVERIFY(result.error().summary().contains(CertificateInfo::formatFingerprint(pinned)));
    QVERIFY(result.error().summary().contains(CertificateInfo::formatFingerprint(m_certificate->sha256Hex())));
    QCOMPARE(m_server->requestCount(), 0);
}

void TestTokenClient::wrongHostIsRefusedEvenWhenPinned()
{
    TestCertificate::Options options;
    options.commonName = QStringLiteral("wrong.example");
    options.subjectAltName = QStringLiteral("DNS:wrong.example");
    QString error;
    const auto wrongHost = TestCertificate::generate(m_dir.path(), options, &error);
    QVERIFY2(wrongHost, qPrintable(error));
    m_server->setServerCertificate(wrongHost->certificate(), wrongHost->key());

    TokenRequest request = requestFor(m_server->url());
    request.trust = {};
    request.trust.mode = TrustMode::Pinned;
    request.trust.pinnedSha256 = wrongHost->sha256Hex();
    const TokenResult result = fetch(request);
    QCOMPARE(result.error().code, TokenErrorCode::TlsError);
    QCOMPARE(m_server->requestCount(), 0);
}

void TestTokenClient::plainHttpWorksOnLoopbackOnly()
{
    HttpsTokenServer plain{HttpsTokenServer::PlainHttp{}};
    QVERIFY(plain.listen());
    plain.serveOAuth(serverConfig());
    TokenRequest request = requestFor(plain.url());
    request.trust = {};
    QCOMPARE(request.tokenUrl.scheme(), QStringLiteral("http"));
    const TokenResult result = fetch(request);
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    QVERIFY(result.response().serverCertificate.isNull());

    request.tokenUrl = QUrl(QStringLiteral("http://token.example.com/oauth2/token"));
    const TokenResult refused = fetch(request);
    QCOMPARE(refused.error().code, TokenErrorCode::InsecureUrl);
    QCOMPARE(int(refused.error().failureClass()), int(FailureClass::BadInput));
}

void TestTokenClient::closedPortIsConnectionRefused()
{
    const QUrl url = m_server->url();
    m_server.reset(); // nothing listens on that port any more
    const TokenResult result = fetch(requestFor(url));
    QCOMPARE(result.error().code, TokenErrorCode::ConnectionRefused);
    QCOMPARE(result.response().httpStatus, 0);
}

void TestTokenClient::missingCaFileFailsWithoutNetwork()
{
    TokenRequest request = requestFor(m_server->url());
    request.trust.caFilePath = m_dir.filePath(QStringLiteral("missing.pem"));
    const TokenResult result = fetch(request);
    QCOMPARE(result.error().code, TokenErrorCode::CaFileUnreadable);
    QVERIFY(result.error().summary().contains(QStringLiteral("missing.pem")));
    QCOMPARE(m_server->handshakeCount(), 0);
}

void TestTokenClient::verboseLogNeverShowsSecretOrToken()
{
    setVerboseLogging(true);
    capturedMessages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
    const TokenResult result = fetch(requestFor(m_server->url()));
    qInstallMessageHandler(previous);

    QVERIFY(result.isSuccess());
    QVERIFY(capturedMessages.size() >= 2); // the request and its outcome were logged
    const QString log = capturedMessages.join(QLatin1Char('\n'));
    QVERIFY(!log.contains(ClientSecret));
    QVERIFY(!log.contains(QString::fromLatin1(QUrl::toPercentEncoding(ClientSecret))));
    QVERIFY(!log.contains(result.token().accessToken));
    QVERIFY(!log.contains(ClientId));
}

void TestTokenClient::pinnedLeafOfACaIssuedChainIsAccepted()
{
    const auto server = startChainServer();
    QVERIFY(server);
    TokenRequest request = requestFor(server->url());
    request.trust = chainTrust(ChainTrust::PinnedLeaf); // no CA file: the root is trusted nowhere
    const TokenResult result = fetch(request);
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    QCOMPARE(result.response().serverCertificate.sha256, m_chain->sha256Hex());
    QCOMPARE(server->requestCount(), 1);
}

void TestTokenClient::pinnedIntermediateIsNotAccepted()
{
    // The first complaint of the handshake is about the intermediate (no issuer for it): a pin compared with
    // that certificate would match here and trust everything the intermediate ever signed.
    const auto server = startChainServer();
    QVERIFY(server);
    const QString pinned = m_chain->intermediate().sha256Hex();
    TokenRequest request = requestFor(server->url());
    request.trust = {};
    request.trust.mode = TrustMode::Pinned;
    request.trust.pinnedSha256 = pinned;
    const TokenResult result = fetch(request);
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::CertificateChanged);
    QCOMPARE(result.error().certificate.sha256, m_chain->sha256Hex()); // the presented leaf
    QCOMPARE(result.error().expectedFingerprint, pinned);
    QCOMPARE(server->requestCount(), 0);
}

void TestTokenClient::caFileTrustsTheChain()
{
    const auto server = startChainServer();
    QVERIFY(server);
    TokenRequest request = requestFor(server->url());
    request.trust = chainTrust(ChainTrust::CaFile); // the root only; the server sends the intermediate
    const TokenResult result = fetch(request);
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    QCOMPARE(result.response().serverCertificate.sha256, m_chain->sha256Hex());
    QCOMPARE(server->requestCount(), 1);
}

void TestTokenClient::trustIsNotSharedBetweenGrantsOnOneHost_data()
{
    QTest::addColumn<ChainTrust>("first");
    QTest::addColumn<ChainTrust>("second");
    QTest::addColumn<int>("secondError"); // a TokenErrorCode; None: the second request succeeds
    QTest::addColumn<int>("requests");
    QTest::addColumn<int>("connections"); // that reached HTTP, i.e. whose handshake the client accepted
    QTest::addColumn<int>("handshakes");

    // A grant with system trust must not ride on the connection a pinned grant accepted.
    QTest::newRow("pinned, then system") << ChainTrust::PinnedLeaf << ChainTrust::System
                                         << int(TokenErrorCode::TlsError) << 1 << 1 << 2;
    // A wrong pin must be checked against a handshake of its own, not waved through by another grant's CA file.
    QTest::newRow("CA file, then a wrong pin")
        << ChainTrust::CaFile << ChainTrust::WrongPin << int(TokenErrorCode::CertificateChanged) << 1 << 1 << 2;
    // Two trusts that both accept the server still do not share: each has its own connection.
    QTest::newRow("CA file, then the right pin")
        << ChainTrust::CaFile << ChainTrust::PinnedLeaf << int(TokenErrorCode::None) << 2 << 2 << 2;
    // The same trust does share: the second request reuses the first one's kept-alive connection.
    QTest::newRow("CA file twice") << ChainTrust::CaFile << ChainTrust::CaFile << int(TokenErrorCode::None) << 2 << 1
                                   << 1;
}

void TestTokenClient::trustIsNotSharedBetweenGrantsOnOneHost()
{
    QFETCH(ChainTrust, first);
    QFETCH(ChainTrust, second);
    QFETCH(int, secondError);
    QFETCH(int, requests);
    QFETCH(int, connections);
    QFETCH(int, handshakes);

    // One client on one injected manager, as the app has it, and one server.
    const auto server = startChainServer();
    QVERIFY(server);
    TokenRequest request = requestFor(server->url());
    request.trust = chainTrust(first);
    const TokenResult firstResult = fetch(request);
    QVERIFY2(firstResult.isSuccess(), qPrintable(firstResult.error().summary()));
    QCOMPARE(server->connectionCount(), 1);
    QCOMPARE(server->openConnectionCount(), 1); // kept alive: the second request could reuse it

    request.trust = chainTrust(second);
    const TokenResult secondResult = fetch(request);
    if (TokenErrorCode(secondError) == TokenErrorCode::None) {
        QVERIFY2(secondResult.isSuccess(), qPrintable(secondResult.error().summary()));
        QCOMPARE(secondResult.response().serverCertificate.sha256, m_chain->sha256Hex());
    } else {
        QVERIFY(!secondResult.isSuccess());
        QCOMPARE(secondResult.error().code, TokenErrorCode(secondError));
        QCOMPARE(secondResult.error().certificate.sha256, m_chain->sha256Hex());
    }
    QCOMPARE(server->requestCount(), requests);
    QCOMPARE(server->connectionCount(), connections);
    QTRY_COMPARE(server->handshakeCount(), handshakes);
}

void TestTokenClient::certificateIsReportedOnAReusedConnection_data()
{
    QTest::addColumn<ChainTrust>("trust");
    QTest::newRow("CA file") << ChainTrust::CaFile;
    QTest::newRow("pinned") << ChainTrust::PinnedLeaf;
}

void TestTokenClient::certificateIsReportedOnAReusedConnection()
{
    QFETCH(ChainTrust, trust);
    const auto server = startChainServer();
    QVERIFY(server);
    TokenRequest request = requestFor(server->url());
    request.trust = chainTrust(trust);
    for (int attempt = 1; attempt <= 2; ++attempt) {
        const TokenResult result = fetch(request);
        QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
        // The second has no handshake of its own (no encrypted() signal), yet the same leaf is reported.
        QCOMPARE(result.response().serverCertificate.sha256, m_chain->sha256Hex());
        QCOMPARE(server->requestCount(), attempt);
    }
    QCOMPARE(server->connectionCount(), 1);
    QCOMPARE(server->handshakeCount(), 1);
    const QList<RecordedRequest> received = server->requests();
    QCOMPARE(received.at(1).connectionIndex, received.at(0).connectionIndex);
}

void TestTokenClient::expiredCertificateIsRefused_data()
{
    QTest::addColumn<ChainTrust>("trust");
    QTest::newRow("CA file") << ChainTrust::CaFile;
    // A pin replaces only the CA check: an expired certificate is refused even when it is the pinned one.
    QTest::newRow("pinned to the expired leaf") << ChainTrust::PinnedExpired;
}

void TestTokenClient::expiredCertificateIsRefused()
{
    QFETCH(ChainTrust, trust);
    const auto server = startChainServer(true);
    QVERIFY(server);
    TokenRequest request = requestFor(server->url());
    request.trust = chainTrust(trust);
    const TokenResult result = fetch(request);
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::TlsError);
    QCOMPARE(result.error().certificate.sha256, m_chain->expiredLeaf().sha256Hex());
    QVERIFY2(result.error().summary().contains(QStringLiteral("expired")), qPrintable(result.error().summary()));
    QCOMPARE(server->requestCount(), 0);
    QCOMPARE(server->connectionCount(), 0);
}

QTEST_GUILESS_MAIN(TestTokenClient)
#include "tst_tokenclient.moc"
