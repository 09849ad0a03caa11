// Asks before a dialog holding a typed or pasted secret is closed without saving: the secret is shown only once in
// Workiva, and closing would lose it.
#pragma once

#include <QCoreApplication>

#include <functional>

class QWidget;

namespace gk {

class DiscardSecretPrompt
{
    Q_DECLARE_TR_FUNCTIONS(DiscardSecretPrompt)

public:
    // Opens the question over dialog (objectName "discardSecretConfirmation", buttons "discardSecretButton" and
    // "keepEditingButton", Keep editing the default and Esc) and returns at once; discard runs on Discard.
    static void ask(QWidget* dialog, std::function<void()> discard);
};

} // namespace gk
