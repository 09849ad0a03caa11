// `grantkeeper check [NAME... | --all] [--warning DAYS] [--critical DAYS] [--test] [--timeout SECONDS]`: a
// Monitoring Plugin (Nagios, Icinga, Naemon, Zabbix agents, Checkmk). Exit 0 OK, 1 WARNING, 2 CRITICAL,
// 3 UNKNOWN; a status line with performance data, then one line per grant in need. Ends within its timeout.
#pragma once

#include "cli/command.h"
#include "core/monitoring/grantcheck.h"

#include <QList>
#include <QTimer>

namespace gk {
class BatchTester;
struct GrantTestResult;
} // namespace gk

namespace gk::cli {

class CheckCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("check"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;
    // The Monitoring Plugins guidelines: bad usage is UNKNOWN, told on standard output like every state.
    int reportUsageError(const QString& message) override;

protected:
    void cancel() override;

private:
    bool readThresholds(const QCommandLineParser& parser);
    bool selectGrants(const QCommandLineParser& parser);
    void testGrants();
    void complete(const QList<GrantTestResult>& results);
    // Prints the plugin output and ends with its state as the exit code.
    void report(const GrantCheck& check);
    // A problem before any grant could be judged (bad usage, an unreadable grants.json): UNKNOWN.
    void finishUnknown(const QString& why);

    GrantCheckThresholds m_thresholds;
    std::chrono::seconds m_timeout{30};
    QList<Grant> m_grants;
    BatchTester* m_tester = nullptr;
    QTimer m_deadline;
    bool m_timedOut = false;
};

} // namespace gk::cli
