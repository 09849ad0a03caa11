#include "core/expiry/expiryattention.h"

#include "core/expiry/expirystatus.h"

#include <algorithm>

namespace gk {

ExpiryAttention ExpiryAttention::of(const QList<Grant>& grants, const QDate& today, int warningDays)
{
    ExpiryAttention attention;
    attention.m_warningDays = warningDays;
    attention.m_today = today;
    for (const Grant& grant : grants) {
        const ExpiryState state = ExpiryStatus::evaluate(grant.expiresOn, today, warningDays).state();
        if (state == ExpiryState::Expired)
            ++attention.m_expired;
        if (state == ExpiryState::Expired || state == ExpiryState::Expiring)
            attention.m_grants.append(grant);
    }
    // Both states need a date, so every grant here has one.
    std::sort(attention.m_grants.begin(), attention.m_grants.end(), [](const Grant& a, const Grant& b) {
        if (*a.expiresOn != *b.expiresOn)
            return *a.expiresOn < *b.expiresOn;
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return attention;
}

QSet<QUuid> ExpiryAttention::grantIds() const
{
    QSet<QUuid> ids;
    ids.reserve(m_grants.size());
    for (const Grant& grant : m_grants)
        ids.insert(grant.id);
    return ids;
}

} // namespace gk
