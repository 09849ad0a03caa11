#include "core/services/coreservices.h"

#include "core/identity/appidentity.h"

#include <QNetworkProxyFactory>

namespace gk {

namespace {

QNetworkAccessManager& configured(QNetworkAccessManager& network)
{
    // A secret goes only where the user pointed it: redirects are reported, never followed (DESIGN.md).
    network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    // Honour https_proxy / no_proxy, as administrators behind a corporate proxy expect.
    QNetworkProxyFactory::setUseSystemConfiguration(true);
    return network;
}

} // namespace

CoreServices::CoreServices()
    : CoreServices(AppIdentity::grantsFilePath(), AppIdentity::settingsFilePath(), AppIdentity::keychainService())
{}

CoreServices::CoreServices(const QString& grantsFile, const QString& settingsFile, const QString& keychainService)
    : m_settingsFile(settingsFile)
    , m_vault(keychainService)
    , m_store(grantsFile)
    , m_preferences(settingsFile)
    , m_client(&configured(m_network), &m_clock)
    , m_repository(m_store, m_vault)
    , m_liveTokens(m_clock)
{}

} // namespace gk
