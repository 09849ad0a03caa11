// The guided "Add grant" / "Edit grant" dialog: collects and checks a grant's metadata and credentials, in the
// order an administrator creates the grant in Workiva. It never touches the keychain or the network: the window
// does that and tells the dialog how it went, and the dialog keeps everything typed until the save succeeded.
#pragma once

#include "core/grant/grant.h"
#include "core/vault/credentials.h"

#include <QDialog>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QString>

#include <optional>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace gk {

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
    GrantDialog(GrantDialogMode mode, const Grant& grant, const QList<Grant>& existing, QWidget* parent = nullptr);
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

signals:
    // Save was pressed and everything validated. The window saves and calls accept() when it succeeded.
    void saveRequested();
    // Edit: the user asked to see the stored Client ID and Secret.
    void revealRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    struct FieldError
    {
        QWidget* input = nullptr;
        QString message;
    };

    void buildIntegrationSection(QVBoxLayout* sections);
    void buildEndpointSection(QVBoxLayout* sections);
    void buildScopesSection(QVBoxLayout* sections);
    void buildExpirationSection(QVBoxLayout* sections);
    void buildTrustSection(QVBoxLayout* sections);
    void buildCredentialsSection(QVBoxLayout* sections);
    void buildFooter();
    void loadGrant(const Grant& grant);
    void connectValidation();
    void setTabOrderFromLayout();

    // Every input's problem, in layout order. Pure with respect to the widgets: shows nothing.
    QList<FieldError> fieldErrors() const;
    // Shows the errors of the fields the user has left (or all of them after a Save attempt), and the warnings.
    void refresh();
    void markTouched(QWidget* input);
    void showFieldError(QWidget* input, const QString& message);
    void onSavePressed();

    void updateEndpointRows();
    void updateTrustRows();
    void updateCredentialExtras();
    void onSecretEdited(const QString& text);
    void hideRevealedSecret();
    void applyMessageColours();

    bool newCredentialsEntered() const;
    QString customUrlProblem() const;
    QString caFileProblem() const;
    Region selectedRegion() const;
    ApiVersion selectedApiVersion() const;
    TrustMode selectedTrustMode() const;
    QStringList otherGrantNamesWithUser(const QString& user) const;

    GrantDialogMode m_mode;
    Grant m_input;
    QList<Grant> m_existing;

    QScrollArea* m_scrollArea = nullptr;
    QWidget* m_content = nullptr;

    QLineEdit* m_nameEdit = nullptr;
    QLineEdit* m_integrationUserEdit = nullptr;
    QLabel* m_sharedUserWarning = nullptr;
    QPlainTextEdit* m_notesEdit = nullptr;
    QLineEdit* m_ipAllowlistEdit = nullptr;

    QFormLayout* m_endpointForm = nullptr;
    QComboBox* m_regionCombo = nullptr;
    QLineEdit* m_customUrlEdit = nullptr;
    QLabel* m_tokenUrlLabel = nullptr;
    QComboBox* m_apiVersionCombo = nullptr;
    QLabel* m_deprecatedVersionWarning = nullptr;
    QComboBox* m_authMethodCombo = nullptr;

    QList<QCheckBox*> m_scopeChecks;
    QLineEdit* m_otherScopesEdit = nullptr;

    QCheckBox* m_expiresCheck = nullptr;
    QDateEdit* m_expiresDateEdit = nullptr;
    QLabel* m_expiryPastWarning = nullptr;

    QFormLayout* m_trustForm = nullptr;
    QComboBox* m_trustModeCombo = nullptr;
    QWidget* m_caFileRow = nullptr;
    QWidget* m_caFileCell = nullptr;
    QLineEdit* m_caFileEdit = nullptr;
    QPushButton* m_browseCaFileButton = nullptr;
    QLineEdit* m_pinnedFingerprintEdit = nullptr;
    QWidget* m_pinnedCell = nullptr;

    QLineEdit* m_clientIdEdit = nullptr;
    QLineEdit* m_clientSecretEdit = nullptr;
    QToolButton* m_showSecretButton = nullptr;
    QPushButton* m_revealButton = nullptr;
    QWidget* m_clipboardOffer = nullptr;
    QPushButton* m_clearClipboardButton = nullptr;
    QCheckBox* m_saveWithoutVerifyingCheck = nullptr;
    QCheckBox* m_testAfterSavingCheck = nullptr;
    QTimer* m_revealTimer = nullptr;

    QLabel* m_saveErrorLabel = nullptr;
    QWidget* m_busyRow = nullptr;
    QLabel* m_statusLabel = nullptr;
    QProgressBar* m_busyIndicator = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_saveButton = nullptr;

    // Each validated input's error label, and the hint it carries for assistive technology when valid.
    QHash<QWidget*, QLabel*> m_errorLabels;
    QHash<QWidget*, QString> m_descriptions;
    QList<QLabel*> m_warningLabels;
    QSet<QWidget*> m_touched;
    bool m_saveAttempted = false;
    bool m_busy = false;
    // Where the keyboard was before setBusy(true), so that a failed save does not leave it on Cancel.
    QPointer<QWidget> m_focusBeforeBusy;

    // What "Reveal stored…" put in the fields: left as it is, it is not a new pair.
    std::optional<Credentials> m_revealed;
    // What the clipboard held when it was pasted into the secret field: cleared only if it still holds it.
    QString m_pastedClipboardText;
    qsizetype m_lastSecretLength = 0;
};

} // namespace gk
