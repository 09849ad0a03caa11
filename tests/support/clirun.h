// The command line run as a process, for the tests that drive grantkeeper from outside (tst_cli,
// tst_verdictfaces): one environment with the test's own app folders, one way to run and wait.
#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace gk::test {

struct CliRun
{
    int exitCode = -1; // -1: crashed, or killed because it did not end
    QByteArray out;
    QByteArray err;
    QStringList arguments;
};

// The caller's environment with the app's data, config, cache and home folders under home, and no display.
// The keyring daemon keeps the folders it was started with.
QProcessEnvironment cliEnvironment(const QString& home);

// Runs binary with arguments and input on standard input. Waits in the event loop, not in waitForFinished(): a
// test's token server lives in this process's event loop and must keep answering. A run that has not ended after
// 60 s has its threads' backtrace logged (the one clue a rare hang leaves), then is killed.
CliRun runCli(const QString& binary, const QStringList& arguments, const QByteArray& input,
              const QProcessEnvironment& environment);

// Every thread's stack of a running process, from gdb; empty without gdb.
QString backtraceOf(qint64 pid);

} // namespace gk::test
