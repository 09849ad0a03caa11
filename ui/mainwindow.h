// The administrator's main window: the grant list at a glance, the selected grant's details, and the actions
// (add, edit, delete, test, copy a live token). The window is the chrome; the workflows behind the actions live in
// GrantEditController, TestRunController and TokenCopyController. All keychain and network work is asynchronous.
#pragma once

#include "core/token/copyformat.h"
#include "ui/uicontext.h"

#include <QList>
#include <QMainWindow>
#include <QTimer>
#include <QUuid>

#include <optional>

class QAction;
class QFileSystemWatcher;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace gk {

class AttentionNotice;
class GrantColumnFitter;
class GrantDetailsPane;
class GrantEditController;
class KeychainCheckController;
class GrantFilterProxyModel;
class GrantListModel;
class TestRunController;
class TokenCopyController;
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
    // Shows the window in front (a second launch asked for it); the token lets the desktop move focus to it.
    void bringToFront(const QString& activationToken);

protected:
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void createActions();
    void createApplicationActions();
    void createMenusAndToolBar();
    void createCentralWidgets();
    void createFilterEdit();
    QWidget* createEmptyPage();
    QWidget* createListPage();
    QLabel* createReadOnlyLabel(QWidget* parent);
    AttentionNotice* createAttentionNotice(QWidget* parent);
    QTableView* createGrantTable(QWidget* parent);
    void createStatusBar();
    void createClipboardIndicator();
    void createTestProgress();
    void connectControllers();
    void connectTestRun();
    void connectLiveTokensAndClipboard();
    void watchStoreFile();
    void reloadIfChangedElsewhere();
    void restoreLayout();
    void fitWindowToScreen();
    void fitSplitterToWidth();
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
    // After a save or a rotation succeeded: shows and selects the grant, tests it if asked.
    void showSaved(const Grant& grant, bool testAfter);
    void revealInDetails();
    void testSelected();
    void testAll();
    void copyToken(CopyFormat::Kind format);
    void showPreferences();
    void showHelp();
    void exportCalendar();
    void showAbout();
    void showError(const QString& title, const QString& summary, const QString& advice);

    UiContext m_context;
    GrantListModel* m_model = nullptr;
    GrantFilterProxyModel* m_proxy = nullptr;
    GrantEditController* m_edits = nullptr;
    TestRunController* m_tests = nullptr;
    TokenCopyController* m_copies = nullptr;
    KeychainCheckController* m_keychainCheck = nullptr;
    QTimer m_ticker;
    QTimer m_reloadDebounce;
    QTimer m_closeDeadline;
    bool m_gaveUpWaiting = false;
    bool m_splitterSized = false;
    int m_rowBeforeDelete = 0; // where the list's selection goes once a delete is done
    QFileSystemWatcher* m_watcher = nullptr;

    QStackedWidget* m_stack = nullptr;
    QSplitter* m_splitter = nullptr;
    QTableView* m_table = nullptr;
    GrantColumnFitter* m_columns = nullptr;
    GrantDetailsPane* m_details = nullptr;
    QLineEdit* m_filterEdit = nullptr;
    AttentionNotice* m_notice = nullptr;
    QLabel* m_readOnlyLabel = nullptr;
    QLabel* m_statusLabel = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QLabel* m_clipboardLabel = nullptr;
    QPushButton* m_clearClipboardButton = nullptr;

    QAction* m_addAction = nullptr;
    QAction* m_editAction = nullptr;
    QAction* m_deleteAction = nullptr;
    QAction* m_rotateSecretAction = nullptr;
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
    QAction* m_helpAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_checkKeychainAction = nullptr;
    QAction* m_exportCalendarAction = nullptr;
};

} // namespace gk
