#include "core/token/trustsettings.h"

namespace gk {

QString TrustSettings::modeKey(TrustMode mode)
{
    switch (mode) {
    case TrustMode::System:
        return QStringLiteral("system");
    case TrustMode::SystemPlusCaFile:
        return QStringLiteral("ca-file");
    case TrustMode::Pinned:
        return QStringLiteral("pinned");
    }
    return QStringLiteral("system");
}

TrustMode TrustSettings::modeFromKey(const QString& key)
{
    if (key == QLatin1String("ca-file"))
        return TrustMode::SystemPlusCaFile;
    if (key == QLatin1String("pinned"))
        return TrustMode::Pinned;
    return TrustMode::System;
}

} // namespace gk
