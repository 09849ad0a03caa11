#include "core/token/livetokencache.h"

#include "core/token/tokenresult.h"

namespace gk {

void LiveTokenCache::store(const QUuid& grantId, const IssuedToken& token, const QDateTime& receivedAt)
{
    LiveToken live;
    live.accessToken = token.accessToken;
    live.tokenType = token.tokenType;
    live.expiresAt = receivedAt.addSecs(token.expiresInSeconds.value_or(AssumedLifetimeSeconds));
    m_tokens.insert(grantId, live);
}

std::optional<LiveToken> LiveTokenCache::find(const QUuid& grantId, const QDateTime& now) const
{
    const auto it = m_tokens.constFind(grantId);
    if (it == m_tokens.constEnd() || now.secsTo(it->expiresAt) <= SafetyMarginSeconds)
        return std::nullopt;
    return *it;
}

void LiveTokenCache::remove(const QUuid& grantId)
{
    m_tokens.remove(grantId);
}

QList<QUuid> LiveTokenCache::purgeExpired(const QDateTime& now)
{
    QList<QUuid> dropped;
    for (auto it = m_tokens.begin(); it != m_tokens.end();) {
        if (it->expiresAt <= now) {
            dropped.append(it.key());
            it = m_tokens.erase(it);
        } else {
            ++it;
        }
    }
    return dropped;
}

void LiveTokenCache::clear()
{
    m_tokens.clear();
}

} // namespace gk
