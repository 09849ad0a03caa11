// Pure expiry rules: a grant's calendar expiration date and a token's lifetime, against a given "now".
#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>

#include <optional>

namespace gk {

enum class ExpiryState {
    Unknown,  // no expiration date was entered
    Expired,  // the last usable day has passed
    Expiring, // within the warning window (today counts)
    Ok,
};

class ExpiryStatus
{
public:
    static constexpr int DefaultWarningDays = 30;

    // A grant is usable through the end of its expiration date, local time. Days left = date - today:
    // 0 means it expires today, negative means it has expired.
    static ExpiryStatus evaluate(const std::optional<QDate>& expiresOn, const QDate& today,
                                 int warningDays = DefaultWarningDays);

    ExpiryState state() const { return m_state; }
    std::optional<qint64> daysLeft() const { return m_daysLeft; }

    // "expired 3 days ago", "expires today", "12 days left", "no expiration date"
    QString describe() const;
    // Stable machine word: "unknown", "expired", "expiring", "ok"
    QString stateName() const;

    // Seconds a token has left (never negative), given when it was received and its expires_in.
    static qint64 tokenSecondsLeft(const QDateTime& receivedAt, qint64 expiresInSeconds, const QDateTime& now);

private:
    ExpiryState m_state = ExpiryState::Unknown;
    std::optional<qint64> m_daysLeft;
};

} // namespace gk
