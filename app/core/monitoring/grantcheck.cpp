#include "core/monitoring/grantcheck.h"

#include "core/expiry/expirystatus.h"

#include <QCoreApplication>
#include <QMap>

#include <algorithm>

namespace gk {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("GrantCheck", text);
}

QString withinDays(int days)
{
    return days == 1 ? tr("within 1 day") : tr("within %1 days").arg(days);
}

} // namespace

GrantCheck::GrantCheck(const GrantCheckThresholds& thresholds, const QDate& today)
    : m_thresholds(thresholds)
    , m_today(today)
{}

int GrantCheck::severity(MonitoringState state)
{
    switch (state) {
    case MonitoringState::Ok:
        return 0;
    case MonitoringState::Unknown:
        return 1;
    case MonitoringState::Warning:
        return 2;
    case MonitoringState::Critical:
        return 3;
    }
    return 1;
}

MonitoringState GrantCheck::stateFor(const TestVerdict& verdict, bool unreachableIsCritical)
{
    switch (verdict.kind()) {
    case Verdict::Passed:
        return MonitoringState::Ok;
    case Verdict::ScopeMissing:
        return MonitoringState::Warning;
    case Verdict::Refused:
        return MonitoringState::Critical;
    case Verdict::Unreachable:
        return unreachableIsCritical ? MonitoringState::Critical : MonitoringState::Unknown;
    case Verdict::NotTested: // the keychain, the grant's own settings, or out of time: nothing known of the grant
        return MonitoringState::Unknown;
    }
    return MonitoringState::Unknown;
}

void GrantCheck::add(const Grant& grant, const std::optional<TestVerdict>& verdict, int roundTripMs)
{
    Entry entry;
    entry.name = grant.name;
    const ExpiryStatus expiry = ExpiryStatus::evaluate(grant.expiresOn, m_today, m_thresholds.warningDays);
    entry.daysLeft = expiry.daysLeft();
    const auto raise = [&entry](MonitoringState state, const QString& reason) {
        if (severity(state) > severity(entry.state))
            entry.state = state;
        entry.reasons.append(reason);
    };
    if (entry.daysLeft) {
        const qint64 days = *entry.daysLeft;
        if (days < 0 || days <= m_thresholds.criticalDays)
            raise(MonitoringState::Critical, expiry.describe());
        else if (days <= m_thresholds.warningDays)
            raise(MonitoringState::Warning, expiry.describe());
    }
    if (verdict) {
        entry.verdict = verdict->kind();
        entry.roundTripMs = roundTripMs;
        const MonitoringState state = stateFor(*verdict, m_thresholds.unreachableIsCritical);
        if (state != MonitoringState::Ok)
            raise(state, QStringLiteral("%1: %2").arg(verdict->label(), verdict->summary()));
    }
    m_entries.append(entry);
}

MonitoringState GrantCheck::state() const
{
    MonitoringState worst = m_timedOutAfter ? MonitoringState::Unknown : MonitoringState::Ok;
    for (const Entry& entry : m_entries)
        if (severity(entry.state) > severity(worst))
            worst = entry.state;
    return worst;
}

QString GrantCheck::stateName(MonitoringState state)
{
    switch (state) {
    case MonitoringState::Ok:
        return QStringLiteral("OK");
    case MonitoringState::Warning:
        return QStringLiteral("WARNING");
    case MonitoringState::Critical:
        return QStringLiteral("CRITICAL");
    case MonitoringState::Unknown:
        return QStringLiteral("UNKNOWN");
    }
    return QStringLiteral("UNKNOWN");
}

QString GrantCheck::perfLabel(const QString& text)
{
    QString label = text;
    label.replace(QLatin1Char('='), QLatin1Char('-')).replace(QLatin1Char('\''), QStringLiteral("''"));
    return QLatin1Char('\'') + label + QLatin1Char('\'');
}

QString GrantCheck::output() const
{
    QString text = QStringLiteral("GRANTS %1 - %2").arg(stateName(state()), summary());
    if (const QString perf = performanceData(); !perf.isEmpty())
        text += QStringLiteral(" | ") + perf;
    QList<Entry> inNeed;
    std::copy_if(m_entries.cbegin(), m_entries.cend(), std::back_inserter(inNeed),
                 [](const Entry& entry) { return entry.state != MonitoringState::Ok; });
    std::stable_sort(inNeed.begin(), inNeed.end(),
                     [](const Entry& a, const Entry& b) { return severity(a.state) > severity(b.state); });
    for (const Entry& entry : std::as_const(inNeed))
        text += QStringLiteral("\n%1: “%2”: %3")
                    .arg(stateName(entry.state), entry.name, entry.reasons.join(QStringLiteral("; ")));
    return text;
}

// "1 expired, 2 expire within 30 days, 1 refused" or "4 grants, none expires within 30 days, all passed".
QString GrantCheck::summary() const
{
    int expired = 0;
    int expiring = 0;
    int tested = 0;
    int passed = 0;
    QMap<Verdict, int> failed;
    for (const Entry& entry : m_entries) {
        if (entry.daysLeft && *entry.daysLeft < 0)
            ++expired;
        else if (entry.daysLeft && *entry.daysLeft <= m_thresholds.warningDays)
            ++expiring;
        if (entry.verdict) {
            ++tested;
            if (*entry.verdict == Verdict::Passed)
                ++passed;
            else
                ++failed[*entry.verdict];
        }
    }
    QStringList parts;
    if (expired > 0)
        parts.append(tr("%1 expired").arg(expired));
    if (expiring > 0)
        parts.append(expiring == 1 ? tr("1 expires %1").arg(withinDays(m_thresholds.warningDays))
                                   : tr("%1 expire %2").arg(expiring).arg(withinDays(m_thresholds.warningDays)));
    for (auto it = failed.cbegin(); it != failed.cend(); ++it)
        parts.append(QStringLiteral("%1 %2").arg(it.value()).arg(TestVerdict::label(it.key())));
    if (m_timedOutAfter)
        parts.append(tr("timed out after %1 s").arg(*m_timedOutAfter));
    if (parts.isEmpty()) {
        const qsizetype count = m_entries.size();
        parts.append(count == 1 ? tr("1 grant") : tr("%1 grants").arg(count));
        parts.append(tr("none expires %1").arg(withinDays(m_thresholds.warningDays)));
        if (tested > 0)
            parts.append(passed == 1 ? tr("1 passed") : tr("all %1 passed").arg(passed));
    }
    return parts.join(QStringLiteral(", "));
}

// Per grant: days left, with the thresholds as ranges (an alert below N+1 is "N days or fewer", as the window
// counts), and the test's round trip when one was answered.
QString GrantCheck::performanceData() const
{
    QStringList data;
    for (const Entry& entry : m_entries) {
        if (entry.daysLeft)
            data.append(QStringLiteral("%1=%2;%3:;%4:")
                            .arg(perfLabel(entry.name + QStringLiteral(" days_left")))
                            .arg(*entry.daysLeft)
                            .arg(m_thresholds.warningDays + 1)
                            .arg(m_thresholds.criticalDays + 1));
        if (entry.verdict && entry.roundTripMs > 0)
            data.append(QStringLiteral("%1=%2s;;;0")
                            .arg(perfLabel(entry.name + QStringLiteral(" round_trip")))
                            .arg(entry.roundTripMs / 1000.0, 0, 'f', 3));
    }
    return data.join(QLatin1Char(' '));
}

} // namespace gk
