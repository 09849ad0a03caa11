// The user's preferences, shared by the window and the command line ($XDG_CONFIG_HOME/grantkeeper/grantkeeper.conf).
#pragma once

#include "core/token/environment.h"

#include <QString>

#include <chrono>

namespace gk {

class Preferences
{
public:
    // filePath: normally AppIdentity::settingsFilePath(); tests pass their own.
    explicit Preferences(const QString& filePath);

    int expiryWarningDays() const;
    void setExpiryWarningDays(int days);

    int clipboardClearSeconds() const;
    void setClipboardClearSeconds(int seconds);

    std::chrono::seconds requestTimeout() const;
    void setRequestTimeout(std::chrono::seconds timeout);

    Region defaultRegion() const;
    void setDefaultRegion(Region region);

    ApiVersion defaultApiVersion() const;
    void setDefaultApiVersion(ApiVersion version);

private:
    QString m_filePath;
};

} // namespace gk
