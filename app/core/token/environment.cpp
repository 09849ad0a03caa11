#include "core/token/environment.h"

#include <QCoreApplication>

namespace gk {

QString Environment::regionKey(Region region)
{
    switch (region) {
    case Region::US:
        return QStringLiteral("us");
    case Region::EU:
        return QStringLiteral("eu");
    case Region::APAC:
        return QStringLiteral("apac");
    case Region::Custom:
        return QStringLiteral("custom");
    }
    return QStringLiteral("custom");
}

std::optional<Region> Environment::regionFromKey(const QString& key)
{
    const QString normalised = key.trimmed().toLower();
    for (Region region : {Region::US, Region::EU, Region::APAC, Region::Custom}) {
        if (regionKey(region) == normalised)
            return region;
    }
    return std::nullopt;
}

QString Environment::regionDisplayName(Region region)
{
    switch (region) {
    case Region::US:
        return QCoreApplication::translate("Environment", "US");
    case Region::EU:
        return QCoreApplication::translate("Environment", "EU");
    case Region::APAC:
        return QCoreApplication::translate("Environment", "APAC");
    case Region::Custom:
        return QCoreApplication::translate("Environment", "Custom");
    }
    return {};
}

QString Environment::apiHost(Region region)
{
    switch (region) {
    case Region::US:
        return QStringLiteral("api.app.wdesk.com");
    case Region::EU:
        return QStringLiteral("api.eu.wdesk.com");
    case Region::APAC:
        return QStringLiteral("api.apac.wdesk.com");
    case Region::Custom:
        return {};
    }
    return {};
}

QUrl Environment::apiBaseUrl(Region region)
{
    const QString host = apiHost(region);
    if (host.isEmpty())
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("https"));
    url.setHost(host);
    return url;
}

QUrl Environment::tokenUrl(Region region, ApiVersion version)
{
    QUrl url = apiBaseUrl(region);
    if (url.isValid())
        url.setPath(tokenPath(version));
    return url;
}

QString Environment::tokenPath(ApiVersion version)
{
    return version == ApiVersion::V2022_01_01 ? QStringLiteral("/iam/v1/oauth2/token")
                                              : QStringLiteral("/oauth2/token");
}

QString Environment::versionString(ApiVersion version)
{
    return version == ApiVersion::V2022_01_01 ? QStringLiteral("2022-01-01") : QStringLiteral("2026-01-01");
}

std::optional<ApiVersion> Environment::versionFromString(const QString& text)
{
    const QString trimmed = text.trimmed();
    for (ApiVersion version : {ApiVersion::V2026_01_01, ApiVersion::V2022_01_01}) {
        if (versionString(version) == trimmed)
            return version;
    }
    return std::nullopt;
}

bool Environment::isDeprecated(ApiVersion version)
{
    return version == ApiVersion::V2022_01_01;
}

std::optional<QDate> Environment::deprecatedSince(ApiVersion version)
{
    if (version == ApiVersion::V2022_01_01)
        return QDate(2026, 2, 12);
    return std::nullopt;
}

std::optional<QDate> Environment::sunsetDate(ApiVersion version)
{
    if (version == ApiVersion::V2022_01_01)
        return QDate(2029, 1, 31);
    return std::nullopt;
}

QString Environment::versionLabel(ApiVersion version)
{
    const auto sunset = sunsetDate(version);
    if (isDeprecated(version) && sunset)
        return QCoreApplication::translate("Environment", "%1 (deprecated, sunset %2)")
            .arg(versionString(version), sunset->toString(Qt::ISODate));
    return QCoreApplication::translate("Environment", "%1 (current)").arg(versionString(version));
}

QString Environment::deprecationNotice(ApiVersion version)
{
    const auto sunset = sunsetDate(version);
    if (!isDeprecated(version) || !sunset)
        return {};
    return QCoreApplication::translate("Environment",
                                       "API version %1 is deprecated and stops working after %2: edit the grant, "
                                       "choose %3, save and test again.")
        .arg(versionString(version), sunset->toString(Qt::ISODate), versionString(DefaultApiVersion));
}

} // namespace gk
