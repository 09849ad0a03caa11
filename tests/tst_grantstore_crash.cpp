// GrantStore against real processes: a writer killed with SIGKILL in the middle of a save leaves the old file or
// the new one, never a mix, and its stale lock does not block the next writer; two processes writing at once
// lose nothing. The test runs its own executable again as the child processes (see main()).
#include "core/grant/grantstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>

#include <cstdio>
#include <cstring>

using namespace gk;

namespace {

const QDateTime Now(QDate(2026, 11, 23), QTime(9, 30), QTimeZone::utc());

// Hundreds of grants, each with a growing history: a save takes long enough to be killed in the middle.
constexpr int CrashGrantCount = 300;
constexpr int KillRounds = 12;
constexpr int WriterOperations = 16; // per writer; two writers' records fit in one history (Grant::MaxHistory)
constexpr int ChildDeadlineMs = 15'000;

// Every save of the crash test appends this record to every grant: the generation is the save's number.
TestRecord generationRecord(int generation)
{
    TestRecord record;
    record.testedAt = Now.addSecs(generation);
    record.verdict = Verdict::Passed;
    record.httpStatus = 200;
    record.grantedScope = ScopeSet::parse(QStringLiteral("file:read file:write"));
    record.roundTripMs = generation;
    return record;
}

int generationOf(const Grant& grant)
{
    return grant.lastTest() ? int(grant.lastTest()->roundTripMs) : 0;
}

StoreError saveGeneration(GrantStore& store, int generation)
{
    QList<QPair<QUuid, TestRecord>> records;
    for (const Grant& grant : store.grants())
        records.append({grant.id, generationRecord(generation)});
    return store.appendTestRecords(records);
}

void say(const QByteArray& line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// Child: saves generation after generation until killed (or after maxSaves), saying when each save starts and
// how long the last one took.
int childSave(const QString& path, int maxSaves)
{
    GrantStore store(path);
    if (store.load().isError() || store.grants().isEmpty())
        return 2;
    int generation = generationOf(store.grants().constFirst());
    for (int i = 0; i < maxSaves; ++i) {
        ++generation;
        say("saving " + QByteArray::number(generation));
        QElapsedTimer timer;
        timer.start();
        if (saveGeneration(store, generation).isError())
            return 3;
        say("saved " + QByteArray::number(generation) + ' ' + QByteArray::number(timer.elapsed()));
    }
    return 0;
}

// Child: at each "go" on stdin, adds one grant of its own and records a test of the shared grant, each change a
// separate save, then says "done".
int childWriter(const QString& path, const QString& tag, int operations)
{
    GrantStore store(path);
    if (store.load().isError())
        return 2;
    const auto shared = store.findByName(QStringLiteral("shared"));
    if (!shared)
        return 2;
    say("ready");
    for (int i = 0; i < operations; ++i) {
        char line[16] = {};
        if (!std::fgets(line, sizeof line, stdin) || std::strncmp(line, "go", 2) != 0)
            return 4;
        Grant grant = Grant::create(QStringLiteral("%1-%2").arg(tag).arg(i), Now);
        grant.notes = QStringLiteral("written by %1").arg(tag);
        if (store.upsert(grant).isError())
            return 3;
        // The writer's tag and operation number ride in the server's words of a refusal.
        TestRecord record;
        record.testedAt = Now.addSecs(i);
        record.verdict = Verdict::Refused;
        record.error = TokenError::make(TokenErrorCode::InvalidClient);
        record.error.serverError = tag;
        record.error.serverMessage = QString::number(i);
        if (store.appendTestRecord(shared->id, record).isError())
            return 3;
        say("done");
    }
    return 0;
}

} // namespace

class TestGrantStoreCrash : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void killMidSaveLeavesOldOrNewFile();
    void emptyLockIsTakenOverOnceOld();
    void twoProcessesWritingAtOnceLoseNothing();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("data/grants.json")); }
    QString lockPath() const { return path() + QStringLiteral(".lock"); }
    void writeSeed(const QList<Grant>& grants);
    void verifyGeneration(const GrantStore& store, int generation, const QList<QUuid>& ids);
    void startChild(QProcess& process, const QStringList& arguments);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestGrantStoreCrash::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir(m_dir->path()).mkpath(QStringLiteral("data")));
}

// Written directly rather than through hundreds of saves, to keep the test fast.
void TestGrantStoreCrash::writeSeed(const QList<Grant>& grants)
{
    QJsonArray array;
    for (const Grant& grant : grants)
        array.append(grant.toJson());
    QJsonObject root;
    root.insert(QStringLiteral("schema"), GrantStore::SchemaVersion);
    root.insert(QStringLiteral("grants"), array);
    QFile file(path());
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray data = QJsonDocument(root).toJson();
    QCOMPARE(file.write(data), data.size());
}

// The file holds exactly the grants of one generation: every grant, each with the same complete history.
void TestGrantStoreCrash::verifyGeneration(const GrantStore& store, int generation, const QList<QUuid>& ids)
{
    QCOMPARE(store.grants().size(), ids.size());
    QList<TestRecord> history;
    for (int g = std::max(1, generation - int(Grant::MaxHistory) + 1); g <= generation; ++g)
        history.append(generationRecord(g));
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const Grant& grant = store.grants().at(i);
        QCOMPARE(grant.id, ids.at(i));
        QCOMPARE(grant.name, QStringLiteral("Grant %1").arg(i));
        QCOMPARE(grant.history.size(), history.size());
        QVERIFY2(grant.history == history, qPrintable(QStringLiteral("grant %1 is at generation %2, not %3")
                                                          .arg(i)
                                                          .arg(generationOf(grant))
                                                          .arg(generation)));
    }
}

void TestGrantStoreCrash::startChild(QProcess& process, const QStringList& arguments)
{
    process.setProgram(QCoreApplication::applicationFilePath());
    process.setArguments(arguments);
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel); // sanitizer reports and warnings show
    process.start();
    QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
}

void TestGrantStoreCrash::killMidSaveLeavesOldOrNewFile()
{
    QList<Grant> grants;
    QList<QUuid> ids;
    for (int i = 0; i < CrashGrantCount; ++i) {
        Grant grant = Grant::create(QStringLiteral("Grant %1").arg(i), Now);
        grant.integrationUser = QStringLiteral("svc-export-%1").arg(i);
        grant.requestedScopes = ScopeSet::parse(QStringLiteral("file:read file:write"));
        grant.notes = QStringLiteral("Nightly export %1 for the finance team.").arg(i);
        grants.append(grant);
        ids.append(grant.id);
    }
    writeSeed(grants);
    if (QTest::currentTestFailed())
        return;

    int generation = 0;
    int killedHoldingLock = 0;
    int foundNewGeneration = 0;
    int emptyLocks = 0;
    qint64 longestSaveMs = 0;
    for (int round = 0; round < KillRounds; ++round) {
        QProcess child;
        int lastSaved = generation; // the file's generation once the last save the child reported was done
        qint64 saveMs = -1;
        bool killScheduled = false;
        QEventLoop loop;
        // The moment of the kill: after the child says a save starts, wait 0/6 .. 5/6 of the time a save took
        // it, so the kills land in every phase of a save (read, merge, write, rename). Whatever the moment,
        // the assertions below must hold.
        const auto readLines = [&] {
            while (child.canReadLine()) {
                const QList<QByteArray> words = child.readLine().trimmed().split(' ');
                if (words.value(0) == "saved") {
                    lastSaved = words.value(1).toInt();
                    saveMs = words.value(2).toLongLong();
                } else if (words.value(0) == "saving" && saveMs >= 0 && !killScheduled) {
                    killScheduled = true;
                    const int delay = int(saveMs * (round % 6) / 6);
                    QTimer::singleShot(delay, &child, [&child] { child.kill(); });
                }
            }
        };
        connect(&child, &QProcess::readyReadStandardOutput, &loop, readLines);
        connect(&child, &QProcess::finished, &loop, &QEventLoop::quit);
        QTimer deadline;
        deadline.setSingleShot(true);
        connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
        deadline.start(ChildDeadlineMs);

        startChild(child, {QStringLiteral("--child-save"), path(), QStringLiteral("1000")});
        if (QTest::currentTestFailed())
            return;
        loop.exec();
        QVERIFY2(deadline.isActive(), "the saving child neither finished nor was killed in time");
        QCOMPARE(child.state(), QProcess::NotRunning);
        QCOMPARE(child.exitStatus(), QProcess::CrashExit); // killed, not finished on its own
        readLines();
        QVERIFY(killScheduled);
        QVERIFY(lastSaved > generation); // it saved at least once before the kill
        longestSaveMs = std::max(longestSaveMs, saveMs);

        // The file is the last save the child reported, or the one it was writing if that got renamed into
        // place before the kill.
        GrantStore probe(path());
        QCOMPARE(probe.load().code, StoreErrorCode::None);
        QCOMPARE(probe.grants().size(), CrashGrantCount);
        const int found = generationOf(probe.grants().constFirst());
        QVERIFY2(found == lastSaved || found == lastSaved + 1,
                 qPrintable(QStringLiteral("generation %1 after the child reported %2").arg(found).arg(lastSaved)));
        verifyGeneration(probe, found, ids);
        if (QTest::currentTestFailed())
            return;
        generation = found;
        foundNewGeneration += found == lastSaved + 1 ? 1 : 0;

        if (QFile::exists(lockPath())) {
            // Killed while holding the lock: the lock file names a process that is gone, so the next save
            // takes it over at once instead of waiting for it to age. Killed between creating the lock file and
            // writing its owner into it, the lock is empty and names no process: QLockFile takes it over only
            // once it is older than its stale time (30 s; emptyLockIsTakenOverOnceOld). Age it rather than wait.
            ++killedHoldingLock;
            QFile lock(lockPath());
            if (lock.size() == 0) {
                ++emptyLocks;
                QVERIFY(lock.open(QIODevice::ReadWrite));
                QVERIFY(
                    lock.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-31), QFileDevice::FileModificationTime));
                lock.close();
            }
            GrantStore next(path());
            next.setLockTimeout(std::chrono::milliseconds(0));
            QCOMPARE(next.load().code, StoreErrorCode::None);
            QCOMPARE(saveGeneration(next, generation + 1).code, StoreErrorCode::None);
            QVERIFY(!QFile::exists(lockPath()));
            ++generation; // the next child starts from here, and the next round checks the whole file
        }
    }
    qInfo("%d kills: %d while holding the lock (%d of them before its owner was written), %d just after the new "
          "file was in place; a save took up to %lld ms",
          KillRounds, killedHoldingLock, emptyLocks, foundNewGeneration, static_cast<long long>(longestSaveMs));
    QVERIFY2(killedHoldingLock > 0, "no kill landed inside a save");
}

// What a kill between creating the lock file and writing its owner into it leaves behind. With no process to
// check, it may be a save that is just starting: it blocks until it is older than QLockFile's stale time.
void TestGrantStoreCrash::emptyLockIsTakenOverOnceOld()
{
    writeSeed({Grant::create(QStringLiteral("Grant 0"), Now)});
    if (QTest::currentTestFailed())
        return;
    QFile lock(lockPath());
    QVERIFY(lock.open(QIODevice::WriteOnly));
    lock.close();

    GrantStore store(path());
    store.setLockTimeout(std::chrono::milliseconds(0));
    QCOMPARE(store.load().code, StoreErrorCode::None);
    QCOMPARE(saveGeneration(store, 1).code, StoreErrorCode::LockTimeout);

    QVERIFY(lock.open(QIODevice::ReadWrite));
    QVERIFY(lock.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-31), QFileDevice::FileModificationTime));
    lock.close();
    QCOMPARE(saveGeneration(store, 1).code, StoreErrorCode::None);
    QVERIFY(!QFile::exists(lockPath()));
    QCOMPARE(generationOf(store.grants().constFirst()), 1);
}

void TestGrantStoreCrash::twoProcessesWritingAtOnceLoseNothing()
{
    Grant shared = Grant::create(QStringLiteral("shared"), Now);
    writeSeed({shared});
    if (QTest::currentTestFailed())
        return;

    const QStringList tags{QStringLiteral("left"), QStringLiteral("right")};
    QProcess writers[2];
    for (int i = 0; i < 2; ++i) {
        startChild(writers[i], {QStringLiteral("--child-writer"), path(), tags[i], QString::number(WriterOperations)});
        if (QTest::currentTestFailed())
            return;
    }
    // Both have loaded the file. Then, round after round, both make their changes at the same moment: each
    // works from a copy the other has made stale, and the two contend for the lock.
    const auto awaitLine = [](QProcess& writer, const QByteArray& expected) {
        while (!writer.canReadLine()) {
            if (!writer.waitForReadyRead(ChildDeadlineMs))
                return QByteArray("(nothing: ") + writer.errorString().toUtf8() + ')';
        }
        const QByteArray line = writer.readLine().trimmed();
        return line == expected ? QByteArray() : line;
    };
    for (QProcess& writer : writers)
        QCOMPARE(awaitLine(writer, "ready"), QByteArray());
    for (int i = 0; i < WriterOperations; ++i) {
        for (QProcess& writer : writers)
            QCOMPARE(writer.write("go\n"), 3);
        for (QProcess& writer : writers)
            QCOMPARE(awaitLine(writer, "done"), QByteArray());
    }
    for (QProcess& writer : writers) {
        QVERIFY(writer.waitForFinished(ChildDeadlineMs));
        QCOMPARE(writer.exitStatus(), QProcess::NormalExit);
        QCOMPARE(writer.exitCode(), 0);
    }

    GrantStore store(path());
    QCOMPARE(store.load().code, StoreErrorCode::None);
    QCOMPARE(store.grants().size(), 1 + 2 * WriterOperations);
    const auto sharedNow = store.find(shared.id);
    QVERIFY(sharedNow);
    QCOMPARE(sharedNow->history.size(), 2 * WriterOperations);
    for (const QString& tag : tags) {
        QStringList recorded;
        for (const TestRecord& record : sharedNow->history) {
            if (record.error.serverError == tag)
                recorded.append(record.error.serverMessage);
        }
        QStringList expected;
        for (int i = 0; i < WriterOperations; ++i) {
            expected.append(QString::number(i));
            const auto grant = store.findByName(QStringLiteral("%1-%2").arg(tag).arg(i));
            QVERIFY2(grant, qPrintable(QStringLiteral("%1-%2 is missing").arg(tag).arg(i)));
            QCOMPARE(grant->notes, QStringLiteral("written by %1").arg(tag));
        }
        QCOMPARE(recorded, expected); // every record, in the order its writer made them
    }
    int switches = 0;
    for (qsizetype i = 1; i < sharedNow->history.size(); ++i)
        switches +=
            sharedNow->history.at(i).error.serverError != sharedNow->history.at(i - 1).error.serverError ? 1 : 0;
    QVERIFY2(switches >= WriterOperations, qPrintable(QString::number(switches))); // they really took turns
    QVERIFY(!QFile::exists(lockPath()));
}

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.value(1) == QLatin1String("--child-save") && arguments.size() == 4)
        return childSave(arguments.at(2), arguments.at(3).toInt());
    if (arguments.value(1) == QLatin1String("--child-writer") && arguments.size() == 5)
        return childWriter(arguments.at(2), arguments.at(3), arguments.at(4).toInt());
    TestGrantStoreCrash test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_grantstore_crash.moc"
