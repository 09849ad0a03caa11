// Asks the Secret Service whether its default collection is locked. libsecret answers a read from a locked
// collection with "no password" and a delete with "nothing to delete", which QtKeychain reports as
// EntryNotFound and success: the vault asks this probe before believing either.
#pragma once

#include <QObject>

#include <functional>
#include <optional>

namespace gk {

class SecretServiceProbe
{
public:
    // Calls done exactly once from the event loop (unless context dies first): true = locked, false = unlocked,
    // nullopt = unknown (no Secret Service on the bus, not Linux, or no answer within a second).
    static void isDefaultCollectionLocked(QObject* context, std::function<void(std::optional<bool>)> done);
};

} // namespace gk
