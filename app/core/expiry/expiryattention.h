// Which grants need attention for their expiration date, decided once for every face that warns about it: the
// window's notice and its filter, and `grantkeeper expiring`.
#pragma once

#include "core/grant/grant.h"

#include <QDate>
#include <QList>
#include <QSet>
#include <QUuid>

namespace gk {

class ExpiryAttention
{
public:
    // Grants that have expired or expire within the warning window (today counts), most urgent first: the
    // earliest expiration date, then by name.
    static ExpiryAttention of(const QList<Grant>& grants, const QDate& today, int warningDays);

    const QList<Grant>& grants() const { return m_grants; }
    QSet<QUuid> grantIds() const;
    bool isEmpty() const { return m_grants.isEmpty(); }
    int expiredCount() const { return m_expired; }
    int expiringCount() const { return int(m_grants.size()) - m_expired; }
    int warningDays() const { return m_warningDays; }
    const QDate& today() const { return m_today; }

private:
    QList<Grant> m_grants;
    int m_expired = 0;
    int m_warningDays = 0;
    QDate m_today;
};

} // namespace gk
