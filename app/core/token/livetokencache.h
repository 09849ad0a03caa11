// Live access tokens, in memory only, each until it expires (or the cache is cleared on lock or quit).
#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QUuid>

#include <optional>

namespace gk {

struct IssuedToken;

struct LiveToken
{
    QString accessToken; // a secret: never printed, logged or stored
    QString tokenType;
    QDateTime expiresAt; // invalid when the server gave no lifetime
};

class LiveTokenCache
{
public:
    // Tokens without a known lifetime are kept for this long, the lifetime Workiva's tokens typically have.
    static constexpr qint64 AssumedLifetimeSeconds = 600;
    // A token this close to its end is not handed out: it could expire before the caller uses it.
    static constexpr qint64 SafetyMarginSeconds = 15;

    void store(const QUuid& grantId, const IssuedToken& token, const QDateTime& receivedAt);
    // The grant's token if it will still be valid for the safety margin at `now`.
    std::optional<LiveToken> find(const QUuid& grantId, const QDateTime& now) const;
    void remove(const QUuid& grantId);
    // Drops expired tokens; returns the ids that were dropped.
    QList<QUuid> purgeExpired(const QDateTime& now);
    void clear();
    bool isEmpty() const { return m_tokens.isEmpty(); }
    QList<QUuid> grantIds() const { return m_tokens.keys(); }

private:
    QHash<QUuid, LiveToken> m_tokens;
};

} // namespace gk
