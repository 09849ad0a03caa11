// What reading one grant's keychain entry gave: its credentials or why there are none.
#pragma once

#include "core/vault/credentials.h"
#include "core/vault/vaulterror.h"

namespace gk {

struct VaultLoadResult
{
    VaultError error;
    Credentials credentials; // empty unless error.isError() is false
};

} // namespace gk
