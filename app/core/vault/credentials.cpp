#include "core/vault/credentials.h"

#include <QDebug>

namespace gk {

Credentials::Credentials(const QString& clientId, const QString& clientSecret)
    : m_clientId(clientId.trimmed())
    , m_clientSecret(clientSecret.trimmed())
{}

QString Credentials::clientIdHint() const
{
    return hintFor(m_clientId);
}

QString Credentials::hintFor(const QString& clientId)
{
    const QString trimmed = clientId.trimmed();
    if (trimmed.isEmpty())
        return {};
    // Short IDs show nothing: four characters of a six-character ID would give most of it away.
    if (trimmed.size() < 8)
        return QStringLiteral("…");
    return QStringLiteral("…") + trimmed.right(4);
}

QDebug operator<<(QDebug debug, const Credentials& credentials)
{
    QDebugStateSaver saver(debug);
    debug.nospace().noquote() << "Credentials(clientId=" << credentials.clientIdHint()
                              << ", secret=" << (credentials.clientSecret().isEmpty() ? "<empty>" : "<redacted>")
                              << ')';
    return debug;
}

} // namespace gk
