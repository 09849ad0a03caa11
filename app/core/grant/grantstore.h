// The grants' metadata in one JSON file. Never a secret. Safe against a second process writing at the same time.
#pragma once

#include "core/grant/grant.h"
#include "core/grant/storeerror.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QUuid>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QObject;
class QThreadPool;

namespace gk {

// Every change re-reads the file under a lock file, applies itself to what is on disk now, and writes the
// result atomically (QSaveFile). So the window and the command line can run at once without losing each
// other's changes, and a crash mid-save leaves the old file or the new one, never a mix.
// A file that is damaged, unreadable or from a newer schema is never overwritten: the store goes read-only.
// The store belongs to the thread that created it; only the asynchronous save does its file work elsewhere.
class GrantStore
{
public:
    static constexpr int SchemaVersion = 1;
    static constexpr std::chrono::milliseconds DefaultLockTimeout{5'000};

    // What a file looked like when it was read or written: enough to tell another process's save from our own.
    struct FileStamp
    {
        QDateTime modified;
        qint64 size = -1; // -1: no file

        static FileStamp of(const QString& filePath);
        friend bool operator==(const FileStamp&, const FileStamp&) = default;
    };

    using Completion = std::function<void(const StoreError&)>;

    explicit GrantStore(const QString& filePath);
    // Waits for the asynchronous saves still running, so that what they carry reaches the file.
    ~GrantStore();
    GrantStore(const GrantStore&) = delete;
    GrantStore& operator=(const GrantStore&) = delete;

    const QString& filePath() const { return m_filePath; }
    void setLockTimeout(std::chrono::milliseconds timeout) { m_lockTimeout = timeout; }

    // Reads the file. A missing file is an empty store, not an error.
    StoreError load();

    bool isReadOnly() const { return m_readOnlyReason.isError(); }
    const StoreError& readOnlyReason() const { return m_readOnlyReason; }

    const QList<Grant>& grants() const { return m_grants; }
    std::optional<Grant> find(const QUuid& id) const;
    std::optional<Grant> findByName(const QString& name) const;

    // Adds or replaces the grant with the same id; its name must be unique. An existing grant keeps the
    // test and rotation history on disk: only the append functions change them.
    StoreError upsert(const Grant& grant);
    StoreError remove(const QUuid& id);
    StoreError updateClientIdHint(const QUuid& id, const QString& hint);
    StoreError appendTestRecord(const QUuid& id, const TestRecord& record);
    StoreError appendRotationRecord(const QUuid& id, const RotationRecord& record);
    // One save for many records (a batch). Records of grants removed meanwhile are dropped.
    StoreError appendTestRecords(const QList<QPair<QUuid, TestRecord>>& records);
    // The same save, with the same lock, merge and atomic write, on a worker thread: a window's event loop does
    // not wait for the file. Saves made this way reach the file one after another, in the order they were asked
    // for. When one is done, grants() shows its result and then, if the context object (of the store's thread)
    // still exists, done runs, once, from the event loop; a refusal (read-only store) is reported the same way.
    void appendTestRecordsAsync(const QList<QPair<QUuid, TestRecord>>& records, QObject* context, Completion done = {});
    bool hasPendingWrites() const { return m_pendingWrites > 0; }
    // Blocks until every asynchronous save has reached the file and grants() shows it; runs their handlers.
    void waitForPendingWrites();

    // The file as this store last read or wrote it. FileStamp::of(filePath()) differs when another process saved.
    const FileStamp& fileStamp() const { return m_fileStamp; }

private:
    struct FileContents
    {
        StoreError error;
        QList<Grant> grants;
    };
    // What a locked read-change-write left behind; produced on any thread, applied on the store's.
    struct WriteOutcome
    {
        StoreError error;
        bool fileUnusable = false; // the file turned damaged or newer under us: the store goes read-only
        QList<Grant> grants;
        FileStamp stamp;
        quint64 serial = 0; // orders the writes of this store: a later one wins
    };
    using Change = std::function<StoreError(QList<Grant>&)>;

    static FileContents readFile(const QString& filePath);
    static StoreError writeFile(const QString& filePath, const QList<Grant>& grants);
    // Thread-safe: touches no member but the write counter.
    WriteOutcome lockedWrite(const QString& filePath, std::chrono::milliseconds lockTimeout, const Change& change);
    void apply(const WriteOutcome& outcome);
    StoreError mutate(const Change& change);

    QString m_filePath;
    std::chrono::milliseconds m_lockTimeout = DefaultLockTimeout;
    QList<Grant> m_grants;
    StoreError m_readOnlyReason;
    FileStamp m_fileStamp;
    std::atomic<quint64> m_writeSerial{0}; // counts committed writes, incremented under the file lock
    quint64 m_appliedSerial = 0;           // the newest write (or the writes before a load) grants() reflects
    int m_pendingWrites = 0;
    std::unique_ptr<QObject> m_receiver;   // lives in the store's thread: where finished saves are applied
    std::unique_ptr<QThreadPool> m_writer; // one thread: asynchronous saves run in order
};

} // namespace gk
