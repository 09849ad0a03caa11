#include "core/grant/keychainconsistency.h"

#include <QCoreApplication>
#include <QSet>

namespace gk {

KeychainConsistency KeychainConsistency::compare(const QList<Grant>& grants, const QStringList& keys)
{
    KeychainConsistency result;
    const QSet<QString> stored(keys.cbegin(), keys.cend());
    QSet<QString> used;
    for (const Grant& grant : grants) {
        used.insert(grant.keychainKey());
        if (!stored.contains(grant.keychainKey()))
            result.missing.append(grant);
    }
    for (const QString& key : keys) {
        if (!used.contains(key) && !result.leftOver.contains(key))
            result.leftOver.append(key);
    }
    return result;
}

QString KeychainConsistency::summary(qsizetype grantCount) const
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("KeychainConsistency", text); };
    if (isConsistent()) {
        if (grantCount == 0)
            return tr("No grants, and no keychain entries left over.");
        if (grantCount == 1)
            return tr("The grant and its keychain entry agree.");
        return tr("All %1 grants and their keychain entries agree.").arg(grantCount);
    }
    return tr("Grants without a keychain entry: %1. Keychain entries no grant uses: %2.")
        .arg(missing.size())
        .arg(leftOver.size());
}

QString KeychainConsistency::advice() const
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("KeychainConsistency", text); };
    QStringList advice;
    if (!missing.isEmpty())
        advice.append(tr("A grant without its entry cannot be tested: enter its Client ID and Secret again (Edit "
                         "Grant), or remove the grant."));
    // Another data folder on this computer (a second profile, a test setup) keeps its entries under the same
    // service name: only the administrator can know they are not in use.
    if (!leftOver.isEmpty())
        advice.append(tr("A left-over entry holds a secret nothing here uses: remove it, unless another Grant Keeper "
                         "data folder on this computer uses it."));
    return advice.join(QLatin1Char(' '));
}

} // namespace gk
