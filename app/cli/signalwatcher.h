// Turns SIGINT, SIGTERM and SIGHUP into a Qt signal for the command line, so that a command can stop cleanly.
// Only the command line installs it: the window keeps the default handling.
#pragma once

#include <QObject>

struct termios;

class QSocketNotifier;

namespace gk::cli {

// The handler only notes the signal and writes its number to a pipe (nothing else is safe there); the event loop
// reads the pipe and emits interrupted(). A second signal ends the process at once with 128 + its number (130 for
// SIGINT), after putting the terminal's echo back if a hidden prompt had turned it off. One watcher at a time.
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    explicit SignalWatcher(QObject* parent = nullptr);
    // Puts the previous handlers back.
    ~SignalWatcher() override;
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    // The first signal's number, or 0.
    static int received();
    // Blocks until fd can be read. False when a signal came first (or had come already): blocking reads outside the
    // event loop (the prompts) wait here, so that Ctrl+C stops them too. True at once when no watcher is installed.
    static bool waitUntilReadable(int fd);
    // While set, a second signal puts these terminal settings back before it ends the process. nullptr clears it.
    static void setTerminalToRestore(const termios* settings);

signals:
    void interrupted(int signalNumber);

private:
    void readPipe();

    QSocketNotifier* m_notifier = nullptr;
};

} // namespace gk::cli
