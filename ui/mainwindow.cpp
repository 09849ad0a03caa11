#include "ui/mainwindow.h"

#include "core/expiry/clock.h"
#include "core/expiry/expiryattention.h"
#include "core/expiry/expirystatus.h"
#include "core/expiry/grantcalendar.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/identity/appidentity.h"
#include "core/model/grantlistmodel.h"
#include "core/settings/preferences.h"
#include "core/token/livetokens.h"
#include "core/vault/credentialvault.h"
#include "ui/attentionnotice.h"
#include "ui/clipboardguard.h"
#include "ui/grantcolumnfitter.h"
#include "ui/grantdetailspane.h"
#include "ui/granteditcontroller.h"
#include "ui/grantfilterproxymodel.h"
#include "ui/grantstatusdelegate.h"
#include "ui/helpdialog.h"
#include "ui/keychaincheckcontroller.h"
#include "ui/preferencesdialog.h"
#include "ui/testruncontroller.h"
#include "ui/tokencopycontroller.h"
#include "ui/uilogging.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace gk {

namespace {

QAction* makeAction(QObject* parent, const QString& objectName, const QString& text, const QKeySequence& shortcut,
                    const QString& toolTip)
{
    auto* action = new QAction(text, parent);
    action->setObjectName(objectName);
    action->setShortcut(shortcut);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(toolTip, shortcut.toString(QKeySequence::NativeText)));
    action->setStatusTip(toolTip);
    return action;
}

QAction* separator(QObject* parent)
{
    auto* action = new QAction(parent);
    action->setSeparator(true);
    return action;
}

} // namespace

MainWindow::MainWindow(const UiContext& context, QWidget* parent)
    : QMainWindow(parent)
    , m_context(context)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(AppIdentity::displayName());
    setWindowIcon(QIcon::fromTheme(AppIdentity::desktopId(),
                                   QIcon(QStringLiteral(":/icons/%1.svg").arg(AppIdentity::desktopId()))));

    m_model = new GrantListModel(m_context.clock, this);
    m_model->setWarningDays(m_context.preferences.expiryWarningDays());
    m_proxy = new GrantFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);

    m_edits = new GrantEditController(m_context, this);
    m_tests = new TestRunController(m_context, this);
    m_copies = new TokenCopyController(m_context, *m_tests, this);
    m_keychainCheck = new KeychainCheckController(m_context, this);

    createActions();
    createCentralWidgets();
    createMenusAndToolBar();
    createStatusBar();
    connectControllers();
    connectLiveTokensAndClipboard();

    m_ticker.setInterval(std::chrono::seconds(1));
    connect(&m_ticker, &QTimer::timeout, this, &MainWindow::tick);
    m_ticker.start();

    watchStoreFile();
    restoreLayout();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_addAction = makeAction(this, QStringLiteral("addGrantAction"), tr("&Add Grant…"), QKeySequence::New,
                             tr("Add a grant and store its Client ID and Secret in the keychain"));
    m_editAction = makeAction(this, QStringLiteral("editGrantAction"), tr("&Edit Grant…"),
                              QKeySequence(Qt::CTRL | Qt::Key_E), tr("Edit the selected grant or rotate its secret"));
    m_deleteAction = makeAction(this, QStringLiteral("deleteGrantAction"), tr("&Delete Grant…"), QKeySequence::Delete,
                                tr("Delete the selected grant and its keychain entry"));
    m_rotateSecretAction = makeAction(this, QStringLiteral("rotateSecretAction"), tr("&Rotate Secret…"),
                                      QKeySequence(Qt::CTRL | Qt::Key_R),
                                      tr("Replace the Client Secret with one regenerated in Workiva, verified first"));
    m_testAction = makeAction(this, QStringLiteral("testAction"), tr("&Test"), QKeySequence(Qt::CTRL | Qt::Key_T),
                              tr("Fetch a token for the selected grants"));
    m_testAllAction = makeAction(this, QStringLiteral("testAllAction"), tr("Test A&ll"),
                                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T), tr("Fetch a token for every grant"));
    m_cancelAction = makeAction(this, QStringLiteral("cancelTestsAction"), tr("&Cancel Tests"),
                                QKeySequence(Qt::Key_Escape), tr("Stop the running tests"));
    m_copyTokenAction = makeAction(this, QStringLiteral("copyTokenAction"), tr("&Copy Token"),
                                   QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
                                   tr("Copy a live access token of the selected grant"));
    m_copyHeaderAction = makeAction(this, QStringLiteral("copyHeaderAction"), tr("Copy as Authorization &Header"),
                                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H),
                                    tr("Copy \"Authorization: Bearer …\" with a live token"));
    m_copyCurlAction = makeAction(this, QStringLiteral("copyCurlAction"), tr("Copy as c&url Command"),
                                  QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U),
                                  tr("Copy a curl command for the grant's API with a live token"));
    createApplicationActions();

    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut); // Delete in a text field deletes text
    m_cancelAction->setEnabled(false);
    // Esc cancels tests from the list and details; in the filter box it clears the filter instead.
    m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);

    connect(m_addAction, &QAction::triggered, this, &MainWindow::addGrant);
    connect(m_editAction, &QAction::triggered, this, &MainWindow::editGrant);
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteGrant);
    connect(m_testAction, &QAction::triggered, this, &MainWindow::testSelected);
    connect(m_testAllAction, &QAction::triggered, this, &MainWindow::testAll);
    connect(m_cancelAction, &QAction::triggered, m_tests, &TestRunController::cancel);
    connect(m_copyTokenAction, &QAction::triggered, this, [this] { copyToken(CopyFormat::Token); });
    connect(m_copyHeaderAction, &QAction::triggered, this, [this] { copyToken(CopyFormat::AuthorizationHeader); });
    connect(m_copyCurlAction, &QAction::triggered, this, [this] { copyToken(CopyFormat::CurlCommand); });
}

// The actions that are about the application rather than a grant: filter, reload, export, preferences, help, quit.
void MainWindow::createApplicationActions()
{
    m_filterAction = makeAction(this, QStringLiteral("filterAction"), tr("&Filter"), QKeySequence::Find,
                                tr("Filter the grants by name, user or environment"));
    m_reloadAction = makeAction(this, QStringLiteral("reloadAction"), tr("&Reload"), QKeySequence::Refresh,
                                tr("Read the grants file again"));
    m_preferencesAction = makeAction(this, QStringLiteral("preferencesAction"), tr("&Preferences…"),
                                     QKeySequence(Qt::CTRL | Qt::Key_Comma), tr("Change Grant Keeper's preferences"));
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    m_quitAction = makeAction(this, QStringLiteral("quitAction"), tr("&Quit"), QKeySequence::Quit,
                              tr("Quit Grant Keeper and clear the clipboard and live tokens"));
    m_helpAction = makeAction(this, QStringLiteral("helpAction"), tr("Grant Keeper &Help"), QKeySequence::HelpContents,
                              tr("How to add a grant, every shortcut, and what test results mean"));
    m_aboutAction = new QAction(tr("&About Grant Keeper"), this); // reached from the Help menu (Alt+H, A)
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
    m_aboutAction->setMenuRole(QAction::AboutRole);
    m_checkKeychainAction = makeAction(this, QStringLiteral("checkKeychainAction"), tr("Check &Keychain Entries…"),
                                       QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K),
                                       tr("Find grants without a keychain entry and keychain entries no grant uses"));
    m_exportCalendarAction = makeAction(this, QStringLiteral("exportCalendarAction"), tr("Export &Calendar…"),
                                        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                                        tr("Save the grants' expiration dates as an iCalendar file with reminders"));
    connect(m_exportCalendarAction, &QAction::triggered, this, &MainWindow::exportCalendar);
    connect(m_reloadAction, &QAction::triggered, this, &MainWindow::reloadFromStore);
    connect(m_preferencesAction, &QAction::triggered, this, &MainWindow::showPreferences);
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::close);
    connect(m_helpAction, &QAction::triggered, this, &MainWindow::showHelp);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenusAndToolBar()
{
    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_addAction);
    fileMenu->addAction(m_reloadAction);
    fileMenu->addAction(m_exportCalendarAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_preferencesAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_quitAction);

    auto* grantMenu = menuBar()->addMenu(tr("&Grant"));
    grantMenu->addAction(m_editAction);
    grantMenu->addAction(m_rotateSecretAction);
    grantMenu->addAction(m_deleteAction);
    grantMenu->addSeparator();
    grantMenu->addAction(m_testAction);
    grantMenu->addAction(m_testAllAction);
    grantMenu->addAction(m_cancelAction);
    grantMenu->addSeparator();
    grantMenu->addAction(m_copyTokenAction);
    grantMenu->addAction(m_copyHeaderAction);
    grantMenu->addAction(m_copyCurlAction);
    grantMenu->addSeparator();
    grantMenu->addAction(m_checkKeychainAction);

    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(m_filterAction);

    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(m_helpAction);
    helpMenu->addSeparator();
    helpMenu->addAction(m_aboutAction);

    auto* toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolBar->addAction(m_addAction);
    toolBar->addAction(m_editAction);
    toolBar->addAction(m_deleteAction);
    toolBar->addSeparator();
    toolBar->addAction(m_testAction);
    toolBar->addAction(m_testAllAction);
    toolBar->addSeparator();
    toolBar->addAction(m_copyTokenAction);
    auto* spacer = new QWidget(toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolBar->addWidget(spacer);
    toolBar->addWidget(m_filterEdit);
}

void MainWindow::createCentralWidgets()
{
    createFilterEdit();
    m_stack = new QStackedWidget(this);
    setCentralWidget(m_stack);
    m_stack->addWidget(createEmptyPage());
    m_stack->addWidget(createListPage());
    setTabOrder(m_filterEdit, m_table);
    setTabOrder(m_table, m_details);
}

void MainWindow::createFilterEdit()
{
    m_filterEdit = new QLineEdit(this);
    m_filterEdit->setObjectName(QStringLiteral("filterEdit"));
    m_filterEdit->setPlaceholderText(tr("Filter (Ctrl+F)"));
    m_filterEdit->setAccessibleName(tr("Filter grants"));
    m_filterEdit->setClearButtonEnabled(true);
    m_filterEdit->setMaximumWidth(260);
    connect(m_filterEdit, &QLineEdit::textChanged, m_proxy, &GrantFilterProxyModel::setFilterText);
    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_filterEdit->setFocus(Qt::ShortcutFocusReason);
        m_filterEdit->selectAll();
    });
    addAction(m_filterAction);
    auto* clearFilter = new QAction(tr("Clear the filter"), m_filterEdit);
    clearFilter->setShortcut(QKeySequence(Qt::Key_Escape));
    clearFilter->setShortcutContext(Qt::WidgetShortcut);
    connect(clearFilter, &QAction::triggered, m_filterEdit, &QLineEdit::clear);
    m_filterEdit->addAction(clearFilter);
}

// The first-run page: what a grant is, and one obvious button.
QWidget* MainWindow::createEmptyPage()
{
    auto* page = new QWidget(m_stack);
    page->setObjectName(QStringLiteral("emptyStatePage"));
    auto* layout = new QVBoxLayout(page);
    layout->addStretch(2);
    auto* title = new QLabel(tr("No grants yet"), page);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);
    auto* text = new QLabel(
        tr("An OAuth2 <b>grant</b> lets an integration act as a Workiva integration user. You create one in Workiva "
           "under <b>Organization Admin → Security → Provisioning → API Grant</b> (in the classic admin: "
           "<b>Admin → Account Admin → People → OAuth2 Grants</b>), and Workiva shows its <b>Client ID</b> and "
           "<b>Client Secret</b> once.<br><br>Add the grant here: Grant Keeper keeps the secret in your system "
           "keychain, proves the grant works by fetching a token, and warns you before it expires."),
        page);
    text->setObjectName(QStringLiteral("emptyStateText"));
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    text->setMaximumWidth(34 * text->fontMetrics().averageCharWidth() * 2);
    // Centred by stretches, not by an alignment flag: a word-wrapped label given an alignment in a box layout
    // loses its height-for-width and is cut off after a few lines.
    auto* textRow = new QHBoxLayout;
    textRow->addStretch(1);
    textRow->addWidget(text, 4);
    textRow->addStretch(1);
    auto* addButton = new QPushButton(tr("&Add Grant…"), page);
    addButton->setObjectName(QStringLiteral("emptyStateAddButton"));
    addButton->setAccessibleName(tr("Add grant"));
    addButton->setDefault(true);
    connect(addButton, &QPushButton::clicked, this, &MainWindow::addGrant);
    layout->addWidget(title);
    layout->addSpacing(12);
    layout->addLayout(textRow);
    layout->addSpacing(16);
    layout->addWidget(addButton, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    return page;
}

QWidget* MainWindow::createListPage()
{
    auto* page = new QWidget(m_stack);
    page->setObjectName(QStringLiteral("grantListPage"));
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(createReadOnlyLabel(page));
    layout->addWidget(createAttentionNotice(page));

    m_splitter = new QSplitter(Qt::Horizontal, page);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_table = createGrantTable(m_splitter);
    m_details = new GrantDetailsPane(m_context.clock, m_splitter);
    connect(m_details, &GrantDetailsPane::revealSecretRequested, this, &MainWindow::revealInDetails);
    connect(m_details, &GrantDetailsPane::reenterCredentialsRequested, this, &MainWindow::editGrant);
    connect(m_details, &GrantDetailsPane::trustCertificateRequested, this, [this](const CertificateInfo& certificate) {
        if (const auto grant = currentGrant())
            m_edits->trustCertificate(*grant, certificate);
    });
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->installEventFilter(this);
    layout->addWidget(m_splitter, 1);
    page->addAction(m_cancelAction);
    return page;
}

QLabel* MainWindow::createReadOnlyLabel(QWidget* parent)
{
    m_readOnlyLabel = new QLabel(parent);
    m_readOnlyLabel->setObjectName(QStringLiteral("readOnlyNotice"));
    m_readOnlyLabel->setWordWrap(true);
    m_readOnlyLabel->setFrameShape(QFrame::StyledPanel);
    m_readOnlyLabel->setMargin(8);
    m_readOnlyLabel->hide();
    return m_readOnlyLabel;
}

AttentionNotice* MainWindow::createAttentionNotice(QWidget* parent)
{
    m_notice = new AttentionNotice(parent);
    connect(m_notice, &AttentionNotice::showOnlyRequested, this,
            [this](const QSet<QUuid>& ids) { m_proxy->setOnlyGrants(ids); });
    connect(m_notice, &AttentionNotice::showAllRequested, this, [this] { m_proxy->setOnlyGrants(std::nullopt); });
    return m_notice;
}

QTableView* MainWindow::createGrantTable(QWidget* parent)
{
    auto* table = new QTableView(parent);
    table->setObjectName(QStringLiteral("grantTable"));
    table->setAccessibleName(tr("Grants"));
    table->setModel(m_proxy);
    table->setItemDelegate(new GrantStatusDelegate(table));
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table->setSortingEnabled(true);
    table->sortByColumn(GrantListModel::ExpiryColumn, Qt::AscendingOrder);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setTabKeyNavigation(false); // Tab leaves the list instead of walking every cell
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionsMovable(true);
    table->horizontalHeader()->setTextElideMode(Qt::ElideRight);
    m_columns = new GrantColumnFitter(table);
    // The context menu: what is done most first, what cannot be undone last.
    table->setContextMenuPolicy(Qt::ActionsContextMenu);
    table->addActions({m_testAction, m_copyTokenAction, m_copyHeaderAction, m_copyCurlAction});
    table->addAction(separator(table));
    table->addActions({m_editAction, m_rotateSecretAction});
    table->addAction(separator(table));
    table->addAction(m_deleteAction);
    connect(table, &QTableView::doubleClicked, this, &MainWindow::editGrant);
    connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::onSelectionChanged);
    return table;
}

void MainWindow::createStatusBar()
{
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_statusLabel->setAccessibleName(tr("Status"));
    statusBar()->addWidget(m_statusLabel, 1);
    createClipboardIndicator();
    createTestProgress();
}

void MainWindow::createClipboardIndicator()
{
    m_clipboardLabel = new QLabel(this);
    m_clipboardLabel->setObjectName(QStringLiteral("clipboardCountdownLabel"));
    m_clipboardLabel->setAccessibleName(tr("Clipboard countdown"));
    m_clipboardLabel->hide();
    m_clearClipboardButton = new QPushButton(tr("Clear C&lipboard"), this);
    m_clearClipboardButton->setObjectName(QStringLiteral("clearClipboardButton"));
    m_clearClipboardButton->setAccessibleName(tr("Clear the clipboard now"));
    m_clearClipboardButton->setFlat(true);
    m_clearClipboardButton->hide();
    connect(m_clearClipboardButton, &QPushButton::clicked, &m_context.clipboard, &ClipboardGuard::clearNow);
    statusBar()->addPermanentWidget(m_clipboardLabel);
    statusBar()->addPermanentWidget(m_clearClipboardButton);
}

void MainWindow::createTestProgress()
{
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("testProgressBar"));
    m_progress->setAccessibleName(tr("Test progress"));
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setObjectName(QStringLiteral("cancelTestsButton"));
    m_cancelButton->setAccessibleName(tr("Cancel the running tests"));
    m_cancelButton->setToolTip(tr("Stop the running tests (Esc)"));
    m_cancelButton->hide();
    connect(m_cancelButton, &QPushButton::clicked, m_tests, &TestRunController::cancel);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
}

void MainWindow::connectControllers()
{
    // An empty text takes the message away.
    connect(m_edits, &GrantEditController::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_edits, &GrantEditController::problem, this, &MainWindow::showError);
    connect(m_edits, &GrantEditController::saved, this, &MainWindow::showSaved);
    connect(m_rotateSecretAction, &QAction::triggered, this, [this] {
        if (const auto grant = currentGrant())
            m_edits->rotateSecret(*grant);
    });
    connect(m_edits, &GrantEditController::liveTokenInvalidated, m_tests, &TestRunController::forgetResult);
    // The rejected attempt is in the grant's history now.
    connect(m_edits, &GrantEditController::rotationFailed, this, &MainWindow::refreshList);
    connect(m_edits, &GrantEditController::removed, this, [this](const Grant& grant) {
        refreshList();
        // The next grant takes the deleted one's place, so the keyboard can go on from there.
        if (!m_table->selectionModel()->hasSelection() && m_proxy->rowCount() > 0)
            m_table->selectRow(std::min(m_rowBeforeDelete, m_proxy->rowCount() - 1));
        statusBar()->showMessage(tr("Deleted “%1”.").arg(grant.name), 5000);
    });
    connect(m_copies, &TokenCopyController::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_keychainCheck, &KeychainCheckController::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_checkKeychainAction, &QAction::triggered, m_keychainCheck, &KeychainCheckController::check);
    connectTestRun();
}

void MainWindow::connectTestRun()
{
    connect(m_tests, &TestRunController::statusChanged, m_statusLabel, &QLabel::setText);
    connect(m_tests, &TestRunController::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_tests, &TestRunController::problem, this, &MainWindow::showError);
    connect(m_tests, &TestRunController::started, this, [this](int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(0);
        m_progress->show();
        m_cancelButton->show();
        updateActions();
    });
    connect(m_tests, &TestRunController::progressed, this, [this](int done, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        m_progress->setFormat(tr("%1 of %2").arg(done).arg(total));
    });
    connect(m_tests, &TestRunController::finished, this, [this] {
        m_progress->hide();
        m_cancelButton->hide();
        updateActions();
    });
    connect(m_tests, &TestRunController::outcomeRecorded, m_model, &GrantListModel::recordTest);
    connect(m_tests, &TestRunController::grantTested, this, [this](const QUuid& id) {
        if (m_details->grantId() == id)
            onSelectionChanged();
    });
    // What the file holds now, merged with other processes' saves: in place, so nothing moves.
    connect(m_tests, &TestRunController::historySaved, this, [this] {
        showReadOnlyState();
        refreshList();
    });
    connect(m_tests, &TestRunController::reenterCredentialsRequested, this, [this](const QUuid& id) {
        selectGrant(id);
        editGrant();
    });
}

void MainWindow::connectLiveTokensAndClipboard()
{
    // The one owner of live tokens tells the list and the details pane when one changes or lapses.
    connect(&m_context.liveTokens, &LiveTokens::changed, this, [this](const QUuid& id) {
        m_model->setLiveTokenExpiry(id, m_context.liveTokens.expiresAt(id));
        if (m_details->grantId() == id)
            m_details->setTokenExpiry(m_context.liveTokens.expiresAt(id));
        updateActions();
    });
    connect(&m_context.clipboard, &ClipboardGuard::countdownChanged, this,
            [this](int secondsLeft, const QString& what) {
                m_clipboardLabel->setText(tr("The %1 is on the clipboard; cleared in %2 s").arg(what).arg(secondsLeft));
                m_clipboardLabel->show();
                m_clearClipboardButton->show();
            });
    connect(&m_context.clipboard, &ClipboardGuard::cleared, this, [this](bool byUs) {
        m_clipboardLabel->hide();
        m_clearClipboardButton->hide();
        if (byUs)
            statusBar()->showMessage(tr("Clipboard cleared."), 5000);
    });
}

// The command line may change grants.json while the window is open: follow it.
void MainWindow::watchStoreFile()
{
    m_watcher = new QFileSystemWatcher(this);
    const QFileInfo storeFile(m_context.store.filePath());
    m_watcher->addPath(storeFile.absolutePath());
    if (storeFile.exists())
        m_watcher->addPath(storeFile.absoluteFilePath());
    // One save touches the folder several times (lock file, temporary file, rename): wait for it to settle.
    m_reloadDebounce.setSingleShot(true);
    m_reloadDebounce.setInterval(std::chrono::milliseconds(200));
    connect(&m_reloadDebounce, &QTimer::timeout, this, &MainWindow::reloadIfChangedElsewhere);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, &m_reloadDebounce, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, &m_reloadDebounce, qOverload<>(&QTimer::start));
}

// Reloads only when the file is not the one the store last read or wrote itself: our own saves are already in the
// list.
void MainWindow::reloadIfChangedElsewhere()
{
    if (m_context.store.hasPendingWrites()) {
        m_reloadDebounce.start(); // our own save is still on its way: look again once it has landed
        return;
    }
    const QFileInfo info(m_context.store.filePath());
    const QString path = info.absoluteFilePath();
    if (info.exists() && !m_watcher->files().contains(path))
        m_watcher->addPath(path);
    if (GrantStore::FileStamp::of(path) == m_context.store.fileStamp())
        return;
    reloadFromStore();
}

void MainWindow::restoreLayout()
{
    const QSettings settings(m_context.settingsFilePath, QSettings::IniFormat);
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1180, 720);
    fitWindowToScreen();
    // Sizes saved for the same layout stay as the user left them; any other layout is sized afresh.
    m_splitterSized = m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    m_table->horizontalHeader()->restoreState(settings.value(QStringLiteral("window/header")).toByteArray());
    fitSplitterToWidth();
}

// A size saved on another screen or at another scale factor never opens larger than this screen, or off it.
void MainWindow::fitWindowToScreen()
{
    const QScreen* screen = this->screen();
    if (!screen)
        return;
    const QRect available = screen->availableGeometry();
    // Before the window manager has framed the window its frame is unknown: allow for a title bar and borders.
    const int titleBar = style()->pixelMetric(QStyle::PM_TitleBarHeight);
    const QMargins frame =
        frameGeometry() == geometry()
            ? QMargins(4, titleBar + 4, 4, 4)
            : QMargins(geometry().left() - frameGeometry().left(), geometry().top() - frameGeometry().top(),
                       frameGeometry().right() - geometry().right(), frameGeometry().bottom() - geometry().bottom());
    const QSize fitting = size().boundedTo(available.marginsRemoved(frame).size());
    if (fitting != size())
        resize(fitting);
    const QSize outer = fitting.grownBy(frame);
    const QPoint topLeft(
        std::clamp(x(), available.left(), std::max(available.left(), available.right() + 1 - outer.width())),
        std::clamp(y(), available.top(), std::max(available.top(), available.bottom() + 1 - outer.height())));
    if (topLeft != pos())
        move(topLeft);
}

// The details sit beside the list when both fit at their narrowest, and below it otherwise: the list never needs
// a horizontal scroll bar, at 800×600 included.
void MainWindow::fitSplitterToWidth()
{
    const int detailsMinimum = 45 * fontMetrics().averageCharWidth();
    const int listMinimum = m_columns->minimumListWidth();
    const Qt::Orientation wanted =
        m_splitter->width() >= listMinimum + m_splitter->handleWidth() + detailsMinimum ? Qt::Horizontal : Qt::Vertical;
    const QList<int> sizes = m_splitter->sizes();
    if (wanted == m_splitter->orientation() && m_splitterSized &&
        (wanted == Qt::Vertical || sizes.value(0) >= listMinimum))
        return;
    // Before the window has its size, proportions worked out now would be wrong: size the parts once it has.
    m_splitterSized = m_splitter->height() >= m_splitter->minimumSizeHint().height() * 2;
    m_splitter->setOrientation(wanted);
    // Below the list the details get as much room as the list: they are what a selected grant is about.
    m_splitter->setStretchFactor(0, wanted == Qt::Horizontal ? 3 : 1);
    m_splitter->setStretchFactor(1, wanted == Qt::Horizontal ? 2 : 1);
    if (wanted == Qt::Horizontal) {
        const int total = m_splitter->width() - m_splitter->handleWidth();
        const int list = std::clamp(total * 62 / 100, listMinimum, total - detailsMinimum);
        m_splitter->setSizes({list, total - list});
    } else {
        const int total = m_splitter->height() - m_splitter->handleWidth();
        m_splitter->setSizes({total / 2, total - total / 2});
    }
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_splitter && event->type() == QEvent::Resize)
        fitSplitterToWidth();
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::saveLayout() const
{
    QSettings settings(m_context.settingsFilePath, QSettings::IniFormat);
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/header"), m_table->horizontalHeader()->saveState());
}

void MainWindow::start()
{
    reloadFromStore();
    showAttentionNotice();
}

void MainWindow::bringToFront(const QString& activationToken)
{
    qCInfo(lcUi) << "Brought to the front at the request of another launch";
    if (isMinimized())
        setWindowState(windowState() & ~Qt::WindowMinimized);
    show();
    raise();
    // Wayland's xdg-activation takes the token from here when the window asks for focus.
    if (!activationToken.isEmpty())
        qputenv("XDG_ACTIVATION_TOKEN", activationToken.toUtf8());
    activateWindow();
}

void MainWindow::reloadFromStore()
{
    m_context.store.load();
    showReadOnlyState();
    refreshList();
}

void MainWindow::showReadOnlyState()
{
    if (m_context.store.isReadOnly()) {
        const StoreError& error = m_context.store.readOnlyReason();
        m_readOnlyLabel->setText(tr("<b>Grant Keeper is read-only.</b> %1<br>%2")
                                     .arg(error.summary().toHtmlEscaped(), error.advice().toHtmlEscaped()));
        m_readOnlyLabel->show();
    } else {
        m_readOnlyLabel->hide();
    }
}

void MainWindow::refreshList()
{
    const auto selected = currentGrant();
    // In place when the same grants are listed: the selection, scroll position and filter stay as they are.
    m_model->setGrants(m_context.store.grants());
    for (const QUuid& id : m_context.liveTokens.grantIds())
        m_model->setLiveTokenExpiry(id, m_context.liveTokens.expiresAt(id));
    const bool empty = m_context.store.grants().isEmpty() && !m_context.store.isReadOnly();
    m_stack->setCurrentIndex(empty ? 0 : 1);
    const auto current = currentGrant();
    if (selected && (!current || current->id != selected->id))
        selectGrant(selected->id);
    else if (!selected && m_proxy->rowCount() > 0 && !m_table->selectionModel()->hasSelection())
        m_table->selectRow(0);
    onSelectionChanged();
    showAttentionNotice();
}

void MainWindow::showAttentionNotice()
{
    m_notice->setAttention(ExpiryAttention::of(m_context.store.grants(), m_context.clock.today(),
                                               m_context.preferences.expiryWarningDays()));
}

std::optional<Grant> MainWindow::currentGrant() const
{
    const QModelIndex index = m_table->selectionModel()->currentIndex();
    if (!index.isValid() || !m_table->selectionModel()->isRowSelected(index.row(), index.parent()))
        return selectedGrants().isEmpty() ? std::nullopt : std::optional<Grant>(selectedGrants().first());
    return m_model->grantAt(m_proxy->mapToSource(index).row());
}

QList<Grant> MainWindow::selectedGrants() const
{
    QList<Grant> grants;
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows()) {
        if (const auto grant = m_model->grantAt(m_proxy->mapToSource(index).row()))
            grants.append(*grant);
    }
    return grants;
}

void MainWindow::selectGrant(const QUuid& id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void MainWindow::onSelectionChanged()
{
    const auto grant = currentGrant();
    m_details->showGrant(grant, m_context.preferences.expiryWarningDays());
    if (grant) {
        m_details->setLastResult(m_tests->currentResult(*grant));
        m_details->setTokenExpiry(m_context.liveTokens.expiresAt(grant->id));
    }
    updateActions();
}

void MainWindow::updateActions()
{
    const bool writable = !m_context.store.isReadOnly();
    const int selected = int(m_table->selectionModel()->selectedRows().size());
    const bool running = m_tests->isRunning();
    m_addAction->setEnabled(writable);
    m_editAction->setEnabled(writable && selected == 1);
    m_rotateSecretAction->setEnabled(writable && selected == 1);
    m_deleteAction->setEnabled(writable && selected >= 1);
    m_testAction->setEnabled(!running && selected >= 1);
    m_testAllAction->setEnabled(!running && !m_context.store.grants().isEmpty());
    m_cancelAction->setEnabled(running);
    // A live token can be copied at any time; fetching one first has to wait for a running batch.
    const auto current = selected == 1 ? currentGrant() : std::nullopt;
    const bool live = current && m_context.liveTokens.find(current->id).has_value();
    for (QAction* copy : {m_copyTokenAction, m_copyHeaderAction, m_copyCurlAction})
        copy->setEnabled(selected == 1 && (live || !running));
}

void MainWindow::tick()
{
    m_context.liveTokens.dropLapsed();
    m_model->refreshTimes();
    m_details->refreshTimes();
}

void MainWindow::addGrant()
{
    m_edits->add();
}

void MainWindow::editGrant()
{
    if (const auto grant = currentGrant())
        m_edits->edit(*grant);
}

void MainWindow::deleteGrant()
{
    m_rowBeforeDelete = m_proxy->rowCount();
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        m_rowBeforeDelete = std::min(m_rowBeforeDelete, index.row());
    m_edits->remove(selectedGrants());
}

void MainWindow::showSaved(const Grant& grant, bool testAfter)
{
    refreshList();
    selectGrant(grant.id);
    statusBar()->showMessage(tr("Saved “%1”.").arg(grant.name), 5000);
    if (testAfter)
        if (const auto saved = m_context.store.find(grant.id))
            m_tests->run({*saved}, grant.name);
}

void MainWindow::revealInDetails()
{
    const auto id = m_details->grantId();
    if (!id)
        return;
    // The keychain may have to ask the user to unlock it first: say what is being waited for.
    statusBar()->showMessage(tr("Reading the Client ID and Secret from the keychain…"));
    m_context.vault.load(id->toString(QUuid::WithoutBraces), this, [this, id](const VaultLoadResult& loaded) {
        statusBar()->clearMessage();
        if (m_details->grantId() != id || !m_details->wantsSecretShown())
            return; // the selection moved on, or the user pressed Hide, meanwhile
        if (loaded.error.isError()) {
            m_details->hideSecret();
            showError(tr("Reveal secret"), loaded.error.summary(), loaded.error.advice());
            return;
        }
        m_details->setRevealedCredentials(loaded.credentials.clientId(), loaded.credentials.clientSecret());
    });
}

void MainWindow::testSelected()
{
    const QList<Grant> grants = selectedGrants();
    if (!grants.isEmpty())
        m_tests->run(grants, grants.size() == 1 ? grants.first().name : tr("%1 grants").arg(grants.size()));
}

void MainWindow::testAll()
{
    m_tests->run(m_context.store.grants(), tr("all grants"));
}

void MainWindow::copyToken(CopyFormat::Kind format)
{
    if (const auto grant = currentGrant())
        m_copies->copy(*grant, format);
}

void MainWindow::showPreferences()
{
    auto* dialog = new PreferencesDialog(m_context.preferences, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        m_model->setWarningDays(m_context.preferences.expiryWarningDays());
        m_copies->applyPreferences();
        onSelectionChanged();
        showAttentionNotice();
    });
    dialog->open();
}

// The same file as `grantkeeper calendar`: events that a new import updates rather than duplicates.
void MainWindow::exportCalendar()
{
    auto* dialog = new QFileDialog(this, tr("Export Calendar"),
                                   QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
                                       .filePath(QStringLiteral("grant-expirations.ics")),
                                   tr("iCalendar files (*.ics)"));
    dialog->setObjectName(QStringLiteral("exportCalendarDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("ics"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
        const QList<Grant>& grants = m_context.store.grants();
        const int warningDays = m_context.preferences.expiryWarningDays();
        const QByteArray ics =
            GrantCalendar::iCalendar(grants, warningDays, m_context.clock.now(), AppIdentity::version());
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(ics) != ics.size() || !file.commit()) {
            showError(tr("Export calendar"), tr("Could not write %1: %2.").arg(path, file.errorString()),
                      tr("Choose a folder you can write to, or free some space, and export again."));
            return;
        }
        const auto dated =
            std::count_if(grants.cbegin(), grants.cend(), [](const Grant& g) { return g.expiresOn.has_value(); });
        statusBar()->showMessage(tr("Exported %1 expiration dates, each with a reminder %2 days before, to %3.")
                                     .arg(dated)
                                     .arg(warningDays)
                                     .arg(path),
                                 8000);
    });
    dialog->open();
}

void MainWindow::showHelp()
{
    if (auto* open = findChild<HelpDialog*>()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto* dialog = new HelpDialog(findChildren<QAction*>(Qt::FindDirectChildrenOnly), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Grant Keeper"),
                       tr("<h3>Grant Keeper %1</h3><p>Keeps OAuth2 client-credentials grants safe and proves they "
                          "work.</p><p>Secrets are kept only in your system keychain; live tokens only in memory.</p>")
                           .arg(AppIdentity::version()));
}

void MainWindow::showError(const QString& title, const QString& summary, const QString& advice)
{
    auto* box = new QMessageBox(QMessageBox::Warning, title, summary, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorMessage"));
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(advice);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // A save half done (keychain written, metadata not yet) must reach its end before the app goes.
    if (m_context.repository.isBusy() && !m_gaveUpWaiting) {
        event->ignore();
        if (m_closeDeadline.isActive())
            return;
        m_statusLabel->setText(tr("Finishing a save before quitting…"));
        connect(&m_context.repository, &GrantRepository::idle, this, &QWidget::close, Qt::SingleShotConnection);
        m_closeDeadline.setSingleShot(true);
        connect(
            &m_closeDeadline, &QTimer::timeout, this,
            [this] {
                m_gaveUpWaiting = true;
                close();
            },
            Qt::SingleShotConnection);
        m_closeDeadline.start(std::chrono::seconds(15)); // longer than the keychain's own deadline
        return;
    }
    saveLayout();
    m_tests->cancel();
    m_context.liveTokens.clear();
    m_context.clipboard.clearNow();
    QMainWindow::closeEvent(event);
}

} // namespace gk
