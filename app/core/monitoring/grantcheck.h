// The Monitoring Plugins face of the grants (Nagios, Icinga, Naemon, Zabbix agents, Checkmk): each grant's
// state from its expiry and, when one was just run, its test's verdict; the worst state; and the plugin output
// itself (a status line with performance data, then one line per grant in need). No I/O: `grantkeeper check`
// gathers and prints.
#pragma once

#include "core/grant/grant.h"
#include "core/verdict/testverdict.h"

#include <QDate>
#include <QList>
#include <QString>

#include <optional>

namespace gk {

// The plugin exit codes, in the guidelines' order.
enum class MonitoringState { Ok = 0, Warning = 1, Critical = 2, Unknown = 3 };

struct GrantCheckThresholds
{
    int warningDays = 30; // expires within this many days (today counts): WARNING
    int criticalDays = 7; // within this many: CRITICAL; expired is always CRITICAL
    bool unreachableIsCritical = false;
};

class GrantCheck
{
public:
    GrantCheck(const GrantCheckThresholds& thresholds, const QDate& today);

    // A grant, with the verdict of a test just run when there was one, and its round trip in milliseconds.
    void add(const Grant& grant, const std::optional<TestVerdict>& verdict = std::nullopt, int roundTripMs = 0);
    // The whole check ran out of time: what was not tested yet is UNKNOWN.
    void setTimedOut(int seconds) { m_timedOutAfter = seconds; }

    // The worst state: CRITICAL, then WARNING, then UNKNOWN, then OK.
    MonitoringState state() const;
    // "GRANTS CRITICAL - 1 expired, 2 expire within 30 days | 'Payroll sync days_left'=12;31:;8: …", then the
    // long output, one line per grant that is not OK, worst first.
    QString output() const;

    static QString stateName(MonitoringState state); // "OK", "WARNING", "CRITICAL", "UNKNOWN"
    static MonitoringState stateFor(const TestVerdict& verdict, bool unreachableIsCritical);
    // A performance data label: quoted, a quote doubled, '=' (which would end it) replaced.
    static QString perfLabel(const QString& text);

private:
    struct Entry
    {
        QString name;
        MonitoringState state = MonitoringState::Ok;
        QStringList reasons;
        std::optional<qint64> daysLeft;
        std::optional<Verdict> verdict;
        int roundTripMs = 0;
    };

    QString summary() const;
    QString performanceData() const;
    static int severity(MonitoringState state);

    GrantCheckThresholds m_thresholds;
    QDate m_today;
    QList<Entry> m_entries;
    std::optional<int> m_timedOutAfter;
};

} // namespace gk
