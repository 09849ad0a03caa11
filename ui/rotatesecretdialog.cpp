#include "ui/rotatesecretdialog.h"

#include "core/grant/grant.h"
#include "core/text/printabletext.h"
#include "core/vault/credentialcheck.h"
#include "ui/discardsecretprompt.h"
#include "ui/pastedsecretwatcher.h"

#include <QAccessible>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace gk {

namespace {

// Far above CredentialCheck's limit: a long paste is kept whole and refused with its length, never cut short.
constexpr int PasteLimit = 64 * 1024;

} // namespace

RotateSecretDialog::RotateSecretDialog(const Grant& grant, ClipboardGuard* clipboardGuard, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("rotateSecretDialog"));
    setWindowTitle(tr("Rotate the secret of “%1”").arg(printableText(grant.name, 60)));
    auto* intro = new QLabel(
        tr("In Workiva, regenerate the grant's secret, then paste the new Client Secret here. The Client ID stays as "
           "it is (%1). Grant Keeper fetches a token with the new secret first and replaces the stored one only if "
           "that works; until then the old secret stays in place.")
            .arg(grant.clientIdHint.isEmpty() ? tr("read from the keychain") : grant.clientIdHint),
        this);
    intro->setObjectName(QStringLiteral("rotateIntroLabel"));
    intro->setWordWrap(true);
    m_errorLabel = m_messages.addError(QStringLiteral("rotateErrorLabel"), this);
    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("rotateStatusLabel"));
    m_statusLabel->setWordWrap(true);
    m_statusLabel->hide();
    buildButtons();

    auto* form = new QFormLayout;
    auto* secretLabel = new QLabel(tr("New Client &Secret:"), this);
    form->addRow(secretLabel, buildSecretRow());
    secretLabel->setBuddy(m_secretEdit);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_statusLabel);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    m_messages.applyColours(palette());

    m_pasteWatcher = new PastedSecretWatcher(m_secretEdit, clipboardGuard, tr("pasted Client Secret"), this);
    connect(m_secretEdit, &QLineEdit::textChanged, this, [this] { m_messages.showError(m_secretEdit, {}); });
    resize(520, sizeHint().height());
    m_secretEdit->setFocus(Qt::OtherFocusReason);
}

RotateSecretDialog::~RotateSecretDialog()
{
    m_pasteWatcher->clearNow();
}

QWidget* RotateSecretDialog::buildSecretRow()
{
    auto* cell = new QWidget(this);
    auto* cellLayout = new QVBoxLayout(cell);
    cellLayout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    m_secretEdit = new QLineEdit(cell);
    m_secretEdit->setObjectName(QStringLiteral("newSecretEdit"));
    m_secretEdit->setAccessibleName(tr("New Client Secret"));
    m_secretEdit->setEchoMode(QLineEdit::Password);
    m_secretEdit->setMaxLength(PasteLimit);
    m_showButton = new QToolButton(cell);
    m_showButton->setObjectName(QStringLiteral("showNewSecretButton"));
    m_showButton->setCheckable(true);
    m_showButton->setToolTip(tr("Show or hide the new Client Secret"));
    connect(m_showButton, &QToolButton::toggled, this, &RotateSecretDialog::setSecretShown);
    setSecretShown(false);
    row->addWidget(m_secretEdit, 1);
    row->addWidget(m_showButton);
    cellLayout->addLayout(row);
    m_secretError = m_messages.addFieldError(m_secretEdit, QStringLiteral("newSecretError"), cell);
    cellLayout->addWidget(m_secretError);
    return cell;
}

void RotateSecretDialog::buildButtons()
{
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_rotateButton = m_buttons->addButton(tr("Verify and &Replace"), QDialogButtonBox::AcceptRole);
    m_rotateButton->setObjectName(QStringLiteral("rotateButton"));
    m_rotateButton->setAccessibleName(tr("Verify the new secret and replace the stored one"));
    m_rotateButton->setDefault(true);
    QPushButton* cancel = m_buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));
    // The dialog stays open on the button: the controller closes it once the new secret is stored.
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RotateSecretDialog::onRotatePressed);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &RotateSecretDialog::reject);
}

QString RotateSecretDialog::newSecret() const
{
    return m_secretEdit->text().trimmed();
}

void RotateSecretDialog::onRotatePressed()
{
    if (m_busy)
        return;
    m_errorLabel->hide();
    const QString secret = m_secretEdit->text();
    QString problem;
    if (secret.trimmed().isEmpty())
        problem = tr("Paste the new Client Secret from Workiva.");
    else if (const auto found = CredentialCheck::checkSecret(secret))
        problem = found->message;
    m_messages.showError(m_secretEdit, problem);
    if (!problem.isEmpty()) {
        m_secretEdit->setFocus(Qt::OtherFocusReason);
        return;
    }
    emit rotateRequested();
}

void RotateSecretDialog::setBusy(bool busy, const QString& status)
{
    m_busy = busy;
    m_secretEdit->setEnabled(!busy);
    m_showButton->setEnabled(!busy);
    m_rotateButton->setEnabled(!busy);
    m_statusLabel->setText(status);
    m_statusLabel->setVisible(busy && !status.isEmpty());
    if (busy)
        m_errorLabel->hide();
    else
        m_secretEdit->setFocus(Qt::OtherFocusReason);
}

void RotateSecretDialog::showError(const QString& summary, const QString& advice)
{
    setBusy(false);
    m_errorLabel->setText(advice.isEmpty() ? summary : summary + QLatin1Char('\n') + advice);
    m_errorLabel->setAccessibleDescription(m_errorLabel->text());
    m_errorLabel->show();
    QAccessibleEvent alert(m_errorLabel, QAccessible::Alert);
    QAccessible::updateAccessibility(&alert);
}

void RotateSecretDialog::reject()
{
    if (newSecret().isEmpty()) {
        QDialog::reject();
        return;
    }
    DiscardSecretPrompt::ask(this, [this] { QDialog::reject(); });
}

void RotateSecretDialog::done(int result)
{
    m_pasteWatcher->clearNow();
    QDialog::done(result);
}

void RotateSecretDialog::setSecretShown(bool shown)
{
    m_secretEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
    m_showButton->setText(shown ? tr("Hide") : tr("Show"));
    m_showButton->setAccessibleName(shown ? tr("Hide the new Client Secret") : tr("Show the new Client Secret"));
}

} // namespace gk
