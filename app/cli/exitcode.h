// The command line's exit codes (DESIGN.md, Command line contract): the highest-numbered reason wins.
#pragma once

#include "core/token/tokenerror.h"

#include <algorithm>

namespace gk::cli {

enum ExitCode : int {
    ExitOk = 0,
    ExitCheckFailed = 1, // the server refused the credentials or the scope; `expiring` found a grant
    ExitBadInput = 2,    // bad usage or input: unknown grant, malformed date or URL, empty secret
    ExitKeychain = 3,    // keychain unavailable, locked, denied, or the grant's entry is missing
    ExitNetwork = 4,     // network, TLS, timeout or a malformed server answer
};

inline ExitCode exitCodeFor(FailureClass failure)
{
    switch (failure) {
    case FailureClass::None:
        return ExitOk;
    case FailureClass::CheckFailed:
        return ExitCheckFailed;
    case FailureClass::BadInput:
        return ExitBadInput;
    case FailureClass::Keychain:
        return ExitKeychain;
    case FailureClass::Network:
        return ExitNetwork;
    }
    return ExitNetwork;
}

inline ExitCode worstOf(ExitCode a, ExitCode b)
{
    return std::max(a, b);
}

} // namespace gk::cli
