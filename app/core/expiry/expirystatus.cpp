#include "core/expiry/expirystatus.h"

#include <QCoreApplication>

#include <algorithm>

namespace gk {

ExpiryStatus ExpiryStatus::evaluate(const std::optional<QDate>& expiresOn, const QDate& today, int warningDays)
{
    ExpiryStatus status;
    if (!expiresOn || !expiresOn->isValid() || !today.isValid())
        return status;

    const qint64 days = today.daysTo(*expiresOn);
    status.m_daysLeft = days;
    if (days < 0)
        status.m_state = ExpiryState::Expired;
    else if (days <= warningDays)
        status.m_state = ExpiryState::Expiring;
    else
        status.m_state = ExpiryState::Ok;
    return status;
}

QString ExpiryStatus::describe() const
{
    if (!m_daysLeft)
        return QCoreApplication::translate("ExpiryStatus", "no expiration date");
    const qint64 days = *m_daysLeft;
    if (days == -1)
        return QCoreApplication::translate("ExpiryStatus", "expired yesterday");
    if (days < 0)
        return QCoreApplication::translate("ExpiryStatus", "expired %1 days ago").arg(-days);
    if (days == 0)
        return QCoreApplication::translate("ExpiryStatus", "expires today");
    if (days == 1)
        return QCoreApplication::translate("ExpiryStatus", "expires tomorrow");
    return QCoreApplication::translate("ExpiryStatus", "%1 days left").arg(days);
}

QString ExpiryStatus::stateName() const
{
    switch (m_state) {
    case ExpiryState::Unknown:
        return QStringLiteral("unknown");
    case ExpiryState::Expired:
        return QStringLiteral("expired");
    case ExpiryState::Expiring:
        return QStringLiteral("expiring");
    case ExpiryState::Ok:
        return QStringLiteral("ok");
    }
    return QStringLiteral("unknown");
}

qint64 ExpiryStatus::tokenSecondsLeft(const QDateTime& receivedAt, qint64 expiresInSeconds, const QDateTime& now)
{
    const qint64 left = expiresInSeconds - receivedAt.secsTo(now);
    return std::max<qint64>(0, left);
}

} // namespace gk
