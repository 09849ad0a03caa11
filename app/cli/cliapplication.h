// The command line front end: parses `grantkeeper SUBCOMMAND ...`, runs it headless, returns the exit code.
#pragma once

#include <QStringList>

namespace gk::cli {

class CliApplication
{
public:
    // True when the arguments ask for the command line rather than the window.
    static bool wantsCommandLine(int argc, char* argv[]);

    // Runs inside an existing QCoreApplication and returns the process exit code.
    static int run(const QStringList& arguments);
};

} // namespace gk::cli
