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
    // nullopt when standard input ended before a line was read, a signal (Ctrl+C) stopped the wait, or the line
    // was too long (problem() says so).
    std::optional<QString> readLine(const QString& prompt, bool secret);
    // Why the last readLine() gave nothing although input was there; empty when it simply ended.
    const QString& problem() const { return m_problem; }

    // Whether piped input holds more than the lines read: a third line after a Client ID and Secret is a
    // mistake (the wrong file, or lines in the wrong order), never silently ignored. Reads to the end;
    // always false on a terminal, where nothing more was asked for.
    bool hasUnreadInput();

private:
    CliOutput& m_output;
    QString m_problem;
};

} // namespace gk::cli
