#include "cli/command.h"

#include "cli/clioutput.h"
#include "cli/exitwatchdog.h"
#include "cli/signalwatcher.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/settings/preferences.h"

#include <QTimer>

#ifdef GK_TEST_HOOKS
#include <thread>
#endif

namespace gk::cli {

Command::Command(CliContext& context, QObject* parent)
    : QObject(parent)
    , m_context(context)
{}

void Command::start(const QCommandLineParser& parser)
{
    if (m_finished)
        return;
    m_started = true;
    run(parser);
}

void Command::interrupt()
{
    if (m_finished)
        return;
    if (!m_started) {
        finishCancelled();
        return;
    }
    if (m_context.repository.isBusy()) {
        m_context.output.error(tr("interrupted while a change is being saved: finishing it rather than leaving it "
                                  "half done."));
        return;
    }
    cancel();
}

void Command::cancel()
{
    finishCancelled();
}

void Command::finishCancelled()
{
    m_context.output.error(tr("cancelled; nothing was changed."));
    finish(ExitNetwork);
}

bool Command::finishIfInterrupted()
{
    if (SignalWatcher::received() == 0)
        return false;
    finishCancelled();
    return true;
}

QString Command::failureLine(const QString& grantName, const TestVerdict& verdict)
{
    QString line = QStringLiteral("%1 (%2): %3").arg(grantName, verdict.label(), verdict.summary());
    if (const QString advice = verdict.advice(); !advice.isEmpty())
        line += QLatin1Char(' ') + advice;
    return line;
}

void Command::finish(ExitCode code)
{
    if (m_finished)
        return;
    m_finished = true;
    // Leave the current call stack first: a command may finish from inside its own run().
    QTimer::singleShot(0, this, [this, code] { emit finished(code); });
}

int Command::reportUsageError(const QString& message)
{
    m_context.output.error(message);
    return ExitBadInput;
}

bool Command::loadStore()
{
    const StoreError error = m_context.store.load();
    if (!error.isError())
        return true;
    m_context.output.error(error.summary() + QLatin1Char(' ') + error.advice());
    finish(ExitBadInput);
    return false;
}

std::optional<Grant> Command::grantNamed(const QString& name)
{
    if (auto grant = m_context.store.findByName(name))
        return grant;
    m_context.output.error(tr("no grant named \"%1\"; `grantkeeper list` shows the names.").arg(name));
    return std::nullopt;
}

std::optional<Grant> Command::singleGrantArgument(const QCommandLineParser& parser)
{
    const QStringList names = parser.positionalArguments();
    if (names.size() != 1) {
        m_context.output.error(tr("name exactly one grant: grantkeeper %1 NAME").arg(name()));
        finish(ExitBadInput);
        return std::nullopt;
    }
    if (!loadStore())
        return std::nullopt;
    auto grant = grantNamed(names.first());
    if (!grant)
        finish(ExitBadInput);
    return grant;
}

void Command::limitTime(std::chrono::seconds limit)
{
    ExitWatchdog::limitCommand(limit);
#ifdef GK_TEST_HOOKS
    // Tests only: a command stuck where nothing can end it but the time limit (tst_cli).
    if (qEnvironmentVariable("GK_TEST_HANG") == QLatin1String("command")) {
        for (;;)
            std::this_thread::sleep_for(std::chrono::hours(1));
    }
#endif
}

void Command::addTimeoutOption(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("timeout"),
                      tr("Give up on a grant's test after SECONDS (1 to 600; default from the preferences, 30); the "
                         "whole command ends within the keychain's 10 s and SECONDS per grant."),
                      tr("SECONDS")});
}

std::optional<std::chrono::seconds> Command::timeoutOption(const QCommandLineParser& parser)
{
    const auto seconds =
        positiveIntOption(parser, QStringLiteral("timeout"), int(m_context.preferences.requestTimeout().count()), 600);
    if (!seconds) {
        finish(ExitBadInput);
        return std::nullopt;
    }
    return std::chrono::seconds(*seconds);
}

std::optional<int> Command::positiveIntOption(const QCommandLineParser& parser, const QString& option, int fallback,
                                              int maximum)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < 1 || value > maximum) {
        m_context.output.error(tr("--%1 needs a whole number from 1 to %2, not \"%3\".")
                                   .arg(option)
                                   .arg(maximum)
                                   .arg(parser.value(option)));
        return std::nullopt;
    }
    return value;
}

} // namespace gk::cli
