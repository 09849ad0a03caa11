// The command line front end: parses `grantkeeper SUBCOMMAND ...`, runs it headless, returns the exit code.
#pragma once

#include <QByteArrayView>
#include <QStringList>

namespace gk::cli {

class CliApplication
{
public:
    // True when the arguments ask for the command line rather than the window: anything but Qt's own window options
    // and --verbose (a mistake, such as -v or --json without a command, gets the command line's usage error).
    static bool wantsCommandLine(int argc, char* argv[]);
    // For one of Qt's window options (-platform, -style=X, -reverse...): how many arguments follow it as its value,
    // 0 or 1. -1 for anything else.
    static int windowOptionArity(QByteArrayView argument);

    // Runs inside an existing QCoreApplication and returns the process exit code.
    static int run(const QStringList& arguments);
};

} // namespace gk::cli
