// "Rotate Secret…": asks only for the regenerated Client Secret of a grant (Workiva keeps the Client ID), for
// GrantEditController to verify with a live token before it replaces the stored one. Touches neither the keychain
// nor the network itself, and keeps what was typed until the rotation succeeded.
#pragma once

#include "ui/fieldmessages.h"

#include <QDialog>
#include <QString>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace gk {

class ClipboardGuard;
class PastedSecretWatcher;
struct Grant;

class RotateSecretDialog : public QDialog
{
    Q_OBJECT

public:
    // clipboardGuard: clears a pasted secret from the clipboard after its delay and on closing (may be null).
    RotateSecretDialog(const Grant& grant, ClipboardGuard* clipboardGuard, QWidget* parent = nullptr);
    ~RotateSecretDialog() override;

    // The new secret, trimmed.
    QString newSecret() const;
    // While the new secret is checked: input and the button disabled, a status line. Cancel still works.
    void setBusy(bool busy, const QString& status = {});
    bool isBusy() const { return m_busy; }
    // The rotation failed: says why, with everything typed still there.
    void showError(const QString& summary, const QString& advice);

    void reject() override;
    void done(int result) override;

signals:
    // The button was pressed and the secret looks like one.
    void rotateRequested();

private:
    QWidget* buildSecretRow();
    void buildButtons();
    void onRotatePressed();
    void setSecretShown(bool shown);

    FieldMessages m_messages;
    QLineEdit* m_secretEdit = nullptr;
    QToolButton* m_showButton = nullptr;
    QLabel* m_secretError = nullptr;
    QLabel* m_errorLabel = nullptr;
    QLabel* m_statusLabel = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_rotateButton = nullptr;
    PastedSecretWatcher* m_pasteWatcher = nullptr;
    bool m_busy = false;
};

} // namespace gk
