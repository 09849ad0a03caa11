#include "core/settings/preferences.h"

#include "core/expiry/expirystatus.h"
#include "core/token/tokenrequest.h"

#include <QSettings>

namespace gk {

namespace {

const QString WarningDaysKey = QStringLiteral("expiry/warningDays");
const QString ClipboardKey = QStringLiteral("clipboard/clearAfterSeconds");
const QString TimeoutKey = QStringLiteral("network/requestTimeoutSeconds");
const QString RegionKey = QStringLiteral("defaults/region");
const QString ApiVersionKey = QStringLiteral("defaults/apiVersion");

int boundedInt(const QSettings& settings, const QString& key, int fallback, int minimum, int maximum)
{
    bool ok = false;
    const int value = settings.value(key, fallback).toInt(&ok);
    return ok ? std::clamp(value, minimum, maximum) : fallback;
}

} // namespace

Preferences::Preferences(const QString& filePath)
    : m_filePath(filePath)
{}

int Preferences::expiryWarningDays() const
{
    const QSettings settings(m_filePath, QSettings::IniFormat);
    return boundedInt(settings, WarningDaysKey, ExpiryStatus::DefaultWarningDays, 0, 3650);
}

void Preferences::setExpiryWarningDays(int days)
{
    QSettings(m_filePath, QSettings::IniFormat).setValue(WarningDaysKey, days);
}

int Preferences::clipboardClearSeconds() const
{
    const QSettings settings(m_filePath, QSettings::IniFormat);
    return boundedInt(settings, ClipboardKey, 30, 5, 3600);
}

void Preferences::setClipboardClearSeconds(int seconds)
{
    QSettings(m_filePath, QSettings::IniFormat).setValue(ClipboardKey, seconds);
}

std::chrono::seconds Preferences::requestTimeout() const
{
    const QSettings settings(m_filePath, QSettings::IniFormat);
    const auto fallback = std::chrono::duration_cast<std::chrono::seconds>(TokenRequest::DefaultTimeout);
    return std::chrono::seconds(boundedInt(settings, TimeoutKey, int(fallback.count()), 1, 600));
}

void Preferences::setRequestTimeout(std::chrono::seconds timeout)
{
    QSettings(m_filePath, QSettings::IniFormat).setValue(TimeoutKey, qint64(timeout.count()));
}

Region Preferences::defaultRegion() const
{
    const QSettings settings(m_filePath, QSettings::IniFormat);
    return Environment::regionFromKey(settings.value(RegionKey).toString()).value_or(Region::US);
}

void Preferences::setDefaultRegion(Region region)
{
    QSettings(m_filePath, QSettings::IniFormat).setValue(RegionKey, Environment::regionKey(region));
}

ApiVersion Preferences::defaultApiVersion() const
{
    const QSettings settings(m_filePath, QSettings::IniFormat);
    return Environment::versionFromString(settings.value(ApiVersionKey).toString())
        .value_or(Environment::DefaultApiVersion);
}

void Preferences::setDefaultApiVersion(ApiVersion version)
{
    QSettings(m_filePath, QSettings::IniFormat).setValue(ApiVersionKey, Environment::versionString(version));
}

} // namespace gk
