#include "httpstokenserver.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace gk::test {

namespace {

constexpr qsizetype maxHeaderBytes = 64 * 1024;
constexpr qint64 maxRequestBodyBytes = 16 * 1024 * 1024;
// A streamed body is topped up only while less than this is waiting in the socket, which bounds the memory
// the server spends on it whatever the body's size.
constexpr qint64 streamHighWaterBytes = 256 * 1024;

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 201:
        return QByteArrayLiteral("Created");
    case 204:
        return QByteArrayLiteral("No Content");
    case 301:
        return QByteArrayLiteral("Moved Permanently");
    case 302:
        return QByteArrayLiteral("Found");
    case 303:
        return QByteArrayLiteral("See Other");
    case 307:
        return QByteArrayLiteral("Temporary Redirect");
    case 308:
        return QByteArrayLiteral("Permanent Redirect");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 413:
        return QByteArrayLiteral("Content Too Large");
    case 429:
        return QByteArrayLiteral("Too Many Requests");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 501:
        return QByteArrayLiteral("Not Implemented");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    case 504:
        return QByteArrayLiteral("Gateway Timeout");
    default:
        return QByteArrayLiteral("Status");
    }
}

bool sameHeaderName(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

bool containsHeader(const HttpHeaders& headers, QByteArrayView name)
{
    return std::any_of(headers.cbegin(), headers.cend(),
                       [name](const auto& header) { return sameHeaderName(header.first, name); });
}

QString formDecode(QByteArray encoded)
{
    encoded.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(encoded));
}

// Comma-separated header tokens such as "keep-alive, Upgrade", lower-cased.
QList<QByteArray> headerTokens(const QByteArray& value)
{
    QList<QByteArray> tokens;
    for (const QByteArray& token : value.split(','))
        tokens.append(token.trimmed().toLower());
    return tokens;
}

QString randomHex(int bytes)
{
    QByteArray random(bytes, Qt::Uninitialized);
    for (char& byte : random)
        byte = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return QString::fromLatin1(random.toHex());
}

} // namespace

// ---- RecordedRequest ----

QByteArray RecordedRequest::header(QByteArrayView name) const
{
    for (const auto& [headerName, value] : headers) {
        if (sameHeaderName(headerName, name))
            return value;
    }
    return {};
}

bool RecordedRequest::hasHeader(QByteArrayView name) const
{
    return containsHeader(headers, name);
}

QByteArray RecordedRequest::pathWithoutQuery() const
{
    const qsizetype query = path.indexOf('?');
    return query < 0 ? path : path.left(query);
}

QMap<QString, QString> RecordedRequest::form() const
{
    QMap<QString, QString> fields;
    for (const QByteArray& pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        if (equals < 0)
            fields.insert(formDecode(pair), QString());
        else
            fields.insert(formDecode(pair.left(equals)), formDecode(pair.mid(equals + 1)));
    }
    return fields;
}

// ---- Response ----

Response Response::withHeader(const QByteArray& name, const QByteArray& value) const
{
    Response copy = *this;
    copy.headers.append({name, value});
    return copy;
}

Response Response::json(int status, const QJsonObject& object)
{
    return raw(status, QByteArrayLiteral("application/json"), QJsonDocument(object).toJson(QJsonDocument::Compact));
}

Response Response::tokenSuccess(const QString& accessToken, const QString& scope, int expiresIn)
{
    QJsonObject object{
        {QStringLiteral("access_token"), accessToken},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")},
        {QStringLiteral("expires_in"), expiresIn},
    };
    if (!scope.isNull())
        object.insert(QStringLiteral("scope"), scope);
    return json(200, object).withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
}

Response Response::oauthError(int status, const QString& error, const QString& description)
{
    QJsonObject object{{QStringLiteral("error"), error}};
    if (!description.isNull())
        object.insert(QStringLiteral("error_description"), description);
    return json(status, object);
}

Response Response::redirect(int status, const QUrl& location)
{
    return raw(status, QByteArrayLiteral("text/plain"), QByteArrayLiteral("Moved\n"))
        .withHeader(QByteArrayLiteral("Location"), location.toEncoded());
}

Response Response::raw(int status, const QByteArray& contentType, const QByteArray& body)
{
    Response response;
    response.status = status;
    if (!contentType.isEmpty())
        response.headers.append({QByteArrayLiteral("Content-Type"), contentType});
    response.body = body;
    return response;
}

Response Response::neverAnswer()
{
    Response response;
    response.action = Action::NeverAnswer;
    return response;
}

Response Response::closeConnection()
{
    Response response;
    response.action = Action::CloseConnection;
    return response;
}

Response Response::hugeBody(qint64 size, bool sendContentLength, const QByteArray& contentType)
{
    Response response = raw(200, contentType, QByteArray());
    response.generatedBodySize = size;
    response.sendContentLength = sendContentLength;
    return response;
}

// ---- HttpConnection: one accepted socket, its request parser and the reply in progress ----

// Not a Q_OBJECT: it needs no signals of its own, only to be the context object of its socket's connections,
// so they die with it.
class HttpConnection : public QObject
{
public:
    HttpConnection(HttpsTokenServer* server, QTcpSocket* socket, int index);
    ~HttpConnection() override;

    // Reads what arrived with the handshake, before anyone listened to readyRead.
    void start();
    void hangUp();

private:
    enum class Parse { Incomplete, Complete, Malformed, TooLarge, Unsupported };

    Parse parseRequest(RecordedRequest& request, bool& keepAlive);
    void readIncoming();
    void processBuffer();
    void dispatch(const Response& response, bool keepAlive);
    void sendReply(const Response& response, bool keepAlive);
    void pumpBody();
    void trickleBody();
    QByteArray takeBodyChunk(qint64 maxBytes);
    void write(const QByteArray& data);
    void finishReply();
    void onDisconnected();
    bool isConnected() const { return m_socket->state() == QAbstractSocket::ConnectedState; }

    HttpsTokenServer* m_server;
    QTcpSocket* m_socket;
    int m_index;
    QByteArray m_buffer;
    bool m_busy = false;       // a reply is under way (or never coming): later requests wait in m_buffer
    bool m_processing = false; // inside processBuffer(): a reply that finishes at once must not recurse into it
    bool m_gone = false;

    // The body being streamed: m_bodyRemaining more bytes of m_bodyPattern repeated from m_patternOffset.
    QByteArray m_bodyPattern;
    qint64 m_patternOffset = 0;
    qint64 m_bodyRemaining = 0;
    qint64 m_chunkSize = 0;
    int m_chunkIntervalMs = 0;
    bool m_streaming = false;
    bool m_closeAfterReply = false;
};

HttpConnection::HttpConnection(HttpsTokenServer* server, QTcpSocket* socket, int index)
    : m_server(server)
    , m_socket(socket)
    , m_index(index)
{
    m_socket->setParent(this);
    connect(m_socket, &QIODevice::readyRead, this, [this] { readIncoming(); });
    connect(m_socket, &QAbstractSocket::disconnected, this, [this] { onDisconnected(); });
    connect(m_socket, &QIODevice::bytesWritten, this, [this] { pumpBody(); });
    // For TLS, bytesWritten means "encrypted", not "sent": the encrypted side draining is what frees room.
    if (auto* sslSocket = qobject_cast<QSslSocket*>(m_socket))
        connect(sslSocket, &QSslSocket::encryptedBytesWritten, this, [this] { pumpBody(); });
}

HttpConnection::~HttpConnection()
{
    // The socket dies with us; it must not call back into a half-destroyed connection or server.
    disconnect(m_socket, nullptr, this, nullptr);
    m_server->connectionDestroyed(this);
}

void HttpConnection::start()
{
    readIncoming();
    if (!isConnected())
        onDisconnected();
}

void HttpConnection::hangUp()
{
    m_busy = true;
    m_bodyRemaining = 0;
    m_socket->disconnectFromHost();
}

void HttpConnection::readIncoming()
{
    m_buffer.append(m_socket->readAll());
    processBuffer();
}

HttpConnection::Parse HttpConnection::parseRequest(RecordedRequest& request, bool& keepAlive)
{
    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return m_buffer.size() > maxHeaderBytes ? Parse::TooLarge : Parse::Incomplete;

    const QByteArray head = m_buffer.left(headerEnd);
    QList<QByteArray> lines;
    for (qsizetype start = 0; start <= head.size();) {
        qsizetype end = head.indexOf("\r\n", start);
        if (end < 0)
            end = head.size();
        lines.append(head.mid(start, end - start));
        start = end + 2;
    }

    const QList<QByteArray> requestLine = lines.takeFirst().split(' ');
    if (requestLine.size() != 3 || requestLine[0].isEmpty() || requestLine[1].isEmpty() ||
        !requestLine[2].startsWith("HTTP/1."))
        return Parse::Malformed;
    request.method = requestLine[0];
    request.path = requestLine[1];
    request.httpVersion = requestLine[2];

    for (const QByteArray& line : std::as_const(lines)) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return Parse::Malformed;
        request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }

    if (request.hasHeader("Transfer-Encoding"))
        return Parse::Unsupported; // no client of ours sends a chunked request body
    qint64 contentLength = 0;
    if (request.hasHeader("Content-Length")) {
        bool ok = false;
        contentLength = request.header("Content-Length").toLongLong(&ok);
        if (!ok || contentLength < 0)
            return Parse::Malformed;
        if (contentLength > maxRequestBodyBytes)
            return Parse::TooLarge;
    }
    const qsizetype total = headerEnd + 4 + static_cast<qsizetype>(contentLength);
    if (m_buffer.size() < total)
        return Parse::Incomplete;
    request.body = m_buffer.mid(headerEnd + 4, static_cast<qsizetype>(contentLength));
    m_buffer.remove(0, total);

    const QList<QByteArray> connectionTokens = headerTokens(request.header("Connection"));
    if (request.httpVersion == "HTTP/1.0")
        keepAlive = connectionTokens.contains("keep-alive");
    else
        keepAlive = !connectionTokens.contains("close");
    return Parse::Complete;
}

void HttpConnection::processBuffer()
{
    if (m_processing)
        return;
    m_processing = true;
    while (!m_busy && !m_gone) {
        RecordedRequest request;
        bool keepAlive = true;
        const Parse result = parseRequest(request, keepAlive);
        if (result == Parse::Incomplete)
            break;
        if (result == Parse::Malformed) {
            // Nothing sensible to answer to bytes that are not HTTP: hang up, as real servers do.
            hangUp();
            break;
        }
        if (result == Parse::TooLarge || result == Parse::Unsupported) {
            sendReply(Response::raw(result == Parse::TooLarge ? 413 : 501, QByteArrayLiteral("text/plain"),
                                    QByteArrayLiteral("HttpsTokenServer: request not supported\n")),
                      false);
            break;
        }
        request.connectionIndex = m_index;
        dispatch(m_server->respondTo(request), keepAlive);
    }
    m_processing = false;
}

void HttpConnection::dispatch(const Response& response, bool keepAlive)
{
    if (m_gone || !isConnected())
        return; // a requestReceived handler hung up (closeAllConnections)
    switch (response.action) {
    case Response::Action::NeverAnswer:
        m_busy = true; // and stays so: later requests on this connection are buffered, never answered
        return;
    case Response::Action::CloseConnection:
        hangUp();
        return;
    case Response::Action::Reply:
        break;
    }
    if (response.delayMs > 0) {
        m_busy = true;
        QTimer::singleShot(response.delayMs, this, [this, response, keepAlive] {
            if (!m_gone)
                sendReply(response, keepAlive);
        });
        return;
    }
    sendReply(response, keepAlive);
}

void HttpConnection::sendReply(const Response& response, bool keepAlive)
{
    m_busy = true;
    const bool streamed = response.generatedBodySize >= 0 || response.chunkIntervalMs > 0;
    const qint64 bodySize = response.generatedBodySize >= 0 ? response.generatedBodySize : response.body.size();

    m_closeAfterReply = !keepAlive || response.closeAfterReply || !response.sendContentLength;
    for (const auto& [name, value] : response.headers) {
        if (sameHeaderName(name, "Connection") && headerTokens(value).contains("close"))
            m_closeAfterReply = true;
    }

    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' +
                      (response.reason.isEmpty() ? reasonPhrase(response.status) : response.reason) + "\r\n";
    for (const auto& [name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    if (response.sendContentLength && !containsHeader(response.headers, "Content-Length"))
        head += "Content-Length: " + QByteArray::number(bodySize) + "\r\n";
    if (!containsHeader(response.headers, "Connection"))
        head += m_closeAfterReply ? QByteArrayLiteral("Connection: close\r\n")
                                  : QByteArrayLiteral("Connection: keep-alive\r\n");
    head += "\r\n";

    if (!streamed) {
        write(head + response.body);
        finishReply();
        return;
    }
    write(head);
    m_bodyPattern = response.body.isEmpty() ? QByteArrayLiteral("x") : response.body;
    m_patternOffset = 0;
    m_bodyRemaining = bodySize;
    m_chunkSize = std::max<qint64>(1, response.chunkSize);
    m_chunkIntervalMs = response.chunkIntervalMs;
    m_streaming = true;
    if (m_chunkIntervalMs > 0)
        QTimer::singleShot(m_chunkIntervalMs, this, [this] { trickleBody(); });
    else
        pumpBody();
}

QByteArray HttpConnection::takeBodyChunk(qint64 maxBytes)
{
    const qint64 size = std::min(maxBytes, m_bodyRemaining);
    QByteArray chunk;
    chunk.reserve(static_cast<qsizetype>(size));
    while (chunk.size() < size) {
        const qint64 take = std::min<qint64>(size - chunk.size(), m_bodyPattern.size() - m_patternOffset);
        chunk.append(m_bodyPattern.constData() + m_patternOffset, static_cast<qsizetype>(take));
        m_patternOffset = (m_patternOffset + take) % m_bodyPattern.size();
    }
    m_bodyRemaining -= size;
    return chunk;
}

void HttpConnection::write(const QByteArray& data)
{
    m_socket->write(data);
    qint64 queued = m_socket->bytesToWrite();
    if (auto* sslSocket = qobject_cast<QSslSocket*>(m_socket))
        queued += sslSocket->encryptedBytesToWrite();
    m_server->noteQueuedBytes(queued);
}

void HttpConnection::pumpBody()
{
    if (!m_streaming || m_chunkIntervalMs > 0 || m_gone || !isConnected())
        return;
    auto queuedBytes = [this] {
        qint64 queued = m_socket->bytesToWrite();
        if (auto* sslSocket = qobject_cast<QSslSocket*>(m_socket))
            queued += sslSocket->encryptedBytesToWrite();
        return queued;
    };
    while (m_bodyRemaining > 0 && queuedBytes() < streamHighWaterBytes)
        write(takeBodyChunk(m_chunkSize));
    if (m_bodyRemaining == 0) {
        m_streaming = false;
        finishReply();
    }
}

void HttpConnection::trickleBody()
{
    if (!m_streaming || m_gone || !isConnected())
        return;
    write(takeBodyChunk(m_chunkSize));
    if (m_bodyRemaining > 0) {
        QTimer::singleShot(m_chunkIntervalMs, this, [this] { trickleBody(); });
        return;
    }
    m_streaming = false;
    finishReply();
}

void HttpConnection::finishReply()
{
    if (m_closeAfterReply) {
        // disconnectFromHost() sends what is still queued first, then closes.
        hangUp();
        return;
    }
    m_busy = false;
    // Requests that arrived while this reply was under way (pipelined) are answered now, in order.
    processBuffer();
}

void HttpConnection::onDisconnected()
{
    m_gone = true;
    m_streaming = false;
    m_bodyRemaining = 0;
    deleteLater(); // never delete in the middle of the socket's own signal
}

// ---- HttpsTokenServer ----

HttpsTokenServer::HttpsTokenServer(const TestCertificate& certificate, QObject* parent)
    : HttpsTokenServer(certificate.certificate(), certificate.key(), parent)
{}

HttpsTokenServer::HttpsTokenServer(const QSslCertificate& certificate, const QSslKey& key, QObject* parent)
    : HttpsTokenServer(QList<QSslCertificate>{certificate}, key, parent)
{}

HttpsTokenServer::HttpsTokenServer(const TestCertificateChain& chain, QObject* parent)
    : HttpsTokenServer(chain.presentedChain(), chain.key(), parent)
{}

HttpsTokenServer::HttpsTokenServer(const QList<QSslCertificate>& chain, const QSslKey& key, QObject* parent)
    : QObject(parent)
    , m_tls(true)
    , m_defaultResponse(Response::raw(500, QByteArrayLiteral("text/plain"),
                                      QByteArrayLiteral("HttpsTokenServer: no response scripted\n")))
{
    auto* sslServer = new QSslServer(this);
    connect(sslServer, &QSslServer::startedEncryptionHandshake, this, [this] { ++m_handshakeCount; });
    m_server = sslServer;
    setServerCertificateChain(chain, key);
    // pendingConnectionAvailable, not newConnection: QSslServer queues a socket only once its handshake is done.
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, [this] { acceptPendingConnections(); });
}

HttpsTokenServer::HttpsTokenServer(PlainHttp, QObject* parent)
    : QObject(parent)
    , m_tls(false)
    , m_server(new QTcpServer(this))
    , m_defaultResponse(Response::raw(500, QByteArrayLiteral("text/plain"),
                                      QByteArrayLiteral("HttpsTokenServer: no response scripted\n")))
{
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, [this] { acceptPendingConnections(); });
}

HttpsTokenServer::~HttpsTokenServer()
{
    // Connections call back into this object while they die: end them while its members are still alive.
    const QList<HttpConnection*> connections = std::exchange(m_connections, {});
    qDeleteAll(connections);
    delete m_server;
}

bool HttpsTokenServer::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port);
}

QString HttpsTokenServer::errorString() const
{
    return m_server->errorString();
}

quint16 HttpsTokenServer::port() const
{
    return m_server->serverPort();
}

QUrl HttpsTokenServer::url(const QString& path) const
{
    QUrl result;
    result.setScheme(m_tls ? QStringLiteral("https") : QStringLiteral("http"));
    result.setHost(QStringLiteral("127.0.0.1"));
    result.setPort(port());
    result.setPath(path);
    return result;
}

void HttpsTokenServer::setServerCertificate(const QSslCertificate& certificate, const QSslKey& key)
{
    setServerCertificateChain({certificate}, key);
}

void HttpsTokenServer::setServerCertificateChain(const QList<QSslCertificate>& chain, const QSslKey& key)
{
    auto* sslServer = qobject_cast<QSslServer*>(m_server);
    Q_ASSERT_X(sslServer, "HttpsTokenServer::setServerCertificateChain", "a PlainHttp server has no certificate");
    Q_ASSERT_X(!chain.isEmpty(), "HttpsTokenServer::setServerCertificateChain", "no certificate to present");
    if (!sslServer)
        return;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    // The first is the server's own certificate; the rest are sent with it so a client can build the path to
    // a root it trusts.
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // clients present no certificate
    sslServer->setSslConfiguration(configuration);
}

void HttpsTokenServer::enqueue(const Response& response)
{
    m_queue.enqueue(response);
}

void HttpsTokenServer::setHandler(Handler handler)
{
    m_handler = std::move(handler);
}

void HttpsTokenServer::setDefaultResponse(const Response& response)
{
    m_defaultResponse = response;
}

void HttpsTokenServer::serveOAuth(const OAuthServerConfig& config)
{
    setHandler(oauthServer(config, [this](const QString& token) { m_issuedTokens.append(token); }));
}

void HttpsTokenServer::serveApi(const QByteArray& path, const QByteArray& body)
{
    m_apiPath = path;
    m_apiBody = body;
}

void HttpsTokenServer::closeAllConnections()
{
    for (HttpConnection* connection : std::as_const(m_connections))
        connection->hangUp();
}

void HttpsTokenServer::acceptPendingConnections()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        const int index = m_connectionCount++;
        auto* connection = new HttpConnection(this, socket, index);
        m_connections.append(connection);
        emit connectionAccepted(index);
        connection->start();
    }
}

Response HttpsTokenServer::respondTo(const RecordedRequest& request)
{
    m_requests.append(request);
    // Emitted before the answer is chosen, so a test may still enqueue a reply for this very request.
    emit requestReceived(int(m_requests.size()) - 1);
    if (!m_queue.isEmpty())
        return m_queue.dequeue();
    if (!m_apiPath.isEmpty() && request.pathWithoutQuery() == m_apiPath) {
        const QByteArray authorization = request.header("Authorization");
        const bool issued =
            authorization.startsWith("Bearer ") && m_issuedTokens.contains(QString::fromLatin1(authorization.mid(7)));
        return issued ? Response::raw(200, "text/plain", m_apiBody)
                      : Response::oauthError(401, QStringLiteral("invalid_token"));
    }
    if (m_handler)
        return m_handler(request);
    return m_defaultResponse;
}

void HttpsTokenServer::connectionDestroyed(HttpConnection* connection)
{
    m_connections.removeOne(connection);
}

void HttpsTokenServer::noteQueuedBytes(qint64 bytes)
{
    m_peakQueuedBytes = std::max(m_peakQueuedBytes, bytes);
}

// ---- the credential-checking endpoint ----

HttpsTokenServer::Handler HttpsTokenServer::oauthServer(const OAuthServerConfig& config,
                                                        std::function<void(const QString&)> onTokenIssued)
{
    return [config, onTokenIssued = std::move(onTokenIssued)](const RecordedRequest& request) -> Response {
        if (!config.path.isEmpty() && request.pathWithoutQuery() != config.path)
            return Response::raw(404, QByteArrayLiteral("text/plain"), QByteArrayLiteral("Not Found\n"));
        if (request.method != "POST")
            return Response::oauthError(405, QStringLiteral("invalid_request"),
                                        QStringLiteral("The token endpoint accepts only POST."))
                .withHeader(QByteArrayLiteral("Allow"), QByteArrayLiteral("POST"));
        const QByteArray contentType = request.header("Content-Type").split(';').first().trimmed().toLower();
        if (contentType != "application/x-www-form-urlencoded")
            return Response::oauthError(400, QStringLiteral("invalid_request"),
                                        QStringLiteral("The body must be application/x-www-form-urlencoded."));

        const QMap<QString, QString> form = request.form();
        const QByteArray authorization = request.header("Authorization");
        const bool bodyCredentials =
            form.contains(QStringLiteral("client_id")) || form.contains(QStringLiteral("client_secret"));
        if (!authorization.isEmpty() && bodyCredentials)
            return Response::oauthError(400, QStringLiteral("invalid_request"),
                                        QStringLiteral("Client credentials were sent both in the body and as "
                                                       "HTTP Basic; use one method only."));

        QString clientId;
        QString clientSecret;
        bool usedBasic = false;
        if (!authorization.isEmpty()) {
            const qsizetype space = authorization.indexOf(' ');
            const QByteArray scheme = authorization.left(space);
            const auto decoded = QByteArray::fromBase64Encoding(authorization.mid(space + 1).trimmed(),
                                                                QByteArray::AbortOnBase64DecodingErrors);
            const qsizetype colon = decoded.decoded.indexOf(':');
            if (space < 0 || scheme.compare("Basic", Qt::CaseInsensitive) != 0 || !decoded || colon < 0)
                return Response::oauthError(401, QStringLiteral("invalid_client"),
                                            QStringLiteral("The Authorization header is not valid HTTP Basic."))
                    .withHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Basic realm=\"token\""));
            const QByteArray id = decoded.decoded.left(colon);
            const QByteArray secret = decoded.decoded.mid(colon + 1);
            clientId = config.basicCredentialsFormEncoded ? formDecode(id) : QString::fromUtf8(id);
            clientSecret = config.basicCredentialsFormEncoded ? formDecode(secret) : QString::fromUtf8(secret);
            usedBasic = true;
        } else {
            clientId = form.value(QStringLiteral("client_id"));
            clientSecret = form.value(QStringLiteral("client_secret"));
        }
        if (clientId != config.clientId || clientSecret != config.clientSecret) {
            Response refused = Response::oauthError(401, QStringLiteral("invalid_client"),
                                                    QStringLiteral("Client authentication failed."));
            // RFC 6749 5.2: a client that tried Basic is told which scheme the server expects.
            if (usedBasic)
                refused = refused.withHeader(QByteArrayLiteral("WWW-Authenticate"),
                                             QByteArrayLiteral("Basic realm=\"token\""));
            return refused;
        }

        const QString grantType = form.value(QStringLiteral("grant_type"));
        if (grantType.isEmpty())
            return Response::oauthError(400, QStringLiteral("invalid_request"),
                                        QStringLiteral("The grant_type parameter is missing."));
        if (grantType != QStringLiteral("client_credentials"))
            return Response::oauthError(
                400, QStringLiteral("unsupported_grant_type"),
                QStringLiteral("Only client_credentials is supported, not \"%1\".").arg(grantType));

        const QStringList requested = form.value(QStringLiteral("scope")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QStringList refusedScopes;
        for (const QString& scope : requested) {
            if (!config.grantableScopes.contains(scope))
                refusedScopes.append(scope);
        }
        if (!refusedScopes.isEmpty())
            return Response::oauthError(400, QStringLiteral("invalid_scope"),
                                        QStringLiteral("The scope %1 is not granted to this client.")
                                            .arg(refusedScopes.join(QLatin1Char(' '))));

        QString granted = (requested.isEmpty() ? config.grantableScopes : requested).join(QLatin1Char(' '));
        if (granted.isEmpty())
            granted = QString(); // nothing to report: leave "scope" out rather than send ""
        if (config.grantedScope)
            granted = *config.grantedScope;

        const QString token = config.tokenPrefix + randomHex(16);
        if (onTokenIssued)
            onTokenIssued(token);
        return Response::tokenSuccess(token, granted, config.expiresIn);
    };
}

} // namespace gk::test
