#include "cli/secretinput.h"

#include "cli/clioutput.h"

#include <cstdio>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace gk::cli {

namespace {

// Turns terminal echo off for its lifetime, and back on even if reading fails.
class EchoOff
{
public:
    EchoOff()
    {
        if (tcgetattr(STDIN_FILENO, &m_saved) == 0) {
            termios quiet = m_saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            m_active = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    ~EchoOff()
    {
        if (m_active)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    termios m_saved{};
    bool m_active = false;
};

std::optional<std::string> readRawLine()
{
    std::string line;
    int c = 0;
    while ((c = std::fgetc(stdin)) != EOF) {
        if (c == '\n')
            return line;
        line.push_back(char(c));
        if (line.size() > 64 * 1024)
            break; // no secret is that long; stop reading rather than grow without bound
    }
    if (line.empty())
        return std::nullopt;
    return line;
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
    std::optional<std::string> raw;
    if (isInteractive()) {
        std::fputs(prompt.toLocal8Bit().constData(), stderr);
        std::fflush(stderr);
        if (secret) {
            EchoOff echoOff;
            raw = readRawLine();
            std::fputc('\n', stderr);
        } else {
            raw = readRawLine();
        }
    } else {
        raw = readRawLine();
    }
    if (!raw)
        return std::nullopt;
    QString text = QString::fromUtf8(raw->data(), qsizetype(raw->size()));
    std::fill(raw->begin(), raw->end(), '\0');
    if (text.endsWith(QLatin1Char('\r')))
        text.chop(1);
    return text;
}

} // namespace gk::cli
