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

#include <QJsonArray>

namespace gk::cli {

namespace {

bool scopeFullyGranted(const GrantTestResult& result)
{
    return !result.isSuccess() || result.token->token().scope.missing.isEmpty();
}

} // namespace

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
            m_context.output.json(QJsonDocument(QJsonObject{{QStringLiteral("results"), QJsonArray()},
                                                            {QStringLiteral("passed"), 0},
                                                            {QStringLiteral("failed"), 0}}));
        else
            m_context.output.line(tr("There are no grants to test."));
        finish(ExitOk);
        return;
    }

    m_tester = new BatchTester(m_context.vault, m_context.client, m_context.clock, &m_context.store, this);
    m_tester->setConcurrency(*jobs);
    m_tester->setTimeout(*timeout);
    connect(m_tester, &BatchTester::grantTested, this, &TestCommand::report);
    connect(m_tester, &BatchTester::finished, this, &TestCommand::complete);
    connect(m_tester, &BatchTester::slowedDown, this, [this](std::chrono::milliseconds wait, int concurrency) {
        const QString pace = concurrency == 1 ? tr("one grant at a time") : tr("%1 grants at a time").arg(concurrency);
        m_context.output.error(tr("the server is rate limiting (HTTP 429): waiting %1, then testing %2.")
                                   .arg(describeDuration(qint64((wait.count() + 999) / 1000)), pace));
    });
    m_tester->start(grants);
}

void TestCommand::report(const GrantTestResult& result)
{
    const Grant& grant = m_grants[result.grantId];
    // Failures go to stderr, one line per grant, with --json too: monitoring wrappers watch stderr.
    if (!result.isSuccess()) {
        m_context.output.error(
            QStringLiteral("%1: %2 %3").arg(grant.name, result.errorSummary(), result.errorAdvice()));
        return;
    }
    if (!scopeFullyGranted(result))
        m_context.output.error(tr("%1: the server did not grant %2. Ask a Workiva administrator to add it to the "
                                  "grant, or remove it from the requested scopes.")
                                   .arg(grant.name, result.token->token().scope.missing.toString()));
    if (m_json)
        return;

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
    const auto& expiresIn = token.token().expiresInSeconds;
    parts.append(expiresIn ? tr("%1 token, expires in %2").arg(token.token().tokenType, describeDuration(*expiresIn))
                           : tr("%1 token, lifetime unknown").arg(token.token().tokenType));
    parts.append(tr("HTTP %1 in %2 ms").arg(token.response().httpStatus).arg(token.response().roundTripMs));

    const ExpiryStatus expiry =
        ExpiryStatus::evaluate(grant.expiresOn, m_context.clock.today(), m_context.preferences.expiryWarningDays());
    if (expiry.state() == ExpiryState::Expiring || expiry.state() == ExpiryState::Expired)
        parts.append(tr("grant: %1").arg(expiry.describe()));
    if (const QString notice = Environment::deprecationNotice(grant.apiVersion); !notice.isEmpty())
        parts.append(notice);
    if (token.response().deprecationAnnounced || token.response().sunset)
        parts.append(tr("the server announces this endpoint's deprecation%1")
                         .arg(token.response().sunset
                                  ? tr(", sunset %1").arg(token.response().sunset->date().toString(Qt::ISODate))
                                  : QString()));
    for (const QString& warning : token.token().warnings)
        parts.append(warning);

    const QString verdict = scopeFullyGranted(result) ? tr("PASS") : tr("SCOPE");
    m_context.output.line(QStringLiteral("%1  %2: %3").arg(verdict, grant.name, parts.join(QStringLiteral("; "))));
}

void TestCommand::complete(const QList<GrantTestResult>& results)
{
    ExitCode code = ExitOk;
    int passed = 0;
    QJsonArray array;
    const QDate today = m_context.clock.today();
    const int warningDays = m_context.preferences.expiryWarningDays();
    for (const GrantTestResult& result : results) {
        code = worstOf(code, exitCodeFor(result.failureClass()));
        if (!scopeFullyGranted(result))
            code = worstOf(code, ExitCheckFailed);
        if (result.isSuccess() && scopeFullyGranted(result))
            ++passed;
        if (m_json) {
            QJsonObject object = GrantJson::testResult(result, m_grants[result.grantId], today, warningDays);
            object.insert(QStringLiteral("scope_ok"), scopeFullyGranted(result));
            array.append(object);
        }
    }
    if (m_json) {
        QJsonObject root;
        root.insert(QStringLiteral("results"), array);
        root.insert(QStringLiteral("passed"), passed);
        root.insert(QStringLiteral("failed"), int(results.size()) - passed);
        m_context.output.json(QJsonDocument(root));
    } else if (results.size() > 1) {
        m_context.output.line(tr("%1 of %2 grants passed.").arg(passed).arg(results.size()));
    }
    finish(code);
}

} // namespace gk::cli
