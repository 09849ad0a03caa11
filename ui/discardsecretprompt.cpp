#include "ui/discardsecretprompt.h"

#include <QMessageBox>
#include <QPushButton>

namespace gk {

void DiscardSecretPrompt::ask(QWidget* dialog, std::function<void()> discard)
{
    auto* box = new QMessageBox(QMessageBox::Question, tr("Discard the secret?"),
                                tr("Discard the Client Secret you entered?"), QMessageBox::NoButton, dialog);
    box->setObjectName(QStringLiteral("discardSecretConfirmation"));
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(tr("It is not stored yet. Workiva shows a secret only once: if you have no other copy, "
                               "you will have to regenerate it there."));
    QPushButton* discardButton = box->addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    discardButton->setObjectName(QStringLiteral("discardSecretButton"));
    discardButton->setAccessibleName(tr("Discard the secret"));
    QPushButton* keepButton = box->addButton(tr("&Keep Editing"), QMessageBox::RejectRole);
    keepButton->setObjectName(QStringLiteral("keepEditingButton"));
    keepButton->setAccessibleName(tr("Keep editing"));
    box->setDefaultButton(keepButton);
    box->setEscapeButton(keepButton);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::buttonClicked, dialog,
                     [discardButton, discard = std::move(discard)](QAbstractButton* button) {
                         if (button == discardButton)
                             discard();
                     });
    box->open();
}

} // namespace gk
