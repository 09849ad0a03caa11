// The administrator's main window: the grant list at a glance, the selected grant's details, and the actions
// (add, edit, delete, test, copy a live token). All keychain and network work is asynchronous, through the core.
#pragma once

#include "core/batch/granttestresult.h"
#include "core/token/copyformat.h"
#include "core/token/livetokens.h"
#include "core/vault/credentials.h"
#include "ui/uicontext.h"

#include <QHash>
#include <QList>
#include <QMainWindow>
#include <QPair>
#include <QPointer>
#include <QTimer>
#include <QUuid>

#include <optional>

class QAction;
class QFileSystemWatcher;
class QFrame;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace gk {

class BatchTester;
class ClipboardGuard;
class GrantDetailsPane;
class GrantDialog;
class GrantFilterProxyModel;
class GrantListModel;
class SecretRotation;
struct Grant;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // The context's parts must outlive the window.
    explicit MainWindow(const UiContext& context, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads the grants and shows what needs attention. Call once, after the window is shown.
    void start();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenusAndToolBar();
    void createCentralWidgets();
    void createStatusBar();
    void restoreLayout();
    void saveLayout() const;

    void reloadFromStore();
    void showReadOnlyState();
    void refreshList();
    void showAttentionNotice();
    void updateActions();
    std::optional<Grant> currentGrant() const;
    QList<Grant> selectedGrants() const;
    void selectGrant(const QUuid& id);
    void onSelectionChanged();
    void tick();

    void addGrant();
    void editGrant();
    void deleteGrant();
    void saveFromDialog(GrantDialog* dialog, bool editing);
    void storeFromDialog(GrantDialog* dialog, const Grant& grant, const std::optional<Credentials>& credentials,
                         bool dropsLiveToken);
    // After a save or a rotation succeeded: closes the dialog, shows and selects the grant, tests it if asked.
    void showSaved(GrantDialog* dialog, const Grant& grant, bool testAfter);
    void revealForDialog(GrantDialog* dialog, const QUuid& id);
    void revealInDetails();

    void testSelected();
    void testAll();
    void runTests(const QList<Grant>& grants, const QString& label);
    void cancelTests();
    void onGrantTested(const GrantTestResult& result);
    void onBatchFinished(const QList<GrantTestResult>& results);
    // Tells that tests never reached the server (a locked keychain, a missing entry) and what to do about it.
    void showLocalProblem(const GrantTestResult& result, int notTested);
    // Appends the records to the history in the file, off the UI thread, then shows what the file holds.
    void saveTestRecords(const QList<QPair<QUuid, TestRecord>>& records);

    void copyToken(CopyFormat::Kind format);
    void copyLiveToken(const Grant& grant, const LiveToken& token, CopyFormat::Kind format);
    void showPreferences();
    void showAbout();
    void showError(const QString& title, const QString& summary, const QString& advice);

    UiContext m_context;
    GrantListModel* m_model = nullptr;
    GrantFilterProxyModel* m_proxy = nullptr;
    BatchTester* m_tester = nullptr;
    ClipboardGuard* m_clipboard = nullptr;
    SecretRotation* m_rotation = nullptr;
    QHash<QUuid, GrantTestResult> m_lastResults; // this session's outcomes, without tokens
    struct PendingCopy
    {
        QUuid grantId;
        CopyFormat::Kind format;
    };
    std::optional<PendingCopy> m_pendingCopy;
    QTimer m_ticker;
    QTimer m_reloadDebounce;
    QTimer m_closeDeadline;
    bool m_gaveUpWaiting = false;
    bool m_noticeDismissed = false;
    bool m_reportedLocalProblem = false; // a copy's fetch already told the user why it could not test
    QFileSystemWatcher* m_watcher = nullptr;

    QStackedWidget* m_stack = nullptr;
    QWidget* m_emptyPage = nullptr;
    QSplitter* m_splitter = nullptr;
    QTableView* m_table = nullptr;
    GrantDetailsPane* m_details = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    QFrame* m_noticeFrame = nullptr;
    QLabel* m_noticeLabel = nullptr;
    QLabel* m_readOnlyLabel = nullptr;
    QLabel* m_statusLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QLabel* m_clipboardLabel = nullptr;
    QPushButton* m_clearClipboardButton = nullptr;

    QAction* m_addAction = nullptr;
    QAction* m_editAction = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_testAction = nullptr;
    QAction* m_testAllAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_copyTokenAction = nullptr;
    QAction* m_copyHeaderAction = nullptr;
    QAction* m_copyCurlAction = nullptr;
    QAction* m_filterAction = nullptr;
    QAction* m_reloadAction = nullptr;
    QAction* m_preferencesAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_aboutAction = nullptr;
};

} // namespace gk
