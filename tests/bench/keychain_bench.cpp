// Benchmark of the keychain reads (not a test; run by tests/bench/run-benchmarks.sh inside a private keyring):
//
//   gk-keychain-bench N     stores N entries under a fresh service, then times reading all of them
//                           with one CredentialVault::loadMany and with N CredentialVault::load calls
//                           in sequence (what one `grantkeeper test` does per grant), and removes them
//
// Prints "key=value" figures on one line. Never prints a secret (the bench's own are random anyway).
#include "core/vault/credentialvault.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTimer>
#include <QUuid>

#include <cstdio>
#include <cstdlib>
#include <functional>

using namespace gk;

namespace {

double ms(qint64 nanoseconds)
{
    return double(nanoseconds) / 1e6;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const int count = argc >= 2 ? std::atoi(argv[1]) : 0;
    if (count <= 0) {
        std::fputs("usage: gk-keychain-bench N\n", stderr);
        return 2;
    }
    CredentialVault vault(QStringLiteral("grantkeeper-bench-") + QUuid::createUuid().toString(QUuid::WithoutBraces));
    vault.setDeadline(std::chrono::minutes(5));
    QStringList keys;
    for (int i = 0; i < count; ++i)
        keys.append(QUuid::createUuid().toString(QUuid::WithoutBraces));

    QElapsedTimer timer;
    qint64 storeNs = 0;
    qint64 bulkNs = 0;
    qint64 oneByOneNs = 0;
    int bulkRead = 0;
    int singleRead = 0;
    int failures = 0;
    int exitCode = 0;

    std::function<void(int)> removeFrom = [&](int index) {
        if (index == count) {
            std::printf("entries=%d store_ms=%.1f bulk_read_ms=%.1f bulk_read_ok=%d one_by_one_ms=%.1f "
                        "one_by_one_ok=%d per_entry_one_by_one_ms=%.2f speedup=%.1f failures=%d\n",
                        count, ms(storeNs), ms(bulkNs), bulkRead, ms(oneByOneNs), singleRead, ms(oneByOneNs) / count,
                        double(oneByOneNs) / double(std::max<qint64>(1, bulkNs)), failures);
            std::fflush(stdout);
            QCoreApplication::exit(exitCode);
            return;
        }
        vault.remove(keys.at(index), &app, [&, index](const VaultError&) { removeFrom(index + 1); });
    };
    std::function<void(int)> readOneFrom = [&](int index) {
        if (index == count) {
            oneByOneNs = timer.nsecsElapsed();
            removeFrom(0);
            return;
        }
        vault.load(keys.at(index), &app, [&, index](const VaultLoadResult& result) {
            if (result.error.isError())
                ++failures;
            else
                ++singleRead;
            readOneFrom(index + 1);
        });
    };
    auto readAll = [&] {
        timer.start();
        vault.loadMany(keys, &app, [&](const QHash<QString, VaultLoadResult>& results) {
            bulkNs = timer.nsecsElapsed();
            for (const VaultLoadResult& result : results) {
                if (result.error.isError())
                    ++failures;
                else
                    ++bulkRead;
            }
            timer.start();
            readOneFrom(0);
        });
    };
    std::function<void(int)> storeFrom = [&](int index) {
        if (index == count) {
            storeNs = timer.nsecsElapsed();
            readAll();
            return;
        }
        const QString secret = QString::number(QRandomGenerator::global()->generate64(), 16);
        vault.store(keys.at(index), Credentials(QStringLiteral("bench-client-%1").arg(index), secret), &app,
                    [&, index](const VaultError& error) {
                        if (error.isError()) {
                            std::fprintf(stderr, "could not store entry %d: %s\n", index, qPrintable(error.summary()));
                            exitCode = 1;
                            QCoreApplication::exit(1);
                            return;
                        }
                        storeFrom(index + 1);
                    });
    };
    QTimer::singleShot(0, &app, [&] {
        timer.start();
        storeFrom(0);
    });
    return app.exec();
}
