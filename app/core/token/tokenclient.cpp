#include "core/token/tokenclient.h"

#include "core/expiry/clock.h"
#include "core/logging/logcategories.h"
#include "core/token/tokenresponseparser.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSslConfiguration>

#include <algorithm>

namespace gk {

namespace {

// With a pinned certificate these are the only complaints we overrule, and only for the pinned certificate:
// they say "no trusted CA vouches for it", which pinning replaces. A wrong host name or an expired
// certificate is still refused.
bool isChainTrustError(QSslError::SslError error)
{
    switch (error) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
        return true;
    default:
        return false;
    }
}

QString describeSslErrors(const QList<QSslError>& errors)
{
    QStringList texts;
    for (const QSslError& error : errors) {
        if (!texts.contains(error.errorString()))
            texts.append(error.errorString());
    }
    return texts.join(QStringLiteral("; "));
}

QString formatBytes(qint64 bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return QStringLiteral("%1 MiB").arg(bytes / (1024 * 1024));
    return QStringLiteral("%1 bytes").arg(bytes);
}

// The proxy that carries a request to url, as "host:port" (never its credentials); empty when there is none.
QString proxyFor(const QNetworkAccessManager* manager, const QUrl& url)
{
    QNetworkProxy proxy = manager->proxy();
    if (proxy.type() == QNetworkProxy::DefaultProxy) {
        const QNetworkProxyQuery query(url);
        const QList<QNetworkProxy> proxies = manager->proxyFactory() ? manager->proxyFactory()->queryProxy(query)
                                                                     : QNetworkProxyFactory::proxyForQuery(query);
        proxy = proxies.value(0);
    }
    if (proxy.type() != QNetworkProxy::HttpProxy && proxy.type() != QNetworkProxy::Socks5Proxy)
        return {};
    return QStringLiteral("%1:%2").arg(proxy.hostName()).arg(proxy.port());
}

// The TLS settings for a trust setting. Verification stays on in every mode; only the set of trusted roots changes.
std::optional<QSslConfiguration> sslConfigurationFor(const TrustSettings& trust, TokenError* error)
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    switch (trust.mode) {
    case TrustMode::System:
        break;
    case TrustMode::SystemPlusCaFile: {
        const QList<QSslCertificate> cas =
            QSslCertificate::fromPath(trust.caFilePath, QSsl::Pem, QSslCertificate::PatternSyntax::FixedString);
        if (cas.isEmpty()) {
            *error = TokenError::make(TokenErrorCode::CaFileUnreadable,
                                      QFile::exists(trust.caFilePath)
                                          ? QStringLiteral("%1 holds no PEM certificate").arg(trust.caFilePath)
                                          : QStringLiteral("%1 does not exist").arg(trust.caFilePath));
            return std::nullopt;
        }
        ssl.addCaCertificates(cas);
        break;
    }
    case TrustMode::Pinned:
        // No roots at all: every certificate is questioned in onSslErrors() before a byte of the request is
        // sent, and only the pinned one is let through.
        ssl.setCaCertificates({});
        break;
    }
    return ssl;
}

} // namespace

TokenReply::TokenReply(const TokenRequest& request, const Clock& clock, QObject* parent)
    : QObject(parent)
    , m_request(request)
    , m_clock(clock)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        abortWith(TokenError::make(
            TokenErrorCode::Timeout,
            QStringLiteral("no complete answer within %1 s").arg(double(m_request.timeout.count()) / 1000.0)));
    });
}

TokenReply::~TokenReply()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void TokenReply::failEarly(const TokenError& error)
{
    qCDebug(lcToken) << "request refused before sending:" << error.codeName();
    // Finish from the event loop, like every other outcome, so callers can connect after fetch() returns.
    QTimer::singleShot(0, this, [this, error] { finish(TokenResult::failure(error)); });
}

void TokenReply::start(QNetworkAccessManager* manager)
{
    if (const auto error = m_request.validate()) {
        failEarly(*error);
        return;
    }

    QNetworkRequest networkRequest = m_request.networkRequest();
    TokenError trustError;
    const auto ssl = sslConfigurationFor(m_request.trust, &trustError);
    if (!ssl) {
        failEarly(trustError);
        return;
    }
    networkRequest.setSslConfiguration(*ssl);

    qCDebug(lcToken) << "sending" << m_request;
    m_elapsed.start();
    m_reply = manager->post(networkRequest, m_request.formBody());
    connect(m_reply, &QNetworkReply::sslErrors, this, &TokenReply::onSslErrors);
    connect(m_reply, &QNetworkReply::encrypted, this, [this] { m_peerCertificate = leafCertificate(); });
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &TokenReply::onMetaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &TokenReply::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &TokenReply::onFinished);
    m_deadline.start(std::clamp(m_request.timeout, std::chrono::milliseconds(1), TokenRequest::MaxTimeout));
}

void TokenReply::onSslErrors(const QList<QSslError>& errors)
{
    m_sslErrors = errors;
    // The server's own certificate, not errors.first().certificate(): with a chain, the first complaint is
    // often about an intermediate, and pinning an intermediate would accept anything it signed. Never fall back
    // to a certificate an error names: a null leaf fails the pin comparison below, which is the safe outcome.
    m_peerCertificate = leafCertificate();

    if (m_request.trust.mode != TrustMode::Pinned)
        return; // not ignored: the handshake fails and onFinished() reports why

    const QString presented = CertificateInfo::sha256Of(m_peerCertificate);
    const QString pinned = CertificateInfo::normaliseFingerprint(m_request.trust.pinnedSha256);
    if (m_peerCertificate.isNull() || presented != pinned) {
        TokenError error = TokenError::make(TokenErrorCode::CertificateChanged);
        error.certificate = CertificateInfo::from(m_peerCertificate);
        error.expectedFingerprint = pinned;
        m_abortReason = error;
        return; // not ignored: the handshake fails, nothing is sent
    }
    QList<QSslError> overruled;
    for (const QSslError& error : errors) {
        if (!isChainTrustError(error.error()))
            return; // e.g. expired or wrong host: refused even though pinned
        overruled.append(error);
    }
    qCDebug(lcToken) << "pinned certificate matched; accepting it without a CA";
    m_reply->ignoreSslErrors(overruled);
}

void TokenReply::onMetaDataChanged()
{
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > m_request.maxResponseBytes) {
        abortWith(TokenError::make(TokenErrorCode::ResponseTooLarge, formatBytes(m_request.maxResponseBytes)));
    }
}

void TokenReply::onReadyRead()
{
    // Read in bounded pieces so a hostile server cannot make us hold more than the cap.
    const qint64 room = m_request.maxResponseBytes - m_body.size();
    m_body.append(m_reply->read(room + 1));
    if (m_body.size() > m_request.maxResponseBytes)
        abortWith(TokenError::make(TokenErrorCode::ResponseTooLarge, formatBytes(m_request.maxResponseBytes)));
}

void TokenReply::abortWith(const TokenError& error)
{
    if (m_finished)
        return;
    if (!m_abortReason)
        m_abortReason = error;
    if (m_reply && m_reply->isRunning())
        m_reply->abort(); // emits finished(), which reports m_abortReason
    else if (!m_reply)
        finish(TokenResult::failure(error));
}

void TokenReply::cancel()
{
    abortWith(TokenError::make(TokenErrorCode::Cancelled));
}

QSslCertificate TokenReply::leafCertificate() const
{
    return m_reply ? m_reply->sslConfiguration().peerCertificate() : QSslCertificate();
}

ResponseInfo TokenReply::responseInfo(int httpStatus) const
{
    ResponseInfo info;
    info.httpStatus = httpStatus;
    info.roundTripMs = m_elapsed.isValid() ? m_elapsed.elapsed() : -1;
    info.receivedAt = m_clock.now();
    info.serverCertificate = CertificateInfo::from(m_peerCertificate);
    return info;
}

TokenError TokenReply::networkError() const
{
    const QString detail = m_reply->errorString();
    // Through a proxy every connection is to the proxy, so a refused or failed one is the proxy's, whatever Qt calls
    // it: Qt 6.4 reports a refused HTTP proxy as UnknownNetworkError ("Proxy connection refused").
    const QString proxy = m_reply->manager() ? proxyFor(m_reply->manager(), m_request.tokenUrl) : QString();
    const auto proxyError = [&] {
        return TokenError::make(TokenErrorCode::ProxyError,
                                proxy.isEmpty() ? detail : QStringLiteral("%1 (proxy %2)").arg(detail, proxy));
    };
    switch (m_reply->error()) {
    case QNetworkReply::ConnectionRefusedError:
        if (!proxy.isEmpty())
            return proxyError();
        return TokenError::make(TokenErrorCode::ConnectionRefused, detail);
    case QNetworkReply::HostNotFoundError:
        return TokenError::make(TokenErrorCode::HostNotFound, m_request.tokenUrl.host());
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError: // Qt's own inactivity timeout (setTransferTimeout)
        return TokenError::make(TokenErrorCode::Timeout, QStringLiteral("the connection went silent"));
    case QNetworkReply::SslHandshakeFailedError: {
        TokenError error =
            TokenError::make(TokenErrorCode::TlsError, m_sslErrors.isEmpty() ? detail : describeSslErrors(m_sslErrors));
        error.certificate = CertificateInfo::from(m_peerCertificate);
        return error;
    }
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
    case QNetworkReply::UnknownProxyError:
        return proxyError();
    case QNetworkReply::UnknownNetworkError:
        if (!proxy.isEmpty())
            return proxyError();
        return TokenError::make(TokenErrorCode::NetworkError, detail);
    default:
        return TokenError::make(TokenErrorCode::NetworkError, detail);
    }
}

void TokenReply::onFinished()
{
    if (m_finished)
        return;
    m_deadline.stop();
    // A kept-alive connection has no new handshake and so no encrypted() signal: ask the reply.
    if (m_peerCertificate.isNull())
        m_peerCertificate = leafCertificate();
    const QVariant statusAttribute = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusAttribute.isValid() ? statusAttribute.toInt() : 0;

    if (m_abortReason) {
        finish(TokenResult::failure(responseInfo(status), *m_abortReason));
        return;
    }
    if (status == 0) {
        finish(TokenResult::failure(responseInfo(0), networkError()));
        return;
    }

    m_body.append(m_reply->read(m_request.maxResponseBytes + 1 - m_body.size()));
    if (m_body.size() > m_request.maxResponseBytes) {
        finish(TokenResult::failure(responseInfo(status), TokenError::make(TokenErrorCode::ResponseTooLarge,
                                                                           formatBytes(m_request.maxResponseBytes))));
        return;
    }
    HttpResponse response;
    response.status = status;
    response.headers = m_reply->rawHeaderPairs();
    response.body = m_body;
    response.requestUrl = m_request.tokenUrl;
    TokenResult result = TokenResponseParser::parse(response, m_request.scope, m_clock.now());
    const ResponseInfo transport = responseInfo(status);
    result.response().roundTripMs = transport.roundTripMs;
    result.response().serverCertificate = transport.serverCertificate;
    if (result.isSuccess() && m_request.trust.mode == TrustMode::Pinned)
        warnIfPinExpiresSoon(result);
    finish(result);
}

void TokenReply::warnIfPinExpiresSoon(TokenResult& result) const
{
    // A pinned certificate stops working the day the server replaces it, which happens before it expires:
    // say so while there is time to get the new one and pin it.
    const QDateTime notAfter = result.response().serverCertificate.notAfter;
    if (!notAfter.isValid())
        return;
    const qint64 daysLeft = m_clock.now().daysTo(notAfter);
    if (daysLeft <= TokenRequest::PinnedCertificateWarningDays)
        result.addWarning(QStringLiteral("The pinned certificate expires on %1 (in %2 days): ask the server's owner "
                                         "for its replacement and pin that before then.")
                              .arg(notAfter.toUTC().date().toString(Qt::ISODate))
                              .arg(std::max<qint64>(0, daysLeft)));
}

void TokenReply::finish(const TokenResult& result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    m_body.clear();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    qCDebug(lcToken) << "finished:" << result;
    // Always from the event loop, never inside cancel() or a QNetworkReply signal: a receiver may delete the
    // client or start the next request without re-entering this object.
    QMetaObject::invokeMethod(
        this,
        [this, result] {
            emit finished(result);
            deleteLater();
        },
        Qt::QueuedConnection);
}

TokenClient::TokenClient(QNetworkAccessManager* manager, const Clock* clock, QObject* parent)
    : QObject(parent)
    , m_manager(manager)
    , m_clock(clock)
{
    deletePreconnectReplies(m_manager);
    if (!m_clock) {
        m_ownClock = std::make_unique<SystemClock>();
        m_clock = m_ownClock.get();
    }
}

TokenClient::~TokenClient() = default;

void TokenClient::deletePreconnectReplies(QNetworkAccessManager* manager)
{
    // Qt keeps the reply of connectToHostEncrypted() (a child of the manager) until the manager goes.
    connect(manager, &QNetworkAccessManager::finished, this, [](QNetworkReply* reply) {
        if (reply->url().scheme().startsWith(QLatin1String("preconnect-")))
            reply->deleteLater();
    });
}

QNetworkAccessManager* TokenClient::managerFor(const TrustSettings& trust)
{
    if (trust.mode == TrustMode::System)
        return m_manager;
    // Qt reuses a connection for any request to the same scheme, host and port, with the TLS settings of the
    // request that opened it. A grant with its own trust must never ride on a connection that another grant's
    // trust accepted (nor the other way round), so each trust setting gets its own connection pool.
    QNetworkAccessManager*& manager = m_trustManagers[trust.poolKey()];
    if (!manager) {
        manager = new QNetworkAccessManager(this);
        deletePreconnectReplies(manager);
        manager->setRedirectPolicy(m_manager->redirectPolicy());
        manager->setProxy(m_manager->proxy());
        manager->setTransferTimeout(m_manager->transferTimeout());
    }
    return manager;
}

void TokenClient::preconnect(const QUrl& url, const TrustSettings& trust)
{
    // Pinned trust is checked by the request itself, certificate by certificate: a connection opened without
    // that check would fail its handshake, so there is nothing to open ahead.
    if (url.scheme() != QLatin1String("https") || url.host().isEmpty() || trust.mode == TrustMode::Pinned)
        return;
    TokenError ignored; // the request that follows reports an unreadable CA file
    const auto ssl = sslConfigurationFor(trust, &ignored);
    if (!ssl)
        return;
    qCDebug(lcToken) << "opening a connection to" << url.host() << "ahead of the request";
    managerFor(trust)->connectToHostEncrypted(url.host(), quint16(url.port(443)), *ssl);
}

TokenReply* TokenClient::fetch(const TokenRequest& request)
{
    auto* reply = new TokenReply(request, *m_clock, this);
    reply->start(managerFor(request.trust));
    return reply;
}

} // namespace gk
