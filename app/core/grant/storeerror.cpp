#include "core/grant/storeerror.h"

#include <QCoreApplication>

namespace gk {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("StoreError", text);
}

} // namespace

StoreError StoreError::make(StoreErrorCode code, const QString& filePath, const QString& detail)
{
    StoreError error;
    error.code = code;
    error.filePath = filePath;
    error.detail = detail;
    return error;
}

QString StoreError::codeName() const
{
    switch (code) {
    case StoreErrorCode::None:
        return QStringLiteral("none");
    case StoreErrorCode::Corrupt:
        return QStringLiteral("corrupt");
    case StoreErrorCode::NewerSchema:
        return QStringLiteral("newer_schema");
    case StoreErrorCode::Unreadable:
        return QStringLiteral("unreadable");
    case StoreErrorCode::ReadOnly:
        return QStringLiteral("read_only");
    case StoreErrorCode::LockTimeout:
        return QStringLiteral("lock_timeout");
    case StoreErrorCode::WriteFailed:
        return QStringLiteral("write_failed");
    case StoreErrorCode::GrantNotFound:
        return QStringLiteral("grant_not_found");
    case StoreErrorCode::DuplicateName:
        return QStringLiteral("duplicate_name");
    }
    return QStringLiteral("unknown");
}

QString StoreError::summary() const
{
    switch (code) {
    case StoreErrorCode::None:
        return {};
    case StoreErrorCode::Corrupt:
        return tr("The grants file %1 is damaged (%2); it was left untouched and nothing can be saved.")
            .arg(filePath, detail);
    case StoreErrorCode::NewerSchema:
        return tr("The grants file %1 was written by a newer Grant Keeper (%2); it was left untouched and nothing can "
                  "be saved.")
            .arg(filePath, detail);
    case StoreErrorCode::Unreadable:
        return tr("The grants file %1 cannot be read (%2); nothing can be saved.").arg(filePath, detail);
    case StoreErrorCode::ReadOnly:
        return tr("Grant Keeper is read-only because of a problem with %1 (%2).").arg(filePath, detail);
    case StoreErrorCode::LockTimeout:
        return tr("Another Grant Keeper is saving %1 and did not finish in time.").arg(filePath);
    case StoreErrorCode::WriteFailed:
        return tr("The grants file %1 could not be saved (%2); the previous version is intact.").arg(filePath, detail);
    case StoreErrorCode::GrantNotFound:
        return tr("No grant named or identified as \"%1\" exists.").arg(detail);
    case StoreErrorCode::DuplicateName:
        return tr("A grant named \"%1\" already exists.").arg(detail);
    }
    return {};
}

QString StoreError::advice() const
{
    switch (code) {
    case StoreErrorCode::None:
        return {};
    case StoreErrorCode::Corrupt:
    case StoreErrorCode::ReadOnly:
    case StoreErrorCode::Unreadable:
        return tr("Move the file aside (or restore it from a backup) and restart Grant Keeper; the keychain entries "
                  "are not affected.");
    case StoreErrorCode::NewerSchema:
        return tr("Upgrade Grant Keeper to the version that wrote the file, or move the file aside to start afresh.");
    case StoreErrorCode::LockTimeout:
        return tr("Try again in a moment. If no other Grant Keeper is running, delete the file %1.lock.").arg(filePath);
    case StoreErrorCode::WriteFailed:
        return tr("Check that the folder exists, is writable and that the disk is not full, then save again.");
    case StoreErrorCode::GrantNotFound:
        return tr("Check the name with `grantkeeper list`.");
    case StoreErrorCode::DuplicateName:
        return tr("Choose another name: names identify grants on the command line.");
    }
    return {};
}

} // namespace gk
