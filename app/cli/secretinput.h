// Reads a Client ID and Client Secret from standard input, or prompts for them with echo off.
// Never from the command line: arguments are visible to every user of the machine (ps, /proc).
#pragma once

#include <QString>

#include <optional>

namespace gk::cli {

class CliOutput;

class SecretInput
{
public:
    explicit SecretInput(CliOutput& output);

    bool isInteractive() const;

    // One line: from the pipe, or typed after the prompt. Echo is off when secret is true.
    // nullopt when standard input ended before a line was read, or a signal (Ctrl+C) stopped the wait.
    std::optional<QString> readLine(const QString& prompt, bool secret);

private:
    CliOutput& m_output;
};

} // namespace gk::cli
