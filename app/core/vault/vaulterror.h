// What went wrong with the keychain, mapped from QtKeychain's codes by what actually happened.
#pragma once

#include <QString>

namespace gk {

enum class VaultErrorCode {
    None,
    NotFound,       // no entry for this grant
    LockedOrDenied, // the keychain is locked, or the user or system refused access
    NoKeychain,     // no Secret Service / keychain backend is running or reachable
    ServiceLost,    // the Secret Service went away (stopped, crashed, was killed) while it was being asked
    TimedOut,       // the keychain did not answer before the deadline
    Other,
};

struct VaultError
{
    VaultErrorCode code = VaultErrorCode::None;
    QString backendMessage; // QtKeychain's own text, for --verbose and bug reports (never holds a secret)

    bool isError() const { return code != VaultErrorCode::None; }
    QString codeName() const; // "not_found", "locked", "no_keychain", "service_lost", "timed_out", "other"
    QString summary() const;  // what happened
    QString advice() const;   // what to do

    static VaultError make(VaultErrorCode code, const QString& backendMessage = {});
};

} // namespace gk
