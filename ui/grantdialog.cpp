#include "ui/grantdialog.h"

#include "core/text/printabletext.h"
#include "core/token/certificateinfo.h"
#include "core/token/tokenrequest.h"
#include "core/vault/credentialcheck.h"

#include <QAccessible>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QShortcut>
#include <QSslCertificate>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace gk {

namespace {

// The scopes Workiva's documentation shows (shared/reference/WORKIVA_API_NOTES.md), as read/write pairs so the
// grid reads like the admin UI; an empty entry leaves a cell free.
const QStringList KnownScopes = {
    QStringLiteral("file:read"),         QStringLiteral("file:write"),
    QStringLiteral("activity:read"),     QString(),
    QStringLiteral("graph:read"),        QStringLiteral("graph:write"),
    QStringLiteral("organization:read"), QStringLiteral("organization:write"),
    QStringLiteral("task:read"),         QStringLiteral("task:write"),
    QStringLiteral("data_tables|r"),     QStringLiteral("data_tables|w"),
};

QString scopeCheckName(const QString& scope)
{
    QString name = scope;
    name.replace(QLatin1Char(':'), QLatin1Char('_'));
    name.replace(QLatin1Char('|'), QLatin1Char('_'));
    return QStringLiteral("scopeCheck_") + name;
}

QLabel* makeHint(const QString& text, QWidget* parent)
{
    auto* hint = new QLabel(text, parent);
    hint->setTextFormat(Qt::PlainText);
    hint->setWordWrap(true);
    // Dimmed like placeholder text, from the palette, so it stays readable on light and dark themes alike.
    hint->setForegroundRole(QPalette::PlaceholderText);
    return hint;
}

QLabel* makeMessage(const QString& objectName, QWidget* parent)
{
    auto* message = new QLabel(parent);
    message->setObjectName(objectName);
    message->setTextFormat(Qt::PlainText); // names and URLs the user typed are shown, never interpreted
    message->setWordWrap(true);
    message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message->hide();
    return message;
}

// A titled section; the form is laid out on a body widget that keeps the normal font under the bold title.
QFormLayout* makeSection(const QString& title, const QString& hint, QWidget* parent, QVBoxLayout* into)
{
    auto* box = new QGroupBox(title, parent);
    QFont titleFont = box->font();
    titleFont.setBold(true);
    box->setFont(titleFont);
    auto* boxLayout = new QVBoxLayout(box);
    auto* body = new QWidget(box);
    QFont bodyFont = parent->font();
    bodyFont.setBold(false); // explicitly, or the body would inherit the title's weight
    body->setFont(bodyFont);
    boxLayout->addWidget(body);
    auto* form = new QFormLayout(body);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->addRow(makeHint(hint, body));
    into->addWidget(box);
    return form;
}

// A field with its messages close below it. QFormLayout sizes word-wrapped labels in the field column for a far
// narrower width than they get, which leaves gaps around them; a box layout in the cell sizes them right.
QWidget* stacked(QWidget* parent, const QList<QWidget*>& widgets)
{
    auto* cell = new QWidget(parent);
    auto* layout = new QVBoxLayout(cell);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    for (QWidget* widget : widgets)
        layout->addWidget(widget);
    return cell;
}

// A label with a mnemonic that moves the focus to its input.
QLabel* buddyLabel(const QString& text, QWidget* buddy, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setBuddy(buddy);
    return label;
}

template <typename Enum>
Enum comboValue(const QComboBox* combo)
{
    return static_cast<Enum>(combo->currentData().toInt());
}

template <typename Enum>
void selectComboValue(QComboBox* combo, Enum value)
{
    const int index = combo->findData(static_cast<int>(value));
    if (index >= 0)
        combo->setCurrentIndex(index);
}

} // namespace

GrantDialog::GrantDialog(GrantDialogMode mode, const Grant& grant, const QList<Grant>& existing, QWidget* parent)
    : QDialog(parent)
    , m_mode(mode)
    , m_input(grant)
    , m_existing(existing)
{
    setObjectName(QStringLiteral("grantDialog"));
    setWindowTitle(mode == GrantDialogMode::Add ? tr("Add grant")
                                                : tr("Edit grant “%1”").arg(printableText(grant.name, 60)));

    m_content = new QWidget;
    m_content->setObjectName(QStringLiteral("grantDialogContent"));
    auto* sections = new QVBoxLayout(m_content);
    if (mode == GrantDialogMode::Add) {
        auto* intro = new QLabel(tr("Fill in the sections in the order you created the grant in Workiva: "
                                    "the integration user and grant first, the Client ID and Secret last."),
                                 m_content);
        intro->setWordWrap(true);
        sections->addWidget(intro);
    }

    buildIntegrationSection(sections);
    buildEndpointSection(sections);
    buildScopesSection(sections);
    buildExpirationSection(sections);
    buildTrustSection(sections);
    buildCredentialsSection(sections);
    sections->addStretch(1);

    m_scrollArea = new QScrollArea(this);
    m_scrollArea->setObjectName(QStringLiteral("grantDialogScrollArea"));
    m_scrollArea->setWidgetResizable(true);
    m_scrollArea->setFrameShape(QFrame::NoFrame);
    m_scrollArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scrollArea->setWidget(m_content);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_scrollArea, 1);
    buildFooter();
    layout->addWidget(m_saveErrorLabel);
    layout->addWidget(m_busyRow);
    layout->addWidget(m_buttons);

    loadGrant(grant);
    connectValidation();
    setTabOrderFromLayout();
    applyMessageColours();
    updateEndpointRows();
    updateTrustRows();
    refresh();

    // About 640x720, and never taller than the screen: the sections scroll instead.
    QSize size(640, 720);
    if (const QScreen* screen = QGuiApplication::primaryScreen()) {
        const QSize available = screen->availableGeometry().size();
        size = size.boundedTo(QSize(available.width() - 40, available.height() - 60));
    }
    resize(size);
    m_nameEdit->setFocus(Qt::OtherFocusReason);
}

GrantDialog::~GrantDialog()
{
    // ~QDialog hides the window after our members are gone, and the focus-out makes a line edit emit
    // editingFinished: nothing may reach this object's slots any more.
    const QList<QObject*> children = findChildren<QObject*>();
    for (QObject* child : children)
        disconnect(child, nullptr, this, nullptr);
}

void GrantDialog::buildIntegrationSection(QVBoxLayout* sections)
{
    QWidget* parent = sections->parentWidget();
    auto* form = makeSection(tr("1. Integration"),
                             tr("Workiva acts as the grant's integration user: API calls respect that user's "
                                "permissions, and document history shows that user's name."),
                             parent, sections);
    auto* box = form->parentWidget();

    m_nameEdit = new QLineEdit(box);
    m_nameEdit->setObjectName(QStringLiteral("nameEdit"));
    m_nameEdit->setAccessibleName(tr("Name"));
    m_nameEdit->setPlaceholderText(tr("The system the grant authenticates, e.g. Payroll sync"));
    m_errorLabels.insert(m_nameEdit, makeMessage(QStringLiteral("nameError"), box));
    form->addRow(buddyLabel(tr("&Name:"), m_nameEdit, box),
                 stacked(box, {m_nameEdit, m_errorLabels.value(m_nameEdit)}));

    m_integrationUserEdit = new QLineEdit(box);
    m_integrationUserEdit->setObjectName(QStringLiteral("integrationUserEdit"));
    m_integrationUserEdit->setAccessibleName(tr("Integration user"));
    m_integrationUserEdit->setPlaceholderText(tr("The Workiva username the grant acts as"));
    m_errorLabels.insert(m_integrationUserEdit, makeMessage(QStringLiteral("integrationUserError"), box));
    m_sharedUserWarning = makeMessage(QStringLiteral("sharedUserWarning"), box);
    m_warningLabels.append(m_sharedUserWarning);
    const QString userHint = tr("One unique integration user per integration; it needs the Creator or Manager "
                                "role to change documents.");
    form->addRow(buddyLabel(tr("Integration &user:"), m_integrationUserEdit, box),
                 stacked(box, {m_integrationUserEdit, m_errorLabels.value(m_integrationUserEdit), m_sharedUserWarning,
                               makeHint(userHint, box)}));
    m_descriptions.insert(m_integrationUserEdit, userHint);

    m_notesEdit = new QPlainTextEdit(box);
    m_notesEdit->setObjectName(QStringLiteral("notesEdit"));
    m_notesEdit->setAccessibleName(tr("Notes"));
    m_notesEdit->setTabChangesFocus(true); // Tab moves on through the form, as everywhere else in the dialog
    m_notesEdit->setFixedHeight(m_notesEdit->fontMetrics().lineSpacing() * 3 + 14);
    form->addRow(buddyLabel(tr("N&otes:"), m_notesEdit, box), m_notesEdit);

    m_ipAllowlistEdit = new QLineEdit(box);
    m_ipAllowlistEdit->setObjectName(QStringLiteral("ipAllowlistEdit"));
    m_ipAllowlistEdit->setAccessibleName(tr("IP allowlist"));
    m_ipAllowlistEdit->setPlaceholderText(tr("What the grant's IP allowlist permits, as a reminder"));
    const QString allowlistHint = tr("A 403 answer often means this computer's address is not on the allowlist.");
    form->addRow(buddyLabel(tr("IP allo&wlist:"), m_ipAllowlistEdit, box),
                 stacked(box, {m_ipAllowlistEdit, makeHint(allowlistHint, box)}));
    m_ipAllowlistEdit->setAccessibleDescription(allowlistHint);
}

void GrantDialog::buildEndpointSection(QVBoxLayout* sections)
{
    QWidget* parent = sections->parentWidget();
    m_endpointForm = makeSection(tr("2. Token endpoint"),
                                 tr("Where the grant lives: your Workiva account's region, or a token URL you "
                                    "were given for a test host."),
                                 parent, sections);
    auto* form = m_endpointForm;
    auto* box = form->parentWidget();

    m_regionCombo = new QComboBox(box);
    m_regionCombo->setObjectName(QStringLiteral("regionCombo"));
    m_regionCombo->setAccessibleName(tr("Region"));
    for (Region region : {Region::US, Region::EU, Region::APAC}) {
        m_regionCombo->addItem(tr("%1 (%2)").arg(Environment::regionDisplayName(region), Environment::apiHost(region)),
                               static_cast<int>(region));
    }
    m_regionCombo->addItem(tr("Custom token URL"), static_cast<int>(Region::Custom));
    form->addRow(buddyLabel(tr("&Region:"), m_regionCombo, box), m_regionCombo);

    m_customUrlEdit = new QLineEdit(box);
    m_customUrlEdit->setObjectName(QStringLiteral("customUrlEdit"));
    m_customUrlEdit->setAccessibleName(tr("Custom token URL"));
    m_customUrlEdit->setPlaceholderText(QStringLiteral("https://…/oauth2/token"));
    m_errorLabels.insert(m_customUrlEdit, makeMessage(QStringLiteral("customUrlError"), box));
    form->addRow(buddyLabel(tr("Token UR&L:"), m_customUrlEdit, box),
                 stacked(box, {m_customUrlEdit, m_errorLabels.value(m_customUrlEdit)}));
    m_descriptions.insert(m_customUrlEdit, tr("Only for Custom token URL: https, or http for this computer only."));

    m_tokenUrlLabel = new QLabel(box);
    m_tokenUrlLabel->setObjectName(QStringLiteral("tokenUrlLabel"));
    m_tokenUrlLabel->setTextFormat(Qt::PlainText);
    m_tokenUrlLabel->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_tokenUrlLabel->setWordWrap(true);
    m_tokenUrlLabel->setAccessibleName(tr("Requests go to"));
    form->addRow(tr("Requests go to:"), stacked(box, {m_tokenUrlLabel}));

    m_apiVersionCombo = new QComboBox(box);
    m_apiVersionCombo->setObjectName(QStringLiteral("apiVersionCombo"));
    m_apiVersionCombo->setAccessibleName(tr("API version"));
    for (ApiVersion version : {ApiVersion::V2026_01_01, ApiVersion::V2022_01_01}) {
        const QString name = Environment::versionString(version);
        const auto since = Environment::deprecatedSince(version);
        const auto sunset = Environment::sunsetDate(version);
        const QString text = since && sunset
                                 ? tr("%1 — deprecated since %2, sunset %3")
                                       .arg(name, since->toString(Qt::ISODate), sunset->toString(Qt::ISODate))
                                 : tr("%1 (current)").arg(name);
        m_apiVersionCombo->addItem(text, static_cast<int>(version));
    }
    m_deprecatedVersionWarning = makeMessage(QStringLiteral("deprecatedVersionWarning"), box);
    m_warningLabels.append(m_deprecatedVersionWarning);
    {
        const ApiVersion old = ApiVersion::V2022_01_01;
        const ApiVersion current = Environment::DefaultApiVersion;
        m_deprecatedVersionWarning->setText(
            tr("Version %1 is deprecated and stops working on %2. Switch to %3 in this list, save, and test "
               "the grant: its token URL ends in %4.")
                .arg(Environment::versionString(old),
                     Environment::sunsetDate(old).value_or(QDate()).toString(Qt::ISODate),
                     Environment::versionString(current), Environment::tokenPath(current)));
    }
    form->addRow(buddyLabel(tr("API &version:"), m_apiVersionCombo, box),
                 stacked(box, {m_apiVersionCombo, m_deprecatedVersionWarning}));

    m_authMethodCombo = new QComboBox(box);
    m_authMethodCombo->setObjectName(QStringLiteral("authMethodCombo"));
    m_authMethodCombo->setAccessibleName(tr("Client authentication"));
    m_authMethodCombo->addItem(tr("In the form body"), static_cast<int>(ClientAuthMethod::FormBody));
    m_authMethodCombo->addItem(tr("HTTP Basic header"), static_cast<int>(ClientAuthMethod::HttpBasic));
    const QString authHint = tr("Workiva accepts both; its newer documents prefer the HTTP Basic header.");
    form->addRow(buddyLabel(tr("Client au&thentication:"), m_authMethodCombo, box),
                 stacked(box, {m_authMethodCombo, makeHint(authHint, box)}));
    m_authMethodCombo->setAccessibleDescription(authHint);
}

void GrantDialog::buildScopesSection(QVBoxLayout* sections)
{
    QWidget* parent = sections->parentWidget();
    auto* form = makeSection(tr("3. Scopes"),
                             tr("What the grant lets the integration do, as chosen when it was created. A test "
                                "shows what the server actually granted."),
                             parent, sections);
    auto* box = form->parentWidget();

    auto* grid = new QWidget(box);
    grid->setObjectName(QStringLiteral("knownScopes"));
    auto* gridLayout = new QGridLayout(grid);
    gridLayout->setContentsMargins(0, 0, 0, 0);
    for (qsizetype i = 0; i < KnownScopes.size(); ++i) {
        const QString& scope = KnownScopes.at(i);
        if (scope.isEmpty())
            continue;
        auto* check = new QCheckBox(scope, grid); // the wire name: what the admin UI and the test result show
        check->setObjectName(scopeCheckName(scope));
        check->setAccessibleName(tr("Scope %1").arg(scope));
        check->setProperty("scope", scope);
        gridLayout->addWidget(check, int(i / 2), int(i % 2));
        m_scopeChecks.append(check);
    }
    form->addRow(tr("Known scopes:"), grid);

    m_otherScopesEdit = new QLineEdit(box);
    m_otherScopesEdit->setObjectName(QStringLiteral("otherScopesEdit"));
    m_otherScopesEdit->setAccessibleName(tr("Other scopes"));
    m_otherScopesEdit->setPlaceholderText(tr("Separated by spaces"));
    form->addRow(buddyLabel(tr("Other sco&pes:"), m_otherScopesEdit, box), m_otherScopesEdit);
}

void GrantDialog::buildExpirationSection(QVBoxLayout* sections)
{
    QWidget* parent = sections->parentWidget();
    auto* form =
        makeSection(tr("4. Expiration"), tr("The date set in Workiva; Grant Keeper warns ahead."), parent, sections);
    auto* box = form->parentWidget();

    m_expiresCheck = new QCheckBox(tr("The grant &expires on:"), box);
    m_expiresCheck->setObjectName(QStringLiteral("expiresCheck"));
    m_expiresCheck->setAccessibleName(tr("The grant expires"));
    m_expiresDateEdit = new QDateEdit(box);
    m_expiresDateEdit->setObjectName(QStringLiteral("expiresDateEdit"));
    m_expiresDateEdit->setAccessibleName(tr("Expiration date"));
    m_expiresDateEdit->setCalendarPopup(true);
    m_expiresDateEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_expiresDateEdit->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_expiryPastWarning = makeMessage(QStringLiteral("expiryPastWarning"), box);
    m_expiryPastWarning->setText(
        tr("This date has passed, so the grant has expired: check the date in Workiva, or create a new grant."));
    m_warningLabels.append(m_expiryPastWarning);
    QWidget* dateCell = stacked(box, {m_expiresDateEdit, m_expiryPastWarning});
    dateCell->layout()->setAlignment(m_expiresDateEdit, Qt::AlignLeft);
    form->addRow(m_expiresCheck, dateCell);
}

void GrantDialog::buildTrustSection(QVBoxLayout* sections)
{
    QWidget* parent = sections->parentWidget();
    m_trustForm = makeSection(tr("5. Server certificate"),
                              tr("Keep the system CAs unless your policy keeps a local copy of Workiva's "
                                 "certificate; Workiva emails about 30 days before it changes."),
                              parent, sections);
    auto* form = m_trustForm;
    auto* box = form->parentWidget();

    m_trustModeCombo = new QComboBox(box);
    m_trustModeCombo->setObjectName(QStringLiteral("trustModeCombo"));
    m_trustModeCombo->setAccessibleName(tr("Server certificate trust"));
    m_trustModeCombo->addItem(tr("System CAs (default)"), static_cast<int>(TrustMode::System));
    m_trustModeCombo->addItem(tr("System CAs plus a CA file"), static_cast<int>(TrustMode::SystemPlusCaFile));
    m_trustModeCombo->addItem(tr("Pinned certificate"), static_cast<int>(TrustMode::Pinned));
    form->addRow(buddyLabel(tr("Server certific&ate:"), m_trustModeCombo, box), m_trustModeCombo);

    m_caFileRow = new QWidget(box);
    auto* caLayout = new QHBoxLayout(m_caFileRow);
    caLayout->setContentsMargins(0, 0, 0, 0);
    m_caFileEdit = new QLineEdit(m_caFileRow);
    m_caFileEdit->setObjectName(QStringLiteral("caFileEdit"));
    m_caFileEdit->setAccessibleName(tr("CA file"));
    m_caFileEdit->setPlaceholderText(tr("A PEM file with one or more CA certificates"));
    m_browseCaFileButton = new QPushButton(tr("&Browse…"), m_caFileRow);
    m_browseCaFileButton->setObjectName(QStringLiteral("browseCaFileButton"));
    m_browseCaFileButton->setAccessibleName(tr("Choose the CA file"));
    caLayout->addWidget(m_caFileEdit, 1);
    caLayout->addWidget(m_browseCaFileButton);
    m_errorLabels.insert(m_caFileEdit, makeMessage(QStringLiteral("caFileError"), box));
    m_caFileCell = stacked(box, {m_caFileRow, m_errorLabels.value(m_caFileEdit)});
    form->addRow(buddyLabel(tr("CA &file:"), m_caFileEdit, box), m_caFileCell);

    m_pinnedFingerprintEdit = new QLineEdit(box);
    m_pinnedFingerprintEdit->setObjectName(QStringLiteral("pinnedFingerprintEdit"));
    m_pinnedFingerprintEdit->setAccessibleName(tr("Pinned SHA-256 fingerprint"));
    m_pinnedFingerprintEdit->setPlaceholderText(tr("AB:CD:… (64 hexadecimal digits)"));
    m_errorLabels.insert(m_pinnedFingerprintEdit, makeMessage(QStringLiteral("pinnedFingerprintError"), box));
    m_pinnedCell = stacked(box, {m_pinnedFingerprintEdit, m_errorLabels.value(m_pinnedFingerprintEdit)});
    form->addRow(buddyLabel(tr("Pinned fin&gerprint:"), m_pinnedFingerprintEdit, box), m_pinnedCell);
    m_descriptions.insert(m_pinnedFingerprintEdit,
                          tr("The SHA-256 fingerprint of the server's own certificate; a test shows the one the "
                             "server presents."));

    connect(m_browseCaFileButton, &QPushButton::clicked, this, [this] {
        const QString current = m_caFileEdit->text().trimmed();
        const QString start = current.isEmpty() ? QDir::homePath() : QFileInfo(current).absolutePath();
        const QString path = QFileDialog::getOpenFileName(this, tr("Choose the CA certificate file"), start,
                                                          tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
        if (path.isEmpty())
            return;
        m_caFileEdit->setText(QDir::toNativeSeparators(path));
        markTouched(m_caFileEdit);
        m_caFileEdit->setFocus(Qt::OtherFocusReason);
    });
}

void GrantDialog::buildCredentialsSection(QVBoxLayout* sections)
{
    QWidget* parent = sections->parentWidget();
    const bool adding = m_mode == GrantDialogMode::Add;
    auto* form = makeSection(
        tr("6. Client ID and Secret"),
        adding ? tr("Copy both from the grant's Edit window in Workiva. The secret is shown there only once; "
                    "Grant Keeper keeps it in the system keychain only.")
               : tr("Stored in the system keychain. To rotate, paste the regenerated secret: Grant Keeper fetches a "
                    "token with it before it replaces the stored one."),
        parent, sections);
    auto* box = form->parentWidget();
    const QString keepStored = tr("Leave empty to keep the stored secret");

    m_clientIdEdit = new QLineEdit(box);
    m_clientIdEdit->setObjectName(QStringLiteral("clientIdEdit"));
    m_clientIdEdit->setAccessibleName(tr("Client ID"));
    if (!adding) {
        m_clientIdEdit->setPlaceholderText(
            m_input.clientIdHint.isEmpty() ? keepStored : tr("%1 (stored: %2)").arg(keepStored, m_input.clientIdHint));
    }
    m_errorLabels.insert(m_clientIdEdit, makeMessage(QStringLiteral("clientIdError"), box));
    form->addRow(buddyLabel(tr("Client &ID:"), m_clientIdEdit, box),
                 stacked(box, {m_clientIdEdit, m_errorLabels.value(m_clientIdEdit)}));

    auto* secretRow = new QWidget(box);
    auto* secretLayout = new QHBoxLayout(secretRow);
    secretLayout->setContentsMargins(0, 0, 0, 0);
    m_clientSecretEdit = new QLineEdit(secretRow);
    m_clientSecretEdit->setObjectName(QStringLiteral("clientSecretEdit"));
    m_clientSecretEdit->setAccessibleName(tr("Client Secret"));
    m_clientSecretEdit->setEchoMode(QLineEdit::Password);
    if (!adding)
        m_clientSecretEdit->setPlaceholderText(keepStored);
    m_showSecretButton = new QToolButton(secretRow);
    m_showSecretButton->setObjectName(QStringLiteral("showSecretButton"));
    m_showSecretButton->setCheckable(true);
    m_showSecretButton->setText(tr("Show"));
    m_showSecretButton->setAccessibleName(tr("Show the Client Secret"));
    m_showSecretButton->setToolTip(tr("Show or hide the Client Secret"));
    m_revealButton = new QPushButton(tr("Reveal store&d…"), secretRow);
    m_revealButton->setObjectName(QStringLiteral("revealButton"));
    m_revealButton->setAccessibleName(tr("Reveal the stored Client ID and Secret"));
    m_revealButton->setToolTip(
        tr("Reads the keychain and shows the stored values for %1 seconds").arg(RevealMilliseconds / 1000));
    m_revealButton->setVisible(!adding);
    secretLayout->addWidget(m_clientSecretEdit, 1);
    secretLayout->addWidget(m_showSecretButton);
    secretLayout->addWidget(m_revealButton);
    m_errorLabels.insert(m_clientSecretEdit, makeMessage(QStringLiteral("clientSecretError"), box));

    m_clipboardOffer = new QWidget(box);
    m_clipboardOffer->setObjectName(QStringLiteral("clipboardOffer"));
    auto* offerLayout = new QHBoxLayout(m_clipboardOffer);
    offerLayout->setContentsMargins(0, 0, 0, 0);
    auto* offerText = new QLabel(tr("The pasted secret is still on the clipboard."), m_clipboardOffer);
    offerText->setWordWrap(true);
    m_clearClipboardButton = new QPushButton(tr("Clear the clipboard"), m_clipboardOffer);
    m_clearClipboardButton->setObjectName(QStringLiteral("clearClipboardButton"));
    m_clearClipboardButton->setAccessibleName(tr("Clear the clipboard"));
    offerLayout->addWidget(offerText, 1);
    offerLayout->addWidget(m_clearClipboardButton);
    m_clipboardOffer->hide();
    form->addRow(buddyLabel(tr("Client Se&cret:"), m_clientSecretEdit, box),
                 stacked(box, {secretRow, m_errorLabels.value(m_clientSecretEdit), m_clipboardOffer}));

    m_saveWithoutVerifyingCheck = new QCheckBox(tr("Store without verif&ying (not recommended)"), box);
    m_saveWithoutVerifyingCheck->setObjectName(QStringLiteral("saveWithoutVerifyingCheck"));
    m_saveWithoutVerifyingCheck->setAccessibleName(tr("Store without verifying"));
    m_saveWithoutVerifyingCheck->setToolTip(
        tr("Replaces the stored secret without fetching a token with the new one first. A mistyped secret then "
           "goes unnoticed until the next test."));
    m_saveWithoutVerifyingCheck->hide();
    form->addRow(nullptr, m_saveWithoutVerifyingCheck);

    m_testAfterSavingCheck = new QCheckBox(tr("Test t&he grant after saving"), box);
    m_testAfterSavingCheck->setObjectName(QStringLiteral("testAfterSavingCheck"));
    m_testAfterSavingCheck->setAccessibleName(tr("Test the grant after saving"));
    m_testAfterSavingCheck->setChecked(true);
    m_testAfterSavingCheck->setVisible(adding);
    form->addRow(nullptr, m_testAfterSavingCheck);

    m_revealTimer = new QTimer(this);
    m_revealTimer->setObjectName(QStringLiteral("revealTimer"));
    m_revealTimer->setSingleShot(true);
    m_revealTimer->setInterval(RevealMilliseconds);
    connect(m_revealTimer, &QTimer::timeout, this, &GrantDialog::hideRevealedSecret);

    connect(m_showSecretButton, &QToolButton::toggled, this, [this](bool shown) {
        m_clientSecretEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_showSecretButton->setText(shown ? tr("Hide") : tr("Show"));
        m_showSecretButton->setAccessibleName(shown ? tr("Hide the Client Secret") : tr("Show the Client Secret"));
    });
    connect(m_revealButton, &QPushButton::clicked, this, &GrantDialog::revealRequested);
    connect(m_clientSecretEdit, &QLineEdit::textEdited, this, &GrantDialog::onSecretEdited);
    // Qt emits textEdited before textChanged: by now onSecretEdited has compared with the previous length.
    connect(m_clientSecretEdit, &QLineEdit::textChanged, this,
            [this](const QString& text) { m_lastSecretLength = text.size(); });
    connect(m_clearClipboardButton, &QPushButton::clicked, this, [this] {
        QClipboard* clipboard = QGuiApplication::clipboard();
        // Only what was pasted from: anything copied since belongs to the user.
        if (!m_pastedClipboardText.isEmpty() && clipboard->text() == m_pastedClipboardText)
            clipboard->clear();
        m_pastedClipboardText.clear();
        m_clientSecretEdit->setFocus(Qt::OtherFocusReason);
        m_clipboardOffer->hide();
    });
}

void GrantDialog::buildFooter()
{
    m_saveErrorLabel = makeMessage(QStringLiteral("saveErrorLabel"), this);
    m_saveErrorLabel->setAccessibleName(tr("Save failed"));

    m_busyRow = new QWidget(this);
    m_busyRow->setObjectName(QStringLiteral("busyRow"));
    auto* busyLayout = new QHBoxLayout(m_busyRow);
    busyLayout->setContentsMargins(0, 0, 0, 0);
    m_statusLabel = new QLabel(m_busyRow);
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->setWordWrap(true);
    m_busyIndicator = new QProgressBar(m_busyRow);
    m_busyIndicator->setObjectName(QStringLiteral("busyIndicator"));
    m_busyIndicator->setRange(0, 0); // indeterminate: a keychain write or a token fetch has no known length
    m_busyIndicator->setTextVisible(false);
    m_busyIndicator->setMaximumWidth(160);
    m_busyIndicator->setAccessibleName(tr("Working"));
    busyLayout->addWidget(m_statusLabel, 1);
    busyLayout->addWidget(m_busyIndicator);
    m_busyRow->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_saveButton = m_buttons->button(QDialogButtonBox::Save);
    m_saveButton->setObjectName(QStringLiteral("saveButton"));
    m_saveButton->setText(tr("&Save"));
    m_saveButton->setAccessibleName(tr("Save"));
    m_saveButton->setToolTip(tr("Save (%1)").arg(QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText)));
    m_saveButton->setDefault(true);
    QPushButton* cancel = m_buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));

    // The dialog stays open on Save: the window closes it once the keychain and the file agree.
    connect(m_buttons, &QDialogButtonBox::accepted, this, &GrantDialog::onSavePressed);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &GrantDialog::reject);
    auto* saveShortcut = new QShortcut(QKeySequence::Save, this);
    connect(saveShortcut, &QShortcut::activated, this, &GrantDialog::onSavePressed);
}

void GrantDialog::loadGrant(const Grant& grant)
{
    m_nameEdit->setText(grant.name);
    m_integrationUserEdit->setText(grant.integrationUser);
    m_notesEdit->setPlainText(grant.notes);
    m_ipAllowlistEdit->setText(grant.ipAllowlistNote);

    selectComboValue(m_regionCombo, grant.region);
    if (grant.region == Region::Custom)
        m_customUrlEdit->setText(grant.customTokenUrl.toString());
    selectComboValue(m_apiVersionCombo, grant.apiVersion);
    selectComboValue(m_authMethodCombo, grant.authMethod);

    QStringList other;
    for (const QString& scope : grant.requestedScopes.scopes()) {
        const auto known = std::find_if(m_scopeChecks.cbegin(), m_scopeChecks.cend(), [&](const QCheckBox* check) {
            return check->property("scope").toString() == scope;
        });
        if (known != m_scopeChecks.cend())
            (*known)->setChecked(true);
        else
            other.append(scope);
    }
    m_otherScopesEdit->setText(other.join(QLatin1Char(' ')));

    m_expiresCheck->setChecked(grant.expiresOn.has_value());
    // Without a date, offer a year from today: a common policy, and only used once the box is ticked.
    m_expiresDateEdit->setDate(grant.expiresOn.value_or(QDate::currentDate().addYears(1)));
    m_expiresDateEdit->setEnabled(grant.expiresOn.has_value());

    selectComboValue(m_trustModeCombo, grant.trust.mode);
    m_caFileEdit->setText(grant.trust.caFilePath);
    if (!grant.trust.pinnedSha256.isEmpty()) {
        m_pinnedFingerprintEdit->setText(CertificateInfo::formatFingerprint(grant.trust.pinnedSha256));
        m_pinnedFingerprintEdit->setCursorPosition(0); // the start is what people compare first
    }
}

void GrantDialog::connectValidation()
{
    const auto refreshOnChange = [this] { refresh(); };
    for (QLineEdit* edit : {m_nameEdit, m_integrationUserEdit, m_customUrlEdit, m_caFileEdit, m_pinnedFingerprintEdit,
                            m_clientIdEdit, m_clientSecretEdit}) {
        connect(edit, &QLineEdit::textChanged, this, refreshOnChange);
        // An error is shown once the user leaves the field, not while they are still typing it the first time.
        connect(edit, &QLineEdit::editingFinished, this, [this, edit] { markTouched(edit); });
    }
    connect(m_regionCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateEndpointRows();
        refresh();
    });
    connect(m_apiVersionCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateEndpointRows();
        refresh();
    });
    connect(m_trustModeCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateTrustRows();
        refresh();
    });
    connect(m_expiresCheck, &QCheckBox::toggled, this, [this](bool expires) {
        m_expiresDateEdit->setEnabled(expires);
        refresh();
    });
    connect(m_expiresDateEdit, &QDateEdit::dateChanged, this, refreshOnChange);
}

void GrantDialog::setTabOrderFromLayout()
{
    QList<QWidget*> order = {m_nameEdit,    m_integrationUserEdit, m_notesEdit,       m_ipAllowlistEdit,
                             m_regionCombo, m_customUrlEdit,       m_apiVersionCombo, m_authMethodCombo};
    for (QCheckBox* check : std::as_const(m_scopeChecks))
        order.append(check);
    order += {m_otherScopesEdit,
              m_expiresCheck,
              m_expiresDateEdit,
              m_trustModeCombo,
              m_caFileEdit,
              m_browseCaFileButton,
              m_pinnedFingerprintEdit,
              m_clientIdEdit,
              m_clientSecretEdit,
              m_showSecretButton,
              m_revealButton,
              m_clearClipboardButton,
              m_saveWithoutVerifyingCheck,
              m_testAfterSavingCheck,
              m_saveButton,
              m_buttons->button(QDialogButtonBox::Cancel)};
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order.at(i - 1), order.at(i));
}

Region GrantDialog::selectedRegion() const
{
    return comboValue<Region>(m_regionCombo);
}

ApiVersion GrantDialog::selectedApiVersion() const
{
    return comboValue<ApiVersion>(m_apiVersionCombo);
}

TrustMode GrantDialog::selectedTrustMode() const
{
    return comboValue<TrustMode>(m_trustModeCombo);
}

void GrantDialog::updateEndpointRows()
{
    const bool custom = selectedRegion() == Region::Custom;
    m_customUrlEdit->setEnabled(custom);
    QString target;
    if (custom) {
        const QString typed = m_customUrlEdit->text().trimmed();
        target = typed.isEmpty() ? tr("the token URL above") : typed;
    } else {
        target = Environment::tokenUrl(selectedRegion(), selectedApiVersion()).toString();
    }
    m_tokenUrlLabel->setText(target);
}

void GrantDialog::updateTrustRows()
{
    const TrustMode mode = selectedTrustMode();
    m_trustForm->setRowVisible(m_caFileCell, mode == TrustMode::SystemPlusCaFile);
    m_trustForm->setRowVisible(m_pinnedCell, mode == TrustMode::Pinned);
}

QString GrantDialog::customUrlProblem() const
{
    const QString text = m_customUrlEdit->text().trimmed();
    if (text.isEmpty())
        return tr("Enter the token URL, for example https://api.app.wdesk.com/oauth2/token, or pick a region.");
    // The same rules the token request applies when it is sent, so the dialog never accepts a URL a test refuses.
    TokenRequest probe;
    probe.tokenUrl = QUrl(text, QUrl::StrictMode);
    probe.credentials = Credentials(QStringLiteral("probe-id"), QStringLiteral("probe-secret"));
    // A pin also demands https; the pin itself is checked on its own field.
    probe.trust.mode = selectedTrustMode();
    probe.trust.pinnedSha256 = QString(64, QLatin1Char('0'));
    if (const auto error = probe.validate())
        return error->summary() + QLatin1Char(' ') + error->advice();
    return {};
}

QString GrantDialog::caFileProblem() const
{
    const QString path = m_caFileEdit->text().trimmed();
    if (path.isEmpty())
        return tr("Choose the PEM file with the CA certificate, or trust the system CAs only.");
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable())
        return tr("This file cannot be read: choose an existing PEM file.");
    if (QSslCertificate::fromPath(path, QSsl::Pem, QSslCertificate::PatternSyntax::FixedString).isEmpty())
        return tr("This file holds no PEM certificate: choose one that starts with -----BEGIN CERTIFICATE-----.");
    return {};
}

QStringList GrantDialog::otherGrantNamesWithUser(const QString& user) const
{
    QStringList names;
    if (user.isEmpty())
        return names;
    for (const Grant& other : m_existing) {
        if (other.id != m_input.id && other.integrationUser.trimmed().compare(user, Qt::CaseInsensitive) == 0)
            names.append(QStringLiteral("“%1”").arg(printableText(other.name, 60)));
    }
    return names;
}

bool GrantDialog::newCredentialsEntered() const
{
    const QString clientId = m_clientIdEdit->text().trimmed();
    const QString secret = m_clientSecretEdit->text().trimmed();
    if (clientId.isEmpty() && secret.isEmpty())
        return false;
    // The stored pair shown by Reveal, left as it is (or with the secret taken away again), is nothing new.
    if (m_revealed && clientId == m_revealed->clientId() && (secret.isEmpty() || secret == m_revealed->clientSecret()))
        return false;
    return true;
}

QList<GrantDialog::FieldError> GrantDialog::fieldErrors() const
{
    QList<FieldError> errors;

    const QString name = m_nameEdit->text().trimmed();
    if (name.isEmpty()) {
        errors.append({m_nameEdit, tr("Give the grant a name, for example the integration it serves.")});
    } else if (containsControlCharacters(name)) {
        errors.append({m_nameEdit, tr("The name contains control characters; type it again.")});
    } else {
        for (const Grant& other : m_existing) {
            if (other.id != m_input.id && sameGrantName(other.name, name)) {
                errors.append(
                    {m_nameEdit,
                     tr("A grant named “%1” already exists: choose another name.").arg(printableText(other.name, 60))});
                break;
            }
        }
    }

    if (m_integrationUserEdit->text().trimmed().isEmpty())
        errors.append({m_integrationUserEdit, tr("Enter the integration user's Workiva username.")});

    if (selectedRegion() == Region::Custom) {
        if (const QString problem = customUrlProblem(); !problem.isEmpty())
            errors.append({m_customUrlEdit, problem});
    }

    if (selectedTrustMode() == TrustMode::SystemPlusCaFile) {
        if (const QString problem = caFileProblem(); !problem.isEmpty())
            errors.append({m_caFileEdit, problem});
    } else if (selectedTrustMode() == TrustMode::Pinned &&
               CertificateInfo::normaliseFingerprint(m_pinnedFingerprintEdit->text()).isEmpty()) {
        errors.append({m_pinnedFingerprintEdit,
                       tr("Enter the certificate's SHA-256 fingerprint: 64 hexadecimal digits, with or without "
                          "colons.")});
    }

    const QString clientId = m_clientIdEdit->text();
    const QString secret = m_clientSecretEdit->text();
    if (m_mode == GrantDialogMode::Edit && !newCredentialsEntered())
        return errors; // keeping the stored pair
    if (m_mode == GrantDialogMode::Edit && clientId.trimmed().isEmpty()) {
        // The keychain entry holds both values, and the dialog never reads it: the new secret needs its ID.
        errors.append({m_clientIdEdit, tr("Enter the Client ID as well: it is stored together with the new secret. "
                                          "“Reveal stored…” fills in the stored one.")});
    }
    if (m_mode == GrantDialogMode::Edit && secret.trimmed().isEmpty()) {
        errors.append({m_clientSecretEdit, tr("Enter the Client Secret as well: a new Client ID needs its secret.")});
        return errors;
    }
    const auto problem = CredentialCheck::check(clientId, secret);
    if (problem && problem->field == CredentialProblem::Field::ClientId) {
        if (m_mode == GrantDialogMode::Add || !clientId.trimmed().isEmpty())
            errors.append({m_clientIdEdit, problem->message});
        // The secret is checked on its own too, so that both fields say what is wrong with them at once.
        if (const auto secretProblem = CredentialCheck::checkSecret(secret))
            errors.append({m_clientSecretEdit, secretProblem->message});
    } else if (problem) {
        errors.append({m_clientSecretEdit, problem->message});
    }
    return errors;
}

void GrantDialog::showFieldError(QWidget* input, const QString& message)
{
    QLabel* label = m_errorLabels.value(input);
    if (!label)
        return;
    label->setText(message);
    label->setVisible(!message.isEmpty());
    // Assistive technology reads the problem with the field; the hint comes back once it is fixed.
    input->setAccessibleDescription(message.isEmpty() ? m_descriptions.value(input) : message);
}

void GrantDialog::refresh()
{
    QHash<QWidget*, QString> messages;
    for (const FieldError& error : fieldErrors()) {
        if (!messages.contains(error.input))
            messages.insert(error.input, error.message);
    }
    for (auto it = m_errorLabels.cbegin(); it != m_errorLabels.cend(); ++it) {
        QWidget* input = it.key();
        const bool show = m_saveAttempted || m_touched.contains(input);
        showFieldError(input, show ? messages.value(input) : QString());
    }

    const QStringList sharing = otherGrantNamesWithUser(m_integrationUserEdit->text().trimmed());
    if (!sharing.isEmpty()) {
        m_sharedUserWarning->setText(tr("Also used by %1. Workiva recommends one unique integration user per "
                                        "integration, so that each integration's changes stay apart.")
                                         .arg(sharing.join(QStringLiteral(", "))));
    }
    m_sharedUserWarning->setVisible(!sharing.isEmpty());
    m_deprecatedVersionWarning->setVisible(Environment::isDeprecated(selectedApiVersion()));
    m_expiryPastWarning->setVisible(m_expiresCheck->isChecked() && m_expiresDateEdit->date() < QDate::currentDate());

    updateEndpointRows();
    updateCredentialExtras();
}

void GrantDialog::markTouched(QWidget* input)
{
    m_touched.insert(input);
    refresh();
}

void GrantDialog::updateCredentialExtras()
{
    const bool newPair = m_mode == GrantDialogMode::Edit && newCredentialsEntered();
    m_saveWithoutVerifyingCheck->setVisible(newPair);
}

void GrantDialog::onSecretEdited(const QString& text)
{
    // A paste grows the field by more than one character at once; typing never does.
    const qsizetype grown = text.size() - m_lastSecretLength;
    if (grown <= 1)
        return;
    const QString clipboardText = QGuiApplication::clipboard()->text();
    const QString pasted = clipboardText.trimmed();
    if (pasted.isEmpty() || !text.contains(pasted))
        return;
    m_pastedClipboardText = clipboardText;
    m_clipboardOffer->show();
}

void GrantDialog::setRevealedSecret(const QString& clientId, const QString& secret)
{
    m_revealed = Credentials(clientId, secret);
    m_clientIdEdit->setText(m_revealed->clientId());
    m_clientSecretEdit->setText(m_revealed->clientSecret());
    m_showSecretButton->setChecked(true);
    m_revealTimer->start();
    refresh();
}

void GrantDialog::hideRevealedSecret()
{
    m_showSecretButton->setChecked(false);
    if (!m_revealed)
        return;
    // Only the stored values go away again: a new secret typed over them is the user's and stays.
    if (m_clientSecretEdit->text().trimmed() == m_revealed->clientSecret()) {
        m_clientSecretEdit->clear();
        if (m_clientIdEdit->text().trimmed() == m_revealed->clientId())
            m_clientIdEdit->clear();
    }
    m_revealed.reset();
    refresh();
}

void GrantDialog::onSavePressed()
{
    if (m_busy)
        return;
    m_saveAttempted = true;
    m_saveErrorLabel->hide();
    refresh();
    const QList<FieldError> errors = fieldErrors();
    if (!errors.isEmpty()) {
        QWidget* first = errors.constFirst().input;
        m_scrollArea->ensureWidgetVisible(first);
        first->setFocus(Qt::OtherFocusReason);
        return;
    }
    emit saveRequested();
}

Grant GrantDialog::grant() const
{
    Grant result = m_input;
    result.name = m_nameEdit->text().trimmed();
    result.integrationUser = m_integrationUserEdit->text().trimmed();
    result.region = selectedRegion();
    result.customTokenUrl =
        result.region == Region::Custom ? QUrl(m_customUrlEdit->text().trimmed(), QUrl::StrictMode) : QUrl();
    result.apiVersion = selectedApiVersion();
    result.authMethod = comboValue<ClientAuthMethod>(m_authMethodCombo);

    QStringList scopes;
    for (const QCheckBox* check : m_scopeChecks) {
        if (check->isChecked())
            scopes.append(check->property("scope").toString());
    }
    scopes += ScopeSet::parse(m_otherScopesEdit->text()).scopes();
    result.requestedScopes = ScopeSet::fromList(scopes);

    result.expiresOn = m_expiresCheck->isChecked() ? std::optional<QDate>(m_expiresDateEdit->date()) : std::nullopt;
    result.notes = m_notesEdit->toPlainText().trimmed();
    result.ipAllowlistNote = m_ipAllowlistEdit->text().trimmed();

    TrustSettings trust;
    trust.mode = selectedTrustMode();
    if (trust.mode == TrustMode::SystemPlusCaFile)
        trust.caFilePath = m_caFileEdit->text().trimmed();
    if (trust.mode == TrustMode::Pinned) {
        trust.pinnedSha256 = CertificateInfo::normaliseFingerprint(m_pinnedFingerprintEdit->text());
        // The stored certificate only describes the fingerprint it came with.
        if (trust.pinnedSha256 == m_input.trust.pinnedSha256)
            trust.pinnedCertificatePem = m_input.trust.pinnedCertificatePem;
    }
    result.trust = trust;

    if (const auto entered = credentials())
        result.clientIdHint = entered->clientIdHint();
    return result;
}

std::optional<Credentials> GrantDialog::credentials() const
{
    if (m_mode == GrantDialogMode::Edit && !newCredentialsEntered())
        return std::nullopt;
    const Credentials entered(m_clientIdEdit->text(), m_clientSecretEdit->text());
    if (!entered.isComplete())
        return std::nullopt;
    return entered;
}

bool GrantDialog::testAfterSaving() const
{
    return m_mode == GrantDialogMode::Add && m_testAfterSavingCheck->isChecked();
}

bool GrantDialog::saveWithoutVerifying() const
{
    return m_mode == GrantDialogMode::Edit && credentials().has_value() && m_saveWithoutVerifyingCheck->isChecked();
}

void GrantDialog::setBusy(bool busy, const QString& status)
{
    if (busy && !m_busy)
        m_focusBeforeBusy = focusWidget();
    m_busy = busy;
    m_content->setEnabled(!busy);
    m_saveButton->setEnabled(!busy);
    m_statusLabel->setText(status);
    m_busyRow->setVisible(busy);
    if (busy) {
        m_saveErrorLabel->hide();
        return;
    }
    // Disabling the inputs moved the focus to Cancel, where Return would throw everything away.
    QWidget* back = m_focusBeforeBusy && m_focusBeforeBusy != m_buttons->button(QDialogButtonBox::Cancel)
                        ? m_focusBeforeBusy.data()
                        : m_nameEdit;
    back->setFocus(Qt::OtherFocusReason);
}

void GrantDialog::showSaveError(const QString& summary, const QString& advice)
{
    setBusy(false);
    m_saveErrorLabel->setText(advice.isEmpty() ? summary : summary + QLatin1Char('\n') + advice);
    m_saveErrorLabel->setAccessibleDescription(m_saveErrorLabel->text());
    m_saveErrorLabel->show();
    QAccessibleEvent alert(m_saveErrorLabel, QAccessible::Alert);
    QAccessible::updateAccessibility(&alert);
}

void GrantDialog::applyMessageColours()
{
    // No palette role means "error": pick a red and an amber that read well on the palette's own background.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QColor error = dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28);
    const QColor warning = dark ? QColor(0xff, 0xcc, 0x80) : QColor(0x8d, 0x5b, 0x00);
    const auto colour = [](QLabel* label, const QColor& color) {
        QPalette labelPalette = label->palette();
        labelPalette.setColor(QPalette::WindowText, color);
        label->setPalette(labelPalette);
    };
    for (QLabel* label : std::as_const(m_errorLabels))
        colour(label, error);
    colour(m_saveErrorLabel, error);
    for (QLabel* label : std::as_const(m_warningLabels))
        colour(label, warning);
}

void GrantDialog::changeEvent(QEvent* event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_saveErrorLabel)
        applyMessageColours();
}

} // namespace gk
