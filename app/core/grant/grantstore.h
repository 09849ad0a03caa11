// The grants' metadata in one JSON file. Never a secret. Safe against a second process writing at the same time.
#pragma once

#include "core/grant/grant.h"
#include "core/grant/storeerror.h"

#include <QList>
#include <QString>
#include <QUuid>

#include <chrono>
#include <functional>
#include <optional>

namespace gk {

// Every change re-reads the file under a lock file, applies itself to what is on disk now, and writes the
// result atomically (QSaveFile). So the window and the command line can run at once without losing each
// other's changes, and a crash mid-save leaves the old file or the new one, never a mix.
// A file that is damaged, unreadable or from a newer schema is never overwritten: the store goes read-only.
class GrantStore
{
public:
    static constexpr int SchemaVersion = 1;
    static constexpr std::chrono::milliseconds DefaultLockTimeout{5'000};

    explicit GrantStore(const QString& filePath);

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
    // test history on disk: only appendTestRecord changes it.
    StoreError upsert(const Grant& grant);
    StoreError remove(const QUuid& id);
    StoreError updateClientIdHint(const QUuid& id, const QString& hint);
    StoreError appendTestRecord(const QUuid& id, const TestRecord& record);
    // One save for many records (a batch). Records of grants removed meanwhile are dropped.
    StoreError appendTestRecords(const QList<QPair<QUuid, TestRecord>>& records);

private:
    struct FileContents
    {
        StoreError error;
        QList<Grant> grants;
    };
    FileContents readFile() const;
    StoreError writeFile(const QList<Grant>& grants) const;
    StoreError mutate(const std::function<StoreError(QList<Grant>&)>& change);

    QString m_filePath;
    std::chrono::milliseconds m_lockTimeout = DefaultLockTimeout;
    QList<Grant> m_grants;
    StoreError m_readOnlyReason;
};

} // namespace gk
