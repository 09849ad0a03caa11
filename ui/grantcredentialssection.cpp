#include "ui/grantcredentialssection.h"

#include "core/grant/grant.h"
#include "core/vault/credentialcheck.h"
#include "ui/pastedsecretwatcher.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

namespace gk {

namespace {

constexpr int PasteLimit = 64 * 1024;

} // namespace

GrantCredentialsSection::GrantCredentialsSection(bool adding, const Grant& stored, int revealMilliseconds,
                                                 FieldMessages& messages, ClipboardGuard* clipboardGuard,
                                                 QWidget* parent)
    : FormSection(tr("6. Client ID and Secret"),
                  adding ? tr("Copy both from the grant's Edit window in Workiva. The secret is shown there only "
                              "once; Grant Keeper keeps it in the system keychain only.")
                         : tr("Stored in the system keychain. To rotate, paste the regenerated secret: Grant Keeper "
                              "fetches a token with it before it replaces the stored one."),
                  parent)
    , m_adding(adding)
{
    addClientIdRow(messages, stored.clientIdHint);
    addSecretRow(messages);
    addOptionRows();

    m_revealTimer = new QTimer(this);
    m_revealTimer->setObjectName(QStringLiteral("revealTimer"));
    m_revealTimer->setSingleShot(true);
    m_revealTimer->setInterval(revealMilliseconds);
    m_revealButton->setToolTip(
        tr("Reads the keychain and shows the stored values for %1 seconds").arg(revealMilliseconds / 1000));
    connectSecretHandling();
    watchPastes(clipboardGuard);
}

void GrantCredentialsSection::addClientIdRow(FieldMessages& messages, const QString& storedHint)
{
    m_clientIdEdit = new QLineEdit(body());
    m_clientIdEdit->setObjectName(QStringLiteral("clientIdEdit"));
    m_clientIdEdit->setAccessibleName(tr("Client ID"));
    // Far above CredentialCheck's limit: a long paste is kept whole and refused with its length, never cut short.
    m_clientIdEdit->setMaxLength(PasteLimit);
    if (!m_adding) {
        const QString keepStored = tr("Leave empty to keep the stored Client ID");
        m_clientIdEdit->setPlaceholderText(storedHint.isEmpty() ? keepStored
                                                                : tr("%1 (stored: %2)").arg(keepStored, storedHint));
    }
    QLabel* error = messages.addFieldError(m_clientIdEdit, QStringLiteral("clientIdError"), body());
    addRow(tr("Client &ID:"), m_clientIdEdit, stacked({m_clientIdEdit, error}));
}

QWidget* GrantCredentialsSection::makeSecretRow()
{
    auto* row = new QWidget(body());
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_clientSecretEdit = new QLineEdit(row);
    m_clientSecretEdit->setObjectName(QStringLiteral("clientSecretEdit"));
    m_clientSecretEdit->setAccessibleName(tr("Client Secret"));
    m_clientSecretEdit->setEchoMode(QLineEdit::Password);
    m_clientSecretEdit->setMaxLength(PasteLimit);
    if (!m_adding)
        m_clientSecretEdit->setPlaceholderText(tr("Leave empty to keep the stored secret"));
    m_showSecretButton = new QToolButton(row);
    m_showSecretButton->setObjectName(QStringLiteral("showSecretButton"));
    m_showSecretButton->setCheckable(true);
    m_showSecretButton->setToolTip(tr("Show or hide the Client Secret"));
    setSecretShown(false);
    m_revealButton = new QPushButton(tr("Reveal store&d…"), row);
    m_revealButton->setObjectName(QStringLiteral("revealButton"));
    m_revealButton->setAccessibleName(tr("Reveal the stored Client ID and Secret"));
    m_revealButton->setVisible(!m_adding);
    layout->addWidget(m_clientSecretEdit, 1);
    layout->addWidget(m_showSecretButton);
    layout->addWidget(m_revealButton);
    return row;
}

QWidget* GrantCredentialsSection::makeClipboardOffer()
{
    m_clipboardOffer = new QWidget(body());
    m_clipboardOffer->setObjectName(QStringLiteral("clipboardOffer"));
    auto* layout = new QHBoxLayout(m_clipboardOffer);
    layout->setContentsMargins(0, 0, 0, 0);
    m_clipboardOfferLabel = new QLabel(m_clipboardOffer);
    m_clipboardOfferLabel->setObjectName(QStringLiteral("clipboardOfferLabel"));
    m_clipboardOfferLabel->setWordWrap(true);
    m_clearClipboardButton = new QPushButton(tr("Clear the clipboard"), m_clipboardOffer);
    m_clearClipboardButton->setObjectName(QStringLiteral("clearClipboardButton"));
    m_clearClipboardButton->setAccessibleName(tr("Clear the clipboard"));
    layout->addWidget(m_clipboardOfferLabel, 1);
    layout->addWidget(m_clearClipboardButton);
    m_clipboardOffer->hide();
    return m_clipboardOffer;
}

void GrantCredentialsSection::addSecretRow(FieldMessages& messages)
{
    QWidget* row = makeSecretRow();
    QLabel* error = messages.addFieldError(m_clientSecretEdit, QStringLiteral("clientSecretError"), body());
    addRow(tr("Client Se&cret:"), m_clientSecretEdit, stacked({row, error, makeClipboardOffer()}));
}

void GrantCredentialsSection::addOptionRows()
{
    m_saveWithoutVerifyingCheck = new QCheckBox(tr("Store without verif&ying (not recommended)"), body());
    m_saveWithoutVerifyingCheck->setObjectName(QStringLiteral("saveWithoutVerifyingCheck"));
    m_saveWithoutVerifyingCheck->setAccessibleName(tr("Store without verifying"));
    m_saveWithoutVerifyingCheck->setToolTip(
        tr("Replaces the stored secret without fetching a token with the new one first. A mistyped secret then "
           "goes unnoticed until the next test."));
    m_saveWithoutVerifyingCheck->hide();
    form()->addRow(nullptr, m_saveWithoutVerifyingCheck);

    m_testAfterSavingCheck = new QCheckBox(tr("Test t&he grant after saving"), body());
    m_testAfterSavingCheck->setObjectName(QStringLiteral("testAfterSavingCheck"));
    m_testAfterSavingCheck->setAccessibleName(tr("Test the grant after saving"));
    m_testAfterSavingCheck->setChecked(true);
    m_testAfterSavingCheck->setVisible(m_adding);
    form()->addRow(nullptr, m_testAfterSavingCheck);
}

void GrantCredentialsSection::connectSecretHandling()
{
    connect(m_revealTimer, &QTimer::timeout, this, &GrantCredentialsSection::hideRevealedSecret);
    connect(m_showSecretButton, &QToolButton::toggled, this, &GrantCredentialsSection::setSecretShown);
    connect(m_revealButton, &QPushButton::clicked, this, &GrantCredentialsSection::revealRequested);
    connect(m_clientSecretEdit, &QLineEdit::textChanged, this, &GrantCredentialsSection::updateOptions);
    connect(m_clientIdEdit, &QLineEdit::textChanged, this, &GrantCredentialsSection::updateOptions);
    connect(m_clearClipboardButton, &QPushButton::clicked, this, &GrantCredentialsSection::clearPastedClipboard);
}

std::optional<Credentials> GrantCredentialsSection::credentials() const
{
    if (!m_adding && !newCredentialsEntered())
        return std::nullopt;
    const Credentials entered(m_clientIdEdit->text(), m_clientSecretEdit->text());
    if (!entered.isComplete())
        return std::nullopt;
    return entered;
}

bool GrantCredentialsSection::testAfterSaving() const
{
    return m_adding && m_testAfterSavingCheck->isChecked();
}

bool GrantCredentialsSection::saveWithoutVerifying() const
{
    return !m_adding && credentials().has_value() && m_saveWithoutVerifyingCheck->isChecked();
}

QList<FieldError> GrantCredentialsSection::errors() const
{
    if (!m_adding && !newCredentialsEntered())
        return {}; // keeping the stored pair
    QList<FieldError> errors;
    const QString clientId = m_clientIdEdit->text();
    const QString secret = m_clientSecretEdit->text();
    if (!m_adding && clientId.trimmed().isEmpty()) {
        // The keychain entry holds both values, and the dialog never reads it: the new secret needs its ID.
        errors.append({m_clientIdEdit, tr("Enter the Client ID as well: it is stored together with the new secret. "
                                          "“Reveal stored…” fills in the stored one; Grant → Rotate Secret… "
                                          "(Ctrl+R) asks for the new secret alone.")});
    }
    if (!m_adding && secret.trimmed().isEmpty()) {
        errors.append({m_clientSecretEdit, tr("Enter the Client Secret as well: a new Client ID needs its secret.")});
        return errors;
    }
    const auto problem = CredentialCheck::check(clientId, secret);
    if (problem && problem->field == CredentialProblem::Field::ClientId) {
        if (m_adding || !clientId.trimmed().isEmpty())
            errors.append({m_clientIdEdit, problem->message});
        // The secret is checked on its own too, so that both fields say what is wrong with them at once.
        if (const auto secretProblem = CredentialCheck::checkSecret(secret))
            errors.append({m_clientSecretEdit, secretProblem->message});
    } else if (problem) {
        errors.append({m_clientSecretEdit, problem->message});
    }
    return errors;
}

QList<QWidget*> GrantCredentialsSection::tabOrder() const
{
    return {m_clientIdEdit,         m_clientSecretEdit,          m_showSecretButton,    m_revealButton,
            m_clearClipboardButton, m_saveWithoutVerifyingCheck, m_testAfterSavingCheck};
}

bool GrantCredentialsSection::newCredentialsEntered() const
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

void GrantCredentialsSection::watchPastes(ClipboardGuard* clipboardGuard)
{
    m_pasteWatchers = {new PastedSecretWatcher(m_clientIdEdit, clipboardGuard, tr("pasted Client ID"), this),
                       new PastedSecretWatcher(m_clientSecretEdit, clipboardGuard, tr("pasted Client Secret"), this)};
    for (PastedSecretWatcher* watcher : std::as_const(m_pasteWatchers)) {
        connect(watcher, &PastedSecretWatcher::pasted, this, [this] { updateClipboardOffer(-1); });
        connect(watcher, &PastedSecretWatcher::countdownChanged, this, &GrantCredentialsSection::updateClipboardOffer);
        connect(watcher, &PastedSecretWatcher::finished, this, [this] { updateClipboardOffer(-1); });
    }
}

void GrantCredentialsSection::updateClipboardOffer(int secondsLeft)
{
    const bool watching = std::any_of(m_pasteWatchers.cbegin(), m_pasteWatchers.cend(),
                                      [](const PastedSecretWatcher* watcher) { return watcher->isWatching(); });
    m_clipboardOffer->setVisible(watching);
    if (secondsLeft >= 0) {
        m_clipboardOfferLabel->setText(
            tr("What you pasted is still on the clipboard: it is cleared in %n s, or when this dialog closes.", nullptr,
               secondsLeft));
    } else if (watching && m_clipboardOfferLabel->text().isEmpty()) {
        m_clipboardOfferLabel->setText(tr("What you pasted is still on the clipboard: it is cleared when this "
                                          "dialog closes."));
    }
}

void GrantCredentialsSection::clearPastedClipboard()
{
    clearPastedFromClipboard();
    m_clientSecretEdit->setFocus(Qt::OtherFocusReason);
}

void GrantCredentialsSection::clearPastedFromClipboard()
{
    for (PastedSecretWatcher* watcher : std::as_const(m_pasteWatchers))
        watcher->clearNow();
    m_clipboardOffer->hide();
}

bool GrantCredentialsSection::holdsEnteredSecret() const
{
    const QString secret = m_clientSecretEdit->text().trimmed();
    return !secret.isEmpty() && !(m_revealed && secret == m_revealed->clientSecret());
}

void GrantCredentialsSection::setRevealedSecret(const QString& clientId, const QString& secret)
{
    m_revealed = Credentials(clientId, secret);
    m_clientIdEdit->setText(m_revealed->clientId());
    m_clientSecretEdit->setText(m_revealed->clientSecret());
    m_showSecretButton->setChecked(true);
    m_revealTimer->start();
    updateOptions();
    emit changed();
}

void GrantCredentialsSection::hideRevealedSecret()
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
    updateOptions();
    emit changed();
}

void GrantCredentialsSection::setSecretShown(bool shown)
{
    m_clientSecretEdit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
    m_showSecretButton->setText(shown ? tr("Hide") : tr("Show"));
    m_showSecretButton->setAccessibleName(shown ? tr("Hide the Client Secret") : tr("Show the Client Secret"));
}

void GrantCredentialsSection::updateOptions()
{
    // Only a new pair in Edit can skip the verifying fetch; Add always stores what was typed.
    m_saveWithoutVerifyingCheck->setVisible(!m_adding && newCredentialsEntered());
}

} // namespace gk
