#include "core/grant/grantstore.h"
#include "core/token/tokenerror.h"
#include "core/vault/vaulterror.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QPointer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>

#include <sys/stat.h>

using namespace gk;

namespace {

const QDateTime Now(QDate(2026, 11, 23), QTime(9, 30), QTimeZone::utc());

Grant sampleGrant(const QString& name)
{
    Grant grant = Grant::create(name, Now);
    grant.integrationUser = QStringLiteral("svc-") + name.toLower();
    grant.region = Region::EU;
    grant.apiVersion = ApiVersion::V2022_01_01;
    grant.requestedScopes = ScopeSet::parse(QStringLiteral("file:read file:write"));
    grant.authMethod = ClientAuthMethod::HttpBasic;
    grant.expiresOn = QDate(2027, 3, 31);
    grant.notes = QStringLiteral("Created by Ana for the nightly export.");
    grant.ipAllowlistNote = QStringLiteral("203.0.113.0/24");
    grant.trust.mode = TrustMode::Pinned;
    grant.trust.pinnedSha256 = QString(64, QLatin1Char('a'));
    grant.clientIdHint = QStringLiteral("…a1b2");
    return grant;
}

TestRecord record(int minute, bool passed = true)
{
    TestRecord result;
    result.testedAt = Now.addSecs(60 * minute);
    result.verdict = passed ? Verdict::Passed : Verdict::Refused;
    result.httpStatus = passed ? 200 : 401;
    if (!passed) {
        result.error = TokenError::make(TokenErrorCode::InvalidClient);
        result.error.httpStatus = 401;
    }
    result.roundTripMs = minute;
    return result;
}

// What an asynchronous save reported, and how often.
struct Reports
{
    QList<StoreError> errors;
    GrantStore::Completion collector()
    {
        return [this](const StoreError& error) { errors.append(error); };
    }
};

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& data)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(data), data.size());
}

} // namespace

class TestGrantStore : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void missingFileIsAnEmptyStore();
    void roundTripsEveryField();
    void savesOnlyOwnerReadableFile();
    void refusesDuplicateNamesIgnoringCase();
    void keepsFieldsFromANewerMinorVersion();
    void capsHistoryAtFifty();
    void damagedFilesAreNeverOverwritten_data();
    void damagedFilesAreNeverOverwritten();
    void unreadableFileMakesStoreReadOnly();
    void specialFilesAreRefusedWithoutWaiting();
    void twoWritersMergeInsteadOfLosingChanges();
    void editKeepsHistoryWrittenByAnotherProcess();
    void fileDamagedByAnotherProcessStopsWrites();
    void heldLockTimesOutWithClearError();
    void removingUnknownGrantIsAnError();
    void unwritableFolderFailsWithAClearError();
    void asyncSaveReportsFromTheEventLoopWithTheFileWritten();
    void asyncSaveMergesWithOtherWritersAndLosesNothing();
    void asyncSavesLandInTheOrderAsked();
    void asyncSaveWaitsForTheLockWithoutBlockingTheCaller();
    void asyncSaveTimesOutOnAHeldLock();
    void asyncSaveOnReadOnlyStoreIsRefused();
    void asyncSaveOfFileDamagedMeanwhileMakesStoreReadOnly();
    void asyncSaveOutlivesItsContextAndItsStore();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString path() const { return m_dir->filePath(QStringLiteral("data/grants.json")); }
};

void TestGrantStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestGrantStore::missingFileIsAnEmptyStore()
{
    GrantStore store(path());
    QCOMPARE(store.load().code, StoreErrorCode::None);
    QVERIFY(store.grants().isEmpty());
    QVERIFY(!store.isReadOnly());
    QVERIFY(!QFile::exists(path()));
}

void TestGrantStore::roundTripsEveryField()
{
    Grant grant = sampleGrant(QStringLiteral("Nightly export"));
    grant.region = Region::Custom;
    grant.customTokenUrl = QUrl(QStringLiteral("https://sandbox.example.com/oauth2/token"));
    GrantStore store(path());
    QCOMPARE(store.load().code, StoreErrorCode::None);
    QCOMPARE(store.upsert(grant).code, StoreErrorCode::None);
    QCOMPARE(store.appendTestRecord(grant.id, record(0, false)).code, StoreErrorCode::None);

    GrantStore reread(path());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    QCOMPARE(reread.grants().size(), 1);
    const Grant loaded = reread.grants().first();
    QCOMPARE(loaded.id, grant.id);
    QCOMPARE(loaded.name, grant.name);
    QCOMPARE(loaded.integrationUser, grant.integrationUser);
    QCOMPARE(loaded.region, Region::Custom);
    QCOMPARE(loaded.customTokenUrl, grant.customTokenUrl);
    QCOMPARE(loaded.tokenUrl(), grant.customTokenUrl);
    QCOMPARE(loaded.apiBaseUrl(), QUrl(QStringLiteral("https://sandbox.example.com")));
    QCOMPARE(loaded.apiVersion, ApiVersion::V2022_01_01);
    QCOMPARE(loaded.requestedScopes, grant.requestedScopes);
    QCOMPARE(loaded.authMethod, ClientAuthMethod::HttpBasic);
    QCOMPARE(loaded.expiresOn, grant.expiresOn);
    QCOMPARE(loaded.notes, grant.notes);
    QCOMPARE(loaded.ipAllowlistNote, grant.ipAllowlistNote);
    QCOMPARE(loaded.trust, grant.trust);
    QCOMPARE(loaded.clientIdHint, grant.clientIdHint);
    QCOMPARE(loaded.createdAt, Now);
    QCOMPARE(loaded.history.size(), 1);
    QCOMPARE(loaded.history.first().verdict, Verdict::Refused);
    QCOMPARE(loaded.history.first().error.code, TokenErrorCode::InvalidClient);
    QCOMPARE(loaded.history.first().testedAt, Now);
    QCOMPARE(reread.findByName(QStringLiteral("  NIGHTLY export ")).value().id, grant.id);
}

void TestGrantStore::savesOnlyOwnerReadableFile()
{
    GrantStore store(path());
    QCOMPARE(store.upsert(sampleGrant(QStringLiteral("A"))).code, StoreErrorCode::None);
    QCOMPARE(QFile::permissions(path()) & ~(QFileDevice::ReadUser | QFileDevice::WriteUser),
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void TestGrantStore::refusesDuplicateNamesIgnoringCase()
{
    GrantStore store(path());
    QCOMPARE(store.upsert(sampleGrant(QStringLiteral("Export"))).code, StoreErrorCode::None);
    const StoreError error = store.upsert(sampleGrant(QStringLiteral(" export ")));
    QCOMPARE(error.code, StoreErrorCode::DuplicateName);
    QCOMPARE(error.summary(), QStringLiteral("A grant named \"export\" already exists."));
    QCOMPARE(store.grants().size(), 1);
}

void TestGrantStore::keepsFieldsFromANewerMinorVersion()
{
    GrantStore store(path());
    const Grant grant = sampleGrant(QStringLiteral("A"));
    QCOMPARE(store.upsert(grant).code, StoreErrorCode::None);
    QJsonObject root = QJsonDocument::fromJson(readAll(path())).object();
    QJsonArray grants = root.value(QStringLiteral("grants")).toArray();
    QJsonObject first = grants.first().toObject();
    first.insert(QStringLiteral("future_field"), QStringLiteral("kept"));
    grants.replace(0, first);
    root.insert(QStringLiteral("grants"), grants);
    writeAll(path(), QJsonDocument(root).toJson());

    GrantStore reread(path());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    Grant edited = reread.grants().first();
    edited.notes = QStringLiteral("edited");
    QCOMPARE(reread.upsert(edited).code, StoreErrorCode::None);
    const QJsonObject saved =
        QJsonDocument::fromJson(readAll(path())).object().value(QStringLiteral("grants")).toArray().first().toObject();
    QCOMPARE(saved.value(QStringLiteral("future_field")).toString(), QStringLiteral("kept"));
    QCOMPARE(saved.value(QStringLiteral("notes")).toString(), QStringLiteral("edited"));
}

void TestGrantStore::capsHistoryAtFifty()
{
    GrantStore store(path());
    const Grant grant = sampleGrant(QStringLiteral("A"));
    QCOMPARE(store.upsert(grant).code, StoreErrorCode::None);
    for (int i = 0; i < 55; ++i) {
        TestRecord record;
        record.testedAt = Now.addSecs(i);
        record.verdict = Verdict::Passed;
        QCOMPARE(store.appendTestRecord(grant.id, record).code, StoreErrorCode::None);
    }
    GrantStore reread(path());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    const auto history = reread.grants().first().history;
    QCOMPARE(history.size(), Grant::MaxHistory);
    QCOMPARE(history.first().testedAt, Now.addSecs(5));
    QCOMPARE(history.last().testedAt, Now.addSecs(54));
}

void TestGrantStore::damagedFilesAreNeverOverwritten_data()
{
    QTest::addColumn<QByteArray>("contents");
    QTest::addColumn<int>("expectedCode");
    QTest::newRow("not json") << QByteArray("{ this is not json") << int(StoreErrorCode::Corrupt);
    QTest::newRow("truncated") << QByteArray(R"({"schema":1,"grants":[{"id":"6f1c)") << int(StoreErrorCode::Corrupt);
    QTest::newRow("empty") << QByteArray("") << int(StoreErrorCode::Corrupt);
    QTest::newRow("array") << QByteArray("[]") << int(StoreErrorCode::Corrupt);
    QTest::newRow("no schema") << QByteArray(R"({"grants":[]})") << int(StoreErrorCode::Corrupt);
    QTest::newRow("grant without id") << QByteArray(R"({"schema":1,"grants":[{"name":"x"}]})")
                                      << int(StoreErrorCode::Corrupt);
    QTest::newRow("newer schema") << QByteArray(R"({"schema":2,"grants":[]})") << int(StoreErrorCode::NewerSchema);
    // GrantValidator's name rule: a grant that cannot be named cannot be shown, chosen or typed on a command line.
    QTest::newRow("grant without a name")
        << QByteArray(R"({"schema":1,"grants":[{"id":"6f1c2b7e-0d1f-4a53-9d7b-2f4f6f0b8c11","name":"  ",)"
                      R"("region":"us","api_version":"2026-01-01","client_auth":"body","trust":{"mode":"system"}}]})")
        << int(StoreErrorCode::Corrupt);
    QTest::newRow("name with a control character")
        << QByteArray(R"({"schema":1,"grants":[{"id":"6f1c2b7e-0d1f-4a53-9d7b-2f4f6f0b8c11","name":"a\u001bb",)"
                      R"("region":"us","api_version":"2026-01-01","client_auth":"body","trust":{"mode":"system"}}]})")
        << int(StoreErrorCode::Corrupt);
    // A trust mode this version does not know must not quietly become "system" (it could drop a pin).
    QTest::newRow("unknown trust mode")
        << QByteArray(R"({"schema":1,"grants":[{"id":"6f1c2b7e-0d1f-4a53-9d7b-2f4f6f0b8c11","name":"x",)"
                      R"("region":"us","api_version":"2026-01-01","client_auth":"body",)"
                      R"("trust":{"mode":"pinned-spki"}}]})")
        << int(StoreErrorCode::Corrupt);
}

void TestGrantStore::damagedFilesAreNeverOverwritten()
{
    QFETCH(QByteArray, contents);
    QFETCH(int, expectedCode);
    QVERIFY(QDir().mkpath(QFileInfo(path()).absolutePath()));
    writeAll(path(), contents);

    GrantStore store(path());
    const StoreError error = store.load();
    QCOMPARE(int(error.code), expectedCode);
    QVERIFY(store.isReadOnly());
    QVERIFY(!error.summary().isEmpty());
    QVERIFY(error.summary().contains(path()));
    QVERIFY(!error.advice().isEmpty());

    const StoreError refused = store.upsert(sampleGrant(QStringLiteral("A")));
    QCOMPARE(refused.code, StoreErrorCode::ReadOnly);
    QCOMPARE(readAll(path()), contents);
}

void TestGrantStore::unreadableFileMakesStoreReadOnly()
{
    // A folder where the file should be cannot be opened, even by root.
    QVERIFY(QDir().mkpath(path()));
    GrantStore store(path());
    QCOMPARE(store.load().code, StoreErrorCode::Unreadable);
    QVERIFY(store.isReadOnly());
    QCOMPARE(store.upsert(sampleGrant(QStringLiteral("A"))).code, StoreErrorCode::ReadOnly);
    QVERIFY(QFileInfo(path()).isDir());
}

void TestGrantStore::specialFilesAreRefusedWithoutWaiting()
{
    QVERIFY(QDir().mkpath(QFileInfo(path()).absolutePath()));
    // A FIFO in the file's place: opening it to read would wait for a writer forever.
    QCOMPARE(::mkfifo(QFile::encodeName(path()).constData(), 0600), 0);
    GrantStore fifoStore(path());
    const StoreError fifoError = fifoStore.load();
    QCOMPARE(fifoError.code, StoreErrorCode::Unreadable);
    QCOMPARE(fifoError.detail, QStringLiteral("it is not a regular file (a pipe, device or socket)"));
    QVERIFY(fifoStore.isReadOnly());
    QVERIFY(QFileInfo(path()).symLinkTarget().isEmpty());
    QVERIFY(QFile::remove(path()));

    // A link to an endless device: its size says 0, reading it would never end.
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), path()));
    GrantStore deviceStore(path());
    QCOMPARE(deviceStore.load().code, StoreErrorCode::Unreadable);
    QVERIFY(deviceStore.isReadOnly());
    QCOMPARE(deviceStore.upsert(sampleGrant(QStringLiteral("A"))).code, StoreErrorCode::ReadOnly);
    QCOMPARE(QFileInfo(path()).symLinkTarget(), QStringLiteral("/dev/zero"));
    QVERIFY(QFile::remove(path()));

    // A link to a regular file (a grants file kept in a synced folder, say) is read as usual.
    const QString elsewhere = m_dir->filePath(QStringLiteral("synced/grants.json"));
    QVERIFY(QDir().mkpath(QFileInfo(elsewhere).absolutePath()));
    {
        GrantStore original(elsewhere);
        QCOMPARE(original.load().code, StoreErrorCode::None);
        QCOMPARE(original.upsert(sampleGrant(QStringLiteral("Linked"))).code, StoreErrorCode::None);
    }
    QVERIFY(QFile::link(elsewhere, path()));
    GrantStore linked(path());
    QCOMPARE(linked.load().code, StoreErrorCode::None);
    QCOMPARE(linked.grants().size(), 1);
    QCOMPARE(linked.grants().first().name, QStringLiteral("Linked"));
}

void TestGrantStore::twoWritersMergeInsteadOfLosingChanges()
{
    GrantStore window(path());
    GrantStore commandLine(path());
    QCOMPARE(window.load().code, StoreErrorCode::None);
    QCOMPARE(commandLine.load().code, StoreErrorCode::None);

    const Grant a = sampleGrant(QStringLiteral("A"));
    const Grant b = sampleGrant(QStringLiteral("B"));
    QCOMPARE(window.upsert(a).code, StoreErrorCode::None);
    QCOMPARE(commandLine.upsert(b).code, StoreErrorCode::None); // did not know about A
    QCOMPARE(commandLine.grants().size(), 2);

    GrantStore reread(path());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    QCOMPARE(reread.grants().size(), 2);
    QVERIFY(reread.find(a.id));
    QVERIFY(reread.find(b.id));

    QCOMPARE(window.remove(b.id).code, StoreErrorCode::None); // knew nothing of B until it re-read
    QCOMPARE(window.grants().size(), 1);
}

void TestGrantStore::editKeepsHistoryWrittenByAnotherProcess()
{
    GrantStore window(path());
    GrantStore commandLine(path());
    Grant grant = sampleGrant(QStringLiteral("A"));
    QCOMPARE(window.upsert(grant).code, StoreErrorCode::None);
    QCOMPARE(commandLine.load().code, StoreErrorCode::None);
    TestRecord record;
    record.testedAt = Now;
    record.verdict = Verdict::Passed;
    QCOMPARE(commandLine.appendTestRecord(grant.id, record).code, StoreErrorCode::None);

    grant.notes = QStringLiteral("edited in the window");
    QCOMPARE(window.upsert(grant).code, StoreErrorCode::None); // its copy has no history

    GrantStore reread(path());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    QCOMPARE(reread.grants().first().notes, QStringLiteral("edited in the window"));
    QCOMPARE(reread.grants().first().history.size(), 1);
}

void TestGrantStore::fileDamagedByAnotherProcessStopsWrites()
{
    GrantStore store(path());
    QCOMPARE(store.upsert(sampleGrant(QStringLiteral("A"))).code, StoreErrorCode::None);
    writeAll(path(), "garbage");
    QCOMPARE(store.upsert(sampleGrant(QStringLiteral("B"))).code, StoreErrorCode::Corrupt);
    QVERIFY(store.isReadOnly());
    QCOMPARE(readAll(path()), QByteArray("garbage"));
}

void TestGrantStore::heldLockTimesOutWithClearError()
{
    GrantStore store(path());
    QCOMPARE(store.upsert(sampleGrant(QStringLiteral("A"))).code, StoreErrorCode::None);
    const QByteArray before = readAll(path());

    QLockFile otherProcess(path() + QStringLiteral(".lock"));
    QVERIFY(otherProcess.tryLock(0));
    store.setLockTimeout(std::chrono::milliseconds(50));
    const StoreError error = store.upsert(sampleGrant(QStringLiteral("B")));
    QCOMPARE(error.code, StoreErrorCode::LockTimeout);
    QVERIFY(error.advice().contains(QStringLiteral(".lock")));
    QCOMPARE(readAll(path()), before);
    otherProcess.unlock();
    QCOMPARE(store.upsert(sampleGrant(QStringLiteral("B"))).code, StoreErrorCode::None);
}

void TestGrantStore::removingUnknownGrantIsAnError()
{
    GrantStore store(path());
    QCOMPARE(store.upsert(sampleGrant(QStringLiteral("A"))).code, StoreErrorCode::None);
    QCOMPARE(store.remove(QUuid::createUuid()).code, StoreErrorCode::GrantNotFound);
    QCOMPARE(store.grants().size(), 1);
}

void TestGrantStore::unwritableFolderFailsWithAClearError()
{
    // Root can write to a read-only folder, so the test uses a folder that cannot exist: its parent is a file.
    const QString blocker = m_dir->filePath(QStringLiteral("not-a-folder"));
    writeAll(blocker, "x");
    GrantStore store(blocker + QStringLiteral("/grantkeeper/grants.json"));
    QCOMPARE(store.load().code, StoreErrorCode::None);
    const StoreError error = store.upsert(sampleGrant(QStringLiteral("A")));
    QCOMPARE(error.code, StoreErrorCode::WriteFailed);
    QVERIFY(error.summary().contains(store.filePath()));
    QVERIFY(error.advice().contains(QStringLiteral("writable")));
    QVERIFY(store.grants().isEmpty());
    QCOMPARE(readAll(blocker), QByteArray("x"));
}

void TestGrantStore::asyncSaveReportsFromTheEventLoopWithTheFileWritten()
{
    GrantStore store(path());
    const Grant a = sampleGrant(QStringLiteral("A"));
    const Grant b = sampleGrant(QStringLiteral("B"));
    QCOMPARE(store.upsert(a).code, StoreErrorCode::None);
    QCOMPARE(store.upsert(b).code, StoreErrorCode::None);
    QCOMPARE(store.fileStamp(), GrantStore::FileStamp::of(path()));

    Reports reports;
    store.appendTestRecordsAsync({{a.id, record(1)}, {QUuid::createUuid(), record(2)}, {b.id, record(3, false)}}, this,
                                 reports.collector());
    QVERIFY(reports.errors.isEmpty()); // never from inside the call
    QVERIFY(store.hasPendingWrites());
    QTRY_COMPARE(reports.errors.size(), 1);
    QCOMPARE(reports.errors.first().code, StoreErrorCode::None);
    QVERIFY(!store.hasPendingWrites());

    // The store shows the file as written, and knows it as its own.
    QCOMPARE(store.find(a.id)->history, QList<TestRecord>{record(1)});
    QCOMPARE(store.find(b.id)->history, QList<TestRecord>{record(3, false)});
    QCOMPARE(store.grants().size(), 2); // the record of an unknown grant was dropped
    QCOMPARE(store.fileStamp(), GrantStore::FileStamp::of(path()));
    GrantStore reread(path());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    QCOMPARE(reread.grants(), store.grants());
    QCOMPARE(QFile::permissions(path()) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
}

void TestGrantStore::asyncSaveMergesWithOtherWritersAndLosesNothing()
{
    GrantStore window(path());
    Grant a = sampleGrant(QStringLiteral("A"));
    QCOMPARE(window.upsert(a).code, StoreErrorCode::None);

    // The command line adds a grant the window has not seen.
    GrantStore commandLine(path());
    QCOMPARE(commandLine.load().code, StoreErrorCode::None);
    const Grant c = sampleGrant(QStringLiteral("C"));
    QCOMPARE(commandLine.upsert(c).code, StoreErrorCode::None);
    QVERIFY(window.fileStamp() != GrantStore::FileStamp::of(path()));

    // The batch's records go out, and the user saves an edit right after, before they have landed.
    Reports reports;
    window.appendTestRecordsAsync({{a.id, record(1)}}, this, reports.collector());
    a.notes = QStringLiteral("edited while the records were being saved");
    QCOMPARE(window.upsert(a).code, StoreErrorCode::None);
    QTRY_COMPARE(reports.errors.size(), 1);
    QCOMPARE(reports.errors.first().code, StoreErrorCode::None);

    GrantStore reread(path());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    QCOMPARE(reread.grants().size(), 2);
    QCOMPARE(reread.find(a.id)->notes, a.notes);
    QCOMPARE(reread.find(a.id)->history, QList<TestRecord>{record(1)});
    QVERIFY(reread.find(c.id));
    // Whichever write came last, the window holds the newest state, not the older of the two.
    QCOMPARE(window.grants(), reread.grants());
    QCOMPARE(window.fileStamp(), GrantStore::FileStamp::of(path()));
}

void TestGrantStore::asyncSavesLandInTheOrderAsked()
{
    GrantStore store(path());
    const Grant a = sampleGrant(QStringLiteral("A"));
    QCOMPARE(store.upsert(a).code, StoreErrorCode::None);
    QList<int> order;
    for (int minute = 1; minute <= 5; ++minute)
        store.appendTestRecordsAsync({{a.id, record(minute)}}, this, [&order, minute](const StoreError& error) {
            QCOMPARE(error.code, StoreErrorCode::None);
            order.append(minute);
        });
    store.waitForPendingWrites();
    QCOMPARE(order, (QList<int>{1, 2, 3, 4, 5}));
    QVERIFY(!store.hasPendingWrites());
    const QList<TestRecord> expected = {record(1), record(2), record(3), record(4), record(5)};
    QCOMPARE(store.find(a.id)->history, expected);
    GrantStore reread(path());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    QCOMPARE(reread.find(a.id)->history, expected);
}

void TestGrantStore::asyncSaveWaitsForTheLockWithoutBlockingTheCaller()
{
    GrantStore store(path());
    const Grant a = sampleGrant(QStringLiteral("A"));
    QCOMPARE(store.upsert(a).code, StoreErrorCode::None);

    // Another process holds the lock; it lets go only when this thread's event loop runs its timer.
    QLockFile otherProcess(path() + QStringLiteral(".lock"));
    QVERIFY(otherProcess.tryLock(0));
    Reports reports;
    store.appendTestRecordsAsync({{a.id, record(1)}}, this, reports.collector());
    bool released = false;
    QTimer::singleShot(0, this, [&] {
        QVERIFY(reports.errors.isEmpty());
        otherProcess.unlock();
        released = true;
    });
    QTRY_COMPARE(reports.errors.size(), 1);
    QVERIFY(released);
    QCOMPARE(reports.errors.first().code, StoreErrorCode::None);
    QCOMPARE(store.find(a.id)->history.size(), 1);
}

void TestGrantStore::asyncSaveTimesOutOnAHeldLock()
{
    GrantStore store(path());
    const Grant a = sampleGrant(QStringLiteral("A"));
    QCOMPARE(store.upsert(a).code, StoreErrorCode::None);
    const QByteArray before = readAll(path());
    QLockFile otherProcess(path() + QStringLiteral(".lock"));
    QVERIFY(otherProcess.tryLock(0));
    store.setLockTimeout(std::chrono::milliseconds(50));

    Reports reports;
    store.appendTestRecordsAsync({{a.id, record(1)}}, this, reports.collector());
    QTRY_COMPARE(reports.errors.size(), 1);
    QCOMPARE(reports.errors.first().code, StoreErrorCode::LockTimeout);
    QCOMPARE(readAll(path()), before);
    QVERIFY(store.find(a.id)->history.isEmpty());
    QVERIFY(!store.isReadOnly());
}

void TestGrantStore::asyncSaveOnReadOnlyStoreIsRefused()
{
    QVERIFY(QDir().mkpath(QFileInfo(path()).absolutePath()));
    writeAll(path(), R"({"schema": 99, "grants": []})");
    GrantStore store(path());
    QCOMPARE(store.load().code, StoreErrorCode::NewerSchema);

    Reports reports;
    store.appendTestRecordsAsync({{QUuid::createUuid(), record(1)}}, this, reports.collector());
    QVERIFY(reports.errors.isEmpty());
    QTRY_COMPARE(reports.errors.size(), 1);
    QCOMPARE(reports.errors.first().code, StoreErrorCode::ReadOnly);
    QCOMPARE(readAll(path()), QByteArray(R"({"schema": 99, "grants": []})"));
}

void TestGrantStore::asyncSaveOfFileDamagedMeanwhileMakesStoreReadOnly()
{
    GrantStore store(path());
    const Grant a = sampleGrant(QStringLiteral("A"));
    QCOMPARE(store.upsert(a).code, StoreErrorCode::None);
    writeAll(path(), "garbage");

    Reports reports;
    store.appendTestRecordsAsync({{a.id, record(1)}}, this, reports.collector());
    QTRY_COMPARE(reports.errors.size(), 1);
    QCOMPARE(reports.errors.first().code, StoreErrorCode::Corrupt);
    QVERIFY(store.isReadOnly());
    QCOMPARE(store.readOnlyReason().code, StoreErrorCode::Corrupt);
    QCOMPARE(readAll(path()), QByteArray("garbage"));
    QCOMPARE(store.upsert(a).code, StoreErrorCode::ReadOnly);
}

void TestGrantStore::asyncSaveOutlivesItsContextAndItsStore()
{
    const Grant a = sampleGrant(QStringLiteral("A"));
    bool reported = false;
    {
        GrantStore store(path());
        QCOMPARE(store.upsert(a).code, StoreErrorCode::None);

        // The context goes first: no report, but the store still takes the result in.
        auto* context = new QObject;
        store.appendTestRecordsAsync({{a.id, record(1)}}, context, [&reported](const StoreError&) { reported = true; });
        delete context;
        store.waitForPendingWrites();
        QVERIFY(!reported);
        QCOMPARE(store.find(a.id)->history.size(), 1);

        // The store goes next, with a save still under way: it reaches the file all the same.
        store.appendTestRecordsAsync({{a.id, record(2)}}, this, [&reported](const StoreError&) { reported = true; });
    }
    QCoreApplication::processEvents(); // the report was queued to the destroyed store: it never runs
    QVERIFY(!reported);
    GrantStore reread(path());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    QCOMPARE(reread.find(a.id)->history, (QList<TestRecord>{record(1), record(2)}));
}

QTEST_GUILESS_MAIN(TestGrantStore)
#include "tst_grantstore.moc"
