#include "core/identity/appidentity.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

namespace gk {

QString AppIdentity::applicationName()
{
    return QStringLiteral("grantkeeper");
}

QString AppIdentity::displayName()
{
    return QStringLiteral("Grant Keeper");
}

QString AppIdentity::desktopId()
{
    return QStringLiteral("io.github.grantkeeper.GrantKeeper");
}

QString AppIdentity::version()
{
    return QStringLiteral(GK_VERSION);
}

QString AppIdentity::keychainService()
{
    return applicationName();
}

void AppIdentity::apply()
{
    // No organisation name: QStandardPaths then resolves to $XDG_DATA_HOME/grantkeeper rather than a nested folder.
    QCoreApplication::setOrganizationName(QString());
    QCoreApplication::setOrganizationDomain(QStringLiteral("grantkeeper.github.io"));
    QCoreApplication::setApplicationName(applicationName());
    QCoreApplication::setApplicationVersion(version());
}

QString AppIdentity::dataDirectory()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return QDir(base).filePath(applicationName());
}

QString AppIdentity::grantsFilePath()
{
    return QDir(dataDirectory()).filePath(QStringLiteral("grants.json"));
}

QString AppIdentity::settingsFilePath()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    return QDir(base).filePath(applicationName() + QLatin1Char('/') + applicationName() + QStringLiteral(".conf"));
}

} // namespace gk
