// "6. Client ID and Secret" of the grant dialog: the pair to store (Add) or a new one to rotate to (Edit), with the
// stored pair revealed on request; a pasted Client ID or Secret is cleared from the clipboard like a copied token.
#pragma once

#include "core/vault/credentials.h"
#include "ui/fieldmessages.h"
#include "ui/formsection.h"

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;
class QToolButton;

namespace gk {

class ClipboardGuard;
class PastedSecretWatcher;
struct Grant;

class GrantCredentialsSection : public FormSection
{
    Q_OBJECT

public:
    // adding: Add (the pair is required) or Edit (empty keeps the stored pair). stored: the grant being edited, for
    // the hint of its stored Client ID.
    // clipboardGuard: clears a pasted Client ID or Secret from the clipboard after its delay (may be null).
    GrantCredentialsSection(bool adding, const Grant& stored, int revealMilliseconds, FieldMessages& messages,
                            ClipboardGuard* clipboardGuard, QWidget* parent);

    // See GrantDialog::credentials(), testAfterSaving() and saveWithoutVerifying().
    std::optional<Credentials> credentials() const;
    bool testAfterSaving() const;
    bool saveWithoutVerifying() const;

    // The problems of the typed pair, by CredentialCheck, in field order. Pure: shows nothing.
    QList<FieldError> errors() const;
    QList<QWidget*> tabOrder() const;
    // A Client Secret was typed or pasted that would be lost on closing (the stored one revealed does not count).
    bool holdsEnteredSecret() const;
    // The dialog closes: a pasted value still on the clipboard is cleared now.
    void clearPastedFromClipboard();

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
    void watchPastes(ClipboardGuard* clipboardGuard);
    void updateClipboardOffer(int secondsLeft);

    bool newCredentialsEntered() const;
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
    QLabel* m_clipboardOfferLabel = nullptr;
    QList<PastedSecretWatcher*> m_pasteWatchers;
    QTimer* m_revealTimer = nullptr;

    // What "Reveal stored…" put in the fields: left as it is, it is not a new pair.
    std::optional<Credentials> m_revealed;
};

} // namespace gk
