#include "ui/granteditcontroller.h"

#include "core/expiry/clock.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/grant/secretrotation.h"
#include "core/settings/preferences.h"
#include "core/token/livetokens.h"
#include "core/vault/credentialvault.h"
#include "ui/grantdialog.h"
#include "ui/rotatesecretdialog.h"

#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QStringList>
#include <QWidget>

namespace gk {

namespace {

// A live token belongs to the endpoint, scopes and credentials it was fetched with: once a save changes them, it
// goes (and this session's last result with it).
bool invalidatesLiveToken(const std::optional<Grant>& before, const Grant& grant, bool newCredentials)
{
    return !before || before->tokenUrl() != grant.tokenUrl() || before->apiVersion != grant.apiVersion ||
           !(before->requestedScopes == grant.requestedScopes) || before->authMethod != grant.authMethod ||
           !(before->trust == grant.trust) || newCredentials;
}

} // namespace

GrantEditController::GrantEditController(const UiContext& context, QWidget* window)
    : QObject(window)
    , m_context(context)
    , m_window(window)
{}

void GrantEditController::add()
{
    if (m_context.store.isReadOnly())
        return;
    Grant grant = Grant::create(QString(), m_context.clock.now());
    grant.region = m_context.preferences.defaultRegion();
    grant.apiVersion = m_context.preferences.defaultApiVersion();
    openDialog(GrantDialogMode::Add, grant);
}

void GrantEditController::edit(const Grant& grant)
{
    if (m_context.store.isReadOnly())
        return;
    GrantDialog* dialog = openDialog(GrantDialogMode::Edit, grant);
    connect(dialog, &GrantDialog::revealRequested, this,
            [this, dialog, id = grant.id] { revealForDialog(dialog, id); });
}

GrantDialog* GrantEditController::openDialog(GrantDialogMode mode, const Grant& grant)
{
    auto* dialog = new GrantDialog(mode, grant, m_context.store.grants(), &m_context.clipboard, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &GrantDialog::saveRequested, this, [this, dialog] { saveFromDialog(dialog); });
    dialog->open();
    return dialog;
}

void GrantEditController::saveFromDialog(GrantDialog* dialog)
{
    const bool editing = dialog->mode() == GrantDialogMode::Edit;
    Grant grant = dialog->grant();
    grant.updatedAt = m_context.clock.now();
    const std::optional<Credentials> credentials = dialog->credentials();
    // Judged against the grant as it is before the save: a save that fails changes nothing.
    const bool dropsLiveToken =
        editing && invalidatesLiveToken(m_context.store.find(grant.id), grant, credentials.has_value());
    if (!editing || !credentials || dialog->saveWithoutVerifying())
        storeFromDialog(dialog, grant, credentials, dropsLiveToken);
    else
        rotateFromDialog(dialog, grant, *credentials);
}

void GrantEditController::storeFromDialog(GrantDialog* dialog, const Grant& grant,
                                          const std::optional<Credentials>& credentials, bool dropsLiveToken)
{
    dialog->setBusy(true, credentials ? tr("Saving to the keychain…") : tr("Saving…"));
    const bool testAfter = dialog->testAfterSaving();
    // This controller, not the dialog, receives the outcome: if the user closes the dialog meanwhile, the save
    // still completes and the list must still show it.
    const QPointer<GrantDialog> guard(dialog);
    m_context.repository.save(grant, credentials, this,
                              [this, guard, grant, testAfter, dropsLiveToken](const RepositoryResult& result) {
                                  if (!result.isSuccess()) {
                                      if (guard) {
                                          guard->setBusy(false);
                                          guard->showSaveError(result.summary(), result.advice());
                                      } else {
                                          emit problem(tr("Save grant"), result.summary(), result.advice());
                                      }
                                      return;
                                  }
                                  if (dropsLiveToken) {
                                      m_context.liveTokens.remove(grant.id);
                                      emit liveTokenInvalidated(grant.id);
                                  }
                                  finishSave(guard, grant, testAfter);
                              });
}

void GrantEditController::rotateFromDialog(GrantDialog* dialog, const Grant& grant, const Credentials& credentials)
{
    // A new secret for an existing grant is a rotation: it replaces the stored one only once it has proved
    // itself with a live token, and the attempt is recorded as a rotation, not as a test of the grant.
    dialog->setBusy(true, tr("Checking the new secret with %1…").arg(grant.tokenUrl().host()));
    // One rotation per dialog, so closing one dialog abandons its own check and no other.
    auto* rotation = new SecretRotation(m_context.repository, m_context.vault, m_context.client, m_context.clock, this);
    connect(dialog, &QObject::destroyed, rotation, &SecretRotation::cancel);
    const QPointer<GrantDialog> guard(dialog);
    connect(rotation, &SecretRotation::finished, this, [this, rotation, guard, grant](const RotationOutcome& outcome) {
        rotation->deleteLater();
        if (!outcome.replaced) {
            if (guard) {
                guard->setBusy(false);
                guard->showSaveError(outcome.summary(), outcome.advice());
            }
            emit rotationFailed(grant.id);
            return;
        }
        // The new secret's token is the grant's live token now.
        emit liveTokenInvalidated(grant.id);
        m_context.liveTokens.store(grant.id, outcome.token->token(), outcome.token->response().receivedAt);
        finishSave(guard, grant, false);
    });
    rotation->rotate(grant, credentials, std::chrono::seconds(m_context.preferences.requestTimeout()),
                     SecretRotation::Save::GrantAndCredentials);
}

void GrantEditController::finishSave(GrantDialog* dialog, const Grant& grant, bool testAfter)
{
    if (dialog)
        dialog->accept();
    emit saved(grant, testAfter);
}

void GrantEditController::revealForDialog(GrantDialog* dialog, const QUuid& id)
{
    m_context.vault.load(id.toString(QUuid::WithoutBraces), dialog, [dialog](const VaultLoadResult& loaded) {
        if (loaded.error.isError()) {
            dialog->showSaveError(loaded.error.summary(), loaded.error.advice());
            return;
        }
        dialog->setRevealedSecret(loaded.credentials.clientId(), loaded.credentials.clientSecret());
    });
}

// "“Edge”", "“Edge” and “Payroll”", "12 grants (“Edge”, “Payroll” and 10 more)"
QString GrantEditController::namesToDelete(const QList<Grant>& grants)
{
    const auto quoted = [&grants](qsizetype i) { return QStringLiteral("“%1”").arg(grants[i].name); };
    switch (grants.size()) {
    case 1:
        return quoted(0);
    case 2:
        return tr("%1 and %2").arg(quoted(0), quoted(1));
    case 3:
        return tr("%1, %2 and %3").arg(quoted(0), quoted(1), quoted(2));
    default:
        return tr("%1 grants (%2, %3 and %4 more)").arg(grants.size()).arg(quoted(0), quoted(1)).arg(grants.size() - 2);
    }
}

void GrantEditController::rotateSecret(const Grant& grant)
{
    if (m_context.store.isReadOnly())
        return;
    auto* dialog = new RotateSecretDialog(grant, &m_context.clipboard, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &RotateSecretDialog::rotateRequested, this,
            [this, dialog, id = grant.id] { rotateFromSecretDialog(dialog, id); });
    dialog->open();
}

void GrantEditController::rotateFromSecretDialog(RotateSecretDialog* dialog, const QUuid& id)
{
    const auto grant = m_context.store.find(id);
    if (!grant) {
        dialog->showError(tr("This grant is no longer in the list."), tr("Close this window and reload (F5)."));
        return;
    }
    dialog->setBusy(true, tr("Checking the new secret with %1…").arg(grant->tokenUrl().host()));
    // Workiva keeps the Client ID: SecretRotation reads it from the keychain, off the UI thread.
    auto* rotation = new SecretRotation(m_context.repository, m_context.vault, m_context.client, m_context.clock, this);
    connect(dialog, &QObject::destroyed, rotation, &SecretRotation::cancel);
    const QPointer<RotateSecretDialog> guard(dialog);
    connect(rotation, &SecretRotation::finished, this, [this, rotation, guard, id](const RotationOutcome& outcome) {
        rotation->deleteLater();
        if (!outcome.replaced) {
            if (guard)
                guard->showError(outcome.summary(), outcome.advice());
            emit rotationFailed(id);
            return;
        }
        emit liveTokenInvalidated(id);
        m_context.liveTokens.store(id, outcome.token->token(), outcome.token->response().receivedAt);
        if (guard)
            guard->accept();
        if (const auto rotated = m_context.store.find(id))
            emit saved(*rotated, false);
        emit statusMessage(outcome.summary(), 8000);
    });
    rotation->rotateSecret(*grant, dialog->newSecret(), std::chrono::seconds(m_context.preferences.requestTimeout()));
}

void GrantEditController::trustCertificate(const Grant& grant, const CertificateInfo& certificate)
{
    if (m_context.store.isReadOnly() || certificate.pem.isEmpty())
        return;
    // A certificate that signed itself can be its own CA; one from a private CA needs that CA's certificate.
    const bool selfSigned = certificate.subject == certificate.issuer;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Trust this certificate"),
                                tr("Trust the certificate of %1 for “%2”?").arg(certificate.subject, grant.name),
                                QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("trustCertificateConfirmation"));
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(
        tr("SHA-256 fingerprint:\n%1\n\nOnly do this if the server's administrator has confirmed this fingerprint to "
           "you through a channel of their own (a phone call, their documentation), not through this connection. If "
           "it is not their certificate, whoever sits between you and the server can read the Client Secret that "
           "every test sends.\n\nPin: only this exact certificate is accepted; tests fail when the server gets a "
           "new one, until you trust that.\nCA file: the certificate is saved beside the grants file and trusted "
           "together with the system's CAs.%2")
            .arg(CertificateInfo::formatFingerprint(certificate.sha256),
                 selfSigned ? QString()
                            : tr("\n(It was issued by %1: to use a CA file, ask for that CA's certificate and choose "
                                 "it in Edit Grant.)")
                                  .arg(certificate.issuer)));
    QPushButton* pin = box->addButton(tr("&Pin It"), QMessageBox::AcceptRole);
    pin->setObjectName(QStringLiteral("pinCertificateButton"));
    QPushButton* caFile = box->addButton(tr("Save as &CA File"), QMessageBox::AcceptRole);
    caFile->setObjectName(QStringLiteral("saveCaFileButton"));
    caFile->setEnabled(selfSigned);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, pin, caFile, id = grant.id, certificate](QAbstractButton* button) {
                if (button == pin)
                    saveTrust(id, certificate, TrustMode::Pinned);
                else if (button == caFile)
                    saveTrust(id, certificate, TrustMode::SystemPlusCaFile);
            });
    box->open();
}

void GrantEditController::saveTrust(const QUuid& id, const CertificateInfo& certificate, TrustMode mode)
{
    std::optional<Grant> grant = m_context.store.find(id);
    if (!grant)
        return;
    TrustSettings trust;
    trust.mode = mode;
    if (mode == TrustMode::Pinned) {
        trust.pinnedSha256 = certificate.sha256;
        trust.pinnedCertificatePem = QString::fromLatin1(certificate.pem);
    } else {
        trust.caFilePath = caFilePathFor(*grant);
        QDir().mkpath(QFileInfo(trust.caFilePath).absolutePath());
        QSaveFile file(trust.caFilePath);
        if (!file.open(QIODevice::WriteOnly) || file.write(certificate.pem) != certificate.pem.size() ||
            !file.commit()) {
            emit problem(tr("Trust this certificate"),
                         tr("Could not save the certificate to %1: %2")
                             .arg(QDir::toNativeSeparators(trust.caFilePath), file.errorString()),
                         tr("Check that the folder is writable, or pin the certificate instead."));
            return;
        }
    }
    grant->trust = trust;
    grant->updatedAt = m_context.clock.now();
    // The same save as Edit: keychain untouched (no new credentials), metadata all or nothing.
    m_context.repository.save(*grant, std::nullopt, this, [this, trusted = *grant](const RepositoryResult& result) {
        if (!result.isSuccess()) {
            emit problem(tr("Trust this certificate"), result.summary(), result.advice());
            return;
        }
        m_context.liveTokens.remove(trusted.id);
        emit liveTokenInvalidated(trusted.id);
        emit saved(trusted, true); // tested again at once: the proof that the trust works
    });
}

QString GrantEditController::caFilePathFor(const Grant& grant) const
{
    const QDir folder(QFileInfo(m_context.store.filePath()).absolutePath());
    return folder.filePath(QStringLiteral("certificates/%1.pem").arg(grant.keychainKey()));
}

void GrantEditController::remove(const QList<Grant>& grants)
{
    if (grants.isEmpty() || m_context.store.isReadOnly())
        return;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Delete grant"),
                                tr("Delete %1? Its Client ID and Secret are removed from the keychain; the grant "
                                   "itself stays in Workiva until you revoke it there.")
                                    .arg(namesToDelete(grants)),
                                QMessageBox::Cancel, m_window);
    box->setObjectName(QStringLiteral("deleteConfirmation"));
    box->setTextFormat(Qt::PlainText);
    auto* deleteButton = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    deleteButton->setObjectName(QStringLiteral("confirmDeleteButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, grants, deleteButton](QAbstractButton* button) {
        if (button == deleteButton)
            removeConfirmed(grants);
    });
    box->open();
}

void GrantEditController::removeConfirmed(const QList<Grant>& grants)
{
    emit statusMessage(tr("Removing from the keychain…"), 0);
    for (const Grant& grant : grants) {
        m_context.repository.remove(grant.id, this, [this, grant](const RepositoryResult& result) {
            emit statusMessage(QString(), 0);
            if (!result.isSuccess())
                emit problem(tr("Delete grant"), result.summary(), result.advice());
            // Gone from the list even when its keychain entry was left over (the message says how to clear it).
            if (!result.removedFromList())
                return;
            m_context.liveTokens.remove(grant.id);
            emit liveTokenInvalidated(grant.id);
            emit removed(grant);
        });
    }
}

} // namespace gk
