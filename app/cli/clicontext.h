// The parts every subcommand works with, created once by CliApplication.
#pragma once

#include <chrono>

namespace gk {
class Clock;
class CredentialVault;
class GrantRepository;
class GrantStore;
class Preferences;
class TokenClient;
} // namespace gk

namespace gk::cli {

class CliOutput;

struct CliContext
{
    CliOutput& output;
    GrantStore& store;
    CredentialVault& vault;
    TokenClient& client;
    GrantRepository& repository;
    const Clock& clock;
    const Preferences& preferences;
};

} // namespace gk::cli
