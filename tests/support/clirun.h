// The command line run as a process, for the tests that drive grantkeeper from outside (tst_cli,
// tst_verdictfaces): one environment with the test's own app folders, one way to run and wait.
#pragma once

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

class QProcess;

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

// Several runs started at once (each with no standard input), awaited together like runCli(); in the order given.
QList<CliRun> runClisAtOnce(const QString& binary, const QList<QStringList>& argumentLists,
                            const QProcessEnvironment& environment);

// Waits in the event loop until process ends, at most timeoutMs. If it is still running then, its threads' backtrace
// is logged and it is killed. True when it ended by itself.
bool awaitExit(QProcess& process, int timeoutMs = 60'000);

// Every thread's stack of a running process, from gdb; empty without gdb.
QString backtraceOf(qint64 pid);

} // namespace gk::test
