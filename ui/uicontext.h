// The parts the window works with, created once by the composition root (app/main.cpp) or by a test.
#pragma once

#include <QString>

namespace gk {

class BatchTester;
class ClipboardGuard;
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
    // Made without a store: the window saves a batch's history itself, off the UI thread (TestRunController).
    BatchTester& tester;
    // Passed in rather than made by the window, so a test can give it a manual clock and tick it.
    ClipboardGuard& clipboard;
    QString settingsFilePath; // window geometry, column widths and sort order
};

} // namespace gk
