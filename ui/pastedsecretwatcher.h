// Notices a secret pasted into a line edit from the clipboard and hands the clipboard's copy to the ClipboardGuard,
// which clears it after the usual delay; close() clears it at once (a dialog closing). Only exactly the pasted text
// is ever cleared: anything copied since belongs to the user.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QLineEdit;

namespace gk {

class ClipboardGuard;

class PastedSecretWatcher : public QObject
{
    Q_OBJECT

public:
    // guard: may be null (a dialog shown on its own in a test); then close() and clearNow() still clear the pasted
    // copy, but nothing counts down. what: for the status text, e.g. tr("pasted Client Secret").
    PastedSecretWatcher(QLineEdit* edit, ClipboardGuard* guard, const QString& what, QObject* parent);
    ~PastedSecretWatcher() override;

    // A paste was noticed and the clipboard may still hold it.
    bool isWatching() const { return !m_pastedText.isEmpty(); }
    // Clears the clipboard now if it still holds what was pasted, and stops watching.
    void clearNow();
    void close() { clearNow(); }

signals:
    void pasted();
    // Seconds until the guard clears the pasted copy.
    void countdownChanged(int secondsLeft);
    // Not watching any more: cleared, or the clipboard holds something else now.
    void finished();

private:
    void onEdited(const QString& text);
    void forget();

    QLineEdit* m_edit;
    QPointer<ClipboardGuard> m_guard;
    QString m_what;
    QString m_pastedText; // the clipboard's text when it was pasted: the field holds it anyway
    qsizetype m_lastLength = 0;
};

} // namespace gk
