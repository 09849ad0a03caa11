#include "clirun.h"

#include <QDebug>
#include <QDir>
#include <QEventLoop>
#include <QProcess>
#include <QTimer>

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

CliRun runCli(const QString& binary, const QStringList& arguments, const QByteArray& input,
              const QProcessEnvironment& environment)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    QEventLoop loop;
    QObject::connect(&process, &QProcess::finished, &loop, &QEventLoop::quit);
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    process.start(binary, arguments);
    process.write(input);
    process.closeWriteChannel();
    deadline.start(60'000);
    if (process.state() != QProcess::NotRunning)
        loop.exec();
    CliRun result;
    result.arguments = arguments;
    if (process.state() != QProcess::NotRunning) {
        qWarning().noquote() << "grantkeeper did not exit within 60 s; its threads:\n"
                             << backtraceOf(process.processId());
        process.kill();
        process.waitForFinished();
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
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
