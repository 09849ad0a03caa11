#include "cli/cliapplication.h"

#include "cli/addcommand.h"
#include "cli/calendarcommand.h"
#include "cli/checkcommand.h"
#include "cli/clioutput.h"
#include "cli/doctorcommand.h"
#include "cli/exitwatchdog.h"
#include "cli/expiringcommand.h"
#include "cli/listcommand.h"
#include "cli/metricscommand.h"
#include "cli/removecommand.h"
#include "cli/rotatecommand.h"
#include "cli/signalwatcher.h"
#include "cli/testcommand.h"
#include "cli/tokencommand.h"
#include "core/identity/appidentity.h"
#include "core/logging/logcategories.h"
#include "core/services/coreservices.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <memory>
#include <string_view>
#include <vector>

namespace gk::cli {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("CliApplication", text);
}

std::vector<std::unique_ptr<Command>> makeCommands(CliContext& context)
{
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(std::make_unique<ListCommand>(context));
    commands.push_back(std::make_unique<AddCommand>(context));
    commands.push_back(std::make_unique<TestCommand>(context));
    commands.push_back(std::make_unique<TokenCommand>(context));
    commands.push_back(std::make_unique<ExpiringCommand>(context));
    commands.push_back(std::make_unique<RotateCommand>(context));
    commands.push_back(std::make_unique<RemoveCommand>(context));
    commands.push_back(std::make_unique<DoctorCommand>(context));
    commands.push_back(std::make_unique<CheckCommand>(context));
    commands.push_back(std::make_unique<MetricsCommand>(context));
    commands.push_back(std::make_unique<CalendarCommand>(context));
    return commands;
}

QString generalHelp(const std::vector<std::unique_ptr<Command>>& commands)
{
    QString text = tr("Usage: grantkeeper [--verbose] [COMMAND [OPTIONS]]\n\n"
                      "Keeps OAuth2 client-credentials grants safe and proves they work.\n"
                      "With no command it opens the window; with one it runs headless.\n\n"
                      "Commands:\n");
    for (const auto& command : commands)
        text += QStringLiteral("  %1%2\n").arg(command->name().leftJustified(10), command->summary());
    text += tr("\nOptions:\n"
               "  --verbose   Log what happens (never a secret) to standard error.\n"
               "  --help      Show this help, or a command's: grantkeeper COMMAND --help\n"
               "  --version   Show the version.\n\n"
               "Exit codes: 0 success; 1 a check failed (the server refused the credentials or a scope, granted\n"
               "fewer scopes than requested, or `expiring` found a grant); 2 bad usage or input; 3 keychain\n"
               "unavailable, locked or entry missing; 4 network, TLS, timeout, a malformed answer or cancelled.\n"
               "With several grants the highest code wins.\n\n"
               "Secrets are never accepted as arguments: `add` reads the Client ID and Secret from standard input\n"
               "(two lines) or prompts for them; `rotate` reads the new secret the same way.\n");
    return text;
}

} // namespace

bool CliApplication::wantsCommandLine(int argc, char* argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView argument(argv[i]);
        if (argument == "--verbose")
            continue; // the window's as well
        const int arity = windowOptionArity(argument);
        if (arity < 0)
            return true; // a command, --help, --version, or something the command line reports as a mistake
        i += arity;
    }
    return false;
}

int CliApplication::windowOptionArity(QByteArrayView argument)
{
    // Qt's own options for a window (QGuiApplication and QApplication); Qt accepts them with "--" as well.
    static constexpr std::string_view WithValue[] = {"-platform",
                                                     "-platformpluginpath",
                                                     "-platformtheme",
                                                     "-plugin",
                                                     "-qwindowgeometry",
                                                     "-qwindowicon",
                                                     "-qwindowtitle",
                                                     "-session",
                                                     "-display",
                                                     "-geometry",
                                                     "-title",
                                                     "-icon",
                                                     "-name",
                                                     "-style",
                                                     "-stylesheet",
                                                     "-qmljsdebugger"};
    static constexpr std::string_view Flags[] = {"-reverse", "-widgetcount", "-nograb", "-dograb", "-testability"};
    if (argument.startsWith("--"))
        argument = argument.sliced(1);
    if (!argument.startsWith('-'))
        return -1;
    const std::string_view option(argument.data(), size_t(argument.size()));
    const std::string_view name = option.substr(0, option.find('='));
    for (const std::string_view known : WithValue) {
        if (name == known)
            return name.size() == option.size() ? 1 : 0; // "-style fusion" or "-style=fusion"
    }
    for (const std::string_view known : Flags) {
        if (option == known)
            return 0;
    }
    return -1;
}

int CliApplication::run(const QStringList& arguments)
{
    CliOutput output;

    // The subcommand is the first argument that is not an option; options before it are global.
    qsizetype commandIndex = -1;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        if (!arguments.at(i).startsWith(QLatin1Char('-'))) {
            commandIndex = i;
            break;
        }
    }
    const QStringList globalArguments = arguments.mid(1, commandIndex < 0 ? -1 : commandIndex - 1);
    const bool verbose = arguments.contains(QStringLiteral("--verbose"));
    setVerboseLogging(verbose);

    CoreServices services;
    CliContext context{
        output,           services.store(),      services.vault(), services.client(), services.repository(),
        services.clock(), services.preferences()};
    const auto commands = makeCommands(context);

    if (commandIndex < 0) {
        // Only here when an argument was no window option (main.cpp): name the first that is neither.
        for (qsizetype i = 1; i < arguments.size(); ++i) {
            const QString& argument = arguments.at(i);
            if (argument == QLatin1String("--verbose"))
                continue;
            if (argument == QLatin1String("--version")) {
                output.line(QStringLiteral("grantkeeper %1").arg(AppIdentity::version()));
                return ExitOk;
            }
            if (argument == QLatin1String("--help") || argument == QLatin1String("-h")) {
                output.line(generalHelp(commands).trimmed());
                return ExitOk;
            }
            const int arity = windowOptionArity(argument.toLocal8Bit());
            if (arity < 0) {
                output.error(tr("unknown option %1; see grantkeeper --help").arg(argument));
                return ExitBadInput;
            }
            i += arity;
        }
        output.error(tr("no command given; see grantkeeper --help"));
        return ExitBadInput;
    }
    for (const QString& argument : globalArguments) {
        if (argument != QLatin1String("--verbose")) {
            output.error(tr("unknown option %1 before the command; see grantkeeper --help").arg(argument));
            return ExitBadInput;
        }
    }

    const QString commandName = arguments.at(commandIndex);
    Command* command = nullptr;
    for (const auto& candidate : commands) {
        if (candidate->name() == commandName)
            command = candidate.get();
    }
    if (!command) {
        output.error(tr("unknown command \"%1\"; see grantkeeper --help").arg(commandName));
        return ExitBadInput;
    }

    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    parser.setApplicationDescription(command->summary());
    parser.addOption({QStringLiteral("verbose"), tr("Log what happens (never a secret) to standard error.")});
    parser.addOption({{QStringLiteral("h"), QStringLiteral("help")}, tr("Show this help.")});
    command->addOptions(parser);
    QStringList commandArguments = arguments.mid(commandIndex + 1);
    commandArguments.prepend(arguments.constFirst());
    if (!parser.parse(commandArguments))
        return command->reportUsageError(parser.errorText() + tr("; see grantkeeper %1 --help").arg(commandName));
    if (parser.isSet(QStringLiteral("help"))) {
        // Qt's usage line names the executable's path; people type "grantkeeper COMMAND".
        QString help = parser.helpText();
        help.replace(QCoreApplication::arguments().constFirst(), QStringLiteral("grantkeeper ") + commandName);
        output.line(help.trimmed());
        return ExitOk;
    }

    // Ctrl+C, SIGTERM and SIGHUP stop the command cleanly (only here: the window keeps the default handling).
    SignalWatcher signalWatcher;
    qCDebug(lcCli) << "running" << commandName;
    QObject::connect(&signalWatcher, &SignalWatcher::interrupted, command, &Command::interrupt);
    QEventLoop loop;
    int exitCode = ExitOk;
    QObject::connect(command, &Command::finished, &loop, [&loop, &exitCode](int code) {
        exitCode = code;
        loop.quit();
    });
    // One overall deadline: a command that knows its own (test, token) sets it once it does.
    if (!command->waitsForAPerson())
        ExitWatchdog::limitCommand(Command::DefaultTimeLimit);
    QTimer::singleShot(0, command, [command, &parser] { command->start(parser); });
    loop.exec();
    qCDebug(lcCli) << commandName << "finished with exit code" << exitCode;
    // The answer is out and every save done: what is left is tearing the core down, which waits for its threads.
    ExitWatchdog::arm(exitCode, std::chrono::seconds(10));
    return exitCode;
}

} // namespace gk::cli
