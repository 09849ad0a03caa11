// The core's long-lived parts, built once and wired the same way for the window and the command line (the one
// composition of app/main.cpp and CliApplication). Nothing here is a singleton: the faces hold one instance.
#pragma once

#include "core/expiry/clock.h"
#include "core/grant/grantrepository.h"
#include "core/grant/grantstore.h"
#include "core/settings/preferences.h"
#include "core/token/livetokens.h"
#include "core/token/tokenclient.h"
#include "core/vault/credentialvault.h"

#include <QNetworkAccessManager>

namespace gk {

class CoreServices
{
public:
    // The files and keychain service of AppIdentity; call after AppIdentity::apply().
    CoreServices();
    // Other files and another keychain service: tests, benchmarks and screenshots keep away from the user's own.
    CoreServices(const QString& grantsFile, const QString& settingsFile, const QString& keychainService);
    CoreServices(const CoreServices&) = delete;
    CoreServices& operator=(const CoreServices&) = delete;

    const Clock& clock() const { return m_clock; }
    const QString& settingsFile() const { return m_settingsFile; }
    CredentialVault& vault() { return m_vault; }
    GrantStore& store() { return m_store; }
    Preferences& preferences() { return m_preferences; }
    TokenClient& client() { return m_client; }
    GrantRepository& repository() { return m_repository; }
    LiveTokens& liveTokens() { return m_liveTokens; }

private:
    QString m_settingsFile;
    SystemClock m_clock;
    QNetworkAccessManager m_network;
    // One vault for the whole process: QtKeychain runs its jobs one after another process-wide.
    CredentialVault m_vault;
    GrantStore m_store;
    Preferences m_preferences;
    TokenClient m_client;
    GrantRepository m_repository;
    LiveTokens m_liveTokens;
};

} // namespace gk
