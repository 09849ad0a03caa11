// One subcommand of the command line: declares its options, runs asynchronously, ends with an exit code.
#pragma once

#include "cli/clicontext.h"
#include "cli/exitcode.h"
#include "core/grant/grant.h"
#include "core/verdict/testverdict.h"

#include <QCommandLineParser>
#include <QObject>
#include <QString>

#include <chrono>
#include <optional>

namespace gk::cli {

class Command : public QObject
{
    Q_OBJECT

public:
    explicit Command(CliContext& context, QObject* parent = nullptr);

    virtual QString name() const = 0;
    virtual QString summary() const = 0; // one line for `grantkeeper --help`
    virtual void addOptions(QCommandLineParser& parser) = 0;
    // Called after the options parsed; must end, now or later, with exactly one finish().
    virtual void run(const QCommandLineParser& parser) = 0;

    // A command's time limit when it sets none of its own (ExitWatchdog): far above the keychain's deadline and the
    // grants file's lock wait, which bound everything a command does without a server or a person.
    static constexpr std::chrono::seconds DefaultTimeLimit{60};
    // Options that do not parse: says so and returns the exit code, ExitBadInput unless the command's own
    // conventions say otherwise (a monitoring check reports UNKNOWN).
    virtual int reportUsageError(const QString& message);
    // Whether the command waits for a person (a prompt on standard input): then it has no time limit.
    virtual bool waitsForAPerson() const { return false; }

    // Runs the command, unless a signal stopped it before it began.
    void start(const QCommandLineParser& parser);
    // The first SIGINT, SIGTERM or SIGHUP: stops what can still be stopped. A change already being saved runs to its
    // end and is reported as it is: half a change would be worse than a late stop.
    void interrupt();

signals:
    void finished(int exitCode);

protected:
    // Stops the command's work, which must still end with finish(): ExitNetwork when nothing was changed. The default
    // ends the command at once with finishCancelled(), for commands with nothing under way.
    virtual void cancel();
    void finish(ExitCode code);
    // One line, exit 4: the command stopped before it changed anything.
    void finishCancelled();
    // After a blocking read (a prompt): if a signal stopped it, finishes with finishCancelled() and returns true.
    bool finishIfInterrupted();
    // "NAME (verdict): what happened. What to do." for a test that did not pass.
    static QString failureLine(const QString& grantName, const TestVerdict& verdict);
    // Loads grants.json; on failure prints why and finishes with ExitBadInput. Returns false then.
    bool loadStore();
    // The grant with this name, or prints "no grant named" and returns nullptr-like nullopt.
    std::optional<Grant> grantNamed(const QString& name);
    // The one grant named by the only positional argument: checks the count, loads the store and looks the name up.
    // On any failure prints why, finishes with ExitBadInput and returns nullopt.
    std::optional<Grant> singleGrantArgument(const QCommandLineParser& parser);
    // The command's own deadlines add up to limit from now (ExitWatchdog::limitCommand): past it and a grace, the
    // process gives up with one line and exit code 4.
    void limitTime(std::chrono::seconds limit);
    // --timeout SECONDS (1 to 600, default from the preferences); on a bad value finishes with ExitBadInput.
    static void addTimeoutOption(QCommandLineParser& parser);
    std::optional<std::chrono::seconds> timeoutOption(const QCommandLineParser& parser);
    // Parses an integer option in [1, maximum], printing a usage error when malformed.
    std::optional<int> positiveIntOption(const QCommandLineParser& parser, const QString& option, int fallback,
                                         int maximum = 10'000);

    CliContext& m_context;

private:
    bool m_started = false;
    bool m_finished = false;
};

} // namespace gk::cli
