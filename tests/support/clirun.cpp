#include "clirun.h"

#include <QDebug>
#include <QDir>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>

#include <memory>
#include <vector>

namespace gk::test {

QProcessEnvironment cliEnvironment(const QString& home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_DATA_HOME"), QDir(home).filePath(QStringLiteral("data")));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), QDir(home).filePath(QStringLiteral("config")));
    environment.insert(QStringLiteral("XDG_CACHE_HOME"), QDir(home).filePath(QStringLiteral("cache")));
    environment.insert(QStringLiteral("HOME"), QDir(home).filePath(QStringLiteral("home")));
    environment.remove(QStringLiteral("DISPLAY"));
    return environment;
}

bool awaitExit(QProcess& process, int timeoutMs)
{
    if (process.state() != QProcess::NotRunning) {
        QEventLoop loop;
        QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        deadline.start(timeoutMs);
        if (process.state() != QProcess::NotRunning)
            loop.exec();
    }
    if (process.state() == QProcess::NotRunning)
        return true;
    qWarning().noquote() << "grantkeeper did not exit within" << timeoutMs / 1000 << "s; its threads:\n"
                         << backtraceOf(process.processId());
    process.kill();
    process.waitForFinished();
    return false;
}

namespace {

CliRun resultOf(QProcess& process, const QStringList& arguments)
{
    CliRun result;
    result.arguments = arguments;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

} // namespace

CliRun runCli(const QString& binary, const QStringList& arguments, const QByteArray& input,
              const QProcessEnvironment& environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(binary, arguments);
    process.write(input);
    process.closeWriteChannel();
    awaitExit(process);
    return resultOf(process, arguments);
}

QList<CliRun> runClisAtOnce(const QString& binary, const QList<QStringList>& argumentLists,
                            const QProcessEnvironment& environment)
{
    std::vector<std::unique_ptr<QProcess>> processes;
    for (qsizetype i = 0; i < argumentLists.size(); ++i) {
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(environment);
        process->setStandardInputFile(QProcess::nullDevice());
        processes.push_back(std::move(process));
    }
    // Started back to back, after every process object is ready, so they overlap as much as they can.
    for (size_t i = 0; i < processes.size(); ++i)
        processes.at(i)->start(binary, argumentLists.at(qsizetype(i)));
    QList<CliRun> results;
    for (size_t i = 0; i < processes.size(); ++i) {
        awaitExit(*processes.at(i));
        results.append(resultOf(*processes.at(i), argumentLists.at(qsizetype(i))));
    }
    return results;
}

QString backtraceOf(qint64 pid)
{
    QProcess gdb;
    gdb.start(QStringLiteral("gdb"), {QStringLiteral("-batch"), QStringLiteral("-p"), QString::number(pid),
                                      QStringLiteral("-ex"), QStringLiteral("thread apply all bt")});
    if (!gdb.waitForFinished(30'000))
        gdb.kill();
    return QString::fromLocal8Bit(gdb.readAllStandardOutput() + gdb.readAllStandardError());
}

} // namespace gk::test
