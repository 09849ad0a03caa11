// Takes the README's screenshots from the real window: the list, a passed, a scope-missing and a refused test's
// details, the add dialog, Rotate Secret, a revealed secret and an untrusted certificate; or, with --one-untested, the
// list and the message a test that never reached the server gives. Run it in a real X11 window under Xvfb with sample
// grants prepared: tests/support/take-screenshots.sh does both.
//
//   gk-screenshot-tour OUTPUT_DIR [--size WIDTHxHEIGHT] [--prefix NAME-] [--one-untested] [--check-keychain]
#include "core/grant/grantstore.h"
#include "core/identity/appidentity.h"
#include "core/services/coreservices.h"
#include "ui/mainwindow.h"
#include "ui/windowservices.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDialog>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QTableView>
#include <QTimer>

#include <cstdio>
#include <functional>

namespace {

// The tour's steps, each started when the window has done what the one before asked for.
class Tour
{
public:
    using Condition = std::function<bool()>;
    using Step = std::function<void()>;

    void then(Condition ready, Step step) { m_steps.append({std::move(ready), std::move(step)}); }

    void run()
    {
        m_timer.setInterval(100);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            if (m_steps.isEmpty()) {
                m_timer.stop();
                QApplication::quit();
                return;
            }
            if (++m_waited > 300) { // 30 s: say which step never became ready rather than hang
                std::fprintf(stderr, "gk-screenshot-tour: step %d never became ready\n", m_done + 1);
                QApplication::exit(1);
                return;
            }
            if (!m_steps.first().first())
                return;
            const Step step = m_steps.takeFirst().second;
            m_waited = 0;
            ++m_done;
            step();
        });
        m_timer.start();
    }

private:
    QList<QPair<Condition, Step>> m_steps;
    QTimer m_timer;
    int m_waited = 0;
    int m_done = 0;
};

bool selectRowNamed(QTableView* table, const QString& name)
{
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        if (table->model()->index(row, 0).data().toString() == name) {
            table->selectRow(row);
            return true;
        }
    }
    std::fprintf(stderr, "gk-screenshot-tour: no grant named %s\n", qPrintable(name));
    return false;
}

QWidget* visibleDialog(const QWidget& window)
{
    for (QDialog* dialog : window.findChildren<QDialog*>()) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

// Rotate Secret, the revealed Client ID and Secret, and a certificate the system does not trust, with the offer to
// trust it.
void addSecretsSteps(Tour& tour, gk::MainWindow& window, gk::CoreServices& services,
                     const std::function<void(QWidget*, const QString&)>& save)
{
    auto* table = window.findChild<QTableView*>(QStringLiteral("grantTable"));
    const auto dialogShown = [&window] { return visibleDialog(window) != nullptr; };
    tour.then([] { return true; },
              [&window, table] {
                  selectRowNamed(table, QStringLiteral("Nightly export"));
                  window.findChild<QAction*>(QStringLiteral("rotateSecretAction"))->trigger();
              });
    tour.then(dialogShown, [&window, save] {
        save(visibleDialog(window), QStringLiteral("rotate-dialog.png"));
        static_cast<QDialog*>(visibleDialog(window))->reject();
        window.findChild<QPushButton*>(QStringLiteral("revealSecretButton"))->click();
    });
    auto* clientId = window.findChild<QLabel*>(QStringLiteral("detailsClientIdLabel"));
    tour.then([clientId] { return !clientId->text().startsWith(QChar(0x2026)); },
              [&window, &services, save, table] {
                  save(&window, QStringLiteral("details-revealed.png"));
                  window.findChild<QPushButton*>(QStringLiteral("revealSecretButton"))->click();
                  // The system CAs do not know the demo server's certificate.
                  auto grant = services.store().findByName(QStringLiteral("Ledger sync"));
                  grant->trust = gk::TrustSettings{};
                  services.store().upsert(*grant);
                  window.findChild<QAction*>(QStringLiteral("reloadAction"))->trigger();
                  selectRowNamed(table, QStringLiteral("Ledger sync"));
                  window.findChild<QAction*>(QStringLiteral("testAction"))->trigger();
              });
    auto* trust = window.findChild<QPushButton*>(QStringLiteral("trustCertificateButton"));
    tour.then([trust] { return trust->isVisible(); },
              [&window, trust] {
                  window.findChild<QWidget*>(QStringLiteral("grantDetailsPane"))
                      ->findChild<QScrollArea*>()
                      ->ensureWidgetVisible(trust);
              });
    tour.then([] { return true; },
              [&window, save, trust] {
                  save(&window, QStringLiteral("details-untrusted-certificate.png"));
                  trust->click();
              });
    tour.then(dialogShown, [&window, save] {
        save(visibleDialog(window), QStringLiteral("trust-certificate-message.png"));
        static_cast<QDialog*>(visibleDialog(window))->reject();
    });
}

} // namespace

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    gk::AppIdentity::apply();
    QApplication::setApplicationDisplayName(gk::AppIdentity::displayName());

    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("OUTPUT_DIR"), QStringLiteral("Where the PNG files go."));
    parser.addOption({QStringLiteral("size"), QStringLiteral("Window size (default 1280x760)."),
                      QStringLiteral("WIDTHxHEIGHT"), QStringLiteral("1280x760")});
    parser.addOption(
        {QStringLiteral("prefix"), QStringLiteral("Prepended to each file name."), QStringLiteral("NAME")});
    parser.addOption(
        {QStringLiteral("check-keychain"), QStringLiteral("Also run Check Keychain Entries and save its message.")});
    parser.addOption({QStringLiteral("one-untested"),
                      QStringLiteral("Test only the first grant (one with no keychain entry) and show the message.")});
    parser.process(app);
    const QString out = parser.positionalArguments().value(0, QStringLiteral("."));
    const QString prefix = parser.value(QStringLiteral("prefix"));
    const QStringList size = parser.value(QStringLiteral("size")).split(QLatin1Char('x'));
    QDir().mkpath(out);

    gk::CoreServices services;
    gk::WindowServices windowServices(services, QString());

    gk::MainWindow window(windowServices.context());
    window.resize(size.value(0).toInt(), size.value(1).toInt());
    window.show();
    window.start();
    auto* table = window.findChild<QTableView*>(QStringLiteral("grantTable"));
    auto* status = window.findChild<QLabel*>(QStringLiteral("statusLabel"));
    const auto save = [&out, &prefix](QWidget* widget, const QString& name) {
        const QString path = QDir(out).filePath(prefix + name);
        widget->grab().save(path);
        std::printf("wrote %s\n", qPrintable(path));
    };
    const auto always = [] { return true; };
    const auto testFinished = [status] { return status->text().startsWith(QStringLiteral("Test finished")); };
    const auto dialogShown = [&window] { return visibleDialog(window) != nullptr; };

    Tour tour;
    if (parser.isSet(QStringLiteral("one-untested"))) {
        tour.then(always, [&] { save(&window, QStringLiteral("grant-list.png")); });
        tour.then(always, [&] {
            table->selectRow(0);
            window.findChild<QAction*>(QStringLiteral("testAction"))->trigger();
        });
        tour.then(dialogShown, [&] {
            save(&window, QStringLiteral("not-tested.png"));
            save(visibleDialog(window), QStringLiteral("not-tested-message.png"));
            static_cast<QDialog*>(visibleDialog(window))->reject();
        });
    } else {
        tour.then(always, [&] { window.findChild<QAction*>(QStringLiteral("testAllAction"))->trigger(); });
        tour.then(testFinished, [&] {
            selectRowNamed(table, QStringLiteral("Nightly export"));
            save(&window, QStringLiteral("details-passed.png"));
        });
        tour.then(always, [&] {
            selectRowNamed(table, QStringLiteral("Ledger sync"));
            save(&window, QStringLiteral("details-scope-missing.png"));
        });
        tour.then(always, [&] {
            selectRowNamed(table, QStringLiteral("Legacy reporting"));
            save(&window, QStringLiteral("details-failed.png"));
        });
        tour.then(always, [&] { window.findChild<QAction*>(QStringLiteral("addGrantAction"))->trigger(); });
        tour.then(dialogShown, [&] {
            save(visibleDialog(window), QStringLiteral("add-dialog.png"));
            static_cast<QDialog*>(visibleDialog(window))->reject();
        });
        addSecretsSteps(tour, window, services, save);
    }
    if (parser.isSet(QStringLiteral("check-keychain"))) {
        tour.then(always, [&] { window.findChild<QAction*>(QStringLiteral("checkKeychainAction"))->trigger(); });
        tour.then(dialogShown, [&] {
            save(&window, QStringLiteral("keychain-check.png"));
            save(visibleDialog(window), QStringLiteral("keychain-check-message.png"));
            static_cast<QDialog*>(visibleDialog(window))->reject();
        });
    }
    tour.then(always, [&] { window.close(); });
    tour.run();
    return app.exec();
}
