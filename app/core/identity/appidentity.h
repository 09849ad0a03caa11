// The one place that names the application, so the window and the command line share files and keychain.
#pragma once

#include <QString>

namespace gk {

class AppIdentity
{
public:
    static QString applicationName(); // "grantkeeper": folders, QSettings, keychain service
    static QString displayName();     // "Grant Keeper": what a person reads
    static QString desktopId();       // "io.github.grantkeeper.GrantKeeper": desktop entry, AppStream
    static QString version();
    static QString keychainService(); // the QtKeychain service every entry lives under

    // Sets the application and organisation names on the running QCoreApplication; call once in main().
    static void apply();

    static QString dataDirectory();    // $XDG_DATA_HOME/grantkeeper on Linux
    static QString grantsFilePath();   // dataDirectory()/grants.json
    static QString settingsFilePath(); // $XDG_CONFIG_HOME/grantkeeper/grantkeeper.conf
};

} // namespace gk
