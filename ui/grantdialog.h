// The guided "Add grant" / "Edit grant" dialog: collects a grant's metadata and credentials, in the order an
// administrator creates the grant in Workiva, and shows GrantValidator's verdict next to each field. It never touches
// the keychain or the network: the window does that and tells the dialog how it went, and the dialog keeps
// everything typed until the save succeeded.
#pragma once

#include "core/grant/grant.h"
#include "core/grant/grantvalidator.h"
#include "core/vault/credentials.h"
#include "ui/fieldmessages.h"

#include <QDialog>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QString>

#include <optional>

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QScrollArea;

namespace gk {

class ClipboardGuard;
class GrantCredentialsSection;
class GrantEndpointSection;
class GrantExpirationSection;
class GrantIntegrationSection;
class GrantScopesSection;
class GrantTrustSection;

enum class GrantDialogMode { Add, Edit };

class GrantDialog : public QDialog
{
    Q_OBJECT

public:
    // How long a revealed stored secret stays on screen before the dialog hides it again.
    static constexpr int RevealMilliseconds = 30'000;

    // existing: every current grant, for the unique-name check and the shared-integration-user warning (the
    // grant being edited may be among them: it is recognised by its id). For Add, grant is the template to
    // start from (Grant::create() with the preferences' defaults applied).
    // clipboardGuard: clears a pasted Client ID or Secret from the clipboard after the usual delay and when the dialog
    // closes (null: only when the dialog closes).
    GrantDialog(GrantDialogMode mode, const Grant& grant, const QList<Grant>& existing,
                ClipboardGuard* clipboardGuard = nullptr, QWidget* parent = nullptr);
    ~GrantDialog() override;

    GrantDialogMode mode() const { return m_mode; }

    // The metadata as entered. id, createdAt, updatedAt, history and unknown fields come from the input grant
    // unchanged (the window stamps updatedAt when it saves); clientIdHint follows new credentials.
    Grant grant() const;
    // Add: the pair, trimmed, whenever both fields are filled. Edit: only when a new pair was entered; a revealed
    // stored pair that was left as it was is not new. An Edit with a new secret needs the Client ID as well
    // (the keychain stores them as one entry and the dialog never reads it): "Reveal stored…" fills it in.
    std::optional<Credentials> credentials() const;
    // Add only: the "Test the grant after saving" box (on by default). Always false for Edit.
    bool testAfterSaving() const;
    // Edit with new credentials only: the user chose to store them without a live fetch first (off by default).
    bool saveWithoutVerifying() const;

    // While the window saves or verifies: inputs and Save disabled, a status line with a busy indicator.
    // Cancel and Esc still work; the window must then abandon (or ignore the result of) what it started.
    void setBusy(bool busy, const QString& status = {});
    bool isBusy() const { return m_busy; }
    // The save failed: says so above the buttons and gives the inputs back, with everything typed still there.
    void showSaveError(const QString& summary, const QString& advice);
    // Edit: the window read the keychain after revealRequested(). Shown for RevealMilliseconds, then hidden.
    void setRevealedSecret(const QString& clientId, const QString& secret);

    // Esc, Cancel and closing the window: asks first when a typed or pasted secret would be lost.
    void reject() override;
    // Every way of closing takes a pasted value off the clipboard, if it is still there.
    void done(int result) override;

signals:
    // Save was pressed and everything validated. The window saves and calls accept() when it succeeded.
    void saveRequested();
    // Edit: the user asked to see the stored Client ID and Secret.
    void revealRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void buildContent(ClipboardGuard* clipboardGuard);
    void buildScrollArea();
    QWidget* buildBusyRow();
    void buildButtons();
    void loadGrant(const Grant& grant);
    void connectValidation();
    void setTabOrderFromLayout();

    // GrantValidator's verdict on the grant as entered.
    QList<GrantProblem> problems() const;
    // Every input's error, in layout order: the validator's and the credentials'. Shows nothing.
    QList<FieldError> fieldErrors(const QList<GrantProblem>& problems) const;
    // Where a problem of a field is shown: the input its error is shown under, and its warning label (if any).
    QWidget* inputFor(GrantField field) const;
    QLabel* warningLabelFor(GrantField field) const;
    // Shows the errors of the fields the user has left (or all of them after a Save attempt), and the warnings.
    void refresh();
    void showErrors(const QList<FieldError>& errors);
    void showWarnings(const QList<GrantProblem>& problems);
    void markTouched(QWidget* input);
    void onSavePressed();

    GrantDialogMode m_mode;
    Grant m_input;
    QList<Grant> m_existing;

    // Every error and warning label of the dialog; declared before the sections that fill it.
    FieldMessages m_messages;

    QScrollArea* m_scrollArea = nullptr;
    QWidget* m_content = nullptr;
    GrantIntegrationSection* m_integration = nullptr;
    GrantEndpointSection* m_endpoint = nullptr;
    GrantScopesSection* m_scopes = nullptr;
    GrantExpirationSection* m_expiration = nullptr;
    GrantTrustSection* m_trust = nullptr;
    GrantCredentialsSection* m_credentials = nullptr;

    QLabel* m_saveErrorLabel = nullptr;
    QWidget* m_busyRow = nullptr;
    QLabel* m_statusLabel = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_saveButton = nullptr;

    QSet<QWidget*> m_touched;
    bool m_saveAttempted = false;
    bool m_busy = false;
    // Where the keyboard was before setBusy(true), so that a failed save does not leave it on Cancel.
    QPointer<QWidget> m_focusBeforeBusy;
};

} // namespace gk
