// The live access tokens of this process, in memory only, each until it lapses. The one owner of a token's expiry:
// the window's list, its details pane and its copy actions all ask here, and hear when a token changes or lapses.
#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUuid>

#include <optional>

namespace gk {

class Clock;
struct IssuedToken;

struct LiveToken
{
    QString accessToken; // a secret: never printed, logged or stored
    QString tokenType;
    QDateTime expiresAt;
    bool lifetimeAssumed = false; // the server gave no lifetime: IssuedToken::AssumedLifetimeSeconds
};

class LiveTokens : public QObject
{
    Q_OBJECT

public:
    // A token this close to its end is not handed out: it could expire before the caller uses it.
    static constexpr qint64 SafetyMarginSeconds = 15;

    // The clock must outlive this object.
    explicit LiveTokens(const Clock& clock, QObject* parent = nullptr);
    ~LiveTokens() override;

    void store(const QUuid& grantId, const IssuedToken& token, const QDateTime& receivedAt);
    // The grant's token if it is still good for the safety margin.
    std::optional<LiveToken> find(const QUuid& grantId) const;
    // When the grant's token lapses; invalid when it has none (or it has lapsed).
    QDateTime expiresAt(const QUuid& grantId) const;
    void remove(const QUuid& grantId);
    void clear();
    bool isEmpty() const { return m_tokens.isEmpty(); }
    QList<QUuid> grantIds() const { return m_tokens.keys(); }

    // Drops the tokens that have lapsed by now, announcing each; the window calls it once a second.
    void dropLapsed();

signals:
    // A token was stored, removed or lapsed.
    void changed(const QUuid& grantId);

private:
    const Clock& m_clock;
    QHash<QUuid, LiveToken> m_tokens;
};

} // namespace gk
