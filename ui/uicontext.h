// The parts the window works with, created once by the composition root (app/main.cpp) or by a test.
#pragma once

#include <QString>

namespace gk {

class Clock;
class CredentialVault;
class GrantRepository;
class GrantStore;
class LiveTokens;
class Preferences;
class TokenClient;

struct UiContext
{
    GrantStore& store;
    CredentialVault& vault;
    TokenClient& client;
    GrantRepository& repository;
    Preferences& preferences;
    const Clock& clock;
    LiveTokens& liveTokens;
    QString settingsFilePath; // window geometry, column widths and sort order
};

} // namespace gk
