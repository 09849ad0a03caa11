#include "core/token/livetokens.h"

#include "core/expiry/clock.h"
#include "core/token/tokenresult.h"

namespace gk {

LiveTokens::LiveTokens(const Clock& clock, QObject* parent)
    : QObject(parent)
    , m_clock(clock)
{}

LiveTokens::~LiveTokens()
{
    m_tokens.clear();
}

void LiveTokens::store(const QUuid& grantId, const IssuedToken& token, const QDateTime& receivedAt)
{
    LiveToken live;
    live.accessToken = token.accessToken;
    live.tokenType = token.tokenType;
    live.expiresAt = token.expiresAt(receivedAt);
    live.lifetimeAssumed = token.lifetimeAssumed();
    m_tokens.insert(grantId, live);
    emit changed(grantId);
}

std::optional<LiveToken> LiveTokens::find(const QUuid& grantId) const
{
    const auto it = m_tokens.constFind(grantId);
    if (it == m_tokens.constEnd() || m_clock.now().secsTo(it->expiresAt) <= SafetyMarginSeconds)
        return std::nullopt;
    return *it;
}

QDateTime LiveTokens::expiresAt(const QUuid& grantId) const
{
    const auto it = m_tokens.constFind(grantId);
    if (it == m_tokens.constEnd() || it->expiresAt <= m_clock.now())
        return {};
    return it->expiresAt;
}

void LiveTokens::remove(const QUuid& grantId)
{
    if (m_tokens.remove(grantId))
        emit changed(grantId);
}

void LiveTokens::clear()
{
    const QList<QUuid> ids = m_tokens.keys();
    m_tokens.clear();
    for (const QUuid& id : ids)
        emit changed(id);
}

void LiveTokens::dropLapsed()
{
    const QDateTime now = m_clock.now();
    QList<QUuid> lapsed;
    for (auto it = m_tokens.begin(); it != m_tokens.end();) {
        if (it->expiresAt <= now) {
            lapsed.append(it.key());
            it = m_tokens.erase(it);
        } else {
            ++it;
        }
    }
    for (const QUuid& id : std::as_const(lapsed))
        emit changed(id);
}

} // namespace gk
