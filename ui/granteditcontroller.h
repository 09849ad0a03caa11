// The workflows behind Add, Edit, Rotate Secret and Delete: the grant dialog, the save through the repository
// (keychain first, metadata second), a new secret's rotation through SecretRotation (one per dialog), the keychain
// read behind the dialog's "Reveal stored…", and the confirmation before a delete.
#pragma once

#include "core/token/certificateinfo.h"
#include "core/token/trustsettings.h"
#include "core/vault/credentials.h"
#include "ui/uicontext.h"

#include <QList>
#include <QObject>
#include <QUuid>

#include <optional>

class QWidget;

namespace gk {

class GrantDialog;
class RotateSecretDialog;
enum class GrantDialogMode;
struct Grant;

class GrantEditController : public QObject
{
    Q_OBJECT

public:
    // window: the parent of the dialogs and message boxes this opens, and of this controller.
    GrantEditController(const UiContext& context, QWidget* window);

    // Each opens a dialog and returns at once; nothing happens while the grants file is read-only.
    void add();
    void edit(const Grant& grant);
    void remove(const QList<Grant>& grants);
    // "Rotate Secret…": asks for the regenerated secret alone; the stored Client ID stays.
    void rotateSecret(const Grant& grant);
    // "Trust this certificate…" after a TLS failure: pins it or saves it as the grant's CA file, after saying the
    // risk, through the same save as Edit; then the grant is tested again.
    void trustCertificate(const Grant& grant, const CertificateInfo& certificate);

signals:
    // The grant is in the keychain and the file, its dialog closed. testAfter: the user asked for a test.
    void saved(const gk::Grant& grant, bool testAfter);
    void removed(const gk::Grant& grant);
    // The grant's live token was dropped or replaced: what this session learnt from the old one no longer applies.
    void liveTokenInvalidated(const QUuid& grantId);
    // A rotation left the old secret in place; the attempt is in the grant's history.
    void rotationFailed(const QUuid& grantId);
    // Something failed with no dialog left to tell it.
    void problem(const QString& title, const QString& summary, const QString& advice);
    void statusMessage(const QString& text, int timeoutMs);

private:
    static QString namesToDelete(const QList<Grant>& grants);
    GrantDialog* openDialog(GrantDialogMode mode, const Grant& grant);
    void saveFromDialog(GrantDialog* dialog);
    void storeFromDialog(GrantDialog* dialog, const Grant& grant, const std::optional<Credentials>& credentials,
                         bool dropsLiveToken);
    void rotateFromDialog(GrantDialog* dialog, const Grant& grant, const Credentials& credentials);
    // After a save or a rotation succeeded: closes the dialog (if the user has not already) and says so.
    void finishSave(GrantDialog* dialog, const Grant& grant, bool testAfter);
    void revealForDialog(GrantDialog* dialog, const QUuid& id);
    void rotateFromSecretDialog(RotateSecretDialog* dialog, const QUuid& id);
    void removeConfirmed(const QList<Grant>& grants);
    void saveTrust(const QUuid& id, const CertificateInfo& certificate, TrustMode mode);
    // Where "Save as CA file" keeps a grant's certificate: beside grants.json.
    QString caFilePathFor(const Grant& grant) const;

    UiContext m_context;
    QWidget* m_window;
};

} // namespace gk
