// Copies a secret to the clipboard, kept out of clipboard history, and takes it away again after a countdown.
#pragma once

#include <QByteArray>
#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <memory>
#include <utility>

class QMimeData;
class QTimer;

namespace gk {

class Clock;

class ClipboardGuard : public QObject
{
    Q_OBJECT

public:
    static constexpr std::chrono::seconds DefaultClearDelay{30};

    // clipboard: normally the application's; tests may pass it explicitly. It may go away before the guard.
    explicit ClipboardGuard(QClipboard* clipboard = QGuiApplication::clipboard(), QObject* parent = nullptr);
    // Clears the clipboard if it still holds our copy (without emitting signals).
    ~ClipboardGuard() override;

    // Takes effect with the next copySecret(); normally Preferences::clipboardClearSeconds().
    void setClearDelay(std::chrono::seconds delay);
    std::chrono::seconds clearDelay() const;

    // Where "now" comes from; the clock must outlive the guard. Tests hand in a manual clock
    // (tests/support/manualclock.h) and call tick().
    void setClock(const Clock& clock);
    // How often the guard looks at the clock (default 1 s). Tests shorten it to see the timer itself at work.
    void setTickInterval(std::chrono::milliseconds interval);

    // Puts text on the clipboard (and the X11 selection, where there is one) with the hints that keep it out of
    // clipboard history, then counts down. what: a human label for status text, e.g. tr("access token").
    // An empty text is ignored. A second call replaces the first and restarts the countdown.
    void copySecret(const QString& text, const QString& what);
    // Takes on a secret that is already on the clipboard (or the X11 selection), put there by another application
    // and pasted into ours: counts down and clears it like our own copy, if it still holds exactly that text.
    // Returns false, changing nothing, when no clipboard holds the text. A copy counted down before is cleared
    // first, wherever it still is.
    bool guardCopiedText(const QString& text, const QString& what);
    // True while the countdown runs for exactly this text.
    bool isGuarding(const QString& text) const;

    bool isActive() const;
    int secondsLeft() const; // 0 when not active
    QString what() const;    // the label of the copy being counted down; empty when not active

    // The MIME formats (and values) added beside text/plain on this platform, so no clipboard history keeps the
    // copy: x-kde-passwordManagerHint on Linux, ExcludeClipboardContentFromMonitorProcessing and friends on
    // Windows, the concealed type on macOS. The one place that names them.
    static QList<std::pair<QString, QByteArray>> historyExclusionHints();

public slots:
    // Clears now, if the clipboard still holds our copy; emits cleared(). Does nothing when not active.
    void clearNow();
    // Looks at the clock: emits countdownChanged() when the whole seconds left change, clears at 0.
    void tick();

signals:
    void countdownChanged(int secondsLeft, const QString& what);
    // The countdown is over. byUs: the guard took the copy away; false when something else had replaced it.
    void cleared(bool byUs);

private:
    QByteArray fingerprintOf(const QString& text) const;
    bool holdsOurCopy(QClipboard::Mode mode) const;
    QList<QClipboard::Mode> modesHoldingOurCopy() const;
    QList<QClipboard::Mode> supportedModes() const;
    int computeSecondsLeft() const;
    void startCountdown();
    void onClipboardChanged(QClipboard::Mode mode);
    void finish(bool clearClipboard, bool notify);
    void forgetCopy();

    QPointer<QClipboard> m_clipboard;
    std::unique_ptr<Clock> m_systemClock;
    const Clock* m_clock = nullptr;
    QTimer* m_timer = nullptr;
    std::chrono::seconds m_clearDelay = DefaultClearDelay;

    // The copy is recognised by a salted SHA-256 of its UTF-16 text, so the guard itself never holds the secret.
    QByteArray m_salt;
    QByteArray m_fingerprint;
    QString m_what;
    QDateTime m_deadline;
    int m_secondsLeft = 0;
    bool m_settingClipboard = false; // our own setMimeData() also emits QClipboard::changed
};

} // namespace gk
