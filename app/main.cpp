// Composition root: decides between the window and the command line, and wires the parts together.
#include "core/identity/appidentity.h"
#include "ui/mainwindow.h"

#include <QApplication>

#include <cstdio>
#include <cstring>

int main(int argc, char* argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0) {
            std::printf("grantkeeper %s\n", GK_VERSION);
            return 0;
        }
    }

    QApplication app(argc, argv);
    gk::AppIdentity::apply();
    QApplication::setApplicationDisplayName(gk::AppIdentity::displayName());
    QGuiApplication::setDesktopFileName(gk::AppIdentity::desktopId());

    gk::MainWindow window;
    window.show();
    return app.exec();
}
