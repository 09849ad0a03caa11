// TokenClient against a real HTTPS token server on 127.0.0.1.
#include "core/logging/logcategories.h"
#include "core/token/tokenclient.h"
#include "support/httpstokenserver.h"
#include "support/manualclock.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QJsonValue>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
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

// When cancelWorksAtAnyMoment cancels.
enum class CancelMoment {
    BeforeConnecting,     // right after fetch(), before the event loop ran
    AfterRequestReceived, // the server holds the whole request and stays silent
    DuringTrickledBody,   // the headers and the first bytes of the body arrived, the rest trickles
};

// Forwards every connection to a port on 127.0.0.1 and counts the bytes that went on to the client, reading from
// the server only while little is waiting for the client: how much of a body a client let the server send,
// measured in bytes. TLS passes through untouched (the certificate names 127.0.0.1, which the relay is too).
class CountingRelay : public QObject
{
public:
    static constexpr qint64 BufferBytes = 64 * 1024;

    explicit CountingRelay(quint16 targetPort)
        : m_targetPort(targetPort)
    {
        connect(&m_listener, &QTcpServer::pendingConnectionAvailable, this, [this] { accept(); });
    }

    bool listen() { return m_listener.listen(QHostAddress::LocalHost); }
    QUrl url(const QUrl& target) const
    {
        QUrl relayed = target;
        relayed.setPort(m_listener.serverPort());
        return relayed;
    }
    qint64 bytesToClient() const { return m_bytesToClient; }
    int openConnections() const { return int(m_listener.findChildren<QTcpSocket*>().size()); }

private:
    void accept()
    {
        while (QTcpSocket* client = m_listener.nextPendingConnection()) {
            auto* upstream = new QTcpSocket(client); // dies with the client's side
            upstream->setReadBufferSize(BufferBytes);
            const auto toClient = [this, client, upstream] {
                while (upstream->bytesAvailable() > 0 && client->bytesToWrite() < BufferBytes) {
                    const QByteArray data = upstream->read(BufferBytes - client->bytesToWrite());
                    m_bytesToClient += data.size();
                    client->write(data);
                }
            };
            const auto toServer = [client, upstream] {
                if (upstream->state() == QAbstractSocket::ConnectedState)
                    upstream->write(client->readAll());
            };
            connect(upstream, &QAbstractSocket::connected, client, toServer);
            connect(client, &QIODevice::readyRead, upstream, toServer);
            connect(upstream, &QIODevice::readyRead, client, toClient);
            connect(client, &QIODevice::bytesWritten, upstream, toClient);
            connect(upstream, &QAbstractSocket::disconnected, client, [client] { client->disconnectFromHost(); });
            connect(client, &QAbstractSocket::disconnected, client, &QObject::deleteLater);
            upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
        }
    }

    QTcpServer m_listener;
    quint16 m_targetPort;
    qint64 m_bytesToClient = 0;
};

// A port on 127.0.0.1 where nothing listens (it did a moment ago).
quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost))
        return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

// True if any of the texts contains any of the needles. No message: a failure must not print a secret.
bool anyContains(const QStringList& texts, const QStringList& needles)
{
    for (const QString& text : texts) {
        for (const QString& needle : needles) {
            if (text.contains(needle))
                return true;
        }
    }
    return false;
}

} // namespace

Q_DECLARE_METATYPE(ChainTrust)
Q_DECLARE_METATYPE(CancelMoment)
Q_DECLARE_METATYPE(gk::test::Response)

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
    void preconnectedConnectionCarriesTheRequest();
    void preconnectToAnUntrustedServerSendsNothing();
    void preconnectOpensNothingForPinnedTrust();
    void expiredCertificateIsRefused_data();
    void expiredCertificateIsRefused();

    // Hostile servers and networks (issue 5, "Server and network cases").
    void httpErrorsAreExplained_data();
    void httpErrorsAreExplained();
    void unusableSuccessAnswersAreMalformed_data();
    void unusableSuccessAnswersAreMalformed();
    void oddExpiresInIsAWarningNotAFailure_data();
    void oddExpiresInIsAWarningNotAFailure();
    void missingScopeMeansGrantedAsRequested();
    void everyRedirectIsReportedAndNeverFollowed_data();
    void everyRedirectIsReportedAndNeverFollowed();
    void deprecationAndSunsetHeadersAreParsed();
    void cancelWorksAtAnyMoment_data();
    void cancelWorksAtAnyMoment();
    void unknownHostIsHostNotFound();
    void proxyFailureIsReported_data();
    void proxyFailureIsReported();

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
    QCOMPARE(result.error().httpStatus, 0);
    QCOMPARE(result.response().httpStatus, 0);
    QCOMPARE(result.error().summary(),
             QStringLiteral("The server did not answer in time (no complete answer within 0.3 s)."));
    QVERIFY2(result.error().advice().contains(QStringLiteral("raise the request timeout")),
             qPrintable(result.error().advice()));
    // The client hung up: the silent server is not left holding a connection.
    QTRY_COMPARE(m_server->openConnectionCount(), 0);
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
    constexpr qint64 bodySize = 64LL * 1024 * 1024;
    m_server->enqueue(Response::hugeBody(bodySize, sendContentLength));
    // Through a relay that counts what the server managed to send on to the client.
    CountingRelay relay(m_server->port());
    QVERIFY(relay.listen());
    const TokenResult result = fetch(requestFor(relay.url(m_server->url())));
    QCOMPARE(result.error().code, TokenErrorCode::ResponseTooLarge);
    QCOMPARE(int(result.error().failureClass()), int(FailureClass::Network));
    QCOMPARE(result.response().httpStatus, 200);
    QCOMPARE(result.error().summary(), QStringLiteral("The server's answer was larger than 1 MiB and was not read."));
    QVERIFY(result.error().advice().contains(QStringLiteral("OAuth2 token endpoint")));
    QCOMPARE(m_server->requestCount(), 1);

    // The client hung up at the cap: the connection closes on both sides and the body is never sent to the end.
    QTRY_COMPARE(relay.openConnections(), 0);
    QTRY_COMPARE(m_server->openConnectionCount(), 0);
    // About 0.2 MiB (refused by Content-Length) and 1.3 MiB (read to the 1 MiB cap) reach the client here; TLS
    // records and the kernel's socket buffers add a little more elsewhere. An eighth of the body leaves room for
    // that and is still far from all of it.
    QVERIFY2(relay.bytesToClient() < bodySize / 8, qPrintable(QString::number(relay.bytesToClient())));
    if (sendContentLength) // refused by its header, long before the cap
        QVERIFY2(relay.bytesToClient() < TokenRequest::DefaultMaxResponseBytes,
                 qPrintable(QString::number(relay.bytesToClient())));
    else // read up to the cap, then refused
        QVERIFY2(relay.bytesToClient() > TokenRequest::DefaultMaxResponseBytes,
                 qPrintable(QString::number(relay.bytesToClient())));
    // The server streamed the body and never built it: what it queued stayed small.
    QVERIFY2(m_server->peakQueuedBytes() < 1024 * 1024, qPrintable(QString::number(m_server->peakQueuedBytes())));
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
    // The test certificate lives two days: within the warning window, so every passing test says so.
    QCOMPARE(result.token().warnings.size(), 1);
    QVERIFY2(result.token().warnings.first().startsWith(QStringLiteral("The pinned certificate expires on ")),
             qPrintable(result.token().warnings.first()));
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
    QCOMPARE(result.error().httpStatus, 0);
    QCOMPARE(int(result.error().failureClass()), int(FailureClass::Network));
    QVERIFY2(result.error().summary().startsWith(QStringLiteral("The server refused the connection")),
             qPrintable(result.error().summary()));
    QVERIFY2(result.error().advice().contains(QStringLiteral("host and port")), qPrintable(result.error().advice()));
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

void TestTokenClient::preconnectedConnectionCarriesTheRequest()
{
    const TokenRequest request = requestFor(m_server->url());
    m_client->preconnect(request.tokenUrl, request.trust);
    // Once the connection is up (a request that comes mid-handshake usually waits for it too, but Qt may open a
    // second connection then, so that case is not asserted).
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 1, 15'000);
    QCOMPARE(m_server->requestCount(), 0); // opening the connection sends nothing

    const TokenResult result = fetch(request);
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    // No handshake of its own, yet the server's certificate is reported.
    QCOMPARE(result.response().serverCertificate.sha256, m_certificate->sha256Hex());
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(m_server->connectionCount(), 1);
    QCOMPARE(m_server->handshakeCount(), 1);
    // Nothing of the early connection is left behind (Qt would keep its reply for the manager's lifetime).
    QTRY_COMPARE_WITH_TIMEOUT(m_client->findChildren<QNetworkReply*>().size(), 0, 5'000);
}

void TestTokenClient::preconnectToAnUntrustedServerSendsNothing()
{
    TokenRequest request = requestFor(m_server->url());
    request.trust = {}; // system CAs only: the self-signed test certificate is not among them
    m_client->preconnect(request.tokenUrl, request.trust);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->handshakeCount(), 1, 15'000);

    // The request still fails with the certificate named, as without the early connection.
    const TokenResult result = fetch(request);
    QCOMPARE(result.error().code, TokenErrorCode::TlsError);
    QCOMPARE(result.error().certificate.sha256, m_certificate->sha256Hex());
    QCOMPARE(m_server->requestCount(), 0);
    QCOMPARE(m_server->connectionCount(), 0); // no handshake completed
}

void TestTokenClient::preconnectOpensNothingForPinnedTrust()
{
    TokenRequest request = requestFor(m_server->url());
    request.trust = {};
    request.trust.mode = TrustMode::Pinned;
    request.trust.pinnedSha256 = m_certificate->sha256Hex();
    m_client->preconnect(request.tokenUrl, request.trust);
    const TokenResult result = fetch(request);
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    QCOMPARE(m_server->connectionCount(), 1); // the request's own
    QCOMPARE(m_server->requestCount(), 1);
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

void TestTokenClient::httpErrorsAreExplained_data()
{
    QTest::addColumn<Response>("response");
    QTest::addColumn<int>("code");          // TokenErrorCode
    QTest::addColumn<int>("failureClass");  // FailureClass: the command line's exit code
    QTest::addColumn<qint64>("retryAfter"); // -1: none
    QTest::addColumn<QStringList>("summaryHas");
    QTest::addColumn<QString>("adviceHas");

    const int checkFailed = int(FailureClass::CheckFailed);
    const int network = int(FailureClass::Network);
    const QByteArray html = "text/html; charset=utf-8";

    QTest::newRow("400 invalid_request") << Response::oauthError(400, QStringLiteral("invalid_request"),
                                                                 QStringLiteral("grant_type is missing"))
                                         << int(TokenErrorCode::InvalidRequest) << checkFailed << qint64(-1)
                                         << QStringList{QStringLiteral("rejected the request as malformed (HTTP 400)"),
                                                        QStringLiteral("(grant_type is missing)")}
                                         << QStringLiteral("client authentication method");
    QTest::newRow("400 without an OAuth2 body")
        << Response::raw(400, "text/plain", "Bad Request\n") << int(TokenErrorCode::HttpError) << network << qint64(-1)
        << QStringList{QStringLiteral("The server answered HTTP 400. (Bad Request)")}
        << QStringLiteral("Check the token URL");
    QTest::newRow("401 invalid_client")
        << Response::oauthError(401, QStringLiteral("invalid_client"), QStringLiteral("Client authentication failed."))
        << int(TokenErrorCode::InvalidClient) << checkFailed << qint64(-1)
        << QStringList{QStringLiteral("refused the Client ID or Client Secret (HTTP 401)")}
        << QStringLiteral("regenerated");
    QTest::newRow("401 with an empty body")
        << Response::raw(401, {}, {}) << int(TokenErrorCode::InvalidClient) << checkFailed << qint64(-1)
        << QStringList{QStringLiteral("The server refused the Client ID or Client Secret (HTTP 401).")}
        << QStringLiteral("grant has expired");
    QTest::newRow("403 Workiva JSON")
        << Response::json(403, {{QStringLiteral("code"), QStringLiteral("Forbidden")},
                                {QStringLiteral("message"), QStringLiteral("Request not allowed")}})
        << int(TokenErrorCode::AccessDenied) << checkFailed << qint64(-1)
        << QStringList{QStringLiteral("The server denied access (HTTP 403). (Request not allowed)")}
        << QStringLiteral("IP allowlist");
    QTest::newRow("403 HTML page")
        << Response::raw(403, html, "<html><head><title>403 Forbidden</title></head><body><h1>Nope</h1></body></html>")
        << int(TokenErrorCode::AccessDenied) << checkFailed << qint64(-1)
        << QStringList{QStringLiteral("The server denied access (HTTP 403). (403 Forbidden)")}
        << QStringLiteral("IP allowlist");
    QTest::newRow("404") << Response::raw(404, "text/plain", "Not Found\n") << int(TokenErrorCode::HttpError) << network
                         << qint64(-1) << QStringList{QStringLiteral("The server answered HTTP 404. (Not Found)")}
                         << QStringLiteral("Check the token URL and API version");
    QTest::newRow("429 Retry-After in seconds")
        << Response::oauthError(429, QStringLiteral("slow_down")).withHeader("Retry-After", "30")
        << int(TokenErrorCode::RateLimited) << network << qint64(30)
        << QStringList{QStringLiteral("rate limiting requests (HTTP 429); it asks to retry after 30 s.")}
        << QStringLiteral("Wait for the time the server asks");
    // The clock says 2026-11-23 12:00:00 UTC: the date is two minutes later.
    QTest::newRow("429 Retry-After as an HTTP date")
        << Response::raw(429, "text/plain", "Too many requests\n")
               .withHeader("Retry-After", "Mon, 23 Nov 2026 12:02:00 GMT")
        << int(TokenErrorCode::RateLimited) << network << qint64(120)
        << QStringList{QStringLiteral("it asks to retry after 120 s.")} << QStringLiteral("test fewer grants");
    QTest::newRow("429 without Retry-After")
        << Response::raw(429, {}, {}) << int(TokenErrorCode::RateLimited) << network << qint64(-1)
        << QStringList{QStringLiteral("The server is rate limiting requests (HTTP 429).")}
        << QStringLiteral("test again");
    QTest::newRow("500") << Response::oauthError(500, QStringLiteral("server_error"), QStringLiteral("db down"))
                         << int(TokenErrorCode::ServerError) << network << qint64(-1)
                         << QStringList{QStringLiteral("The server had an internal problem (HTTP 500). (db down)")}
                         << QStringLiteral("server's problem, not the grant's");
    QTest::newRow("502 HTML page")
        << Response::raw(502, html,
                         "<!DOCTYPE html>\r\n<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                         "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n"
                         "</html>\r\n")
        << int(TokenErrorCode::ServerError) << network << qint64(-1)
        << QStringList{QStringLiteral("The server had an internal problem (HTTP 502). (502 Bad Gateway)")}
        << QStringLiteral("try again later");
    QTest::newRow("503 HTML page")
        << Response::raw(503, html,
                         "<html><head><meta charset=\"utf-8\"><TITLE>Service Unavailable</TITLE>"
                         "<style>body{color:red}</style></head><body><p>Maintenance until 14:00.</p></body></html>")
        << int(TokenErrorCode::ServerError) << network << qint64(-1)
        << QStringList{QStringLiteral("The server had an internal problem (HTTP 503). (Service Unavailable)")}
        << QStringLiteral("try again later");
}

void TestTokenClient::httpErrorsAreExplained()
{
    QFETCH(Response, response);
    QFETCH(int, code);
    QFETCH(int, failureClass);
    QFETCH(qint64, retryAfter);
    QFETCH(QStringList, summaryHas);
    QFETCH(QString, adviceHas);

    m_server->enqueue(response);
    const TokenResult result = fetch(requestFor(m_server->url()));
    QVERIFY(!result.isSuccess());
    const TokenError& error = result.error();
    QCOMPARE(error.code, TokenErrorCode(code));
    QCOMPARE(int(error.failureClass()), failureClass);
    QCOMPARE(error.httpStatus, response.status);
    QCOMPARE(result.response().httpStatus, response.status);
    QCOMPARE(error.retryAfterSeconds, retryAfter < 0 ? std::nullopt : std::optional<qint64>(retryAfter));
    const QString summary = error.summary();
    for (const QString& part : summaryHas)
        QVERIFY2(summary.contains(part), qPrintable(summary));
    // An HTML page is summed up by its title: no markup, no script or style, no line breaks.
    for (const QString& markup : {QStringLiteral("<"), QStringLiteral("html"), QStringLiteral("nginx"),
                                  QStringLiteral("color:red"), QStringLiteral("\n"), QStringLiteral("\r")})
        QVERIFY2(!summary.contains(markup), qPrintable(summary));
    QVERIFY2(error.advice().contains(adviceHas), qPrintable(error.advice()));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestTokenClient::unusableSuccessAnswersAreMalformed_data()
{
    QTest::addColumn<Response>("response");
    QTest::addColumn<QString>("detail");      // exactly
    QTest::addColumn<QStringList>("secrets"); // never in the detail, summary, advice or verbose log
    QTest::addColumn<QStringList>("noise");   // never in the detail, summary or advice: markup, control characters

    const QByteArray json = "application/json";
    QTest::newRow("empty body") << Response::raw(200, json, {}) << QStringLiteral("the body is empty") << QStringList{}
                                << QStringList{};
    QTest::newRow("whitespace only") << Response::raw(200, json, " \r\n\t ") << QStringLiteral("the body is empty")
                                     << QStringList{} << QStringList{};
    QTest::newRow("plain text") << Response::raw(200, "text/plain", "Service is up and running\n")
                                << QStringLiteral("the body is not JSON: \"Service is up and running\"")
                                << QStringList{} << QStringList{};
    QTest::newRow("HTML login page")
        << Response::raw(
               200, "text/html",
               "<html><head><title>Sign in | Corporate SSO</title></head><body><form>...</form></body></html>")
        << QStringLiteral("the body is not JSON: \"Sign in | Corporate SSO\"") << QStringList{}
        << QStringList{QStringLiteral("<"), QStringLiteral("form")};
    // A form-encoded token answer (some servers send one): the token must not be quoted back.
    QTest::newRow("form-encoded token")
        << Response::raw(200, "application/x-www-form-urlencoded",
                         "access_token=gk-form-secret-0123456789abcdef&token_type=bearer&expires_in=599")
        << QStringLiteral("the body is not JSON (not shown: it may hold the token)")
        << QStringList{QStringLiteral("gk-form-secret"), QStringLiteral("0123456789abcdef")} << QStringList{};
    QTest::newRow("bare token as text") << Response::raw(200, "text/plain",
                                                         "eyJhbGciOiJIUzI1NiJ9.gk-bare-secret-0123456789abcdef\n")
                                        << QStringLiteral("the body is not JSON (not shown: it may hold the token)")
                                        << QStringList{QStringLiteral("eyJhbGciOiJIUzI1NiJ9"),
                                                       QStringLiteral("gk-bare-secret")}
                                        << QStringList{};
    const QByteArray truncated = R"({"access_token":"gk-truncated-secret-0123456789abcdef","token_type":"Bea)";
    QTest::newRow("truncated JSON")
        << Response::raw(200, json, truncated)
        << QStringLiteral("the JSON is incomplete or invalid (it ends early, after %1 bytes)").arg(truncated.size())
        << QStringList{QStringLiteral("gk-truncated-secret"), QStringLiteral("0123456789abcdef")} << QStringList{};
    // The same cut short by the connection: Content-Length promises more than arrives before the server hangs up.
    Response cutOff = Response::raw(200, json, truncated).withHeader("Content-Length", "400");
    cutOff.closeAfterReply = true;
    QTest::newRow("JSON cut off by the connection closing")
        << cutOff
        << QStringLiteral("the JSON is incomplete or invalid (it ends early, after %1 bytes)").arg(truncated.size())
        << QStringList{QStringLiteral("gk-truncated-secret"), QStringLiteral("0123456789abcdef")} << QStringList{};
    QTest::newRow("JSON is not an object") << Response::raw(200, json, R"(["gk-array-secret-0123456789abcdef"])")
                                           << QStringLiteral("the JSON is not an object")
                                           << QStringList{QStringLiteral("gk-array-secret")} << QStringList{};
    QTest::newRow("JSON without access_token")
        << Response::json(
               200, {{QStringLiteral("token_type"), QStringLiteral("Bearer")}, {QStringLiteral("expires_in"), 599}})
        << QStringLiteral("it has no access_token") << QStringList{} << QStringList{};
    QTest::newRow("token_type mac") << Response::json(200, {{QStringLiteral("access_token"),
                                                             QStringLiteral("gk-mac-secret-0123456789abcdef")},
                                                            {QStringLiteral("token_type"), QStringLiteral("mac")},
                                                            {QStringLiteral("expires_in"), 599}})
                                    << QStringLiteral("the token_type is \"mac\", not Bearer")
                                    << QStringList{QStringLiteral("gk-mac-secret")} << QStringList{};
    // ESC ] 0 ; ... BEL sets a terminal's title; ESC [ 2 J clears the screen.
    QTest::newRow("access token with control characters")
        << Response::raw(200, json,
                         "{\"access_token\":\"gk-ctl-secret\\u001b]0;pwned\\u0007\\u001b[2Jabcdef\","
                         "\"token_type\":\"Bearer\",\"expires_in\":599}")
        << QStringLiteral("the access_token contains spaces, control or non-ASCII characters")
        << QStringList{QStringLiteral("gk-ctl-secret"), QStringLiteral("pwned"), QStringLiteral("abcdef")}
        << QStringList{QString(QChar(0x1b)), QString(QChar(0x07)), QString(QChar(0xfffd))};
}

void TestTokenClient::unusableSuccessAnswersAreMalformed()
{
    QFETCH(Response, response);
    QFETCH(QString, detail);
    QFETCH(QStringList, secrets);
    QFETCH(QStringList, noise);

    m_server->enqueue(response);
    setVerboseLogging(true);
    capturedMessages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
    const TokenResult result = fetch(requestFor(m_server->url()));
    qInstallMessageHandler(previous);

    QVERIFY(!result.isSuccess());
    const TokenError& error = result.error();
    QCOMPARE(error.code, TokenErrorCode::MalformedResponse);
    QCOMPARE(int(error.failureClass()), int(FailureClass::Network));
    QCOMPARE(error.httpStatus, 200);
    QCOMPARE(result.response().httpStatus, 200);
    // No QCOMPARE on the texts: were a secret in them, a failure would print it.
    QVERIFY(error.detail == detail);
    QVERIFY(error.summary() ==
            QStringLiteral("The server's answer (HTTP 200) is not a usable token response: %1.").arg(detail));
    QCOMPARE(error.advice(), QStringLiteral("Check that the token URL points at an OAuth2 token endpoint."));
    // Nor in the verbose log, nor (by the summary) in the test history that is saved to disk.
    QVERIFY(!anyContains({error.detail, error.summary(), error.advice(), capturedMessages.join(QLatin1Char('\n'))},
                         secrets));
    QVERIFY(!anyContains({error.detail, error.summary(), error.advice()}, noise));
    QCOMPARE(m_server->requestCount(), 1);
}

void TestTokenClient::oddExpiresInIsAWarningNotAFailure_data()
{
    QTest::addColumn<QJsonValue>("expiresIn"); // undefined: left out
    QTest::addColumn<qint64>("lifetime");      // -1: unknown
    QTest::addColumn<QString>("warning");

    QTest::newRow("missing") << QJsonValue(QJsonValue::Undefined) << qint64(-1)
                             << QStringLiteral("The server did not say when the token expires (no expires_in).");
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << qint64(-1)
                          << QStringLiteral("The server did not say when the token expires (no expires_in).");
    QTest::newRow("negative") << QJsonValue(-60) << qint64(-1)
                              << QStringLiteral("The server's expires_in (-60) is not positive.");
    QTest::newRow("zero") << QJsonValue(0) << qint64(-1)
                          << QStringLiteral("The server's expires_in (0) is not positive.");
    QTest::newRow("a word") << QJsonValue(QStringLiteral("one hour")) << qint64(-1)
                            << QStringLiteral("The server's expires_in is not a number.");
    QTest::newRow("an object") << QJsonValue(QJsonObject{{QStringLiteral("s"), 1}}) << qint64(-1)
                               << QStringLiteral("The server's expires_in is not a number.");
    QTest::newRow("absurdly large") << QJsonValue(1e15) << qint64(-1)
                                    << QStringLiteral("The server's expires_in (1e+15 s) is implausibly large.");
    // A number in a string is still understood, and the oddity reported.
    QTest::newRow("a number in a string") << QJsonValue(QStringLiteral("3600")) << qint64(3600)
                                          << QStringLiteral("The server sent expires_in as a string instead of a "
                                                            "number.");
}

void TestTokenClient::oddExpiresInIsAWarningNotAFailure()
{
    QFETCH(QJsonValue, expiresIn);
    QFETCH(qint64, lifetime);
    QFETCH(QString, warning);

    const QString token = QStringLiteral("gk-odd-expiry-0123456789abcdef");
    QJsonObject body{{QStringLiteral("access_token"), token},
                     {QStringLiteral("token_type"), QStringLiteral("bearer")},
                     {QStringLiteral("scope"), QStringLiteral("file:read file:write")}};
    if (!expiresIn.isUndefined())
        body.insert(QStringLiteral("expires_in"), expiresIn);
    m_server->enqueue(Response::json(200, body));
    const TokenResult result = fetch(requestFor(m_server->url()));
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    QVERIFY(result.token().accessToken == token);
    QCOMPARE(result.response().httpStatus, 200);
    QCOMPARE(result.error().code, TokenErrorCode::None);
    QCOMPARE(int(result.error().failureClass()), int(FailureClass::None));
    QCOMPARE(result.token().tokenType, QStringLiteral("bearer"));
    QCOMPARE(result.token().warnings, QStringList{warning});
    if (lifetime < 0) {
        QCOMPARE(result.token().expiresInSeconds, std::nullopt);
        // No lifetime given: the one rule takes Workiva's 600 s.
        QVERIFY(result.token().lifetimeAssumed());
        QCOMPARE(result.token().expiresAt(result.response().receivedAt),
                 Now.addSecs(IssuedToken::AssumedLifetimeSeconds));
    } else {
        QCOMPARE(result.token().expiresInSeconds, std::optional<qint64>(lifetime));
        QCOMPARE(result.token().expiresAt(result.response().receivedAt), Now.addSecs(lifetime));
    }
    QVERIFY(result.token().scope.grantedAsRequested());
}

void TestTokenClient::missingScopeMeansGrantedAsRequested()
{
    m_server->enqueue(Response::tokenSuccess(QStringLiteral("gk-no-scope-0123456789abcdef"), QString()));
    const TokenResult result = fetch(requestFor(m_server->url()));
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    QCOMPARE(result.response().httpStatus, 200);
    const ScopeComparison& scope = result.token().scope;
    QVERIFY(scope.grantedAssumedFromRequest); // said so, not silently
    QCOMPARE(scope.requested.toString(), QStringLiteral("file:read file:write"));
    QCOMPARE(scope.granted.toString(), QStringLiteral("file:read file:write"));
    QVERIFY(scope.missing.isEmpty());
    QVERIFY(scope.extra.isEmpty());
    QVERIFY(scope.grantedAsRequested());
    QCOMPARE(result.token().warnings, QStringList{});
    QCOMPARE(result.token().expiresInSeconds, std::optional<qint64>(599));

    // A scope that is present, even when it equals the request, is reported as the server's own answer.
    m_server->enqueue(
        Response::tokenSuccess(QStringLiteral("gk-scope-0123456789abcdef"), QStringLiteral("file:write file:read")));
    const TokenResult reported = fetch(requestFor(m_server->url()));
    QVERIFY2(reported.isSuccess(), qPrintable(reported.error().summary()));
    QVERIFY(!reported.token().scope.grantedAssumedFromRequest);
    QVERIFY(reported.token().scope.grantedAsRequested());
}

void TestTokenClient::everyRedirectIsReportedAndNeverFollowed_data()
{
    QTest::addColumn<int>("status");
    for (const int status : {301, 302, 303, 307, 308})
        QTest::addRow("%d", status) << status;
}

void TestTokenClient::everyRedirectIsReportedAndNeverFollowed()
{
    QFETCH(int, status);
    // A real token endpoint that would accept the secret: it must never see a connection.
    HttpsTokenServer elsewhere(*m_certificate);
    QVERIFY(elsewhere.listen());
    elsewhere.serveOAuth(serverConfig());
    const QUrl target = elsewhere.url(QStringLiteral("/oauth2/token"));
    m_server->enqueue(Response::redirect(status, target));

    const TokenResult result = fetch(requestFor(m_server->url()));
    QVERIFY(!result.isSuccess());
    const TokenError& error = result.error();
    QCOMPARE(error.code, TokenErrorCode::Redirected);
    QCOMPARE(int(error.failureClass()), int(FailureClass::Network));
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(result.response().httpStatus, status);
    QCOMPARE(error.redirectTarget, target);
    QCOMPARE(error.summary(), QStringLiteral("The server answered HTTP %1 and tried to redirect to %2; redirects are "
                                             "never followed, so the secret was not sent there.")
                                  .arg(status)
                                  .arg(target.toString()));
    QVERIFY2(error.advice().contains(QStringLiteral("Check the token URL")), qPrintable(error.advice()));

    // A later request on the same client completes first: a follow-up, had one been started, would have
    // reached the other server by now.
    const TokenResult later = fetch(requestFor(m_server->url()));
    QVERIFY2(later.isSuccess(), qPrintable(later.error().summary()));
    QCOMPARE(m_server->requestCount(), 2);
    QCOMPARE(elsewhere.handshakeCount(), 0);
    QCOMPARE(elsewhere.connectionCount(), 0);
    QCOMPARE(elsewhere.requestCount(), 0);
}

void TestTokenClient::deprecationAndSunsetHeadersAreParsed()
{
    // RFC 9745: Deprecation is a structured-field date (@ seconds since the epoch); RFC 8594: Sunset an HTTP date.
    m_server->enqueue(
        Response::tokenSuccess(QStringLiteral("gk-deprecated-0123456789abcdef"), QStringLiteral("file:read file:write"))
            .withHeader("Deprecation", "@1767225600")
            .withHeader("Sunset", "Wed, 31 Jan 2029 23:59:59 GMT"));
    const TokenResult result = fetch(requestFor(m_server->url()));
    QVERIFY2(result.isSuccess(), qPrintable(result.error().summary()));
    QVERIFY(result.response().deprecationAnnounced);
    QCOMPARE(result.response().deprecation, std::optional(QDateTime(QDate(2026, 1, 1), QTime(0, 0), QTimeZone::utc())));
    QCOMPARE(result.response().sunset,
             std::optional(QDateTime(QDate(2029, 1, 31), QTime(23, 59, 59), QTimeZone::utc())));

    // Without the headers: nothing announced.
    const TokenResult plain = fetch(requestFor(m_server->url()));
    QVERIFY2(plain.isSuccess(), qPrintable(plain.error().summary()));
    QVERIFY(!plain.response().deprecationAnnounced);
    QCOMPARE(plain.response().deprecation, std::nullopt);
    QCOMPARE(plain.response().sunset, std::nullopt);
}

void TestTokenClient::cancelWorksAtAnyMoment_data()
{
    QTest::addColumn<CancelMoment>("moment");
    QTest::newRow("before connecting") << CancelMoment::BeforeConnecting;
    QTest::newRow("after the request was received") << CancelMoment::AfterRequestReceived;
    QTest::newRow("during a trickled body") << CancelMoment::DuringTrickledBody;
}

void TestTokenClient::cancelWorksAtAnyMoment()
{
    QFETCH(CancelMoment, moment);
    if (moment == CancelMoment::DuringTrickledBody) {
        // 16 bytes every 50 ms: the whole body would take over ten seconds, the request's deadline is 30 s.
        Response trickle = Response::raw(200, "application/json",
                                         R"({"access_token":"gk-trickle-0123456789abcdef","token_type":"Bearer",)"
                                         R"("expires_in":599,"padding":")" +
                                             QByteArray(3500, 'p') + R"("})");
        trickle.chunkSize = 16;
        trickle.chunkIntervalMs = 50;
        m_server->enqueue(trickle);
    } else if (moment == CancelMoment::AfterRequestReceived) {
        m_server->enqueue(Response::neverAnswer());
    } // before connecting: the request must never arrive, and would be answered with a token if it did
    TokenRequest request = requestFor(m_server->url());
    request.timeout = std::chrono::seconds(30);
    QSignalSpy received(m_server.get(), &HttpsTokenServer::requestReceived);
    TokenReply* reply = m_client->fetch(request);
    QSignalSpy finished(reply, &TokenReply::finished);

    switch (moment) {
    case CancelMoment::BeforeConnecting:
        break;
    case CancelMoment::AfterRequestReceived:
        QVERIFY(received.wait(10'000));
        break;
    case CancelMoment::DuringTrickledBody: {
        QVERIFY(received.wait(10'000));
        const QList<QNetworkReply*> networkReplies = m_client->findChildren<QNetworkReply*>();
        QCOMPARE(networkReplies.size(), 1);
        QSignalSpy bodyArrives(networkReplies.first(), &QNetworkReply::readyRead);
        QVERIFY(bodyArrives.wait(10'000));
        break;
    }
    }
    reply->cancel();
    QCOMPARE(finished.size(), 0); // from the event loop, never from inside cancel()
    QVERIFY(finished.wait(5'000));
    QCOMPARE(finished.size(), 1);
    const TokenResult result = finished.first().first().value<TokenResult>();
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::Cancelled);
    QCOMPARE(int(result.error().failureClass()), int(FailureClass::Network));
    QCOMPARE(result.error().summary(), QStringLiteral("The test was cancelled."));
    QCOMPARE(result.response().httpStatus, moment == CancelMoment::DuringTrickledBody ? 200 : 0);

    // The client hung up (the server keeps connections alive, and the trickle had seconds to go).
    QTRY_COMPARE(m_server->openConnectionCount(), 0);
    QCOMPARE(m_server->requestCount(), moment == CancelMoment::BeforeConnecting ? 0 : 1);
    if (moment == CancelMoment::BeforeConnecting)
        QCOMPARE(m_server->handshakeCount(), 0);

    // The client stays usable.
    const TokenResult next = fetch(requestFor(m_server->url()));
    QVERIFY2(next.isSuccess(), qPrintable(next.error().summary()));
}

void TestTokenClient::unknownHostIsHostNotFound()
{
    // .invalid never resolves (RFC 6761): only the resolver is asked, and it says no at once.
    TokenRequest request = requestFor(QUrl(QStringLiteral("https://grantkeeper-test.invalid/oauth2/token")));
    request.timeout = std::chrono::seconds(5); // should the sandbox's resolver hang instead
    const TokenResult result = fetch(request);
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::HostNotFound);
    QCOMPARE(int(result.error().failureClass()), int(FailureClass::Network));
    QCOMPARE(result.error().httpStatus, 0);
    QCOMPARE(result.response().httpStatus, 0);
    QCOMPARE(result.error().summary(),
             QStringLiteral("The server's host name could not be resolved: grantkeeper-test.invalid."));
    QVERIFY2(result.error().advice().contains(QStringLiteral("DNS")), qPrintable(result.error().advice()));
}

void TestTokenClient::proxyFailureIsReported_data()
{
    QTest::addColumn<bool>("proxyListens");
    QTest::addColumn<QString>("summary"); // %1: the proxy's port
    QTest::newRow("nothing listening") << false
                                       << QStringLiteral("The proxy failed: Proxy connection refused (proxy "
                                                         "127.0.0.1:%1).");
    QTest::newRow("proxy asks for authentication (407)")
        << true << QStringLiteral("The proxy failed: Proxy requires authentication (proxy 127.0.0.1:%1).");
}

void TestTokenClient::proxyFailureIsReported()
{
    QFETCH(bool, proxyListens);
    QFETCH(QString, summary);

    // A plain-HTTP proxy that answers every CONNECT with 407.
    HttpsTokenServer proxy{HttpsTokenServer::PlainHttp{}};
    QVERIFY(proxy.listen());
    proxy.setHandler([](const RecordedRequest&) {
        return Response::raw(407, "text/plain", "Proxy authentication required\n")
            .withHeader("Proxy-Authenticate", "Basic realm=\"corporate proxy\"");
    });
    const quint16 proxyPort = proxyListens ? proxy.port() : closedPort();
    QVERIFY(proxyPort != 0);
    // The client's own managers (one per trust setting) take the proxy from the injected one.
    m_network->setProxy(QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxyPort));

    const TokenResult result = fetch(requestFor(m_server->url()));
    QVERIFY(!result.isSuccess());
    QCOMPARE(result.error().code, TokenErrorCode::ProxyError);
    QCOMPARE(int(result.error().failureClass()), int(FailureClass::Network));
    QCOMPARE(result.error().httpStatus, 0);
    QCOMPARE(result.response().httpStatus, 0);
    QCOMPARE(result.error().summary(), summary.arg(proxyPort));
    QVERIFY2(result.error().advice().contains(QStringLiteral("proxy settings")), qPrintable(result.error().advice()));

    // Only the proxy was contacted, and only to open a tunnel: the request with the secret never left.
    QCOMPARE(m_server->handshakeCount(), 0);
    QCOMPARE(m_server->requestCount(), 0);
    if (proxyListens) {
        QVERIFY(proxy.requestCount() >= 1);
        for (const RecordedRequest& tunnel : proxy.requests()) {
            QCOMPARE(tunnel.method, QByteArray("CONNECT"));
            QCOMPARE(tunnel.path, QByteArray("127.0.0.1:") + QByteArray::number(m_server->port()));
            QVERIFY(tunnel.body.isEmpty());
            QVERIFY(!tunnel.hasHeader("Authorization"));
            QVERIFY(!tunnel.hasHeader("Proxy-Authorization")); // no credentials were configured
        }
    }
}

QTEST_GUILESS_MAIN(TestTokenClient)
#include "tst_tokenclient.moc"
