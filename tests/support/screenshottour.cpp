// Takes the README's screenshots from the real window: the list, a passed and a failed test's details and the
// add dialog. Run it in a real X11 window under Xvfb (see README, "Screenshots") with sample grants prepared.
//
//   gk-screenshot-tour OUTPUT_DIR
#include "core/batch/batchtester.h"
#include "core/grant/grantstore.h"
#include "core/identity/appidentity.h"
#include "core/services/coreservices.h"
#include "ui/clipboardguard.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QPushButton>
#include <QTableView>
#include <QTimer>

#include <cstdio>
#include <functional>

namespace {

void after(int ms, std::function<void()> step)
{
    QTimer::singleShot(ms, qApp, std::move(step));
}

void selectRowNamed(QTableView* table, const QString& name)
{
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        if (table->model()->index(row, 0).data().toString() == name) {
            table->selectRow(row);
            return;
        }
    }
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    gk::AppIdentity::apply();
    QApplication::setApplicationDisplayName(gk::AppIdentity::displayName());
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral(".");
    QDir().mkpath(out);

    gk::CoreServices services;
    gk::BatchTester tester(services.vault(), services.client(), services.clock()); // no store: the window saves
    gk::ClipboardGuard clipboard(QGuiApplication::clipboard());
    const gk::UiContext context{services.store(),
                                services.vault(),
                                services.client(),
                                services.repository(),
                                services.preferences(),
                                services.clock(),
                                services.liveTokens(),
                                tester,
                                clipboard,
                                QString()};

    gk::MainWindow window(context);
    window.resize(1280, 760);
    window.show();
    window.start();
    auto* table = window.findChild<QTableView*>(QStringLiteral("grantTable"));
    const auto shoot = [&window, &out](const QString& name) {
        window.grab().save(QDir(out).filePath(name));
        std::printf("wrote %s\n", qPrintable(QDir(out).filePath(name)));
    };

    after(500, [&] { window.findChild<QAction*>(QStringLiteral("testAllAction"))->trigger(); });
    after(3000, [&] {
        selectRowNamed(table, QStringLiteral("Nightly export"));
        shoot(QStringLiteral("grant-list.png"));
    });
    after(3500, [&] {
        selectRowNamed(table, QStringLiteral("Nightly export"));
        shoot(QStringLiteral("details-passed.png"));
    });
    after(4000, [&] {
        selectRowNamed(table, QStringLiteral("Legacy reporting"));
        shoot(QStringLiteral("details-failed.png"));
    });
    after(4500, [&] { window.findChild<QAction*>(QStringLiteral("addGrantAction"))->trigger(); });
    after(5500, [&] {
        for (QDialog* dialog : window.findChildren<QDialog*>()) {
            if (dialog->isVisible()) {
                dialog->grab().save(QDir(out).filePath(QStringLiteral("add-dialog.png")));
                std::printf("wrote %s\n", qPrintable(QDir(out).filePath(QStringLiteral("add-dialog.png"))));
                dialog->reject();
            }
        }
    });
    after(6000, [&] { window.close(); });
    return app.exec();
}
