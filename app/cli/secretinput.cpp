#include "cli/secretinput.h"

#include "cli/clioutput.h"

#include <QCoreApplication>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace gk::cli {

namespace {

// The terminal settings to put back if the user interrupts the hidden prompt with Ctrl-C.
termios savedTerminal{};
volatile std::sig_atomic_t echoIsOff = 0;

extern "C" void restoreEchoAndExit(int signalNumber)
{
    if (echoIsOff)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal);
    std::signal(signalNumber, SIG_DFL);
    std::raise(signalNumber);
}

// Turns terminal echo off for its lifetime, and back on even if reading fails or the user presses Ctrl-C.
class EchoOff
{
public:
    EchoOff()
    {
        if (tcgetattr(STDIN_FILENO, &savedTerminal) == 0) {
            termios quiet = savedTerminal;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            m_previousInt = std::signal(SIGINT, restoreEchoAndExit);
            m_previousTerm = std::signal(SIGTERM, restoreEchoAndExit);
            echoIsOff = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    ~EchoOff()
    {
        if (echoIsOff)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal);
        echoIsOff = 0;
        if (m_previousInt != SIG_ERR) {
            std::signal(SIGINT, m_previousInt);
            std::signal(SIGTERM, m_previousTerm);
        }
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    void (*m_previousInt)(int) = SIG_ERR;
    void (*m_previousTerm)(int) = SIG_ERR;
};

constexpr std::size_t MaxLineBytes = 64 * 1024;

enum class LineEnd { Read, Ended, TooLong };

LineEnd readRawLine(std::string& line)
{
    int c = 0;
    while ((c = std::fgetc(stdin)) != EOF) {
        if (c == '\n')
            return LineEnd::Read;
        line.push_back(char(c));
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
    int c = 0;
    while ((c = std::fgetc(stdin)) != EOF) {
        if (!std::isspace(c))
            unread = true;
    }
    return unread;
}

} // namespace gk::cli
