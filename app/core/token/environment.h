// Workiva's regions and token API versions (see shared/reference/WORKIVA_API_NOTES.md).
#pragma once

#include <QDate>
#include <QString>
#include <QUrl>

#include <optional>

namespace gk {

enum class Region { US, EU, APAC, Custom };
enum class ApiVersion { V2026_01_01, V2022_01_01 };

class Environment
{
public:
    static constexpr ApiVersion DefaultApiVersion = ApiVersion::V2026_01_01;

    static QString regionKey(Region region); // "us", "eu", "apac", "custom"
    static std::optional<Region> regionFromKey(const QString& key);
    static QString regionDisplayName(Region region);

    // The API host of a Workiva region, e.g. "api.app.wdesk.com"; empty for Custom.
    static QString apiHost(Region region);
    static QUrl apiBaseUrl(Region region);
    // The token endpoint of a region and version; invalid for Custom (the grant carries its own URL).
    static QUrl tokenUrl(Region region, ApiVersion version);
    static QString tokenPath(ApiVersion version);

    static QString versionString(ApiVersion version); // "2026-01-01": the X-Version header value
    static std::optional<ApiVersion> versionFromString(const QString& text);
    static bool isDeprecated(ApiVersion version);
    static std::optional<QDate> deprecatedSince(ApiVersion version);
    static std::optional<QDate> sunsetDate(ApiVersion version);
};

} // namespace gk
