// A real HTTP/1.1 token endpoint on 127.0.0.1 (TLS through QSslServer, or plain HTTP) for tests: it records
// every request and answers from a script, including the unkind answers (silence, hang-ups, huge bodies).
#pragma once

#include "testcertificate.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QQueue>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

class QTcpServer;

namespace gk::test {

class HttpConnection;

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

struct RecordedRequest
{
    QByteArray method;
    QByteArray path;        // the request target as sent, query included
    QByteArray httpVersion; // e.g. "HTTP/1.1"
    HttpHeaders headers;    // in arrival order, names spelled as sent
    QByteArray body;
    int connectionIndex = -1; // 0-based in accept order: two requests with one index shared a connection

    // The first header of that name, compared case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    QByteArray pathWithoutQuery() const;
    // The body as application/x-www-form-urlencoded ('+' is a space, then percent-decoding, then UTF-8).
    QMap<QString, QString> form() const;
};

struct Response
{
    enum class Action {
        Reply,
        NeverAnswer,     // read the request, then stay silent with the connection open (client timeouts)
        CloseConnection, // hang up without sending a byte of answer
    };

    int status = 200;
    QByteArray reason;   // empty: the standard phrase for the status
    HttpHeaders headers; // Content-Length and Connection are added unless set here (set them to lie)
    QByteArray body;
    Action action = Action::Reply;

    // >= 0: the body is this many bytes of `body` repeated ('x' when body is empty), produced chunk by chunk as
    // the socket drains, so even a 1 GiB body never exists in the server's memory.
    qint64 generatedBodySize = -1;
    // false: no Content-Length and the server closes the connection after the body, so a client cannot refuse
    // an oversized body by its header alone.
    bool sendContentLength = true;
    bool closeAfterReply = false; // e.g. with a hand-set Content-Length larger than the body: a truncated reply
    int delayMs = 0;              // wait this long before the first byte of the answer
    // > 0: the body trickles out chunkSize bytes at a time, this many ms apart (inactivity vs overall deadline).
    int chunkIntervalMs = 0;
    qint64 chunkSize = 64 * 1024;

    Response withHeader(const QByteArray& name, const QByteArray& value) const;

    static Response json(int status, const QJsonObject& object);
    // {"access_token", "token_type": "Bearer", "expires_in", "scope"}; scope is left out when null.
    static Response tokenSuccess(const QString& accessToken, const QString& scope = QString(), int expiresIn = 599);
    // {"error", "error_description"}; the description is left out when null.
    static Response oauthError(int status, const QString& error, const QString& description = QString());
    static Response redirect(int status, const QUrl& location);
    static Response raw(int status, const QByteArray& contentType, const QByteArray& body);
    static Response neverAnswer();
    static Response closeConnection();
    // A generated body of size bytes (see generatedBodySize), with or without Content-Length.
    static Response hugeBody(qint64 size, bool sendContentLength = true,
                             const QByteArray& contentType = QByteArrayLiteral("application/json"));
};

// What the credential-checking token endpoint (HttpsTokenServer::oauthServer) accepts.
struct OAuthServerConfig
{
    QString clientId;
    QString clientSecret;
    QStringList grantableScopes;
    int expiresIn = 599;
    QString tokenPrefix = QStringLiteral("gk-test-token-");
    QByteArray path; // when set, any other path answers 404
    // Set: report this scope whatever was asked (a null QString leaves "scope" out), to test granted != requested.
    std::optional<QString> grantedScope;
    // RFC 6749 2.3.1 form-encodes the ID and secret before Basic encoding; many clients (ours too) do not.
    bool basicCredentialsFormEncoded = false;
};

class HttpsTokenServer : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<Response(const RecordedRequest&)>;
    struct PlainHttp
    {};

    // TLS with this certificate; the client must trust it (add it to the CA list of its QSslConfiguration).
    explicit HttpsTokenServer(const TestCertificate& certificate, QObject* parent = nullptr);
    HttpsTokenServer(const QSslCertificate& certificate, const QSslKey& key, QObject* parent = nullptr);
    // TLS presenting a CA-issued chain (leaf, then intermediates); the client must trust the chain's root.
    explicit HttpsTokenServer(const TestCertificateChain& chain, QObject* parent = nullptr);
    // chain: the server's own certificate first, then the intermediates that lead to a root; key: the leaf's.
    HttpsTokenServer(const QList<QSslCertificate>& chain, const QSslKey& key, QObject* parent = nullptr);
    // Plain http:// (for the loopback exception): HttpsTokenServer server{HttpsTokenServer::PlainHttp{}};
    explicit HttpsTokenServer(PlainHttp, QObject* parent = nullptr);
    ~HttpsTokenServer() override;

    // Listens on 127.0.0.1, on a free port chosen by the system.
    bool listen(quint16 port = 0); // 0: any free port
    QString errorString() const;
    quint16 port() const;
    bool isTls() const { return m_tls; }
    // https://127.0.0.1:PORT/path (http:// for a PlainHttp server).
    QUrl url(const QString& path = QStringLiteral("/oauth2/token")) const;
    // Connections accepted from now on present this certificate (a rotated or changed server certificate).
    void setServerCertificate(const QSslCertificate& certificate, const QSslKey& key);
    // The same with a chain to present: the leaf first, then its intermediates (not the root).
    void setServerCertificateChain(const QList<QSslCertificate>& chain, const QSslKey& key);

    // Each request is answered by the first queued response, else the handler, else the default response
    // (500 "no response scripted" until set).
    void enqueue(const Response& response);
    int queuedResponseCount() const { return int(m_queue.size()); }
    void setHandler(Handler handler);
    void setDefaultResponse(const Response& response);

    // A credential-checking client-credentials endpoint: 401 invalid_client on bad credentials (body or Basic),
    // 400 invalid_scope naming each refused scope, 400 invalid_request / unsupported_grant_type on a bad form,
    // else 200 with a fresh token (tokenPrefix + 32 random hex digits), reported to onTokenIssued.
    static Handler oauthServer(const OAuthServerConfig& config,
                               std::function<void(const QString& token)> onTokenIssued = {});
    // Installs oauthServer(config) as the handler and keeps the tokens it hands out in issuedTokens().
    void serveOAuth(const OAuthServerConfig& config);
    QStringList issuedTokens() const { return m_issuedTokens; }
    // An API call made with a token (the copied curl command): requests to path carrying "Authorization: Bearer"
    // and a token from issuedTokens() get 200 with body, any other 401. Answered before the handler.
    void serveApi(const QByteArray& path, const QByteArray& body);

    QList<RecordedRequest> requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    // Connections that reached HTTP (after a successful handshake for TLS); keep-alive reuse keeps it at 1.
    int connectionCount() const { return m_connectionCount; }
    int openConnectionCount() const { return int(m_connections.size()); }
    // TLS handshakes started, failed ones included: a client that refused the certificate counts here only.
    int handshakeCount() const { return m_handshakeCount; }
    // The most bytes ever queued for sending on one socket: proves a huge body was streamed, not built.
    qint64 peakQueuedBytes() const { return m_peakQueuedBytes; }
    // Hangs up on every open connection (a server dropping idle keep-alive connections).
    void closeAllConnections();

Q_SIGNALS:
    void connectionAccepted(int connectionIndex);
    void requestReceived(int index);

private:
    friend class HttpConnection;

    void acceptPendingConnections();
    Response respondTo(const RecordedRequest& request);
    void connectionDestroyed(HttpConnection* connection);
    void noteQueuedBytes(qint64 bytes);

    bool m_tls = true;
    QTcpServer* m_server = nullptr;
    QList<HttpConnection*> m_connections;
    QList<RecordedRequest> m_requests;
    QQueue<Response> m_queue;
    Handler m_handler;
    Response m_defaultResponse;
    QStringList m_issuedTokens;
    QByteArray m_apiPath;
    QByteArray m_apiBody;
    int m_connectionCount = 0;
    int m_handshakeCount = 0;
    qint64 m_peakQueuedBytes = 0;
};

} // namespace gk::test
