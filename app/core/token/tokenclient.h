// Fetches client-credentials tokens over an injected QNetworkAccessManager: async, cancellable, bounded.
#pragma once

#include "core/token/tokenrequest.h"
#include "core/token/tokenresult.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace gk {

class Clock;

// One token request in flight. Emits finished() exactly once, always from the event loop (also after cancel(),
// which returns before it), then deletes itself: copy what you need from the signal's argument.
class TokenReply : public QObject
{
    Q_OBJECT

public:
    ~TokenReply() override;

    void cancel();
    bool isFinished() const { return m_finished; }

signals:
    void finished(const gk::TokenResult& result);

private:
    friend class TokenClient;
    TokenReply(const TokenRequest& request, const Clock& clock, QObject* parent);

    void start(QNetworkAccessManager* manager);
    void failEarly(const TokenError& error);
    void abortWith(const TokenError& error);
    void onSslErrors(const QList<QSslError>& errors);
    void onMetaDataChanged();
    void onReadyRead();
    void onFinished();
    void finish(const TokenResult& result);
    ResponseInfo responseInfo(int httpStatus) const;
    QSslCertificate leafCertificate() const;
    void warnIfPinExpiresSoon(TokenResult& result) const;
    TokenError networkError() const;

    TokenRequest m_request;
    const Clock& m_clock;
    QPointer<QNetworkReply> m_reply;
    QTimer m_deadline;
    QElapsedTimer m_elapsed;
    QByteArray m_body;
    QSslCertificate m_peerCertificate;
    QList<QSslError> m_sslErrors;
    std::optional<TokenError> m_abortReason;
    bool m_finished = false;
};

class TokenClient : public QObject
{
    Q_OBJECT

public:
    // The manager is not owned; it is shared so connections to the same host are reused.
    // The clock, if given, must outlive the client; it stamps when each response arrived.
    explicit TokenClient(QNetworkAccessManager* manager, const Clock* clock = nullptr, QObject* parent = nullptr);
    ~TokenClient() override;

    // Never returns null. The request is validated first: a bad URL or empty credentials finish with an error
    // without touching the network.
    TokenReply* fetch(const TokenRequest& request);

    // Starts the TCP and TLS handshake with url's host (verified as a request with this trust would be; never
    // for pinned trust) so that a request soon after finds the connection open. Sends nothing.
    void preconnect(const QUrl& url, const TrustSettings& trust);

private:
    QNetworkAccessManager* managerFor(const TrustSettings& trust);
    void deletePreconnectReplies(QNetworkAccessManager* manager);

    QNetworkAccessManager* m_manager;
    QHash<QString, QNetworkAccessManager*> m_trustManagers; // owned, one per non-system trust setting
    const Clock* m_clock;
    std::unique_ptr<Clock> m_ownClock;
};

} // namespace gk
