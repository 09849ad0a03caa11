#include "ui/testruncontroller.h"

#include "core/text/printabletext.h"

#include "core/batch/batchtester.h"
#include "core/grant/grantstore.h"
#include "core/settings/preferences.h"
#include "core/token/livetokens.h"
#include "core/verdict/verdicttally.h"
#include "ui/uilogging.h"

#include <QMessageBox>
#include <QPushButton>
#include <QWidget>

namespace gk {

TestRunController::TestRunController(const UiContext& context, QWidget* window)
    : QObject(window)
    , m_context(context)
    , m_window(window)
{
    BatchTester& tester = m_context.tester;
    connect(&tester, &BatchTester::grantTested, this, &TestRunController::onGrantTested);
    connect(&tester, &BatchTester::finished, this, &TestRunController::onBatchFinished);
    connect(&tester, &BatchTester::progress, this, &TestRunController::progressed);
    connect(&tester, &BatchTester::slowedDown, this, [this](std::chrono::milliseconds wait, int concurrency) {
        emit statusChanged(BatchTester::describeSlowdown(wait, concurrency) + QLatin1Char(' ') +
                           tr("Press Esc to stop instead."));
    });
}

TestRunController::~TestRunController()
{
    // The tester outlives the window: nothing of this batch may reach this controller (or the window) any more.
    m_context.tester.disconnect(this);
    m_context.tester.cancel();
}

void TestRunController::run(const QList<Grant>& grants, const QString& label)
{
    BatchTester& tester = m_context.tester;
    if (tester.isRunning() || grants.isEmpty())
        return;
    tester.setTimeout(std::chrono::seconds(m_context.preferences.requestTimeout()));
    emit statusChanged(tr("Testing %1…").arg(label));
    tester.start(grants); // its first signal comes from the event loop
    emit started(int(grants.size()));
}

void TestRunController::fetchForCopy(const Grant& grant, CopyFormat::Kind format)
{
    if (isRunning())
        return;
    m_pendingCopy = PendingCopy{grant.id, format};
    run({grant}, tr("%1 for a token").arg(grant.name));
}

void TestRunController::cancel()
{
    m_pendingCopy.reset();
    m_context.tester.cancel();
}

bool TestRunController::isRunning() const
{
    return m_context.tester.isRunning();
}

std::optional<GrantTestResult> TestRunController::currentResult(const Grant& grant) const
{
    const auto result = m_lastResults.constFind(grant.id);
    if (result == m_lastResults.constEnd())
        return std::nullopt;
    const TestRecord* last = grant.lastTest();
    if (last && result->testedAt < last->testedAt)
        return std::nullopt;
    return *result;
}

void TestRunController::forgetResult(const QUuid& grantId)
{
    m_lastResults.remove(grantId);
}

void TestRunController::onGrantTested(const GrantTestResult& result)
{
    if (result.hasToken())
        m_context.liveTokens.store(result.grantId, result.token->token(), result.token->response().receivedAt);
    // Only the server's answer is the grant's result: a test that never asked it (a locked keychain, say) is told
    // when the batch ends and leaves the last real result, and the live token, as they are.
    if (const auto record = result.toTestRecord()) {
        m_lastResults.insert(result.grantId, BatchTester::withoutToken(result));
        // The history reaches the file when the batch ends; the list shows each outcome as it arrives.
        emit outcomeRecorded(result.grantId, *record);
    }
    if (m_pendingCopy && m_pendingCopy->grantId == result.grantId)
        completePendingCopy(result);
    emit grantTested(result.grantId);
}

void TestRunController::completePendingCopy(const GrantTestResult& result)
{
    const CopyFormat::Kind format = m_pendingCopy->format;
    m_pendingCopy.reset();
    const auto grant = m_context.store.find(result.grantId);
    if (grant && m_context.liveTokens.find(result.grantId)) {
        emit tokenReadyForCopy(*grant, format);
        return;
    }
    const TestVerdict verdict = result.verdict();
    if (verdict.localReason() == TestVerdict::LocalReason::Cancelled)
        return;
    emit problem(tr("Copy token"), verdict.summary(), verdict.advice());
    m_reportedLocalProblem = !verdict.isRecorded();
}

void TestRunController::onBatchFinished(const QList<GrantTestResult>& results)
{
    VerdictTally tally;
    const GrantTestResult* localProblem = nullptr;
    int notTested = 0;
    for (const GrantTestResult& result : results) {
        const TestVerdict verdict = result.verdict();
        tally.add(verdict);
        if (verdict.kind() == Verdict::NotTested && verdict.localReason() != TestVerdict::LocalReason::Cancelled) {
            ++notTested;
            if (!localProblem)
                localProblem = &result;
        }
    }
    emit finished();
    emit statusChanged(tr("Test finished: %1.").arg(tally.describe()));
    // A local problem is this computer's, not the grants': say so once, with what to do (a copy already said it).
    if (localProblem && !m_reportedLocalProblem)
        showLocalProblem(*localProblem, notTested);
    m_reportedLocalProblem = false;

    // The list already shows each outcome (onGrantTested); the history goes to the file without the UI
    // thread waiting for it.
    if (const auto records = BatchTester::recordsOf(results); !records.isEmpty())
        saveTestRecords(records);
}

void TestRunController::showLocalProblem(const GrantTestResult& result, int notTested)
{
    const TestVerdict verdict = result.verdict();
    const QString summary =
        notTested == 1 ? tr("“%1” was not tested: %2").arg(printableText(result.grantName, 80), verdict.summary())
                       : tr("%n grants were not tested: %1", nullptr, notTested).arg(verdict.summary());
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Test"), summary, QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("errorMessage"));
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(verdict.advice());
    box->setAttribute(Qt::WA_DeleteOnClose);
    // The keychain has no entry for this grant: the way out is to enter its Client ID and Secret again.
    if (notTested == 1 && result.vaultError.code == VaultErrorCode::NotFound) {
        auto* reenter = box->addButton(tr("&Enter Client ID and Secret…"), QMessageBox::AcceptRole);
        reenter->setObjectName(QStringLiteral("reenterCredentialsButton"));
        connect(reenter, &QAbstractButton::clicked, this,
                [this, id = result.grantId] { emit reenterCredentialsRequested(id); });
    }
    box->open();
}

void TestRunController::saveTestRecords(const QList<QPair<QUuid, TestRecord>>& records)
{
    m_context.store.appendTestRecordsAsync(records, this, [this](const StoreError& error) {
        if (error.isError()) {
            qCWarning(lcUi) << "could not record the test results:" << error.codeName();
            emit statusMessage(tr("The test results were not saved: %1").arg(error.summary()), 10'000);
        }
        emit historySaved();
    });
}

} // namespace gk
