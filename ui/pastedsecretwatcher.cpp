#include "ui/pastedsecretwatcher.h"

#include "ui/clipboardguard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLineEdit>

namespace gk {

namespace {

// What the clipboard (or the X11 selection, for a middle-click paste) holds that the field now contains.
QString pastedClipboardText(const QString& fieldText)
{
    QClipboard* clipboard = QGuiApplication::clipboard();
    QList<QClipboard::Mode> modes = {QClipboard::Clipboard};
    if (clipboard->supportsSelection())
        modes.append(QClipboard::Selection);
    for (QClipboard::Mode mode : modes) {
        const QString text = clipboard->text(mode);
        const QString trimmed = text.trimmed();
        if (!trimmed.isEmpty() && fieldText.contains(trimmed))
            return text;
    }
    return {};
}

} // namespace

PastedSecretWatcher::PastedSecretWatcher(QLineEdit* edit, ClipboardGuard* guard, const QString& what, QObject* parent)
    : QObject(parent)
    , m_edit(edit)
    , m_guard(guard)
    , m_what(what)
{
    connect(m_edit, &QLineEdit::textEdited, this, &PastedSecretWatcher::onEdited);
    // Qt emits textEdited before textChanged: by then onEdited has compared with the previous length.
    connect(m_edit, &QLineEdit::textChanged, this, [this](const QString& text) { m_lastLength = text.size(); });
    if (!m_guard)
        return;
    connect(m_guard, &ClipboardGuard::countdownChanged, this, [this](int secondsLeft) {
        if (!isWatching())
            return;
        if (m_guard->isGuarding(m_pastedText))
            emit countdownChanged(secondsLeft);
        else
            forget(); // the guard counts down something else now: what was pasted is gone from the clipboard
    });
    connect(m_guard, &ClipboardGuard::cleared, this, [this] {
        if (isWatching() && !m_guard->isGuarding(m_pastedText))
            forget();
    });
}

PastedSecretWatcher::~PastedSecretWatcher() = default;

void PastedSecretWatcher::onEdited(const QString& text)
{
    // A paste grows the field by more than one character at once; typing never does.
    if (text.size() - m_lastLength <= 1)
        return;
    const QString clipboardText = pastedClipboardText(text);
    if (clipboardText.isEmpty())
        return;
    if (m_guard && !m_guard->guardCopiedText(clipboardText, m_what))
        return;
    m_pastedText = clipboardText;
    emit pasted();
    if (m_guard)
        emit countdownChanged(m_guard->secondsLeft());
}

void PastedSecretWatcher::clearNow()
{
    if (!isWatching())
        return;
    if (m_guard) {
        if (m_guard->isGuarding(m_pastedText))
            m_guard->clearNow(); // only if the clipboard still holds it
    } else {
        QClipboard* clipboard = QGuiApplication::clipboard();
        if (clipboard->text() == m_pastedText)
            clipboard->clear();
        if (clipboard->supportsSelection() && clipboard->text(QClipboard::Selection) == m_pastedText)
            clipboard->clear(QClipboard::Selection);
    }
    forget();
}

void PastedSecretWatcher::forget()
{
    m_pastedText.clear();
    emit finished();
}

} // namespace gk
