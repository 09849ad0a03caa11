// What went wrong with grants.json, and what the user can do about it.
#pragma once

#include <QString>

namespace gk {

enum class StoreErrorCode {
    None,
    Corrupt,     // not valid JSON, or not Grant Keeper's format: left untouched, read-only
    NewerSchema, // written by a newer Grant Keeper: left untouched, read-only
    Unreadable,  // exists but cannot be read: read-only
    ReadOnly,    // a change was refused because the store is read-only (one of the three above)
    LockTimeout, // another Grant Keeper held the file lock for too long
    WriteFailed, // the folder or the disk refused the new file; the old one is intact
    GrantNotFound,
    DuplicateName,
};

struct StoreError
{
    StoreErrorCode code = StoreErrorCode::None;
    QString filePath;
    QString detail;

    bool isError() const { return code != StoreErrorCode::None; }
    QString codeName() const;
    QString summary() const;
    QString advice() const;

    static StoreError make(StoreErrorCode code, const QString& filePath, const QString& detail = {});
};

} // namespace gk
