// Composition root: the command line when a subcommand is given, the window otherwise.
#include "cli/cliapplication.h"
#include "cli/exitwatchdog.h"
#include "core/identity/appidentity.h"
#include "core/logging/logcategories.h"
#include "core/services/coreservices.h"
#include "ui/mainwindow.h"
#include "ui/singleinstance.h"
#include "ui/windowservices.h"

#include <QApplication>
#include <QCoreApplication>

#include <cstdio>
#include <cstring>

#ifdef GK_TEST_HOOKS
#include <thread>
#endif

#if defined(Q_OS_LINUX) && defined(NDEBUG)
#include <sys/prctl.h>
#include <sys/resource.h>
#endif

int main(int argc, char* argv[])
{
#if defined(Q_OS_LINUX) && defined(NDEBUG)
    // A core dump would hold the secrets and tokens that were in memory: release builds never write one, and
    // a non-dumpable process also keeps other processes of the same user from reading its memory (ptrace).
    const rlimit noCore{0, 0};
    setrlimit(RLIMIT_CORE, &noCore);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
    if (gk::cli::CliApplication::wantsCommandLine(argc, argv)) {
        // Headless: no QApplication, so no display is needed and no window can open.
        QCoreApplication app(argc, argv);
        gk::AppIdentity::apply();
        const int exitCode = gk::cli::CliApplication::run(QCoreApplication::arguments());
        // The answer is out and every save is done (the core was torn down inside run()): what is left is ending
        // threads, which must not keep a script waiting (one stuck on a vanished keychain or proxy would, for tens
        // of seconds).
        gk::cli::ExitWatchdog::arm(exitCode, std::chrono::seconds(10));
#ifdef GK_TEST_HOOKS
        // Tests only: a thread that never ends at exit, as a network or keychain thread stuck on a vanished peer.
        if (qEnvironmentVariable("GK_TEST_HANG") == QLatin1String("exit")) {
            for (;;)
                std::this_thread::sleep_for(std::chrono::hours(1));
        }
#endif
        return exitCode;
    }

    QApplication app(argc, argv);
    gk::AppIdentity::apply();
    QApplication::setApplicationDisplayName(gk::AppIdentity::displayName());
    QGuiApplication::setDesktopFileName(gk::AppIdentity::desktopId());
    gk::setVerboseLogging(QCoreApplication::arguments().contains(QStringLiteral("--verbose")));

    // One window per session: a second launch shows the first one's window and ends, so there is one token cache
    // and one clipboard timer.
    gk::SingleInstance instance(gk::AppIdentity::desktopId());
    switch (instance.claim()) {
    case gk::SingleInstance::Claim::First:
        break;
    case gk::SingleInstance::Claim::ShownElsewhere:
        std::fputs("grantkeeper: Grant Keeper is already open in this session; its window was brought to the front.\n",
                   stderr);
        return 0;
    case gk::SingleInstance::Claim::OtherNotAnswering:
        std::fputs("grantkeeper: Grant Keeper is already open in this session but its window does not "
                   "answer. Close it (or end the grantkeeper process), then start it again.\n",
                   stderr);
        return 1;
    }

    gk::CoreServices services;
    gk::WindowServices windowServices(services, gk::AppIdentity::settingsFilePath());

    gk::MainWindow window(windowServices.context());
    QObject::connect(&instance, &gk::SingleInstance::activationRequested, &window, &gk::MainWindow::bringToFront);
    window.show();
    window.start();
    return app.exec();
}
