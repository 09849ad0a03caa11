#include "ui/mainwindow.h"

#include "core/batch/batchtester.h"
#include "core/expiry/clock.h"
#include "core/expiry/expirystatus.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/grant/secretrotation.h"
#include "core/identity/appidentity.h"
#include "core/model/grantlistmodel.h"
#include "core/settings/preferences.h"
#include "core/text/durationtext.h"
#include "core/token/livetokens.h"
#include "core/token/tokenclient.h"
#include "core/vault/credentialvault.h"
#include "core/verdict/verdicttally.h"
#include "ui/clipboardguard.h"
#include "ui/grantdetailspane.h"
#include "ui/grantdialog.h"
#include "ui/grantfilterproxymodel.h"
#include "ui/grantstatusdelegate.h"
#include "ui/preferencesdialog.h"
#include "ui/uilogging.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

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

} // namespace

MainWindow::MainWindow(const UiContext& context, QWidget* parent)
    : QMainWindow(parent)
    , m_context(context)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(AppIdentity::displayName());

    m_model = new GrantListModel(m_context.clock, this);
    m_model->setWarningDays(m_context.preferences.expiryWarningDays());
    m_proxy = new GrantFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);

    // The tester was made without a store: the window saves a batch's records itself, off the UI thread
    // (onBatchFinished).
    m_tester = &m_context.tester;
    connect(m_tester, &BatchTester::grantTested, this, &MainWindow::onGrantTested);
    connect(m_tester, &BatchTester::finished, this, &MainWindow::onBatchFinished);
    connect(m_tester, &BatchTester::slowedDown, this, [this](std::chrono::milliseconds wait, int concurrency) {
        m_statusLabel->setText(BatchTester::describeSlowdown(wait, concurrency) + QLatin1Char(' ') +
                               tr("Press Esc to stop instead."));
    });
    connect(m_tester, &BatchTester::progress, this, [this](int done, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        m_progress->setFormat(tr("%1 of %2").arg(done).arg(total));
    });

    // The one owner of live tokens tells the list and the details pane when one changes or lapses.
    connect(&m_context.liveTokens, &LiveTokens::changed, this, [this](const QUuid& id) {
        m_model->setLiveTokenExpiry(id, m_context.liveTokens.expiresAt(id));
        if (m_details->grantId() == id)
            m_details->setTokenExpiry(m_context.liveTokens.expiresAt(id));
        updateActions();
    });
    m_rotation = new SecretRotation(m_context.repository, m_context.vault, m_context.client, m_context.clock, this);

    m_clipboard = &m_context.clipboard;
    m_clipboard->setClearDelay(std::chrono::seconds(m_context.preferences.clipboardClearSeconds()));

    createActions();
    createCentralWidgets();
    createMenusAndToolBar();
    createStatusBar();

    connect(m_clipboard, &ClipboardGuard::countdownChanged, this, [this](int secondsLeft, const QString& what) {
        m_clipboardLabel->setText(tr("The %1 is on the clipboard; cleared in %2 s").arg(what).arg(secondsLeft));
        m_clipboardLabel->show();
        m_clearClipboardButton->show();
    });
    connect(m_clipboard, &ClipboardGuard::cleared, this, [this](bool byUs) {
        m_clipboardLabel->hide();
        m_clearClipboardButton->hide();
        if (byUs)
            statusBar()->showMessage(tr("Clipboard cleared."), 5000);
    });

    m_ticker.setInterval(std::chrono::seconds(1));
    connect(&m_ticker, &QTimer::timeout, this, &MainWindow::tick);
    m_ticker.start();

    // The command line may change grants.json while the window is open: follow it.
    m_watcher = new QFileSystemWatcher(this);
    const QFileInfo storeFile(m_context.store.filePath());
    m_watcher->addPath(storeFile.absolutePath());
    if (storeFile.exists())
        m_watcher->addPath(storeFile.absoluteFilePath());
    // One save touches the folder several times (lock file, temporary file, rename): wait for it to settle,
    // and reload only when the file is not the one the store last read or wrote itself (our own saves are
    // already in the list).
    m_reloadDebounce.setSingleShot(true);
    m_reloadDebounce.setInterval(std::chrono::milliseconds(200));
    connect(&m_reloadDebounce, &QTimer::timeout, this, [this] {
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
    });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, &m_reloadDebounce, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, &m_reloadDebounce, qOverload<>(&QTimer::start));

    restoreLayout();
    updateActions();
}

MainWindow::~MainWindow()
{
    // The tester outlives the window: nothing of a running batch may reach the window any more.
    m_tester->disconnect(this);
    m_tester->cancel();
}

void MainWindow::createActions()
{
    m_addAction = makeAction(this, QStringLiteral("addGrantAction"), tr("&Add Grant…"), QKeySequence::New,
                             tr("Add a grant and store its Client ID and Secret in the keychain"));
    m_editAction = makeAction(this, QStringLiteral("editGrantAction"), tr("&Edit Grant…"),
                              QKeySequence(Qt::CTRL | Qt::Key_E), tr("Edit the selected grant or rotate its secret"));
    m_deleteAction = makeAction(this, QStringLiteral("deleteGrantAction"), tr("&Delete Grant…"), QKeySequence::Delete,
                                tr("Delete the selected grant and its keychain entry"));
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
    m_filterAction = makeAction(this, QStringLiteral("filterAction"), tr("&Filter"), QKeySequence::Find,
                                tr("Filter the grants by name, user or environment"));
    m_reloadAction = makeAction(this, QStringLiteral("reloadAction"), tr("&Reload"), QKeySequence::Refresh,
                                tr("Read the grants file again"));
    m_preferencesAction = makeAction(this, QStringLiteral("preferencesAction"), tr("&Preferences…"),
                                     QKeySequence(Qt::CTRL | Qt::Key_Comma), tr("Change Grant Keeper's preferences"));
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    m_quitAction = makeAction(this, QStringLiteral("quitAction"), tr("&Quit"), QKeySequence::Quit,
                              tr("Quit Grant Keeper and clear the clipboard and live tokens"));
    m_aboutAction = makeAction(this, QStringLiteral("aboutAction"), tr("&About Grant Keeper"), QKeySequence(Qt::Key_F1),
                               tr("About Grant Keeper"));

    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut); // Delete in a text field deletes text
    m_cancelAction->setEnabled(false);
    // Esc cancels tests from the list and details; in the filter box it clears the filter instead.
    m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);

    connect(m_addAction, &QAction::triggered, this, &MainWindow::addGrant);
    connect(m_editAction, &QAction::triggered, this, &MainWindow::editGrant);
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteGrant);
    connect(m_testAction, &QAction::triggered, this, &MainWindow::testSelected);
    connect(m_testAllAction, &QAction::triggered, this, &MainWindow::testAll);
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::cancelTests);
    connect(m_copyTokenAction, &QAction::triggered, this, [this] { copyToken(CopyFormat::Token); });
    connect(m_copyHeaderAction, &QAction::triggered, this, [this] { copyToken(CopyFormat::AuthorizationHeader); });
    connect(m_copyCurlAction, &QAction::triggered, this, [this] { copyToken(CopyFormat::CurlCommand); });
    connect(m_reloadAction, &QAction::triggered, this, &MainWindow::reloadFromStore);
    connect(m_preferencesAction, &QAction::triggered, this, &MainWindow::showPreferences);
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::close);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenusAndToolBar()
{
    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_addAction);
    fileMenu->addAction(m_reloadAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_preferencesAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_quitAction);

    auto* grantMenu = menuBar()->addMenu(tr("&Grant"));
    grantMenu->addAction(m_editAction);
    grantMenu->addAction(m_deleteAction);
    grantMenu->addSeparator();
    grantMenu->addAction(m_testAction);
    grantMenu->addAction(m_testAllAction);
    grantMenu->addAction(m_cancelAction);
    grantMenu->addSeparator();
    grantMenu->addAction(m_copyTokenAction);
    grantMenu->addAction(m_copyHeaderAction);
    grantMenu->addAction(m_copyCurlAction);

    auto* viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->addAction(m_filterAction);

    auto* helpMenu = menuBar()->addMenu(tr("&Help"));
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

    m_stack = new QStackedWidget(this);
    setCentralWidget(m_stack);

    // The first-run page: what a grant is, and one obvious button.
    m_emptyPage = new QWidget(m_stack);
    m_emptyPage->setObjectName(QStringLiteral("emptyStatePage"));
    auto* emptyLayout = new QVBoxLayout(m_emptyPage);
    emptyLayout->addStretch(2);
    auto* emptyTitle = new QLabel(tr("No grants yet"), m_emptyPage);
    QFont titleFont = emptyTitle->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    emptyTitle->setFont(titleFont);
    emptyTitle->setAlignment(Qt::AlignCenter);
    auto* emptyText = new QLabel(
        tr("An OAuth2 <b>grant</b> lets an integration act as a Workiva integration user. When you create one in "
           "Workiva (Organization Admin → Security → API Grant) you see its <b>Client ID</b> and <b>Client "
           "Secret</b> once.<br><br>Add the grant here: Grant Keeper keeps the secret in your system keychain, "
           "proves the grant works by fetching a token, and warns you before it expires."),
        m_emptyPage);
    emptyText->setObjectName(QStringLiteral("emptyStateText"));
    emptyText->setWordWrap(true);
    emptyText->setAlignment(Qt::AlignCenter);
    emptyText->setMaximumWidth(560);
    auto* emptyButton = new QPushButton(tr("&Add Grant…"), m_emptyPage);
    emptyButton->setObjectName(QStringLiteral("emptyStateAddButton"));
    emptyButton->setAccessibleName(tr("Add grant"));
    emptyButton->setDefault(true);
    connect(emptyButton, &QPushButton::clicked, this, &MainWindow::addGrant);
    emptyLayout->addWidget(emptyTitle);
    emptyLayout->addSpacing(12);
    emptyLayout->addWidget(emptyText, 0, Qt::AlignHCenter);
    emptyLayout->addSpacing(16);
    emptyLayout->addWidget(emptyButton, 0, Qt::AlignHCenter);
    emptyLayout->addStretch(3);
    m_stack->addWidget(m_emptyPage);

    auto* listPage = new QWidget(m_stack);
    listPage->setObjectName(QStringLiteral("grantListPage"));
    auto* listLayout = new QVBoxLayout(listPage);
    listLayout->setContentsMargins(6, 6, 6, 0);

    m_readOnlyLabel = new QLabel(listPage);
    m_readOnlyLabel->setObjectName(QStringLiteral("readOnlyNotice"));
    m_readOnlyLabel->setWordWrap(true);
    m_readOnlyLabel->setFrameShape(QFrame::StyledPanel);
    m_readOnlyLabel->setMargin(8);
    m_readOnlyLabel->hide();
    listLayout->addWidget(m_readOnlyLabel);

    m_noticeFrame = new QFrame(listPage);
    m_noticeFrame->setObjectName(QStringLiteral("attentionNotice"));
    m_noticeFrame->setFrameShape(QFrame::StyledPanel);
    auto* noticeLayout = new QHBoxLayout(m_noticeFrame);
    m_noticeLabel = new QLabel(m_noticeFrame);
    m_noticeLabel->setObjectName(QStringLiteral("attentionNoticeLabel"));
    m_noticeLabel->setWordWrap(true);
    m_noticeLabel->setTextFormat(Qt::RichText);
    auto* dismiss = new QPushButton(tr("Dis&miss"), m_noticeFrame);
    dismiss->setObjectName(QStringLiteral("dismissNoticeButton"));
    dismiss->setAccessibleName(tr("Dismiss the expiry notice"));
    connect(dismiss, &QPushButton::clicked, this, [this] {
        m_noticeDismissed = true;
        m_noticeFrame->hide();
    });
    noticeLayout->addWidget(m_noticeLabel, 1);
    noticeLayout->addWidget(dismiss, 0, Qt::AlignTop);
    m_noticeFrame->hide();
    listLayout->addWidget(m_noticeFrame);

    m_splitter = new QSplitter(Qt::Horizontal, listPage);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_table = new QTableView(m_splitter);
    m_table->setObjectName(QStringLiteral("grantTable"));
    m_table->setAccessibleName(tr("Grants"));
    m_table->setModel(m_proxy);
    m_table->setItemDelegate(new GrantStatusDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(GrantListModel::ExpiryColumn, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTabKeyNavigation(false); // Tab leaves the list instead of walking every cell
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(GrantListModel::NameColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->setColumnWidth(GrantListModel::UserColumn, 120);
    m_table->setColumnWidth(GrantListModel::EnvironmentColumn, 90);
    m_table->setColumnWidth(GrantListModel::ExpiryColumn, 150);
    m_table->setColumnWidth(GrantListModel::LastTestColumn, 130);
    m_table->setColumnWidth(GrantListModel::TokenColumn, 100);
    m_table->setMinimumWidth(420);
    m_table->addAction(m_deleteAction);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (QAction* action : {m_editAction, m_testAction, m_copyTokenAction, m_copyHeaderAction, m_copyCurlAction})
        m_table->addAction(action);
    connect(m_table, &QTableView::doubleClicked, this, &MainWindow::editGrant);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::onSelectionChanged);

    m_details = new GrantDetailsPane(m_context.clock, m_splitter);
    connect(m_details, &GrantDetailsPane::revealSecretRequested, this, &MainWindow::revealInDetails);
    connect(m_details, &GrantDetailsPane::reenterCredentialsRequested, this, &MainWindow::editGrant);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    listLayout->addWidget(m_splitter, 1);
    listPage->addAction(m_cancelAction);
    m_stack->addWidget(listPage);

    setTabOrder(m_filterEdit, m_table);
    setTabOrder(m_table, m_details);
}

void MainWindow::createStatusBar()
{
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_statusLabel->setAccessibleName(tr("Status"));
    statusBar()->addWidget(m_statusLabel, 1);

    m_clipboardLabel = new QLabel(this);
    m_clipboardLabel->setObjectName(QStringLiteral("clipboardCountdownLabel"));
    m_clipboardLabel->setAccessibleName(tr("Clipboard countdown"));
    m_clipboardLabel->hide();
    m_clearClipboardButton = new QPushButton(tr("Clear C&lipboard"), this);
    m_clearClipboardButton->setObjectName(QStringLiteral("clearClipboardButton"));
    m_clearClipboardButton->setAccessibleName(tr("Clear the clipboard now"));
    m_clearClipboardButton->setFlat(true);
    m_clearClipboardButton->hide();
    connect(m_clearClipboardButton, &QPushButton::clicked, m_clipboard, &ClipboardGuard::clearNow);
    statusBar()->addPermanentWidget(m_clipboardLabel);
    statusBar()->addPermanentWidget(m_clearClipboardButton);

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
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelTests);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancelButton);
}

void MainWindow::restoreLayout()
{
    const QSettings settings(m_context.settingsFilePath, QSettings::IniFormat);
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1180, 720);
    if (!m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray()))
        m_splitter->setSizes({width() * 62 / 100, width() * 38 / 100});
    m_table->horizontalHeader()->restoreState(settings.value(QStringLiteral("window/header")).toByteArray());
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
    if (!m_noticeDismissed)
        showAttentionNotice();
}

void MainWindow::showAttentionNotice()
{
    const int warningDays = m_context.preferences.expiryWarningDays();
    QStringList lines;
    for (const Grant& grant : m_context.store.grants()) {
        const ExpiryStatus status = ExpiryStatus::evaluate(grant.expiresOn, m_context.clock.today(), warningDays);
        if (status.state() == ExpiryState::Expired || status.state() == ExpiryState::Expiring)
            lines.append(QStringLiteral("<b>%1</b>: %2").arg(grant.name.toHtmlEscaped(), status.describe()));
    }
    if (lines.isEmpty()) {
        m_noticeFrame->hide();
        return;
    }
    m_noticeLabel->setText(
        (lines.size() == 1
             ? tr("⚠ One grant needs attention (warning window: %1 days): ").arg(warningDays)
             : tr("⚠ %1 grants need attention (warning window: %2 days): ").arg(lines.size()).arg(warningDays)) +
        lines.join(QStringLiteral("; ")));
    m_noticeFrame->show();
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
        // This session's result has more detail (certificate, scopes), but a newer test (from the command line,
        // say) in the history wins.
        const auto result = m_lastResults.constFind(grant->id);
        const TestRecord* last = grant->lastTest();
        const bool current = result != m_lastResults.constEnd() && (!last || result->testedAt >= last->testedAt);
        m_details->setLastResult(current ? std::optional<GrantTestResult>(*result) : std::nullopt);
        m_details->setTokenExpiry(m_context.liveTokens.expiresAt(grant->id));
    }
    updateActions();
}

void MainWindow::updateActions()
{
    const bool writable = !m_context.store.isReadOnly();
    const int selected = int(m_table->selectionModel()->selectedRows().size());
    const bool running = m_tester->isRunning();
    m_addAction->setEnabled(writable);
    m_editAction->setEnabled(writable && selected == 1);
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
    if (m_context.store.isReadOnly())
        return;
    Grant grant = Grant::create(QString(), m_context.clock.now());
    grant.region = m_context.preferences.defaultRegion();
    grant.apiVersion = m_context.preferences.defaultApiVersion();
    auto* dialog = new GrantDialog(GrantDialogMode::Add, grant, m_context.store.grants(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &GrantDialog::saveRequested, this, [this, dialog] { saveFromDialog(dialog, false); });
    dialog->open();
}

void MainWindow::editGrant()
{
    const auto grant = currentGrant();
    if (!grant || m_context.store.isReadOnly())
        return;
    auto* dialog = new GrantDialog(GrantDialogMode::Edit, *grant, m_context.store.grants(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &GrantDialog::saveRequested, this, [this, dialog] { saveFromDialog(dialog, true); });
    connect(dialog, &GrantDialog::revealRequested, this,
            [this, dialog, id = grant->id] { revealForDialog(dialog, id); });
    dialog->open();
}

void MainWindow::saveFromDialog(GrantDialog* dialog, bool editing)
{
    Grant grant = dialog->grant();
    grant.updatedAt = m_context.clock.now();
    const std::optional<Credentials> credentials = dialog->credentials();
    // A live token belongs to the endpoint, scopes and credentials it was fetched with: once a save changes them,
    // it goes (and this session's last result with it). A save that fails changes nothing.
    const auto before = m_context.store.find(grant.id);
    const bool dropsLiveToken =
        editing && (!before || before->tokenUrl() != grant.tokenUrl() || before->apiVersion != grant.apiVersion ||
                    !(before->requestedScopes == grant.requestedScopes) || before->authMethod != grant.authMethod ||
                    !(before->trust == grant.trust) || credentials);
    if (!editing || !credentials || dialog->saveWithoutVerifying()) {
        storeFromDialog(dialog, grant, credentials, dropsLiveToken);
        return;
    }
    // A new secret for an existing grant is a rotation: it replaces the stored one only once it has proved
    // itself with a live token, and the attempt is recorded as a rotation, not as a test of the grant.
    dialog->setBusy(true, tr("Checking the new secret with %1…").arg(grant.tokenUrl().host()));
    const QPointer<GrantDialog> guard(dialog);
    connect(dialog, &QObject::destroyed, m_rotation, &SecretRotation::cancel);
    connect(
        m_rotation, &SecretRotation::finished, this,
        [this, guard, grant](const RotationOutcome& outcome) {
            if (!outcome.replaced) {
                if (guard) {
                    guard->setBusy(false);
                    guard->showSaveError(outcome.summary(), outcome.advice());
                }
                refreshList();
                return;
            }
            // The new secret's token is the grant's live token now.
            m_lastResults.remove(grant.id);
            m_context.liveTokens.store(grant.id, outcome.token->token(), outcome.token->response().receivedAt);
            showSaved(guard, grant, false);
        },
        Qt::SingleShotConnection);
    m_rotation->rotate(grant, *credentials, std::chrono::seconds(m_context.preferences.requestTimeout()),
                       SecretRotation::Save::GrantAndCredentials);
}

void MainWindow::showSaved(GrantDialog* dialog, const Grant& grant, bool testAfter)
{
    if (dialog)
        dialog->accept();
    refreshList();
    selectGrant(grant.id);
    statusBar()->showMessage(tr("Saved \"%1\".").arg(grant.name), 5000);
    if (testAfter)
        if (const auto saved = m_context.store.find(grant.id))
            runTests({*saved}, grant.name);
}

void MainWindow::storeFromDialog(GrantDialog* dialog, const Grant& grant, const std::optional<Credentials>& credentials,
                                 bool dropsLiveToken)
{
    dialog->setBusy(true, credentials ? tr("Saving to the keychain…") : tr("Saving…"));
    const bool testAfter = dialog->testAfterSaving();
    // The window, not the dialog, receives the outcome: if the user closes the dialog meanwhile, the save still
    // completes and the list must still show it.
    const QPointer<GrantDialog> guard(dialog);
    m_context.repository.save(grant, credentials, this,
                              [this, guard, grant, testAfter, dropsLiveToken](const RepositoryResult& result) {
                                  if (!result.isSuccess()) {
                                      if (guard) {
                                          guard->setBusy(false);
                                          guard->showSaveError(result.summary(), result.advice());
                                      } else {
                                          showError(tr("Save grant"), result.summary(), result.advice());
                                      }
                                      return;
                                  }
                                  if (dropsLiveToken) {
                                      m_context.liveTokens.remove(grant.id);
                                      m_lastResults.remove(grant.id);
                                  }
                                  showSaved(guard, grant, testAfter);
                              });
}

void MainWindow::revealForDialog(GrantDialog* dialog, const QUuid& id)
{
    m_context.vault.load(id.toString(QUuid::WithoutBraces), dialog, [dialog](const VaultLoadResult& loaded) {
        if (loaded.error.isError()) {
            dialog->showSaveError(loaded.error.summary(), loaded.error.advice());
            return;
        }
        dialog->setRevealedSecret(loaded.credentials.clientId(), loaded.credentials.clientSecret());
    });
}

void MainWindow::revealInDetails()
{
    const auto id = m_details->grantId();
    if (!id)
        return;
    // The keychain may have to ask the user to unlock it first: say what is being waited for.
    statusBar()->showMessage(tr("Reading the secret from the keychain…"));
    m_context.vault.load(id->toString(QUuid::WithoutBraces), this, [this, id](const VaultLoadResult& loaded) {
        statusBar()->clearMessage();
        if (m_details->grantId() != id || !m_details->wantsSecretShown())
            return; // the selection moved on, or the user pressed Hide, meanwhile
        if (loaded.error.isError()) {
            m_details->hideSecret();
            showError(tr("Reveal secret"), loaded.error.summary(), loaded.error.advice());
            return;
        }
        m_details->setRevealedSecret(loaded.credentials.clientSecret());
    });
}

void MainWindow::deleteGrant()
{
    const QList<Grant> grants = selectedGrants();
    if (grants.isEmpty() || m_context.store.isReadOnly())
        return;
    QStringList names;
    for (const Grant& grant : grants)
        names.append(grant.name);
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Delete grant"),
                                tr("Delete %1? Its Client ID and Secret are removed from the keychain; the grant "
                                   "itself stays in Workiva until you revoke it there.")
                                    .arg(names.join(QStringLiteral(", "))),
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteConfirmation"));
    box->setTextFormat(Qt::PlainText);
    auto* deleteButton = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    deleteButton->setObjectName(QStringLiteral("confirmDeleteButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, grants, deleteButton](QAbstractButton* button) {
        if (button != deleteButton)
            return;
        statusBar()->showMessage(tr("Removing from the keychain…"));
        for (const Grant& grant : grants) {
            m_context.repository.remove(grant.id, this, [this, grant](const RepositoryResult& result) {
                statusBar()->clearMessage();
                if (!result.isSuccess()) {
                    showError(tr("Delete grant"), result.summary(), result.advice());
                    return;
                }
                m_context.liveTokens.remove(grant.id);
                m_lastResults.remove(grant.id);
                refreshList();
                statusBar()->showMessage(tr("Deleted \"%1\".").arg(grant.name), 5000);
            });
        }
    });
    box->open();
}

void MainWindow::testSelected()
{
    const QList<Grant> grants = selectedGrants();
    if (!grants.isEmpty())
        runTests(grants, grants.size() == 1 ? grants.first().name : tr("%1 grants").arg(grants.size()));
}

void MainWindow::testAll()
{
    runTests(m_context.store.grants(), tr("all grants"));
}

void MainWindow::runTests(const QList<Grant>& grants, const QString& label)
{
    if (m_tester->isRunning() || grants.isEmpty())
        return;
    m_tester->setTimeout(std::chrono::seconds(m_context.preferences.requestTimeout()));
    m_statusLabel->setText(tr("Testing %1…").arg(label));
    m_progress->setRange(0, int(grants.size()));
    m_progress->setValue(0);
    m_progress->show();
    m_cancelButton->show();
    m_tester->start(grants);
    updateActions();
}

void MainWindow::cancelTests()
{
    m_pendingCopy.reset();
    m_tester->cancel();
}

void MainWindow::onGrantTested(const GrantTestResult& result)
{
    if (result.hasToken())
        m_context.liveTokens.store(result.grantId, result.token->token(), result.token->response().receivedAt);
    const TestVerdict verdict = result.verdict();
    // Only the server's answer is the grant's result: a test that never asked it (a locked keychain, say) is told
    // when the batch ends and leaves the last real result, and the live token, as they are.
    if (const auto record = result.toTestRecord()) {
        m_lastResults.insert(result.grantId, BatchTester::withoutToken(result));
        // The history reaches the file when the batch ends; the list shows each outcome as it arrives.
        m_model->recordTest(result.grantId, *record);
    }

    if (m_pendingCopy && m_pendingCopy->grantId == result.grantId) {
        const CopyFormat::Kind format = m_pendingCopy->format;
        m_pendingCopy.reset();
        const auto grant = m_context.store.find(result.grantId);
        const auto token = m_context.liveTokens.find(result.grantId);
        if (grant && token)
            copyLiveToken(*grant, *token, format);
        else if (verdict.localReason() != TestVerdict::LocalReason::Cancelled) {
            showError(tr("Copy token"), verdict.summary(), verdict.advice());
            m_reportedLocalProblem = !verdict.isRecorded();
        }
    }
    if (m_details->grantId() == result.grantId)
        onSelectionChanged();
}

void MainWindow::onBatchFinished(const QList<GrantTestResult>& results)
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
    m_progress->hide();
    m_cancelButton->hide();
    m_statusLabel->setText(tr("Test finished: %1.").arg(tally.describe()));
    // A local problem is this computer's, not the grants': say so once, with what to do (a copy already said it).
    if (localProblem && !m_reportedLocalProblem)
        showLocalProblem(*localProblem, notTested);
    m_reportedLocalProblem = false;

    // The list already shows each outcome (onGrantTested); the history goes to the file without the UI
    // thread waiting for it.
    if (const auto records = BatchTester::recordsOf(results); !records.isEmpty())
        saveTestRecords(records);
}

void MainWindow::showLocalProblem(const GrantTestResult& result, int notTested)
{
    const TestVerdict verdict = result.verdict();
    const QString summary = notTested == 1
                                ? verdict.summary()
                                : tr("%n grants were not tested. %1", nullptr, notTested).arg(verdict.summary());
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Test"), summary, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorMessage"));
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(verdict.advice());
    box->setAttribute(Qt::WA_DeleteOnClose);
    // The keychain has no entry for this grant: the way out is to enter its Client ID and Secret again.
    if (notTested == 1 && result.vaultError.code == VaultErrorCode::NotFound) {
        auto* reenter = box->addButton(tr("&Enter Client ID and Secret…"), QMessageBox::AcceptRole);
        reenter->setObjectName(QStringLiteral("reenterCredentialsButton"));
        connect(reenter, &QAbstractButton::clicked, this, [this, id = result.grantId] {
            selectGrant(id);
            editGrant();
        });
    }
    box->open();
}

void MainWindow::saveTestRecords(const QList<QPair<QUuid, TestRecord>>& records)
{
    m_context.store.appendTestRecordsAsync(records, this, [this](const StoreError& error) {
        if (error.isError()) {
            qCWarning(lcUi) << "could not record the test results:" << error.codeName();
            statusBar()->showMessage(tr("The test results were not saved: %1").arg(error.summary()), 10'000);
            showReadOnlyState();
        }
        // What the file holds now, merged with other processes' saves: in place, so nothing moves.
        refreshList();
    });
}

void MainWindow::copyToken(CopyFormat::Kind format)
{
    const auto grant = currentGrant();
    if (!grant)
        return;
    if (const auto token = m_context.liveTokens.find(grant->id)) {
        copyLiveToken(*grant, *token, format);
        return;
    }
    if (m_tester->isRunning()) {
        statusBar()->showMessage(tr("Wait for the running test to finish, or cancel it (Esc)."), 5000);
        return;
    }
    // No live token: fetch one (a test, recorded like any other), then copy it.
    m_pendingCopy = PendingCopy{grant->id, format};
    runTests({*grant}, tr("%1 for a token").arg(grant->name));
}

void MainWindow::copyLiveToken(const Grant& grant, const LiveToken& token, CopyFormat::Kind format)
{
    const QString what = CopyFormat::description(format);
    m_clipboard->copySecret(CopyFormat::text(format, grant, token.accessToken), what);
    statusBar()->showMessage(tr("Copied the %1 of \"%2\".").arg(what, grant.name), 3000);
}

void MainWindow::showPreferences()
{
    auto* dialog = new PreferencesDialog(m_context.preferences, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        m_model->setWarningDays(m_context.preferences.expiryWarningDays());
        m_clipboard->setClearDelay(std::chrono::seconds(m_context.preferences.clipboardClearSeconds()));
        onSelectionChanged();
        showAttentionNotice();
    });
    dialog->open();
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
    m_tester->cancel();
    m_context.liveTokens.clear();
    m_clipboard->clearNow();
    QMainWindow::closeEvent(event);
}

} // namespace gk
