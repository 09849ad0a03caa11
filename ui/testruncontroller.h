// Runs the window's token tests through the BatchTester and keeps what this session learnt from them: each grant's
// last result (without its token), and the fetch a copy is waiting for.
#pragma once

#include "core/batch/granttestresult.h"
#include "core/token/copyformat.h"
#include "ui/uicontext.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUuid>

#include <optional>

class QWidget;

namespace gk {

struct Grant;

class TestRunController : public QObject
{
    Q_OBJECT

public:
    // window: the parent of the message boxes this shows, and of this controller.
    TestRunController(const UiContext& context, QWidget* window);
    // Abandons a running batch without reporting it: the window that showed it is going.
    ~TestRunController() override;

    // label names the grants in the status line ("all grants"). Ignored while a batch runs.
    void run(const QList<Grant>& grants, const QString& label);
    // A test like any other (it is recorded); tokenReadyForCopy() follows once the grant has a live token.
    void fetchForCopy(const Grant& grant, CopyFormat::Kind format);
    void cancel();
    bool isRunning() const;

    // This session's result has more detail (certificate, scopes) than the history, but a newer test in the
    // history (from the command line, say) wins: nullopt then.
    std::optional<GrantTestResult> currentResult(const Grant& grant) const;
    // The grant's live token was dropped or replaced, or the grant is gone: its result no longer applies.
    void forgetResult(const QUuid& grantId);

signals:
    void statusChanged(const QString& text);
    void started(int total); // the batch is running (isRunning() is true)
    void progressed(int done, int total);
    void finished(); // isRunning() is false again
    // The server answered: the list may show the outcome before the history reaches the file.
    void outcomeRecorded(const QUuid& grantId, const gk::TestRecord& record);
    void grantTested(const QUuid& grantId);
    // The batch's history is in the file (or failed to get there, then statusMessage() said so).
    void historySaved();
    void statusMessage(const QString& text, int timeoutMs);
    void tokenReadyForCopy(const gk::Grant& grant, gk::CopyFormat::Kind format);
    void problem(const QString& title, const QString& summary, const QString& advice);
    void reenterCredentialsRequested(const QUuid& grantId);

private:
    void onGrantTested(const GrantTestResult& result);
    void onBatchFinished(const QList<GrantTestResult>& results);
    void completePendingCopy(const GrantTestResult& result);
    // Tells that tests never reached the server (a locked keychain, a missing entry) and what to do about it.
    void showLocalProblem(const GrantTestResult& result, int notTested);
    // Appends the records to the history in the file, off the UI thread.
    void saveTestRecords(const QList<QPair<QUuid, TestRecord>>& records);

    UiContext m_context;
    QWidget* m_window;
    QHash<QUuid, GrantTestResult> m_lastResults; // this session's outcomes, without tokens
    struct PendingCopy
    {
        QUuid grantId;
        CopyFormat::Kind format;
    };
    std::optional<PendingCopy> m_pendingCopy;
    bool m_reportedLocalProblem = false; // a copy's fetch already told the user why it could not test
};

} // namespace gk
