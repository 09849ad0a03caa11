// Benchmarks of the window (not a test; run by tests/bench/run-benchmarks.sh):
//
//   gk-startup-bench generate N FILE [TOKEN_URL]   writes N grants to FILE in GrantStore's schema
//   gk-startup-bench startup FILE                  time to the first painted MainWindow and peak RSS
//   gk-startup-bench scroll FILE                   the longest paint while scrolling the list top to bottom
//   gk-startup-bench stall [JOBS]                   longest event-loop stall while the window tests all the
//                                                  grants of the real store (AppIdentity's grants.json and
//                                                  keychain)
//
// Run with QT_QPA_PLATFORM=offscreen. Each mode prints "key=value" figures on one line.
#include "core/batch/batchtester.h"
#include "core/expiry/clock.h"
#include "core/grant/grant.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/identity/appidentity.h"
#include "core/services/coreservices.h"
#include "core/settings/preferences.h"
#include "core/token/tokenclient.h"
#include "core/vault/credentialvault.h"
#include "ui/clipboardguard.h"
#include "ui/mainwindow.h"
#include "ui/windowservices.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSaveFile>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <QWidget>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace {

QElapsedTimer g_sinceMain;

double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}

double ms(qint64 nanoseconds)
{
    return double(nanoseconds) / 1e6;
}

int usage()
{
    std::fputs("usage: gk-startup-bench generate N FILE [TOKEN_URL] | startup FILE | scroll FILE | stall [JOBS]\n",
               stderr);
    return 2;
}

// Grants as `grantkeeper add` makes them, with a short test history, written in the store's own schema.
int generate(int count, const QString& path, const QString& tokenUrl)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonArray array;
    for (int i = 0; i < count; ++i) {
        gk::Grant grant = gk::Grant::create(QStringLiteral("Bench grant %1").arg(i, 5, 10, QLatin1Char('0')), now);
        grant.integrationUser = QStringLiteral("svc-bench-%1").arg(i);
        grant.region = gk::Region::Custom;
        grant.customTokenUrl = QUrl(tokenUrl);
        grant.requestedScopes = gk::ScopeSet::parse(QStringLiteral("file:read file:write"));
        grant.expiresOn = now.date().addDays(1 + i % 400);
        grant.clientIdHint = QStringLiteral("…%1").arg(i % 10000, 4, 10, QLatin1Char('0'));
        grant.notes = QStringLiteral("Generated for the start-up benchmark.");
        for (int t = 0; t < 3; ++t) {
            gk::TestRecord record;
            record.testedAt = now.addDays(-t);
            record.verdict = gk::Verdict::Passed;
            record.httpStatus = 200;
            record.grantedScope = gk::ScopeSet::parse(QStringLiteral("file:read file:write"));
            record.roundTripMs = 12;
            grant.appendTestRecord(record);
        }
        array.append(grant.toJson());
    }
    QJsonObject root;
    root.insert(QStringLiteral("schema"), gk::GrantStore::SchemaVersion);
    root.insert(QStringLiteral("grants"), array);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0 ||
        !file.commit()) {
        std::fprintf(stderr, "gk-startup-bench: cannot write %s\n", qPrintable(path));
        return 1;
    }
    // Check that the store reads it back as written.
    gk::GrantStore store(path);
    const gk::StoreError error = store.load();
    if (error.isError() || store.grants().size() != count) {
        std::fprintf(stderr, "gk-startup-bench: the store does not read %s back: %s\n", qPrintable(path),
                     qPrintable(error.summary()));
        return 1;
    }
    return 0;
}

// Calls back once, after the first paint of the window has completed (every widget of that frame painted).
class FirstPaintWatcher : public QObject
{
public:
    FirstPaintWatcher(QWidget* window, std::function<void(qint64 firstPaintNs)> done)
        : m_window(window)
        , m_done(std::move(done))
    {
        qApp->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (!m_seen && event->type() == QEvent::Paint && watched->isWidgetType() &&
            static_cast<QWidget*>(watched)->window() == m_window) {
            m_seen = true;
            const qint64 firstPaint = g_sinceMain.nsecsElapsed();
            qApp->removeEventFilter(this);
            // Painting a frame is synchronous: this runs once the whole frame is painted and flushed.
            QTimer::singleShot(0, qApp, [this, firstPaint] { m_done(firstPaint); });
        }
        return false;
    }

private:
    QWidget* m_window;
    std::function<void(qint64)> m_done;
    bool m_seen = false;
};

struct Context
{
    explicit Context(const QString& grantsFile)
        : services(grantsFile, gk::AppIdentity::settingsFilePath(), gk::AppIdentity::keychainService())
        , window(services, services.settingsFile())
    {}

    gk::CoreServices services;
    gk::WindowServices window;
};

int startup(QApplication& app, const QString& path)
{
    const qint64 appMade = g_sinceMain.nsecsElapsed();
    Context context(path);
    gk::MainWindow window(context.window.context());
    const qint64 constructed = g_sinceMain.nsecsElapsed();
    window.show();
    window.start();
    const qint64 started = g_sinceMain.nsecsElapsed();
    qint64 execStart = 0;
    FirstPaintWatcher watcher(&window, [&](qint64 firstPaint) {
        const qint64 painted = g_sinceMain.nsecsElapsed();
        // For the breakdown: reading the file alone, after the frame (it does not count in the figures above).
        QElapsedTimer loading;
        loading.start();
        gk::GrantStore again(path);
        again.load();
        const qint64 loadNs = loading.nsecsElapsed();
        std::printf("grants=%lld store_load_ms=%.1f qapplication_ms=%.1f construct_ms=%.1f show_start_ms=%.1f "
                    "first_paint_event_ms=%.1f "
                    "first_frame_ms=%.1f exec_to_first_frame_ms=%.1f peak_rss_mb=%.1f\n",
                    static_cast<long long>(context.services.store().grants().size()), ms(loadNs), ms(appMade),
                    ms(constructed - appMade), ms(started - constructed), ms(firstPaint), ms(painted),
                    ms(painted - execStart), peakRssMb());
        std::fflush(stdout);
        app.quit();
    });
    execStart = g_sinceMain.nsecsElapsed();
    return app.exec();
}

// Scrolls the grant list from top to bottom in 200 steps, painting each step at once: the longest paint shows
// whether scrolling stays smooth (a frame at 60 Hz is 16.7 ms).
int scroll(QApplication& app, const QString& path)
{
    Context context(path);
    gk::MainWindow window(context.window.context());
    window.resize(1100, 700);
    window.show();
    window.start();
    FirstPaintWatcher watcher(&window, [&](qint64) {
        auto* table = window.findChild<QTableView*>(QStringLiteral("grantTable"));
        if (!table) {
            std::fputs("gk-startup-bench: no grantTable in the window\n", stderr);
            app.exit(1);
            return;
        }
        QScrollBar* bar = table->verticalScrollBar();
        constexpr int Steps = 200;
        QList<double> frames;
        int slowestStep = 0;
        for (int step = 0; step <= Steps; ++step) {
            bar->setValue(int(qint64(bar->maximum()) * step / Steps));
            QElapsedTimer frame;
            frame.start();
            table->viewport()->repaint();
            frames.append(ms(frame.nsecsElapsed()));
            if (frames.last() > frames.at(slowestStep))
                slowestStep = step;
        }
        const double slowest = frames.at(slowestStep);
        std::sort(frames.begin(), frames.end());
        std::printf("grants=%lld rows=%d steps=%d median_frame_ms=%.2f max_frame_ms=%.2f max_frame_step=%d "
                    "peak_rss_mb=%.1f\n",
                    static_cast<long long>(context.services.store().grants().size()), table->model()->rowCount(), Steps,
                    frames.at(frames.size() / 2), slowest, slowestStep, peakRssMb());
        std::fflush(stdout);
        app.quit();
    });
    return app.exec();
}

int stall(QApplication& app, int jobs)
{
    Context context(gk::AppIdentity::grantsFilePath());
    gk::MainWindow window(context.window.context());
    window.show();
    window.start();
    gk::BatchTester* tester = &context.window.tester();
    auto* testAll = window.findChild<QAction*>(QStringLiteral("testAllAction"));
    if (!testAll) {
        std::fputs("gk-startup-bench: the window has no testAllAction\n", stderr);
        return 1;
    }

    constexpr int TickMs = 10;
    QTimer watchdog;
    watchdog.setTimerType(Qt::PreciseTimer);
    watchdog.setInterval(TickMs);
    QElapsedTimer sinceTick;
    qint64 maxGapNs = 0;
    qint64 maxGapAtNs = 0;
    int gapsOver50 = 0;
    int ticks = 0;
    QElapsedTimer batchTime;
    QObject::connect(&watchdog, &QTimer::timeout, &app, [&] {
        const qint64 gap = sinceTick.nsecsElapsed();
        sinceTick.start();
        ++ticks;
        if (gap > maxGapNs) {
            maxGapNs = gap;
            maxGapAtNs = batchTime.nsecsElapsed();
        }
        if (gap > 50'000'000)
            ++gapsOver50;
    });
    int passed = 0;
    QObject::connect(tester, &gk::BatchTester::finished, &app, [&](const QList<gk::GrantTestResult>& results) {
        const qint64 total = batchTime.nsecsElapsed();
        for (const gk::GrantTestResult& result : results)
            passed += result.verdict().isPass() ? 1 : 0;
        // Let the window handle what follows the batch (saving the records, reloading the list after its
        // debounce) under the watchdog too, then report.
        QTimer::singleShot(1500, &app, [&, total] {
            std::printf("grants=%lld passed=%d jobs=%d batch_ms=%.0f ticks=%d max_stall_ms=%.1f "
                        "max_stall_at_ms=%.0f stalls_over_50ms=%d peak_rss_mb=%.1f\n",
                        static_cast<long long>(results.size()), passed, tester->concurrency(), ms(total), ticks,
                        ms(maxGapNs) - TickMs, ms(maxGapAtNs), gapsOver50, peakRssMb());
            std::fflush(stdout);
            app.quit();
        });
    });
    // Start once the window is up, so start-up is not counted as a stall of the batch.
    QTimer::singleShot(200, &app, [&] {
        if (jobs > 0)
            tester->setConcurrency(jobs);
        batchTime.start();
        sinceTick.start();
        watchdog.start();
        testAll->trigger();
        if (!tester->isRunning())
            QTimer::singleShot(0, &app, [&] { // testAll() may start the batch from the event loop
                if (!tester->isRunning()) {
                    std::fputs("gk-startup-bench: Test All did not start a batch\n", stderr);
                    app.exit(1);
                }
            });
    });
    return app.exec();
}

} // namespace

int main(int argc, char* argv[])
{
    g_sinceMain.start();
    if (argc < 2)
        return usage();
    const QByteArray mode = argv[1];
    if (mode == "generate") {
        if (argc < 4)
            return usage();
        QCoreApplication app(argc, argv);
        return generate(std::atoi(argv[2]), QString::fromLocal8Bit(argv[3]),
                        argc > 4 ? QString::fromLocal8Bit(argv[4])
                                 : QStringLiteral("https://127.0.0.1:8443/oauth2/token"));
    }
    QApplication app(argc, argv);
    gk::AppIdentity::apply();
    QApplication::setApplicationDisplayName(gk::AppIdentity::displayName());
    if (mode == "startup" && argc >= 3)
        return startup(app, QString::fromLocal8Bit(argv[2]));
    if (mode == "stall")
        return stall(app, argc >= 3 ? std::atoi(argv[2]) : 0);
    if (mode == "scroll" && argc >= 3)
        return scroll(app, QString::fromLocal8Bit(argv[2]));
    return usage();
}
