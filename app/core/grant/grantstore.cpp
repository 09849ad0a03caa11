#include "core/grant/grantstore.h"

#include "core/logging/logcategories.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QSaveFile>

namespace gk {

namespace {

// A grants file larger than this is not ours: refuse it rather than load it into memory.
constexpr qint64 MaxFileBytes = 64LL * 1024 * 1024;

} // namespace

GrantStore::GrantStore(const QString& filePath)
    : m_filePath(filePath)
{}

GrantStore::FileContents GrantStore::readFile() const
{
    FileContents contents;
    const QFileInfo info(m_filePath);
    if (!info.exists())
        return contents;

    QFile file(m_filePath);
    if (info.isDir() || !file.open(QIODevice::ReadOnly)) {
        contents.error = StoreError::make(StoreErrorCode::Unreadable, m_filePath,
                                          info.isDir() ? QStringLiteral("it is a folder") : file.errorString());
        return contents;
    }
    if (file.size() > MaxFileBytes) {
        contents.error = StoreError::make(StoreErrorCode::Corrupt, m_filePath, QStringLiteral("the file is too large"));
        return contents;
    }
    const QByteArray data = file.readAll();
    if (data.trimmed().isEmpty()) {
        contents.error = StoreError::make(StoreErrorCode::Corrupt, m_filePath, QStringLiteral("the file is empty"));
        return contents;
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const QString detail =
            parseError.error != QJsonParseError::NoError
                ? QStringLiteral("%1 at byte %2").arg(parseError.errorString()).arg(parseError.offset)
                : QStringLiteral("the top level is not an object");
        contents.error = StoreError::make(StoreErrorCode::Corrupt, m_filePath, detail);
        return contents;
    }

    const QJsonObject root = document.object();
    const QJsonValue schema = root.value(QStringLiteral("schema"));
    if (!schema.isDouble() || schema.toInt() < 1) {
        contents.error = StoreError::make(StoreErrorCode::Corrupt, m_filePath, QStringLiteral("no schema version"));
        return contents;
    }
    if (schema.toInt() > SchemaVersion) {
        contents.error =
            StoreError::make(StoreErrorCode::NewerSchema, m_filePath,
                             QStringLiteral("schema %1, this version reads %2").arg(schema.toInt()).arg(SchemaVersion));
        return contents;
    }
    const QJsonValue grants = root.value(QStringLiteral("grants"));
    if (!grants.isArray()) {
        contents.error = StoreError::make(StoreErrorCode::Corrupt, m_filePath, QStringLiteral("no list of grants"));
        return contents;
    }
    for (const QJsonValue& value : grants.toArray()) {
        QString problem;
        const auto grant = Grant::fromJson(value.toObject(), &problem);
        if (!grant) {
            // Dropping one grant silently would lose it at the next save: refuse the whole file instead.
            contents.error = StoreError::make(StoreErrorCode::Corrupt, m_filePath, problem);
            return contents;
        }
        contents.grants.append(*grant);
    }
    return contents;
}

StoreError GrantStore::writeFile(const QList<Grant>& grants) const
{
    const QFileInfo info(m_filePath);
    if (!QDir().mkpath(info.absolutePath()))
        return StoreError::make(StoreErrorCode::WriteFailed, m_filePath, QStringLiteral("cannot create the folder"));

    QJsonArray array;
    for (const Grant& grant : grants)
        array.append(grant.toJson());
    QJsonObject root;
    root.insert(QStringLiteral("schema"), SchemaVersion);
    root.insert(QStringLiteral("grants"), array);

    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly))
        return StoreError::make(StoreErrorCode::WriteFailed, m_filePath, file.errorString());
    // Metadata is not secret, but who uses which integration is nobody else's business.
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const QByteArray data = QJsonDocument(root).toJson(QJsonDocument::Indented);
    if (file.write(data) != data.size() || !file.commit())
        return StoreError::make(StoreErrorCode::WriteFailed, m_filePath, file.errorString());
    return {};
}

StoreError GrantStore::load()
{
    FileContents contents = readFile();
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

StoreError GrantStore::mutate(const std::function<StoreError(QList<Grant>&)>& change)
{
    if (isReadOnly())
        return StoreError::make(StoreErrorCode::ReadOnly, m_filePath, m_readOnlyReason.detail);

    const QFileInfo info(m_filePath);
    if (!QDir().mkpath(info.absolutePath()))
        return StoreError::make(StoreErrorCode::WriteFailed, m_filePath, QStringLiteral("cannot create the folder"));
    QLockFile lock(m_filePath + QStringLiteral(".lock"));
    if (!lock.tryLock(int(m_lockTimeout.count()))) {
        if (lock.error() == QLockFile::LockFailedError)
            return StoreError::make(StoreErrorCode::LockTimeout, m_filePath);
        return StoreError::make(StoreErrorCode::WriteFailed, m_filePath, QStringLiteral("cannot create the lock file"));
    }

    // Another process may have saved since we last looked: apply the change to what is on disk now.
    FileContents current = readFile();
    if (current.error.isError()) {
        m_readOnlyReason = current.error;
        qCWarning(lcStore) << "grants file changed into an unusable state:" << current.error.codeName();
        return current.error;
    }
    if (const StoreError error = change(current.grants); error.isError())
        return error;
    if (const StoreError error = writeFile(current.grants); error.isError())
        return error;
    m_grants = current.grants;
    return {};
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
                existing = grant;
                existing.history = history;
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

StoreError GrantStore::appendTestRecords(const QList<QPair<QUuid, TestRecord>>& records)
{
    return mutate([&records](QList<Grant>& grants) {
        for (const auto& [id, record] : records) {
            for (Grant& grant : grants) {
                if (grant.id == id) {
                    grant.appendTestRecord(record);
                    break;
                }
            }
        }
        return StoreError{};
    });
}

} // namespace gk
