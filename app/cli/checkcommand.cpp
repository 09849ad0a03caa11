#include "cli/checkcommand.h"

#include "cli/clioutput.h"
#include "core/batch/batchtester.h"
#include "core/expiry/clock.h"
#include "core/grant/grantstore.h"
#include "core/settings/preferences.h"
#include "core/vault/credentialvault.h"

namespace gk::cli {

namespace {

constexpr int MaxDays = 3650;

} // namespace

QString CheckCommand::summary() const
{
    return tr("A monitoring check (Nagios, Icinga, Checkmk...): exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, with "
              "performance data.");
}

void CheckCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("all"), tr("Check every grant (the default when no name is given).")});
    parser.addOption({QStringLiteral("warning"),
                      tr("WARNING when a grant expires within DAYS (default: the Preferences warning window)."),
                      tr("DAYS")});
    parser.addOption(
        {QStringLiteral("critical"), tr("CRITICAL when a grant expires within DAYS (default 7)."), tr("DAYS")});
    parser.addOption({QStringLiteral("test"), tr("Also fetch a token for each grant: refused is CRITICAL, a scope "
                                                 "missing WARNING, unreachable UNKNOWN.")});
    parser.addOption({QStringLiteral("unreachable"),
                      tr("How an unreachable server counts with --test: unknown (default) or critical."), tr("STATE")});
    parser.addOption({QStringLiteral("timeout"),
                      tr("End within SECONDS whatever happens (1 to 600; default from the preferences, 30)."),
                      tr("SECONDS")});
    parser.addPositionalArgument(QStringLiteral("NAME"), tr("The grants to check (default: all)."),
                                 QStringLiteral("[NAME...]"));
}

void CheckCommand::run(const QCommandLineParser& parser)
{
    if (!readThresholds(parser) || !selectGrants(parser))
        return;
    if (!parser.isSet(QStringLiteral("test")) || m_grants.isEmpty()) {
        GrantCheck check(m_thresholds, m_context.clock.today());
        for (const Grant& grant : std::as_const(m_grants))
            check.add(grant);
        report(check);
        return;
    }
    testGrants();
}

bool CheckCommand::readThresholds(const QCommandLineParser& parser)
{
    const auto days = [&parser](const QString& option, int fallback) -> std::optional<int> {
        if (!parser.isSet(option))
            return fallback;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        return ok && value >= 0 && value <= MaxDays ? std::optional<int>(value) : std::nullopt;
    };
    const auto warning = days(QStringLiteral("warning"), m_context.preferences.expiryWarningDays());
    const auto critical = days(QStringLiteral("critical"), 7);
    if (!warning || !critical) {
        finishUnknown(tr("--warning and --critical need a number of days from 0 to %1.").arg(MaxDays));
        return false;
    }
    m_thresholds.warningDays = std::max(*warning, *critical);
    m_thresholds.criticalDays = *critical;
    const QString unreachable = parser.value(QStringLiteral("unreachable"));
    if (!unreachable.isEmpty() && unreachable != QLatin1String("unknown") && unreachable != QLatin1String("critical")) {
        finishUnknown(tr("--unreachable is unknown or critical, not \"%1\".").arg(unreachable));
        return false;
    }
    m_thresholds.unreachableIsCritical = unreachable == QLatin1String("critical");
    bool ok = true;
    const int seconds = parser.isSet(QStringLiteral("timeout")) ? parser.value(QStringLiteral("timeout")).toInt(&ok)
                                                                : int(m_context.preferences.requestTimeout().count());
    if (!ok || seconds < 1 || seconds > 600) {
        finishUnknown(tr("--timeout needs a number of seconds from 1 to 600."));
        return false;
    }
    m_timeout = std::chrono::seconds(seconds);
    return true;
}

bool CheckCommand::selectGrants(const QCommandLineParser& parser)
{
    const QStringList names = parser.positionalArguments();
    if (parser.isSet(QStringLiteral("all")) && !names.isEmpty()) {
        finishUnknown(tr("name the grants to check, or give --all (not both)."));
        return false;
    }
    if (const StoreError error = m_context.store.load(); error.isError()) {
        finishUnknown(error.summary() + QLatin1Char(' ') + error.advice());
        return false;
    }
    if (names.isEmpty()) {
        m_grants = m_context.store.grants();
        return true;
    }
    for (const QString& name : names) {
        const auto grant = m_context.store.findByName(name);
        if (!grant) {
            finishUnknown(tr("no grant named \"%1\"; `grantkeeper list` shows the names.").arg(name));
            return false;
        }
        m_grants.append(*grant);
    }
    return true;
}

void CheckCommand::testGrants()
{
    m_context.vault.prepareReads();
    // The tests are recorded in the history like any other: a check is a test.
    m_tester = new BatchTester(m_context.vault, m_context.client, m_context.clock, &m_context.store, this);
    m_tester->setTimeout(m_timeout);
    connect(m_tester, &BatchTester::finished, this, &CheckCommand::complete);
    // The whole check ends on time: what is still running then is cancelled and counts as UNKNOWN.
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        m_tester->cancel();
    });
    m_deadline.start(m_timeout);
    // The process-wide backstop stays behind the check's own deadline: the check answers first.
    limitTime(m_timeout + std::chrono::seconds(10));
    m_tester->start(m_grants);
}

void CheckCommand::cancel()
{
    if (m_tester && m_tester->isRunning())
        m_tester->cancel();
    else
        Command::cancel();
}

void CheckCommand::complete(const QList<GrantTestResult>& results)
{
    m_deadline.stop();
    GrantCheck check(m_thresholds, m_context.clock.today());
    for (const Grant& grant : std::as_const(m_grants)) {
        const auto result = std::find_if(results.cbegin(), results.cend(),
                                         [&grant](const GrantTestResult& r) { return r.grantId == grant.id; });
        if (result == results.cend()) {
            check.add(grant);
            continue;
        }
        const int roundTrip = result->token ? int(result->token->response().roundTripMs) : 0;
        check.add(grant, result->verdict(), roundTrip);
    }
    if (m_timedOut)
        check.setTimedOut(int(m_timeout.count()));
    report(check);
}

void CheckCommand::report(const GrantCheck& check)
{
    m_context.output.line(check.output());
    finish(ExitCode(int(check.state())));
}

int CheckCommand::reportUsageError(const QString& message)
{
    m_context.output.line(QStringLiteral("GRANTS UNKNOWN - %1").arg(message));
    return int(MonitoringState::Unknown);
}

void CheckCommand::finishUnknown(const QString& why)
{
    m_context.output.line(QStringLiteral("GRANTS UNKNOWN - %1").arg(why));
    finish(ExitCode(int(MonitoringState::Unknown)));
}

} // namespace gk::cli
