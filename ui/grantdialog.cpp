#include "ui/grantdialog.h"

#include "core/text/printabletext.h"
#include "ui/discardsecretprompt.h"
#include "ui/grantcredentialssection.h"
#include "ui/grantendpointsection.h"
#include "ui/grantexpirationsection.h"
#include "ui/grantintegrationsection.h"
#include "ui/grantscopessection.h"
#include "ui/granttrustsection.h"

#include <QAccessible>
#include <QComboBox>
#include <QDateEdit>
#include <QDialogButtonBox>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QShortcut>
#include <QVBoxLayout>

namespace gk {

GrantDialog::GrantDialog(GrantDialogMode mode, const Grant& grant, const QList<Grant>& existing,
                         ClipboardGuard* clipboardGuard, QWidget* parent)
    : QDialog(parent)
    , m_mode(mode)
    , m_input(grant)
    , m_existing(existing)
{
    setObjectName(QStringLiteral("grantDialog"));
    setWindowTitle(mode == GrantDialogMode::Add ? tr("Add grant")
                                                : tr("Edit grant “%1”").arg(printableText(grant.name, 60)));
    buildContent(clipboardGuard);
    buildScrollArea();
    m_saveErrorLabel = m_messages.addError(QStringLiteral("saveErrorLabel"), this);
    m_saveErrorLabel->setAccessibleName(tr("Save failed"));
    m_busyRow = buildBusyRow();
    buildButtons();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_scrollArea, 1);
    layout->addWidget(m_saveErrorLabel);
    layout->addWidget(m_busyRow);
    layout->addWidget(m_buttons);

    loadGrant(grant);
    connectValidation();
    setTabOrderFromLayout();
    m_messages.applyColours(palette());
    refresh();

    // About 640x720, and never taller than the screen: the sections scroll instead.
    QSize size(640, 720);
    if (const QScreen* screen = QGuiApplication::primaryScreen()) {
        const QSize available = screen->availableGeometry().size();
        size = size.boundedTo(QSize(available.width() - 40, available.height() - 60));
    }
    resize(size);
    m_integration->nameEdit()->setFocus(Qt::OtherFocusReason);
}

GrantDialog::~GrantDialog()
{
    m_credentials->clearPastedFromClipboard();
    // ~QDialog hides the window after our members are gone, and the focus-out makes a line edit emit
    // editingFinished: nothing may reach this object's slots any more.
    const QList<QObject*> children = findChildren<QObject*>();
    for (QObject* child : children)
        disconnect(child, nullptr, this, nullptr);
}

void GrantDialog::buildContent(ClipboardGuard* clipboardGuard)
{
    m_content = new QWidget;
    m_content->setObjectName(QStringLiteral("grantDialogContent"));
    auto* sections = new QVBoxLayout(m_content);
    if (m_mode == GrantDialogMode::Add) {
        auto* intro = new QLabel(tr("Fill in the sections in the order you created the grant in Workiva: "
                                    "the integration user and grant first, the Client ID and Secret last."),
                                 m_content);
        intro->setWordWrap(true);
        sections->addWidget(intro);
    }
    m_integration = new GrantIntegrationSection(m_messages, m_content);
    m_endpoint = new GrantEndpointSection(m_messages, m_content);
    m_scopes = new GrantScopesSection(m_messages, m_content);
    m_expiration = new GrantExpirationSection(m_messages, m_content);
    m_trust = new GrantTrustSection(m_messages, m_content);
    m_credentials = new GrantCredentialsSection(m_mode == GrantDialogMode::Add, m_input, RevealMilliseconds, m_messages,
                                                clipboardGuard, m_content);
    for (QWidget* section :
         std::initializer_list<QWidget*>{m_integration, m_endpoint, m_scopes, m_expiration, m_trust, m_credentials})
        sections->addWidget(section);
    sections->addStretch(1);
}

void GrantDialog::buildScrollArea()
{
    m_scrollArea = new QScrollArea(this);
    m_scrollArea->setObjectName(QStringLiteral("grantDialogScrollArea"));
    m_scrollArea->setWidgetResizable(true);
    m_scrollArea->setFrameShape(QFrame::NoFrame);
    m_scrollArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scrollArea->setWidget(m_content);
}

QWidget* GrantDialog::buildBusyRow()
{
    auto* row = new QWidget(this);
    row->setObjectName(QStringLiteral("busyRow"));
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_statusLabel = new QLabel(row);
    m_statusLabel->setObjectName(QStringLiteral("statusLabel"));
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->setWordWrap(true);
    auto* indicator = new QProgressBar(row);
    indicator->setObjectName(QStringLiteral("busyIndicator"));
    indicator->setRange(0, 0); // indeterminate: a keychain write or a token fetch has no known length
    indicator->setTextVisible(false);
    indicator->setMaximumWidth(160);
    indicator->setAccessibleName(tr("Working"));
    layout->addWidget(m_statusLabel, 1);
    layout->addWidget(indicator);
    row->hide();
    return row;
}

void GrantDialog::buildButtons()
{
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
    m_integration->load(grant);
    m_endpoint->load(grant);
    m_scopes->load(grant);
    m_expiration->load(grant, QDate::currentDate());
    m_trust->load(grant);
}

void GrantDialog::connectValidation()
{
    for (QWidget* input : m_messages.inputs()) {
        if (auto* notes = qobject_cast<QPlainTextEdit*>(input))
            connect(notes, &QPlainTextEdit::textChanged, this, &GrantDialog::refresh);
        auto* edit = qobject_cast<QLineEdit*>(input);
        if (!edit)
            continue;
        connect(edit, &QLineEdit::textChanged, this, &GrantDialog::refresh);
        // An error is shown once the user leaves the field, not while they are still typing it the first time.
        connect(edit, &QLineEdit::editingFinished, this, [this, edit] { markTouched(edit); });
    }
    connect(m_endpoint, &GrantEndpointSection::changed, this, &GrantDialog::refresh);
    connect(m_expiration, &GrantExpirationSection::changed, this, &GrantDialog::refresh);
    connect(m_trust, &GrantTrustSection::changed, this, &GrantDialog::refresh);
    connect(m_trust, &GrantTrustSection::caFileChosen, this, [this] { markTouched(m_trust->caFileEdit()); });
    connect(m_credentials, &GrantCredentialsSection::changed, this, &GrantDialog::refresh);
    connect(m_credentials, &GrantCredentialsSection::revealRequested, this, &GrantDialog::revealRequested);
}

void GrantDialog::setTabOrderFromLayout()
{
    const QList<QWidget*> order = m_integration->tabOrder() + m_endpoint->tabOrder() + m_scopes->tabOrder() +
                                  m_expiration->tabOrder() + m_trust->tabOrder() + m_credentials->tabOrder() +
                                  QList<QWidget*>{m_saveButton, m_buttons->button(QDialogButtonBox::Cancel)};
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order.at(i - 1), order.at(i));
}

QWidget* GrantDialog::inputFor(GrantField field) const
{
    switch (field) {
    case GrantField::Name:
        return m_integration->nameEdit();
    case GrantField::IntegrationUser:
        return m_integration->integrationUserEdit();
    case GrantField::TokenUrl:
        return m_endpoint->customUrlEdit();
    case GrantField::ApiVersion:
        return m_endpoint->apiVersionCombo();
    case GrantField::ExpiresOn:
        return m_expiration->dateEdit();
    case GrantField::CaFile:
        return m_trust->caFileEdit();
    case GrantField::PinnedFingerprint:
        return m_trust->pinnedFingerprintEdit();
    case GrantField::Scopes:
        return m_scopes->otherScopesEdit();
    case GrantField::Notes:
        return m_integration->notesEdit();
    case GrantField::IpAllowlistNote:
        return m_integration->ipAllowlistEdit();
    }
    Q_UNREACHABLE();
}

QLabel* GrantDialog::warningLabelFor(GrantField field) const
{
    switch (field) {
    case GrantField::IntegrationUser:
        return m_integration->sharedUserWarning();
    case GrantField::ApiVersion:
        return m_endpoint->deprecatedVersionWarning();
    case GrantField::ExpiresOn:
        return m_expiration->pastDateWarning();
    case GrantField::TokenUrl:
        return m_endpoint->tokenUrlWarning();
    case GrantField::Name:
    case GrantField::CaFile:
    case GrantField::PinnedFingerprint:
    case GrantField::Scopes:
    case GrantField::Notes:
    case GrantField::IpAllowlistNote:
        return nullptr; // the validator only ever finds errors here
    }
    Q_UNREACHABLE();
}

QList<GrantProblem> GrantDialog::problems() const
{
    return GrantValidator::check(grant(), m_existing, QDate::currentDate());
}

QList<FieldError> GrantDialog::fieldErrors(const QList<GrantProblem>& problems) const
{
    QList<FieldError> errors;
    for (const GrantProblem& problem : problems) {
        if (problem.isError())
            errors.append({inputFor(problem.field), problem.message});
    }
    // The credentials come last in the layout, and their rules are CredentialCheck's.
    return errors + m_credentials->errors();
}

void GrantDialog::refresh()
{
    const QList<GrantProblem> current = problems();
    showErrors(fieldErrors(current));
    showWarnings(current);
}

void GrantDialog::showErrors(const QList<FieldError>& errors)
{
    QHash<QWidget*, QString> messages;
    for (const FieldError& error : errors) {
        if (!messages.contains(error.input)) // the first problem of a field is the one to fix first
            messages.insert(error.input, error.message);
    }
    for (QWidget* input : m_messages.inputs()) {
        const bool show = m_saveAttempted || m_touched.contains(input);
        m_messages.showError(input, show ? messages.value(input) : QString());
    }
}

void GrantDialog::showWarnings(const QList<GrantProblem>& problems)
{
    QHash<QLabel*, QStringList> warnings;
    for (const GrantProblem& problem : problems) {
        if (QLabel* label = warningLabelFor(problem.field); label && !problem.isError())
            warnings[label].append(problem.message);
    }
    // Warnings need no touch or Save attempt: they are news about a value, not a complaint about typing.
    for (QLabel* label : m_messages.warnings())
        FieldMessages::showWarning(label, warnings.value(label).join(QLatin1Char(' ')));
}

void GrantDialog::markTouched(QWidget* input)
{
    m_touched.insert(input);
    refresh();
}

void GrantDialog::onSavePressed()
{
    if (m_busy)
        return;
    m_saveAttempted = true;
    m_saveErrorLabel->hide();
    refresh();
    const QList<FieldError> errors = fieldErrors(problems());
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
    m_integration->applyTo(result);
    m_endpoint->applyTo(result);
    m_scopes->applyTo(result);
    m_expiration->applyTo(result);
    m_trust->applyTo(result);
    if (const auto entered = credentials())
        result.clientIdHint = entered->clientIdHint();
    return result;
}

std::optional<Credentials> GrantDialog::credentials() const
{
    return m_credentials->credentials();
}

bool GrantDialog::testAfterSaving() const
{
    return m_credentials->testAfterSaving();
}

bool GrantDialog::saveWithoutVerifying() const
{
    return m_credentials->saveWithoutVerifying();
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
                        : m_integration->nameEdit();
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

void GrantDialog::setRevealedSecret(const QString& clientId, const QString& secret)
{
    m_credentials->setRevealedSecret(clientId, secret);
}

void GrantDialog::reject()
{
    if (!m_credentials->holdsEnteredSecret()) {
        QDialog::reject();
        return;
    }
    // Asynchronous: a close event sees the dialog still visible and is ignored until the user decided.
    DiscardSecretPrompt::ask(this, [this] { QDialog::reject(); });
}

void GrantDialog::done(int result)
{
    m_credentials->clearPastedFromClipboard();
    QDialog::done(result);
}

void GrantDialog::changeEvent(QEvent* event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_saveErrorLabel)
        m_messages.applyColours(palette());
}

} // namespace gk
