#include "cli/signalwatcher.h"

#include "core/logging/logcategories.h"

#include <QSocketNotifier>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace gk::cli {

namespace {

constexpr std::array<int, 3> WatchedSignals{SIGINT, SIGTERM, SIGHUP};

// Shared with the handler, which may touch nothing else.
int pipeFds[2] = {-1, -1};
// Atomic, not just volatile: two pending signals may be taken by two threads at the same moment (any thread may take
// a process's signal), and exactly one of them must be the first.
std::atomic<int> firstSignal{0};
static_assert(std::atomic<int>::is_always_lock_free, "used in a signal handler");
volatile std::sig_atomic_t terminalToRestore = 0;
termios savedTerminal{};
std::array<struct sigaction, WatchedSignals.size()> previousActions{};

extern "C" void onSignal(int signalNumber)
{
    if (firstSignal.exchange(signalNumber) != 0) {
        // The second one: the user does not want to wait for a clean stop.
        if (terminalToRestore)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal);
        _exit(128 + signalNumber);
    }
    const int savedErrno = errno;
    const char byte = char(signalNumber);
    [[maybe_unused]] const ssize_t written = ::write(pipeFds[1], &byte, 1);
    errno = savedErrno;
}

} // namespace

SignalWatcher::SignalWatcher(QObject* parent)
    : QObject(parent)
{
    Q_ASSERT(pipeFds[0] < 0);
    if (::pipe2(pipeFds, O_CLOEXEC | O_NONBLOCK) != 0) {
        qCWarning(lcCli) << "cannot watch for Ctrl+C: no pipe";
        pipeFds[0] = pipeFds[1] = -1;
        return;
    }
    firstSignal.store(0);
    m_notifier = new QSocketNotifier(pipeFds[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::readPipe);

    struct sigaction action = {};
    action.sa_handler = onSignal;
    // No handler interrupts another: a second signal is handled once the first has been noted.
    sigemptyset(&action.sa_mask);
    for (const int signalNumber : WatchedSignals)
        sigaddset(&action.sa_mask, signalNumber);
    action.sa_flags = SA_RESTART;
    for (std::size_t i = 0; i < WatchedSignals.size(); ++i)
        sigaction(WatchedSignals[i], &action, &previousActions[i]);
}

SignalWatcher::~SignalWatcher()
{
    if (pipeFds[0] < 0)
        return;
    for (std::size_t i = 0; i < WatchedSignals.size(); ++i)
        sigaction(WatchedSignals[i], &previousActions[i], nullptr);
    delete m_notifier;
    ::close(pipeFds[0]);
    ::close(pipeFds[1]);
    pipeFds[0] = pipeFds[1] = -1;
    terminalToRestore = 0;
}

int SignalWatcher::received()
{
    return firstSignal.load();
}

bool SignalWatcher::waitUntilReadable(int fd)
{
    if (pipeFds[0] < 0)
        return true;
    for (;;) {
        // Checked first: the event loop may already have emptied the pipe.
        if (firstSignal != 0)
            return false;
        pollfd fds[2] = {{fd, POLLIN, 0}, {pipeFds[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return true; // the read that follows reports what is wrong
        }
        if (fds[1].revents != 0 || firstSignal != 0)
            return false;
        if (fds[0].revents != 0)
            return true; // data, end of input or an error: the read tells which
    }
}

void SignalWatcher::setTerminalToRestore(const termios* settings)
{
    terminalToRestore = 0;
    if (!settings)
        return;
    savedTerminal = *settings;
    terminalToRestore = 1;
}

void SignalWatcher::readPipe()
{
    char bytes[8];
    while (::read(pipeFds[0], bytes, sizeof bytes) > 0) {
    }
    qCDebug(lcCli) << "received signal" << firstSignal.load();
    emit interrupted(firstSignal.load());
}

} // namespace gk::cli
