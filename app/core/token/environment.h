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

    // The one wording of a version for lists and menus: "2026-01-01 (current)", "2022-01-01 (deprecated, sunset …)".
    static QString versionLabel(ApiVersion version);
    // What to tell an administrator whose grant uses a deprecated version, with the sunset and the way out; empty
    // for a current version. Used by the window, the dialog and the command line alike.
    static QString deprecationNotice(ApiVersion version);
};

} // namespace gk
