// Composition root: the command line when a subcommand is given, the window otherwise.
#include "cli/cliapplication.h"
#include "core/identity/appidentity.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QCoreApplication>

int main(int argc, char* argv[])
{
    if (gk::cli::CliApplication::wantsCommandLine(argc, argv)) {
        // Headless: no QApplication, so no display is needed and no window can open.
        QCoreApplication app(argc, argv);
        gk::AppIdentity::apply();
        return gk::cli::CliApplication::run(QCoreApplication::arguments());
    }

    QApplication app(argc, argv);
    gk::AppIdentity::apply();
    QApplication::setApplicationDisplayName(gk::AppIdentity::displayName());
    QGuiApplication::setDesktopFileName(gk::AppIdentity::desktopId());

    gk::MainWindow window;
    window.show();
    return app.exec();
}
