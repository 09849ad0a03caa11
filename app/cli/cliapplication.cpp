#include "cli/cliapplication.h"

#include "cli/addcommand.h"
#include "cli/clioutput.h"
#include "cli/expiringcommand.h"
#include "cli/listcommand.h"
#include "cli/removecommand.h"
#include "cli/rotatecommand.h"
#include "cli/testcommand.h"
#include "cli/tokencommand.h"
#include "core/identity/appidentity.h"
#include "core/logging/logcategories.h"
#include "core/services/coreservices.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>

#include <cstring>
#include <memory>
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
        const char* argument = argv[i];
        if (std::strcmp(argument, "--help") == 0 || std::strcmp(argument, "-h") == 0 ||
            std::strcmp(argument, "--version") == 0)
            return true;
        if (argument[0] != '-')
            return true; // a subcommand (or a mistyped one, which the command line reports)
    }
    return false;
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
        if (globalArguments.contains(QStringLiteral("--version"))) {
            output.line(QStringLiteral("grantkeeper %1").arg(AppIdentity::version()));
            return ExitOk;
        }
        if (globalArguments.contains(QStringLiteral("--help")) || globalArguments.contains(QStringLiteral("-h"))) {
            output.line(generalHelp(commands).trimmed());
            return ExitOk;
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
    if (!parser.parse(commandArguments)) {
        output.error(parser.errorText() + tr("; see grantkeeper %1 --help").arg(commandName));
        return ExitBadInput;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        // Qt's usage line names the executable's path; people type "grantkeeper COMMAND".
        QString help = parser.helpText();
        help.replace(QCoreApplication::arguments().constFirst(), QStringLiteral("grantkeeper ") + commandName);
        output.line(help.trimmed());
        return ExitOk;
    }

    qCDebug(lcCli) << "running" << commandName;
    QEventLoop loop;
    int exitCode = ExitOk;
    QObject::connect(command, &Command::finished, &loop, [&loop, &exitCode](int code) {
        exitCode = code;
        loop.quit();
    });
    QTimer::singleShot(0, command, [command, &parser] { command->run(parser); });
    loop.exec();
    qCDebug(lcCli) << commandName << "finished with exit code" << exitCode;
    return exitCode;
}

} // namespace gk::cli
