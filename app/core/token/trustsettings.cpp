#include "core/token/trustsettings.h"

#include "core/token/certificateinfo.h"

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

std::optional<TrustMode> TrustSettings::modeFromKey(const QString& key)
{
    for (TrustMode mode : {TrustMode::System, TrustMode::SystemPlusCaFile, TrustMode::Pinned}) {
        if (key == modeKey(mode))
            return mode;
    }
    return std::nullopt;
}

QString TrustSettings::poolKey() const
{
    return modeKey(mode) + QLatin1Char('\n') + caFilePath + QLatin1Char('\n') +
           CertificateInfo::normaliseFingerprint(pinnedSha256);
}

} // namespace gk
