// "6. Client ID and Secret" of the grant dialog: the pair to store (Add) or a new one to rotate to (Edit), with the
// stored pair revealed on request, and an offer to clear a pasted secret from the clipboard.
#pragma once

#include "core/vault/credentials.h"
#include "ui/fieldmessages.h"
#include "ui/formsection.h"

#include <optional>

class QCheckBox;
class QLineEdit;
class QPushButton;
class QTimer;
class QToolButton;

namespace gk {

struct Grant;

class GrantCredentialsSection : public FormSection
{
    Q_OBJECT

public:
    // adding: Add (the pair is required) or Edit (empty keeps the stored pair). stored: the grant being edited, for
    // the hint of its stored Client ID.
    GrantCredentialsSection(bool adding, const Grant& stored, int revealMilliseconds, FieldMessages& messages,
                            QWidget* parent);

    // See GrantDialog::credentials(), testAfterSaving() and saveWithoutVerifying().
    std::optional<Credentials> credentials() const;
    bool testAfterSaving() const;
    bool saveWithoutVerifying() const;

    // The problems of the typed pair, by CredentialCheck, in field order. Pure: shows nothing.
    QList<FieldError> errors() const;
    QList<QWidget*> tabOrder() const;

    // Shows the stored pair the window read from the keychain, until the reveal time is up.
    void setRevealedSecret(const QString& clientId, const QString& secret);

signals:
    void revealRequested();
    // The fields changed without typing: a revealed pair was shown or taken away again.
    void changed();

private:
    void addClientIdRow(FieldMessages& messages, const QString& storedHint);
    QWidget* makeSecretRow();
    QWidget* makeClipboardOffer();
    void addSecretRow(FieldMessages& messages);
    void addOptionRows();
    void connectSecretHandling();

    bool newCredentialsEntered() const;
    void onSecretEdited(const QString& text);
    void clearPastedClipboard();
    void hideRevealedSecret();
    void setSecretShown(bool shown);
    void updateOptions();

    bool m_adding = true;
    QLineEdit* m_clientIdEdit = nullptr;
    QLineEdit* m_clientSecretEdit = nullptr;
    QToolButton* m_showSecretButton = nullptr;
    QPushButton* m_revealButton = nullptr;
    QWidget* m_clipboardOffer = nullptr;
    QPushButton* m_clearClipboardButton = nullptr;
    QCheckBox* m_saveWithoutVerifyingCheck = nullptr;
    QCheckBox* m_testAfterSavingCheck = nullptr;
    QTimer* m_revealTimer = nullptr;

    // What "Reveal stored…" put in the fields: left as it is, it is not a new pair.
    std::optional<Credentials> m_revealed;
    // What the clipboard held when it was pasted into the secret field: cleared only if it still holds it.
    QString m_pastedClipboardText;
    qsizetype m_lastSecretLength = 0;
};

} // namespace gk
