// Whether grants.json and the keychain agree: grants whose entry is missing, and entries no grant uses (left over
// by an add that was killed, or a removal whose entry could not be deleted). Decided here once, for `grantkeeper
// doctor` and the window's Check Keychain Entries.
#pragma once

#include "core/grant/grant.h"

#include <QList>
#include <QStringList>

namespace gk {

struct KeychainConsistency
{
    QList<Grant> missing; // grants without a keychain entry, in the file's order
    QStringList leftOver; // keys of entries no grant uses, in the keychain's order

    bool isConsistent() const { return missing.isEmpty() && leftOver.isEmpty(); }
    // One sentence: that all agree (for grantCount grants), or how many of each kind were found.
    QString summary(qsizetype grantCount) const;
    // What to do about what was found; empty when all agree.
    QString advice() const;

    // keys: every key the keychain holds an entry of Grant Keeper's for (CredentialVault::listKeys).
    static KeychainConsistency compare(const QList<Grant>& grants, const QStringList& keys);
};

} // namespace gk
