#include "cli/secretinput.h"

#include "cli/clioutput.h"
#include "cli/signalwatcher.h"

#include <QCoreApplication>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace gk::cli {

namespace {

// Turns terminal echo off for its lifetime, and back on even if reading fails or the user presses Ctrl+C (the
// signal watcher puts it back when a second signal ends the process at once).
class EchoOff
{
public:
    EchoOff()
    {
        if (tcgetattr(STDIN_FILENO, &m_saved) != 0)
            return;
        termios quiet = m_saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        SignalWatcher::setTerminalToRestore(&m_saved);
        m_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff()
    {
        if (m_off)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
        SignalWatcher::setTerminalToRestore(nullptr);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    termios m_saved{};
    bool m_off = false;
};

constexpr std::size_t MaxLineBytes = 64 * 1024;

enum class LineEnd { Read, Ended, TooLong };

// One byte at a time straight from the descriptor (no stdio buffer), so that waiting for each byte can also
// notice Ctrl+C: a blocking read would not return for it. Ended also when a signal stopped the wait.
LineEnd readRawLine(std::string& line)
{
    for (;;) {
        if (!SignalWatcher::waitUntilReadable(STDIN_FILENO)) {
            std::fill(line.begin(), line.end(), '\0');
            line.clear();
            return LineEnd::Ended;
        }
        char c = 0;
        const ssize_t count = ::read(STDIN_FILENO, &c, 1);
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0)
            break;
        if (c == '\n')
            return LineEnd::Read;
        line.push_back(c);
        if (line.size() > MaxLineBytes) {
            // No credential is that long. Returning the first part would make the rest of the line the next
            // value, so refuse the input instead.
            std::fill(line.begin(), line.end(), '\0');
            line.clear();
            return LineEnd::TooLong;
        }
    }
    return line.empty() ? LineEnd::Ended : LineEnd::Read;
}

} // namespace

SecretInput::SecretInput(CliOutput& output)
    : m_output(output)
{}

bool SecretInput::isInteractive() const
{
    return isatty(STDIN_FILENO) == 1;
}

std::optional<QString> SecretInput::readLine(const QString& prompt, bool secret)
{
    m_problem.clear();
    std::string raw;
    LineEnd end = LineEnd::Ended;
    if (isInteractive()) {
        std::fputs(prompt.toLocal8Bit().constData(), stderr);
        std::fflush(stderr);
        if (secret) {
            EchoOff echoOff;
            end = readRawLine(raw);
            std::fputc('\n', stderr);
        } else {
            end = readRawLine(raw);
        }
    } else {
        end = readRawLine(raw);
    }
    if (end == LineEnd::TooLong) {
        m_problem = QCoreApplication::translate("SecretInput",
                                                "A line on standard input is longer than %1 KB: no Client ID or "
                                                "Secret is that long. Give only the values shown with the grant.")
                        .arg(MaxLineBytes / 1024);
        return std::nullopt;
    }
    if (end == LineEnd::Ended)
        return std::nullopt;
    // Bytes that are not UTF-8 become U+FFFD here, which CredentialCheck refuses: nothing is stored that differs
    // from what was given.
    QString text = QString::fromUtf8(raw.data(), qsizetype(raw.size()));
    std::fill(raw.begin(), raw.end(), '\0');
    if (text.endsWith(QLatin1Char('\r')))
        text.chop(1);
    return text;
}

bool SecretInput::hasUnreadInput()
{
    if (isInteractive())
        return false;
    bool unread = false;
    char buffer[4096];
    while (SignalWatcher::waitUntilReadable(STDIN_FILENO)) {
        const ssize_t count = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (count < 0 && errno == EINTR)
            continue;
        if (count <= 0)
            break;
        unread = unread || std::any_of(buffer, buffer + count, [](char c) { return !std::isspace(uchar(c)); });
    }
    std::fill(std::begin(buffer), std::end(buffer), '\0');
    return unread;
}

} // namespace gk::cli
