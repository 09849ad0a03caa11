#include "core/grant/grantstore.h"

#include "core/logging/logcategories.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QObject>
#include <QPointer>
#include <QSaveFile>
#include <QThreadPool>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gk {

namespace {

// A grants file larger than this is not ours: refuse it rather than load it into memory.
constexpr qint64 MaxFileBytes = 64LL * 1024 * 1024;

} // namespace

GrantStore::FileStamp GrantStore::FileStamp::of(const QString& filePath)
{
    const QFileInfo info(filePath);
    if (!info.exists())
        return {};
    return {info.lastModified(), info.size()};
}

GrantStore::GrantStore(const QString& filePath)
    : m_filePath(filePath)
    , m_receiver(std::make_unique<QObject>())
    , m_writer(std::make_unique<QThreadPool>())
{
    m_writer->setMaxThreadCount(1);
}

GrantStore::~GrantStore()
{
    // The saves in flight carry test records nobody else has: let them reach the file. Their reports, queued
    // to m_receiver, are dropped with it.
    m_writer->waitForDone();
}

GrantStore::FileContents GrantStore::readFile(const QString& filePath)
{
    FileContents contents;
    const QFileInfo info(filePath);
    if (!info.exists())
        return contents;

    if (info.isDir()) {
        contents.error = StoreError::make(StoreErrorCode::Unreadable, filePath, QStringLiteral("it is a folder"));
        return contents;
    }
    // Without blocking: opening a FIFO put in the file's place would wait for a writer forever. What was opened
    // is checked, not what the name pointed to a moment earlier.
    const int fd = ::open(QFile::encodeName(filePath).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        contents.error =
            StoreError::make(StoreErrorCode::Unreadable, filePath, QString::fromLocal8Bit(std::strerror(errno)));
        return contents;
    }
    struct stat status
    {};
    if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
        ::close(fd);
        contents.error = StoreError::make(StoreErrorCode::Unreadable, filePath,
                                          QStringLiteral("it is not a regular file (a pipe, device or socket)"));
        return contents;
    }
    QFile file;
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        contents.error = StoreError::make(StoreErrorCode::Unreadable, filePath, file.errorString());
        return contents;
    }
    // At most one byte past the cap, whatever size() claims (a file still growing, a special file system).
    const QByteArray data = file.read(MaxFileBytes + 1);
    if (data.size() > MaxFileBytes) {
        contents.error = StoreError::make(StoreErrorCode::Corrupt, filePath, QStringLiteral("the file is too large"));
        return contents;
    }
    if (data.trimmed().isEmpty()) {
        contents.error = StoreError::make(StoreErrorCode::Corrupt, filePath, QStringLiteral("the file is empty"));
        return contents;
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const QString detail =
            parseError.error != QJsonParseError::NoError
                ? QStringLiteral("%1 at byte %2").arg(parseError.errorString()).arg(parseError.offset)
                : QStringLiteral("the top level is not an object");
        contents.error = StoreError::make(StoreErrorCode::Corrupt, filePath, detail);
        return contents;
    }

    const QJsonObject root = document.object();
    const QJsonValue schema = root.value(QStringLiteral("schema"));
    if (!schema.isDouble() || schema.toInt() < 1) {
        contents.error = StoreError::make(StoreErrorCode::Corrupt, filePath, QStringLiteral("no schema version"));
        return contents;
    }
    if (schema.toInt() > SchemaVersion) {
        contents.error =
            StoreError::make(StoreErrorCode::NewerSchema, filePath,
                             QStringLiteral("schema %1, this version reads %2").arg(schema.toInt()).arg(SchemaVersion));
        return contents;
    }
    const QJsonValue grants = root.value(QStringLiteral("grants"));
    if (!grants.isArray()) {
        contents.error = StoreError::make(StoreErrorCode::Corrupt, filePath, QStringLiteral("no list of grants"));
        return contents;
    }
    for (const QJsonValue& value : grants.toArray()) {
        QString problem;
        const auto grant = Grant::fromJson(value.toObject(), &problem);
        if (!grant) {
            // Dropping one grant silently would lose it at the next save: refuse the whole file instead.
            contents.error = StoreError::make(StoreErrorCode::Corrupt, filePath, problem);
            return contents;
        }
        contents.grants.append(*grant);
    }
    return contents;
}

StoreError GrantStore::writeFile(const QString& filePath, const QList<Grant>& grants)
{
    const QFileInfo info(filePath);
    if (!QDir().mkpath(info.absolutePath()))
        return StoreError::make(StoreErrorCode::WriteFailed, filePath, QStringLiteral("cannot create the folder"));

    QJsonArray array;
    for (const Grant& grant : grants)
        array.append(grant.toJson());
    QJsonObject root;
    root.insert(QStringLiteral("schema"), SchemaVersion);
    root.insert(QStringLiteral("grants"), array);

    QSaveFile file(filePath);
    if (!file.open(QIODevice::WriteOnly))
        return StoreError::make(StoreErrorCode::WriteFailed, filePath, file.errorString());
    // Metadata is not secret, but who uses which integration is nobody else's business.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QByteArray data = QJsonDocument(root).toJson(QJsonDocument::Indented);
    if (file.write(data) != data.size() || !file.commit())
        return StoreError::make(StoreErrorCode::WriteFailed, filePath, file.errorString());
    return {};
}

StoreError GrantStore::load()
{
    // Writes committed before this point are in what is read below, or older than it.
    const quint64 serialBefore = m_writeSerial.load();
    m_fileStamp = FileStamp::of(m_filePath);
    FileContents contents = readFile(m_filePath);
    m_appliedSerial = std::max(m_appliedSerial, serialBefore);
    m_readOnlyReason = contents.error;
    if (contents.error.isError()) {
        qCWarning(lcStore) << "grants file is not usable, staying read-only:" << contents.error.codeName()
                           << contents.error.detail;
        m_grants.clear();
        return contents.error;
    }
    m_grants = contents.grants;
    qCDebug(lcStore) << "loaded" << m_grants.size() << "grants from" << m_filePath;
    return {};
}

GrantStore::WriteOutcome GrantStore::lockedWrite(const QString& filePath, std::chrono::milliseconds lockTimeout,
                                                 const Change& change)
{
    WriteOutcome outcome;
    const QFileInfo info(filePath);
    if (!QDir().mkpath(info.absolutePath())) {
        outcome.error =
            StoreError::make(StoreErrorCode::WriteFailed, filePath, QStringLiteral("cannot create the folder"));
        return outcome;
    }
    QLockFile lock(filePath + QStringLiteral(".lock"));
    if (!lock.tryLock(int(lockTimeout.count()))) {
        outcome.error = lock.error() == QLockFile::LockFailedError
                            ? StoreError::make(StoreErrorCode::LockTimeout, filePath)
                            : StoreError::make(StoreErrorCode::WriteFailed, filePath,
                                               QStringLiteral("cannot create the lock file"));
        return outcome;
    }

    // Another process may have saved since we last looked: apply the change to what is on disk now.
    FileContents current = readFile(filePath);
    if (current.error.isError()) {
        outcome.error = current.error;
        outcome.fileUnusable = true;
        return outcome;
    }
    if (const StoreError error = change(current.grants); error.isError()) {
        outcome.error = error;
        return outcome;
    }
    if (const StoreError error = writeFile(filePath, current.grants); error.isError()) {
        outcome.error = error;
        return outcome;
    }
    // Still under the lock: nobody else has written since, so the stamp and the serial are this write's.
    outcome.stamp = FileStamp::of(filePath);
    outcome.serial = ++m_writeSerial;
    outcome.grants = std::move(current.grants);
    return outcome;
}

void GrantStore::apply(const WriteOutcome& outcome)
{
    if (outcome.fileUnusable) {
        m_readOnlyReason = outcome.error;
        qCWarning(lcStore) << "grants file changed into an unusable state:" << outcome.error.codeName();
        return;
    }
    // A write that finished after a newer one, or before the file was loaded again, holds an older state.
    if (outcome.error.isError() || outcome.serial <= m_appliedSerial)
        return;
    m_appliedSerial = outcome.serial;
    m_grants = outcome.grants;
    m_fileStamp = outcome.stamp;
}

StoreError GrantStore::mutate(const Change& change)
{
    if (isReadOnly())
        return StoreError::make(StoreErrorCode::ReadOnly, m_filePath, m_readOnlyReason.detail);
    const WriteOutcome outcome = lockedWrite(m_filePath, m_lockTimeout, change);
    apply(outcome);
    return outcome.error;
}

std::optional<Grant> GrantStore::find(const QUuid& id) const
{
    for (const Grant& grant : m_grants) {
        if (grant.id == id)
            return grant;
    }
    return std::nullopt;
}

std::optional<Grant> GrantStore::findByName(const QString& name) const
{
    for (const Grant& grant : m_grants) {
        if (sameGrantName(grant.name, name))
            return grant;
    }
    return std::nullopt;
}

StoreError GrantStore::upsert(const Grant& grant)
{
    return mutate([this, &grant](QList<Grant>& grants) {
        for (const Grant& other : grants) {
            if (other.id != grant.id && sameGrantName(other.name, grant.name))
                return StoreError::make(StoreErrorCode::DuplicateName, m_filePath, grant.name.trimmed());
        }
        for (Grant& existing : grants) {
            if (existing.id == grant.id) {
                // History only grows through appendTestRecord (perhaps from another process since this copy was
                // read), so an edit of the metadata keeps the history that is on disk.
                QList<TestRecord> history = existing.history;
                QList<RotationRecord> rotations = existing.rotations;
                existing = grant;
                existing.history = history;
                existing.rotations = rotations;
                return StoreError{};
            }
        }
        grants.append(grant);
        return StoreError{};
    });
}

StoreError GrantStore::remove(const QUuid& id)
{
    return mutate([this, &id](QList<Grant>& grants) {
        const auto removed = grants.removeIf([&id](const Grant& grant) { return grant.id == id; });
        if (removed == 0)
            return StoreError::make(StoreErrorCode::GrantNotFound, m_filePath, id.toString(QUuid::WithoutBraces));
        return StoreError{};
    });
}

StoreError GrantStore::appendTestRecord(const QUuid& id, const TestRecord& record)
{
    return mutate([this, &id, &record](QList<Grant>& grants) {
        for (Grant& grant : grants) {
            if (grant.id == id) {
                grant.appendTestRecord(record);
                return StoreError{};
            }
        }
        return StoreError::make(StoreErrorCode::GrantNotFound, m_filePath, id.toString(QUuid::WithoutBraces));
    });
}

StoreError GrantStore::appendRotationRecord(const QUuid& id, const RotationRecord& record)
{
    return mutate([this, &id, &record](QList<Grant>& grants) {
        for (Grant& grant : grants) {
            if (grant.id == id) {
                grant.appendRotationRecord(record);
                return StoreError{};
            }
        }
        return StoreError::make(StoreErrorCode::GrantNotFound, m_filePath, id.toString(QUuid::WithoutBraces));
    });
}

StoreError GrantStore::updateClientIdHint(const QUuid& id, const QString& hint)
{
    return mutate([this, &id, &hint](QList<Grant>& grants) {
        for (Grant& grant : grants) {
            if (grant.id == id) {
                grant.clientIdHint = hint;
                return StoreError{};
            }
        }
        return StoreError::make(StoreErrorCode::GrantNotFound, m_filePath, id.toString(QUuid::WithoutBraces));
    });
}

namespace {

// Records of grants removed meanwhile are dropped.
StoreError appendRecords(QList<Grant>& grants, const QList<QPair<QUuid, TestRecord>>& records)
{
    for (const auto& [id, record] : records) {
        for (Grant& grant : grants) {
            if (grant.id == id) {
                grant.appendTestRecord(record);
                break;
            }
        }
    }
    return {};
}

} // namespace

StoreError GrantStore::appendTestRecords(const QList<QPair<QUuid, TestRecord>>& records)
{
    return mutate([&records](QList<Grant>& grants) { return appendRecords(grants, records); });
}

void GrantStore::appendTestRecordsAsync(const QList<QPair<QUuid, TestRecord>>& records, QObject* context,
                                        Completion done)
{
    const QPointer<QObject> guard(context);
    ++m_pendingWrites;
    auto report = [this, guard, done = std::move(done)](const WriteOutcome& outcome) {
        --m_pendingWrites;
        apply(outcome);
        if (guard && done)
            done(outcome.error);
    };
    if (isReadOnly()) {
        WriteOutcome refused;
        refused.error = StoreError::make(StoreErrorCode::ReadOnly, m_filePath, m_readOnlyReason.detail);
        QMetaObject::invokeMethod(
            m_receiver.get(), [report, refused] { report(refused); }, Qt::QueuedConnection);
        return;
    }
    // The worker gets copies of everything it needs; of the store it touches only the write counter, and the
    // destructor waits for it.
    m_writer->start([this, filePath = m_filePath, lockTimeout = m_lockTimeout, records, report]() mutable {
        WriteOutcome outcome = lockedWrite(filePath, lockTimeout,
                                           [&records](QList<Grant>& grants) { return appendRecords(grants, records); });
        QMetaObject::invokeMethod(
            m_receiver.get(), [report = std::move(report), outcome = std::move(outcome)] { report(outcome); },
            Qt::QueuedConnection);
    });
}

void GrantStore::waitForPendingWrites()
{
    m_writer->waitForDone();
    QCoreApplication::sendPostedEvents(m_receiver.get(), QEvent::MetaCall);
}

} // namespace gk
