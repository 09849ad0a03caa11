// The test HTTPS token server itself, driven by a raw socket client so that what it sends is checked byte for byte.
#include "httpstokenserver.h"
#include "testcertificate.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCertificateExtension>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>

using gk::test::HttpsTokenServer;
using gk::test::OAuthServerConfig;
using gk::test::RecordedRequest;
using gk::test::Response;
using gk::test::TestCertificate;
using gk::test::TestCertificateChain;

namespace {

constexpr int waitMs = 10000;

struct ParsedResponse
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto& [headerName, value] : headers) {
            if (headerName.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const
    {
        return std::any_of(headers.cbegin(), headers.cend(),
                           [name](const auto& h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// A deliberately dumb HTTP/1.1 client on one socket: what the server sends is all it knows.
class RawClient
{
public:
    explicit RawClient(const HttpsTokenServer& server, const QSslCertificate& trusted = QSslCertificate())
    {
        if (server.isTls()) {
            QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
            configuration.setCaCertificates({trusted});
            m_socket.setSslConfiguration(configuration);
            m_socket.setPeerVerifyName(QStringLiteral("127.0.0.1"));
            m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port());
        } else {
            m_socket.connectToHost(QStringLiteral("127.0.0.1"), server.port());
        }
        m_tls = server.isTls();
    }

    // Runs the event loop (the server lives in it too) until predicate holds, re-checking whenever the socket
    // reports progress. Blocking waitFor* calls would deadlock, and QTest::qWaitFor naps 10 ms per turn, which
    // adds up over a TLS handshake.
    template <typename Predicate>
    bool waitUntil(Predicate predicate)
    {
        // The predicate may consume what it finds (readResponse does): call it until it first holds, never after.
        bool satisfied = predicate();
        if (satisfied)
            return true;
        QEventLoop loop;
        auto check = [&loop, &predicate, &satisfied] {
            if (!satisfied && predicate()) {
                satisfied = true;
                loop.quit();
            }
        };
        QObject::connect(&m_socket, &QAbstractSocket::connected, &loop, check);
        QObject::connect(&m_socket, &QSslSocket::encrypted, &loop, check);
        QObject::connect(&m_socket, &QIODevice::readyRead, &loop, check);
        QObject::connect(&m_socket, &QIODevice::bytesWritten, &loop, check);
        QObject::connect(&m_socket, &QSslSocket::encryptedBytesWritten, &loop, check);
        QObject::connect(&m_socket, &QAbstractSocket::stateChanged, &loop, check);
        QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
        loop.exec();
        return satisfied;
    }

    bool waitForReady()
    {
        return waitUntil(
            [this] { return m_tls ? m_socket.isEncrypted() : m_socket.state() == QAbstractSocket::ConnectedState; });
    }

    void send(const QByteArray& bytes) { m_socket.write(bytes); }

    static QByteArray post(const QByteArray& path, const QByteArray& body, const QByteArray& extraHeaders = {})
    {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
               extraHeaders + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }

    // Reads one Content-Length delimited (or, without it, close-delimited) response.
    std::optional<ParsedResponse> readResponse()
    {
        std::optional<ParsedResponse> response;
        const bool finished = waitUntil([this, &response] {
            m_buffer += m_socket.readAll();
            response = takeResponse(m_socket.state() == QAbstractSocket::UnconnectedState);
            return response.has_value() || m_socket.state() == QAbstractSocket::UnconnectedState;
        });
        return finished ? response : std::nullopt;
    }

    std::optional<ParsedResponse> roundTrip(const QByteArray& request)
    {
        send(request);
        return readResponse();
    }

    bool waitForDisconnected()
    {
        return waitUntil([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; });
    }

    QSslSocket& socket() { return m_socket; }
    QByteArray& buffer() { return m_buffer; }

private:
    std::optional<ParsedResponse> takeResponse(bool closed)
    {
        const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return std::nullopt;
        ParsedResponse response;
        const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
        response.status = lines.first().split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            response.headers.append({line.left(colon), line.mid(colon + 1).trimmed()});
        }
        const qsizetype bodyStart = headerEnd + 4;
        if (response.hasHeader("Content-Length")) {
            const qsizetype length = response.header("Content-Length").toLongLong();
            if (m_buffer.size() < bodyStart + length)
                return std::nullopt;
            response.body = m_buffer.mid(bodyStart, length);
            m_buffer.remove(0, bodyStart + length);
        } else {
            if (!closed)
                return std::nullopt;
            response.body = m_buffer.mid(bodyStart);
            m_buffer.clear();
        }
        return response;
    }

    QSslSocket m_socket;
    QByteArray m_buffer;
    bool m_tls = true;
};

// The basicConstraints extension as Qt reads it: {"ca": bool, "pathLenConstraint": int}; empty when absent.
QVariantMap basicConstraints(const QSslCertificate& certificate)
{
    const QList<QSslCertificateExtension> extensions = certificate.extensions();
    for (const QSslCertificateExtension& extension : extensions) {
        if (extension.name() == QLatin1String("basicConstraints"))
            return extension.value().toMap();
    }
    return {};
}

QByteArray basic(const QByteArray& id, const QByteArray& secret)
{
    return "Authorization: Basic " + (id + ':' + secret).toBase64() + "\r\n";
}

} // namespace

class TestHttpsTokenServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void generatesCertificateForLoopback();
    void reportsWhyCertificateGenerationFailed();
    void generatesCertificateChain();
    void presentsCertificateChain();
    void chainWithoutIntermediateIsNotTrusted();
    void recordsRequestExactly();
    void parsesRequestSplitAcrossWrites();
    void answersQueuedResponsesInOrderThenDefault();
    void reusesKeepAliveConnection();
    void closesWhenClientAsksToClose();
    void servesPlainHttpOnLoopback();
    void neverAnswerStaysSilentAndOpen();
    void closeConnectionHangsUpWithoutAnswer();
    void hangsUpOnMalformedRequest();
    void survivesClientLeavingMidRequest();
    void trickledBodyArrivesWhole();
    void clientRejectsWrongHostCertificateBeforeAnyRequest();

    void oauthAcceptsBodyCredentials();
    void oauthAcceptsBasicCredentialsAndGrantsAllScopesByDefault();
    void oauthRefusesWrongSecret();
    void oauthRefusesUngrantableScope();
    void oauthRefusesBadGrantType();
    void oauthRefusesCredentialsSentTwice();

    void servesQNetworkAccessManagerOverOneKeptAliveConnection();
    void streamsHugeBodyWithoutBuildingIt();
    void streamsHugeBodyWithoutContentLength();
    void closeDelimitedGeneratedBodyEndsAtExactSize();

private:
    std::unique_ptr<HttpsTokenServer> startServer()
    {
        auto server = std::make_unique<HttpsTokenServer>(*m_certificate);
        if (!server->listen())
            qFatal("listen failed: %s", qPrintable(server->errorString()));
        return server;
    }

    OAuthServerConfig oauthConfig() const
    {
        OAuthServerConfig config;
        config.clientId = QStringLiteral("client-1");
        config.clientSecret = QStringLiteral("s3cr+t&=!");
        config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
        config.path = QByteArrayLiteral("/oauth2/token");
        return config;
    }

    QTemporaryDir m_dir;
    std::optional<TestCertificate> m_certificate;
};

void TestHttpsTokenServer::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_certificate = TestCertificate::generate(m_dir.path(), QStringLiteral("127.0.0.1"), 2, &error);
    QVERIFY2(m_certificate, qPrintable(error));
}

void TestHttpsTokenServer::generatesCertificateForLoopback()
{
    QVERIFY(QFile::exists(m_certificate->certificatePath()));
    QVERIFY(QFile::exists(m_certificate->keyPath()));
    QCOMPARE(m_certificate->certificate().subjectInfo(QSslCertificate::CommonName),
             QStringList{QStringLiteral("127.0.0.1")});
    const auto san = m_certificate->certificate().subjectAlternativeNames();
    QCOMPARE(san.values(QSsl::IpAddressEntry), QStringList{QStringLiteral("127.0.0.1")});
    QCOMPARE(san.values(QSsl::DnsEntry), QStringList{QStringLiteral("localhost")});
    QCOMPARE(m_certificate->key().algorithm(), QSsl::Ec);
    QCOMPARE(m_certificate->key().type(), QSsl::PrivateKey);
    const QString expected = QString::fromLatin1(
        QCryptographicHash::hash(m_certificate->certificate().toDer(), QCryptographicHash::Sha256).toHex());
    QCOMPARE(m_certificate->sha256Hex(), expected);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(m_certificate->sha256Hex()).hasMatch());

    TestCertificate::Options wrongHost;
    wrongHost.subjectAltName = QStringLiteral("DNS:wrong.example");
    QString error;
    const auto other = TestCertificate::generate(m_dir.path(), wrongHost, &error);
    QVERIFY2(other, qPrintable(error));
    QCOMPARE(other->certificate().subjectAlternativeNames().values(QSsl::DnsEntry),
             QStringList{QStringLiteral("wrong.example")});
    QVERIFY(other->certificatePath() != m_certificate->certificatePath());
    QVERIFY(other->sha256Hex() != m_certificate->sha256Hex());
}

void TestHttpsTokenServer::reportsWhyCertificateGenerationFailed()
{
    QString error;
    QVERIFY(!TestCertificate::generate(m_dir.path(), QStringLiteral("127.0.0.1"), 0, &error));
    QVERIFY2(error.contains(QStringLiteral("exit code 1")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("-days")), qPrintable(error));

    error.clear();
    QVERIFY(
        !TestCertificate::generate(m_dir.filePath(QStringLiteral("missing")), QStringLiteral("127.0.0.1"), 2, &error));
    QVERIFY2(error.contains(QStringLiteral("does not exist")), qPrintable(error));

    const QByteArray saved = qgetenv("GK_OPENSSL");
    qputenv("GK_OPENSSL", "/nonexistent/openssl");
    error.clear();
    const auto missing = TestCertificate::generate(m_dir.path(), QStringLiteral("127.0.0.1"), 2, &error);
    if (saved.isEmpty())
        qunsetenv("GK_OPENSSL");
    else
        qputenv("GK_OPENSSL", saved);
    QVERIFY(!missing);
    QVERIFY2(error.startsWith(QStringLiteral("/nonexistent/openssl did not run")), qPrintable(error));
}

void TestHttpsTokenServer::generatesCertificateChain()
{
    QString error;
    const auto chain = TestCertificateChain::generate(m_dir.path(), &error);
    QVERIFY2(chain, qPrintable(error));
    const QSslCertificate root = chain->root().certificate();
    const QSslCertificate intermediate = chain->intermediate().certificate();
    const QSslCertificate leaf = chain->certificate();

    // Who signed whom.
    QVERIFY(root.isSelfSigned());
    QVERIFY(!intermediate.isSelfSigned());
    QVERIFY(!leaf.isSelfSigned());
    QCOMPARE(intermediate.issuerInfo(QSslCertificate::CommonName), root.subjectInfo(QSslCertificate::CommonName));
    QCOMPARE(leaf.issuerInfo(QSslCertificate::CommonName), intermediate.subjectInfo(QSslCertificate::CommonName));
    QCOMPARE(chain->expiredLeaf().certificate().issuerInfo(QSslCertificate::CommonName),
             intermediate.subjectInfo(QSslCertificate::CommonName));
    QVERIFY(root.subjectInfo(QSslCertificate::CommonName) != intermediate.subjectInfo(QSslCertificate::CommonName));
    QCOMPARE(basicConstraints(root).value(QStringLiteral("ca")), QVariant(true));
    QCOMPARE(basicConstraints(intermediate).value(QStringLiteral("ca")), QVariant(true));
    QCOMPARE(basicConstraints(leaf).value(QStringLiteral("ca")), QVariant(false));

    // The leaf is a server certificate for the loopback address, and the leaf() accessors agree.
    QCOMPARE(leaf.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("127.0.0.1")});
    const auto san = leaf.subjectAlternativeNames();
    QCOMPARE(san.values(QSsl::IpAddressEntry), QStringList{QStringLiteral("127.0.0.1")});
    QCOMPARE(san.values(QSsl::DnsEntry), QStringList{QStringLiteral("localhost")});
    QCOMPARE(chain->leaf().certificate(), leaf);
    QCOMPARE(chain->key(), chain->leaf().key());
    QCOMPARE(chain->key().algorithm(), QSsl::Ec);
    QCOMPARE(chain->sha256Hex(),
             QString::fromLatin1(QCryptographicHash::hash(leaf.toDer(), QCryptographicHash::Sha256).toHex()));
    QCOMPARE(chain->presentedChain(), (QList<QSslCertificate>{leaf, intermediate}));
    QCOMPARE(chain->presentedExpiredChain(),
             (QList<QSslCertificate>{chain->expiredLeaf().certificate(), intermediate}));
    QCOMPARE(QSslCertificate::fromPath(chain->rootCertificatePath()), QList<QSslCertificate>{root});

    // Current certificates are valid now; the expired leaf was valid for one day in 2020.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QSslCertificate& certificate : {root, intermediate, leaf}) {
        QVERIFY(certificate.effectiveDate() <= now);
        QVERIFY(certificate.expiryDate() > now);
    }
    const QSslCertificate expired = chain->expiredLeaf().certificate();
    QCOMPARE(expired.effectiveDate(), QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC));
    QCOMPARE(expired.expiryDate(), QDateTime(QDate(2020, 1, 2), QTime(0, 0), Qt::UTC));
    QCOMPARE(expired.subjectAlternativeNames().values(QSsl::IpAddressEntry), QStringList{QStringLiteral("127.0.0.1")});
    QVERIFY(chain->expiredLeaf().sha256Hex() != chain->sha256Hex());

    // Each chain is new.
    const auto other = TestCertificateChain::generate(m_dir.path(), &error);
    QVERIFY2(other, qPrintable(error));
    QVERIFY(other->root().sha256Hex() != chain->root().sha256Hex());
    QVERIFY(other->rootCertificatePath() != chain->rootCertificatePath());

    QVERIFY(!TestCertificateChain::generate(m_dir.filePath(QStringLiteral("missing")), &error));
    QVERIFY2(error.contains(QStringLiteral("does not exist")), qPrintable(error));
}

void TestHttpsTokenServer::presentsCertificateChain()
{
    QString error;
    const auto chain = TestCertificateChain::generate(m_dir.path(), &error);
    QVERIFY2(chain, qPrintable(error));
    HttpsTokenServer server(*chain);
    QVERIFY(server.listen());
    server.enqueue(Response::tokenSuccess(QStringLiteral("t")));

    // Trusting only the root works because the server sends the intermediate along.
    RawClient client(server, chain->root().certificate());
    QVERIFY(client.waitForReady());
    QCOMPARE(client.socket().peerCertificate(), chain->certificate());
    const QList<QSslCertificate> presented = client.socket().peerCertificateChain();
    QCOMPARE(presented.value(0), chain->certificate());
    QCOMPARE(presented.value(1), chain->intermediate().certificate());
    const auto response = client.roundTrip(RawClient::post("/", {}));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(server.connectionCount(), 1);
}

void TestHttpsTokenServer::chainWithoutIntermediateIsNotTrusted()
{
    // The counter-proof of presentsCertificateChain: the leaf alone cannot be traced to the root.
    QString error;
    const auto chain = TestCertificateChain::generate(m_dir.path(), &error);
    QVERIFY2(chain, qPrintable(error));
    HttpsTokenServer server(chain->certificate(), chain->key());
    QVERIFY(server.listen());

    RawClient client(server, chain->root().certificate());
    QSignalSpy sslErrors(&client.socket(), &QSslSocket::sslErrors);
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(sslErrors.count(), 1);
    QList<QSslError::SslError> errors;
    for (const QSslError& sslError : sslErrors.first().first().value<QList<QSslError>>())
        errors.append(sslError.error());
    QVERIFY2(errors.contains(QSslError::UnableToGetLocalIssuerCertificate) ||
                 errors.contains(QSslError::UnableToVerifyFirstCertificate),
             qPrintable(QString::number(errors.size())));
    QCOMPARE(server.connectionCount(), 0);
}

void TestHttpsTokenServer::recordsRequestExactly()
{
    auto server = startServer();
    QSignalSpy received(server.get(), &HttpsTokenServer::requestReceived);
    server->enqueue(Response::tokenSuccess(QStringLiteral("tok-1"), QStringLiteral("file:read")));

    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const QByteArray body = "grant_type=client_credentials&scope=a%20b+c&client_secret=p%2Bq%26r%3D&empty=";
    const auto response = client.roundTrip(RawClient::post("/oauth2/token?x=1", body, "X-Version: 2026-01-01\r\n"));
    QVERIFY(response);

    QCOMPARE(received.count(), 1);
    QCOMPARE(received.first().first().toInt(), 0);
    QCOMPARE(server->requestCount(), 1);
    const RecordedRequest request = server->requests().first();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, QByteArray("/oauth2/token?x=1"));
    QCOMPARE(request.pathWithoutQuery(), QByteArray("/oauth2/token"));
    QCOMPARE(request.httpVersion, QByteArray("HTTP/1.1"));
    QCOMPARE(request.header("x-version"), QByteArray("2026-01-01"));
    QCOMPARE(request.header("CONTENT-TYPE"), QByteArray("application/x-www-form-urlencoded"));
    QCOMPARE(request.header("Authorization"), QByteArray());
    QVERIFY(!request.hasHeader("Authorization"));
    QCOMPARE(request.headers.size(), 4);
    QCOMPARE(request.headers.first(), qMakePair(QByteArray("Host"), QByteArray("127.0.0.1")));
    QCOMPARE(request.body, body);
    const QMap<QString, QString> form{{QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
                                      {QStringLiteral("scope"), QStringLiteral("a b c")},
                                      {QStringLiteral("client_secret"), QStringLiteral("p+q&r=")},
                                      {QStringLiteral("empty"), QString()}};
    QCOMPARE(request.form(), form);
    QCOMPARE(request.connectionIndex, 0);

    QCOMPARE(response->status, 200);
    QCOMPARE(response->header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(response->header("Connection"), QByteArray("keep-alive"));
    QCOMPARE(response->header("Content-Length"), QByteArray::number(response->body.size()));
    const QJsonObject expected{{QStringLiteral("access_token"), QStringLiteral("tok-1")},
                               {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                               {QStringLiteral("expires_in"), 599},
                               {QStringLiteral("scope"), QStringLiteral("file:read")}};
    QCOMPARE(response->json(), expected);
}

void TestHttpsTokenServer::parsesRequestSplitAcrossWrites()
{
    HttpsTokenServer server{HttpsTokenServer::PlainHttp{}};
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.setDefaultResponse(Response::raw(204, {}, {}));
    RawClient client(server);
    QVERIFY(client.waitForReady());

    const QByteArray request = RawClient::post("/split", "a=1&b=2");
    for (qsizetype offset = 0; offset < request.size(); offset += 7) {
        client.send(request.mid(offset, 7));
        // Let each piece leave before the next one so the server sees separate reads.
        QVERIFY(client.waitUntil([&client] { return client.socket().bytesToWrite() == 0; }));
    }
    const auto response = client.readResponse();
    QVERIFY(response);
    QCOMPARE(response->status, 204);
    QCOMPARE(response->body, QByteArray());
    QCOMPARE(server.requestCount(), 1);
    QCOMPARE(server.requests().first().body, QByteArray("a=1&b=2"));
}

void TestHttpsTokenServer::answersQueuedResponsesInOrderThenDefault()
{
    auto server = startServer();
    server->enqueue(Response::raw(201, "text/plain", "first"));
    server->enqueue(Response::oauthError(429, QStringLiteral("slow_down"))
                        .withHeader(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("7")));
    server->setHandler(
        [](const RecordedRequest& request) { return Response::raw(202, "text/plain", "handler saw " + request.path); });
    QCOMPARE(server->queuedResponseCount(), 2);

    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    auto first = client.roundTrip(RawClient::post("/a", {}));
    auto second = client.roundTrip(RawClient::post("/b", {}));
    auto third = client.roundTrip(RawClient::post("/c", {}));
    QVERIFY(first && second && third);
    QCOMPARE(first->status, 201);
    QCOMPARE(first->body, QByteArray("first"));
    QCOMPARE(second->status, 429);
    QCOMPARE(second->header("Retry-After"), QByteArray("7"));
    QCOMPARE(second->json().value(QStringLiteral("error")).toString(), QStringLiteral("slow_down"));
    QVERIFY(!second->json().contains(QStringLiteral("error_description")));
    QCOMPARE(third->status, 202);
    QCOMPARE(third->body, QByteArray("handler saw /c"));
    QCOMPARE(server->queuedResponseCount(), 0);

    server->setHandler({});
    auto fourth = client.roundTrip(RawClient::post("/d", {}));
    QVERIFY(fourth);
    QCOMPARE(fourth->status, 500);
    QCOMPARE(fourth->body, QByteArray("HttpsTokenServer: no response scripted\n"));
}

void TestHttpsTokenServer::reusesKeepAliveConnection()
{
    auto server = startServer();
    server->setDefaultResponse(Response::raw(200, "text/plain", "ok"));
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    QVERIFY(client.roundTrip(RawClient::post("/one", "1")));
    QVERIFY(client.roundTrip(RawClient::post("/two", "2")));
    QCOMPARE(server->connectionCount(), 1);
    QCOMPARE(server->requests().at(0).connectionIndex, 0);
    QCOMPARE(server->requests().at(1).connectionIndex, 0);

    // Two pipelined requests in one write are answered in order.
    client.send(RawClient::post("/three", "3") + RawClient::post("/four", "4"));
    QVERIFY(client.readResponse());
    QVERIFY(client.readResponse());
    QCOMPARE(server->requestCount(), 4);
    QCOMPARE(server->requests().at(3).path, QByteArray("/four"));
    QCOMPARE(server->connectionCount(), 1);

    RawClient other(*server, m_certificate->certificate());
    QVERIFY(other.waitForReady());
    QVERIFY(other.roundTrip(RawClient::post("/five", "5")));
    QCOMPARE(server->connectionCount(), 2);
    QCOMPARE(server->requests().at(4).connectionIndex, 1);
}

void TestHttpsTokenServer::closesWhenClientAsksToClose()
{
    auto server = startServer();
    server->setDefaultResponse(Response::raw(200, "text/plain", "bye"));
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const auto response = client.roundTrip(RawClient::post("/", {}, "Connection: close\r\n"));
    QVERIFY(response);
    QCOMPARE(response->header("Connection"), QByteArray("close"));
    QCOMPARE(response->body, QByteArray("bye"));
    QVERIFY(client.waitForDisconnected());
    QTRY_COMPARE(server->openConnectionCount(), 0);
}

void TestHttpsTokenServer::servesPlainHttpOnLoopback()
{
    HttpsTokenServer server{HttpsTokenServer::PlainHttp{}};
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    QVERIFY(!server.isTls());
    QCOMPARE(server.url().toString(), QStringLiteral("http://127.0.0.1:%1/oauth2/token").arg(server.port()));
    server.serveOAuth(oauthConfig());
    RawClient client(server);
    QVERIFY(client.waitForReady());
    const auto response = client.roundTrip(RawClient::post(
        "/oauth2/token", "grant_type=client_credentials&client_id=client-1&client_secret=s3cr%2Bt%26%3D%21"));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(server.issuedTokens().size(), 1);

    auto tls = startServer();
    QCOMPARE(tls->url(QStringLiteral("/iam/v1/oauth2/token")).toString(),
             QStringLiteral("https://127.0.0.1:%1/iam/v1/oauth2/token").arg(tls->port()));
}

void TestHttpsTokenServer::neverAnswerStaysSilentAndOpen()
{
    auto server = startServer();
    server->enqueue(Response::neverAnswer());
    server->setDefaultResponse(Response::raw(200, "text/plain", "ok"));
    RawClient silent(*server, m_certificate->certificate());
    QVERIFY(silent.waitForReady());
    silent.send(RawClient::post("/hang", {}));
    QTRY_COMPARE(server->requestCount(), 1);

    // A full round trip on another connection is the clock: had the silent one been answered, it would be by now.
    RawClient other(*server, m_certificate->certificate());
    QVERIFY(other.waitForReady());
    QVERIFY(other.roundTrip(RawClient::post("/ok", {})));
    QCOMPARE(silent.socket().bytesAvailable(), 0);
    QCOMPARE(silent.socket().state(), QAbstractSocket::ConnectedState);
    QCOMPARE(server->openConnectionCount(), 2);
}

void TestHttpsTokenServer::closeConnectionHangsUpWithoutAnswer()
{
    auto server = startServer();
    server->enqueue(Response::closeConnection());
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const auto response = client.roundTrip(RawClient::post("/", {}));
    QVERIFY(!response);
    QCOMPARE(client.buffer(), QByteArray());
    QCOMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(server->requestCount(), 1);
    QTRY_COMPARE(server->openConnectionCount(), 0);
}

void TestHttpsTokenServer::hangsUpOnMalformedRequest()
{
    auto server = startServer();
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    client.send("NONSENSE\r\n\r\n");
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(server->requestCount(), 0);
    QTRY_COMPARE(server->openConnectionCount(), 0);
}

void TestHttpsTokenServer::survivesClientLeavingMidRequest()
{
    auto server = startServer();
    {
        RawClient client(*server, m_certificate->certificate());
        QVERIFY(client.waitForReady());
        // The client finishes its TLS 1.3 handshake before the server does: wait until the server holds the
        // connection, so the hang-up happens mid-request rather than mid-handshake.
        QTRY_COMPARE(server->connectionCount(), 1);
        client.send("POST /oauth2/token HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly part");
        QVERIFY(client.waitUntil([&client] { return client.socket().encryptedBytesToWrite() == 0; }));
        client.socket().abort();
    }
    QTRY_COMPARE(server->openConnectionCount(), 0);
    QCOMPARE(server->connectionCount(), 1);
    QCOMPARE(server->requestCount(), 0);
}

void TestHttpsTokenServer::trickledBodyArrivesWhole()
{
    auto server = startServer();
    Response trickle = Response::raw(200, "application/json", R"({"access_token":"t"})");
    trickle.chunkSize = 4;
    trickle.chunkIntervalMs = 1;
    trickle.delayMs = 1;
    server->enqueue(trickle);
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const auto response = client.roundTrip(RawClient::post("/", {}));
    QVERIFY(response);
    QCOMPARE(response->header("Content-Length"), QByteArray("20"));
    QCOMPARE(response->body, QByteArray(R"({"access_token":"t"})"));
}

void TestHttpsTokenServer::clientRejectsWrongHostCertificateBeforeAnyRequest()
{
    TestCertificate::Options options;
    options.commonName = QStringLiteral("wrong.example");
    options.subjectAltName = QStringLiteral("DNS:wrong.example");
    QString error;
    const auto wrongHost = TestCertificate::generate(m_dir.path(), options, &error);
    QVERIFY2(wrongHost, qPrintable(error));
    HttpsTokenServer server(*wrongHost);
    QVERIFY(server.listen());

    RawClient client(server, wrongHost->certificate());
    QSignalSpy sslErrors(&client.socket(), &QSslSocket::sslErrors);
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(sslErrors.count(), 1);
    const auto errors = sslErrors.first().first().value<QList<QSslError>>();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().error(), QSslError::HostNameMismatch);
    QTRY_COMPARE(server.handshakeCount(), 1);
    QCOMPARE(server.connectionCount(), 0);
    QCOMPARE(server.requestCount(), 0);
}

void TestHttpsTokenServer::oauthAcceptsBodyCredentials()
{
    auto server = startServer();
    server->serveOAuth(oauthConfig());
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const auto response = client.roundTrip(RawClient::post(
        "/oauth2/token",
        "grant_type=client_credentials&scope=file%3Aread&client_id=client-1&client_secret=s3cr%2Bt%26%3D%21"));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->header("Cache-Control"), QByteArray("no-store"));
    const QJsonObject json = response->json();
    QCOMPARE(server->issuedTokens().size(), 1);
    const QString token = server->issuedTokens().first();
    QVERIFY2(QRegularExpression(QStringLiteral("^gk-test-token-[0-9a-f]{32}$")).match(token).hasMatch(),
             qPrintable(token));
    QCOMPARE(json.value(QStringLiteral("access_token")).toString(), token);
    QCOMPARE(json.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
    QCOMPARE(json.value(QStringLiteral("expires_in")).toInt(), 599);
    QCOMPARE(json.value(QStringLiteral("scope")).toString(), QStringLiteral("file:read"));

    // Every token is fresh.
    QVERIFY(client.roundTrip(RawClient::post(
        "/oauth2/token", "grant_type=client_credentials&client_id=client-1&client_secret=s3cr%2Bt%26%3D%21")));
    QCOMPARE(server->issuedTokens().size(), 2);
    QVERIFY(server->issuedTokens().at(0) != server->issuedTokens().at(1));
}

void TestHttpsTokenServer::oauthAcceptsBasicCredentialsAndGrantsAllScopesByDefault()
{
    auto server = startServer();
    server->serveOAuth(oauthConfig());
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const auto response = client.roundTrip(
        RawClient::post("/oauth2/token", "grant_type=client_credentials", basic("client-1", "s3cr+t&=!")));
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(response->json().value(QStringLiteral("scope")).toString(), QStringLiteral("file:read file:write"));

    const auto wrongPath = client.roundTrip(
        RawClient::post("/iam/v1/oauth2/token", "grant_type=client_credentials", basic("client-1", "s3cr+t&=!")));
    QVERIFY(wrongPath);
    QCOMPARE(wrongPath->status, 404);
    QCOMPARE(server->issuedTokens().size(), 1);
}

void TestHttpsTokenServer::oauthRefusesWrongSecret()
{
    auto server = startServer();
    server->serveOAuth(oauthConfig());
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const auto inBody = client.roundTrip(
        RawClient::post("/oauth2/token", "grant_type=client_credentials&client_id=client-1&client_secret=wrong"));
    QVERIFY(inBody);
    QCOMPARE(inBody->status, 401);
    QCOMPARE(inBody->json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client"));
    QVERIFY(!inBody->hasHeader("WWW-Authenticate"));

    const auto asBasic =
        client.roundTrip(RawClient::post("/oauth2/token", "grant_type=client_credentials", basic("client-1", "wrong")));
    QVERIFY(asBasic);
    QCOMPARE(asBasic->status, 401);
    QCOMPARE(asBasic->json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client"));
    QCOMPARE(asBasic->header("WWW-Authenticate"), QByteArray("Basic realm=\"token\""));
    QCOMPARE(server->issuedTokens(), QStringList());
}

void TestHttpsTokenServer::oauthRefusesUngrantableScope()
{
    auto server = startServer();
    server->serveOAuth(oauthConfig());
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const auto response =
        client.roundTrip(RawClient::post("/oauth2/token", "grant_type=client_credentials&scope=file%3Aread+admin%3Aall",
                                         basic("client-1", "s3cr+t&=!")));
    QVERIFY(response);
    QCOMPARE(response->status, 400);
    const QJsonObject json = response->json();
    QCOMPARE(json.value(QStringLiteral("error")).toString(), QStringLiteral("invalid_scope"));
    QCOMPARE(json.value(QStringLiteral("error_description")).toString(),
             QStringLiteral("The scope admin:all is not granted to this client."));
    QCOMPARE(server->issuedTokens(), QStringList());
}

void TestHttpsTokenServer::oauthRefusesBadGrantType()
{
    auto server = startServer();
    server->serveOAuth(oauthConfig());
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const auto other =
        client.roundTrip(RawClient::post("/oauth2/token", "grant_type=password", basic("client-1", "s3cr+t&=!")));
    QVERIFY(other);
    QCOMPARE(other->status, 400);
    QCOMPARE(other->json().value(QStringLiteral("error")).toString(), QStringLiteral("unsupported_grant_type"));
    const auto missing = client.roundTrip(RawClient::post("/oauth2/token", "", basic("client-1", "s3cr+t&=!")));
    QVERIFY(missing);
    QCOMPARE(missing->status, 400);
    QCOMPARE(missing->json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_request"));
}

void TestHttpsTokenServer::oauthRefusesCredentialsSentTwice()
{
    auto server = startServer();
    server->serveOAuth(oauthConfig());
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const auto response = client.roundTrip(RawClient::post(
        "/oauth2/token", "grant_type=client_credentials&client_id=client-1&client_secret=s3cr%2Bt%26%3D%21",
        basic("client-1", "s3cr+t&=!")));
    QVERIFY(response);
    QCOMPARE(response->status, 400);
    QCOMPARE(response->json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_request"));
}

void TestHttpsTokenServer::servesQNetworkAccessManagerOverOneKeptAliveConnection()
{
    // The client the app really uses: its HTTP/1.1 over TLS, its headers and its connection reuse.
    auto server = startServer();
    server->serveOAuth(oauthConfig());
    QNetworkAccessManager manager;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates({m_certificate->certificate()});
    for (int attempt = 0; attempt < 2; ++attempt) {
        QNetworkRequest request(server->url());
        request.setSslConfiguration(tls);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
        std::unique_ptr<QNetworkReply> reply(
            manager.post(request, "grant_type=client_credentials&client_id=client-1&client_secret=s3cr%2Bt%26%3D%21"));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        QVERIFY(finished.wait(waitMs));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(json.value(QStringLiteral("access_token")).toString(), server->issuedTokens().last());
    }
    QCOMPARE(server->requestCount(), 2);
    QCOMPARE(server->requests().at(1).method, QByteArray("POST"));
    QCOMPARE(server->requests().at(1).form().value(QStringLiteral("client_secret")), QStringLiteral("s3cr+t&=!"));
    QCOMPARE(server->connectionCount(), 1);
    QCOMPARE(server->requests().at(1).connectionIndex, 0);
}

void TestHttpsTokenServer::streamsHugeBodyWithoutBuildingIt()
{
    auto server = startServer();
    constexpr qint64 size = 64 * 1024 * 1024;
    server->enqueue(Response::hugeBody(size));
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    client.send(RawClient::post("/oauth2/token", {}));
    constexpr qsizetype enough = 2 * 1024 * 1024;
    QVERIFY(client.waitUntil([&client] {
        client.buffer() += client.socket().readAll();
        return client.buffer().size() >= enough;
    }));
    QVERIFY(client.buffer().startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(client.buffer().contains("\r\nContent-Length: 67108864\r\n"));
    QVERIFY(client.buffer().endsWith("xxxxxxxx"));
    client.socket().abort();
    QTRY_COMPARE(server->openConnectionCount(), 0);
    QVERIFY2(server->peakQueuedBytes() < 1024 * 1024, qPrintable(QString::number(server->peakQueuedBytes())));
}

void TestHttpsTokenServer::streamsHugeBodyWithoutContentLength()
{
    auto server = startServer();
    server->enqueue(Response::hugeBody(64 * 1024 * 1024, false));
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    client.send(RawClient::post("/oauth2/token", {}));
    constexpr qsizetype enough = 2 * 1024 * 1024;
    QVERIFY(client.waitUntil([&client] {
        client.buffer() += client.socket().readAll();
        return client.buffer().size() >= enough;
    }));
    const QByteArray head = client.buffer().left(client.buffer().indexOf("\r\n\r\n"));
    QVERIFY(!head.contains("Content-Length"));
    QVERIFY(head.contains("\r\nConnection: close"));
    client.socket().abort();
    QTRY_COMPARE(server->openConnectionCount(), 0);
    QVERIFY(server->peakQueuedBytes() < 1024 * 1024);
}

void TestHttpsTokenServer::closeDelimitedGeneratedBodyEndsAtExactSize()
{
    auto server = startServer();
    Response response = Response::hugeBody(3 * 1024 * 1024 + 5, false, "text/plain");
    response.body = "0123456789";
    server->enqueue(response);
    RawClient client(*server, m_certificate->certificate());
    QVERIFY(client.waitForReady());
    const auto received = client.roundTrip(RawClient::post("/", {}));
    QVERIFY(received);
    QCOMPARE(received->body.size(), 3 * 1024 * 1024 + 5);
    QVERIFY(received->body.startsWith("01234567890123"));
    QVERIFY(received->body.endsWith("6789012"));
    QCOMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
}

QTEST_GUILESS_MAIN(TestHttpsTokenServer)
#include "tst_httpstokenserver.moc"
