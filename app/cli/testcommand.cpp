#include "cli/testcommand.h"

#include "cli/clioutput.h"
#include "cli/grantjson.h"
#include "core/batch/batchtester.h"
#include "core/expiry/clock.h"
#include "core/expiry/expirystatus.h"
#include "core/grant/grantstore.h"
#include "core/settings/preferences.h"
#include "core/text/durationtext.h"
#include "core/vault/credentialvault.h"
#include "core/verdict/verdicttally.h"

#include <QJsonArray>

namespace gk::cli {

QString TestCommand::summary() const
{
    return tr("Fetch a token for each grant and compare the granted scope with the requested one.");
}

void TestCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("all"), tr("Test every grant.")});
    parser.addOption({QStringLiteral("json"), tr("Print JSON instead of text.")});
    addTimeoutOption(parser);
    parser.addOption({QStringLiteral("jobs"), tr("Test up to N grants at once (default 6)."), QStringLiteral("N")});
    parser.addPositionalArgument(QStringLiteral("NAME"), tr("The grants to test."), QStringLiteral("[NAME...]"));
}

void TestCommand::run(const QCommandLineParser& parser)
{
    m_context.vault.prepareReads(); // the Secret Service session opens while the grants load
    m_json = parser.isSet(QStringLiteral("json"));
    const bool all = parser.isSet(QStringLiteral("all"));
    const QStringList names = parser.positionalArguments();
    if (all == !names.isEmpty()) {
        m_context.output.error(tr("name the grants to test, or give --all (not both)."));
        finish(ExitBadInput);
        return;
    }
    const auto timeout = timeoutOption(parser);
    if (!timeout)
        return;
    const auto jobs = positiveIntOption(parser, QStringLiteral("jobs"), BatchTester::DefaultConcurrency, 100);
    if (!jobs) {
        finish(ExitBadInput);
        return;
    }
    if (!loadStore())
        return;

    QList<Grant> grants;
    if (all) {
        grants = m_context.store.grants();
    } else {
        for (const QString& name : names) {
            const auto grant = grantNamed(name);
            if (!grant) {
                finish(ExitBadInput);
                return;
            }
            if (!m_grants.contains(grant->id))
                grants.append(*grant);
            m_grants.insert(grant->id, *grant);
        }
    }
    for (const Grant& grant : std::as_const(grants))
        m_grants.insert(grant.id, grant);
    if (grants.isEmpty()) {
        if (m_json)
            m_context.output.json(QJsonDocument(GrantJson::testSummary(QJsonArray(), VerdictTally())));
        else
            m_context.output.line(tr("There are no grants to test."));
        finish(ExitOk);
        return;
    }

    // The secrets' read, then each grant's whole test at most, one after another in the worst case (a server that
    // rate limits brings the concurrency down to one).
    limitTime(std::chrono::duration_cast<std::chrono::seconds>(m_context.vault.deadline()) +
              *timeout * qsizetype(grants.size()));
    m_tester = new BatchTester(m_context.vault, m_context.client, m_context.clock, &m_context.store, this);
    m_tester->setConcurrency(*jobs);
    m_tester->setTimeout(*timeout);
    connect(m_tester, &BatchTester::grantTested, this, &TestCommand::report);
    connect(m_tester, &BatchTester::finished, this, &TestCommand::complete);
    connect(m_tester, &BatchTester::slowedDown, this, [this](std::chrono::milliseconds wait, int concurrency) {
        m_context.output.error(BatchTester::describeSlowdown(wait, concurrency));
    });
    m_tester->start(grants);
}

void TestCommand::cancel()
{
    if (m_tester && m_tester->isRunning())
        m_tester->cancel();
    else
        Command::cancel();
}

void TestCommand::report(const GrantTestResult& result)
{
    const Grant& grant = m_grants[result.grantId];
    const TestVerdict verdict = result.verdict();
    // Anything short of a pass goes to stderr, one line per grant, with --json too: monitoring wrappers watch it.
    if (!verdict.isPass())
        m_context.output.error(failureLine(grant.name, verdict));
    if (m_json || !result.hasToken())
        return;
    m_context.output.line(
        QStringLiteral("%1  %2: %3").arg(TestVerdict::tag(verdict.kind()), grant.name, describeToken(result, grant)));
}

QString TestCommand::describeToken(const GrantTestResult& result, const Grant& grant) const
{
    const TokenResult& token = *result.token;
    const ScopeComparison& scope = token.token().scope;
    QStringList parts;
    if (scope.grantedAssumedFromRequest)
        parts.append(scope.requested.isEmpty()
                         ? tr("no scope requested or listed")
                         : tr("granted as requested (the server listed no scope): %1").arg(scope.requested.toString()));
    else if (scope.grantedAsRequested())
        parts.append(
            tr("granted %1 (as requested)").arg(scope.granted.isEmpty() ? tr("no scope") : scope.granted.toString()));
    else {
        QString text = tr("granted %1").arg(scope.granted.isEmpty() ? tr("no scope") : scope.granted.toString());
        if (!scope.missing.isEmpty())
            text += tr("; NOT granted: %1").arg(scope.missing.toString());
        if (!scope.extra.isEmpty())
            text += tr("; also granted: %1").arg(scope.extra.toString());
        parts.append(text);
    }
    const IssuedToken& issued = token.token();
    parts.append(issued.lifetimeAssumed()
                     ? tr("%1 token, lifetime not given (taken as %2)")
                           .arg(issued.tokenType, describeDuration(issued.lifetimeSeconds()))
                     : tr("%1 token, expires in %2").arg(issued.tokenType, describeDuration(issued.lifetimeSeconds())));
    parts.append(tr("HTTP %1 in %2 ms").arg(token.response().httpStatus).arg(token.response().roundTripMs));

    const ExpiryStatus expiry =
        ExpiryStatus::evaluate(grant.expiresOn, m_context.clock.today(), m_context.preferences.expiryWarningDays());
    if (expiry.state() == ExpiryState::Expiring || expiry.state() == ExpiryState::Expired)
        parts.append(tr("grant: %1").arg(expiry.describe()));
    if (const QString notice = Environment::deprecationNotice(grant.apiVersion); !notice.isEmpty())
        parts.append(notice);
    if (const QString notice = token.response().deprecationNotice(); !notice.isEmpty())
        parts.append(notice);
    for (const QString& warning : issued.warnings)
        parts.append(warning);
    return parts.join(QStringLiteral("; "));
}

void TestCommand::complete(const QList<GrantTestResult>& results)
{
    ExitCode code = ExitOk;
    VerdictTally tally;
    QJsonArray array;
    const QDate today = m_context.clock.today();
    const int warningDays = m_context.preferences.expiryWarningDays();
    for (const GrantTestResult& result : results) {
        const TestVerdict verdict = result.verdict();
        tally.add(verdict);
        code = worstOf(code, exitCodeFor(verdict.failureClass()));
        if (m_json)
            array.append(GrantJson::testResult(result, m_grants[result.grantId], today, warningDays));
    }
    if (m_json) {
        m_context.output.json(QJsonDocument(GrantJson::testSummary(array, tally)));
    } else if (results.size() > 1) {
        m_context.output.line(tr("%1 of %2 grants passed: %3.")
                                  .arg(tally.count(Verdict::Passed))
                                  .arg(results.size())
                                  .arg(tally.describe()));
    }
    finish(code);
}

} // namespace gk::cli
