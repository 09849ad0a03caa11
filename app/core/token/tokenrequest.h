// Everything needed to ask a token endpoint for a client-credentials token, and the exact request it makes.
#pragma once

#include "core/scope/scopeset.h"
#include "core/token/environment.h"
#include "core/token/tokenerror.h"
#include "core/token/trustsettings.h"
#include "core/vault/credentials.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QUrl>

#include <chrono>
#include <optional>

class QDebug;

namespace gk {

enum class ClientAuthMethod {
    FormBody,  // client_id and client_secret in the form body
    HttpBasic, // Authorization: Basic base64(client_id:client_secret)
};

QString clientAuthMethodKey(ClientAuthMethod method); // "body", "basic"
std::optional<ClientAuthMethod> clientAuthMethodFromKey(const QString& key);

struct TokenRequest
{
    static constexpr std::chrono::milliseconds DefaultTimeout{30'000};
    static constexpr std::chrono::milliseconds MaxTimeout{600'000};
    // A pinned certificate this close to its expiry earns a warning with every passing test.
    static constexpr qint64 PinnedCertificateWarningDays = 30;
    static constexpr qint64 DefaultMaxResponseBytes = 1024 * 1024;

    QUrl tokenUrl;
    ApiVersion apiVersion = Environment::DefaultApiVersion;
    ScopeSet scope;
    ClientAuthMethod authMethod = ClientAuthMethod::FormBody;
    Credentials credentials;
    TrustSettings trust;
    std::chrono::milliseconds timeout = DefaultTimeout;
    qint64 maxResponseBytes = DefaultMaxResponseBytes;

    // A problem that makes the request unsendable (bad or non-https URL, bad pin, empty credentials), if any.
    std::optional<TokenError> validate() const;
    // The rules a token URL must meet before a secret is sent to it: absolute, https (http only to a loopback
    // host), no user information, and https whenever the certificate is pinned. validate() applies them, and so
    // does whoever checks a grant before any request exists.
    static std::optional<TokenError> urlProblem(const QUrl& url, TrustMode trustMode);

    // The form body: grant_type, scope when set, and the credentials when they go in the body.
    QByteArray formBody() const;
    // URL and headers, with redirects turned off. TLS configuration is the client's job.
    QNetworkRequest networkRequest() const;

    // http:// is allowed only for these: 127.0.0.0/8, ::1 and "localhost".
    static bool isLoopbackHost(const QString& host);
};

// Prints the URL, version, scope and method; never the credentials.
QDebug operator<<(QDebug debug, const TokenRequest& request);

} // namespace gk
