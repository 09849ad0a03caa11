#include "ui/mainwindow.h"

#include "core/identity/appidentity.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QVBoxLayout>

namespace gk {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(AppIdentity::displayName());
    resize(960, 600);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    auto* welcome = new QLabel(central);
    welcome->setObjectName(QStringLiteral("welcomeLabel"));
    welcome->setAlignment(Qt::AlignCenter);
    welcome->setWordWrap(true);
    welcome->setTextFormat(Qt::RichText);
    welcome->setText(tr("<h2>Grant Keeper</h2>"
                        "<p>Keeps the Client ID and Secret of your OAuth2 client-credentials grants in the system "
                        "keychain and proves they still work.</p>"
                        "<p>The grant list is coming. Until then, use the command line: "
                        "<code>grantkeeper --help</code>.</p>"));
    welcome->setAccessibleName(tr("Welcome"));
    layout->addWidget(welcome);
    setCentralWidget(central);

    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    auto* quitAction = fileMenu->addAction(tr("&Quit"));
    quitAction->setObjectName(QStringLiteral("quitAction"));
    quitAction->setShortcut(QKeySequence::Quit);
    connect(quitAction, &QAction::triggered, qApp, &QApplication::quit);
}

} // namespace gk
