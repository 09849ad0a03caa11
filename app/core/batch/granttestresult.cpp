#include "core/batch/granttestresult.h"

namespace gk {

bool GrantTestResult::wasCancelled() const
{
    return !vaultError.isError() && token && token->error().code == TokenErrorCode::Cancelled;
}

TestVerdict GrantTestResult::verdict() const
{
    if (vaultError.isError() || !token)
        return TestVerdict::fromKeychain(vaultError.isError() ? vaultError : VaultError::make(VaultErrorCode::Other),
                                         requestedScopes);
    return TestVerdict::fromToken(*token, requestedScopes);
}

std::optional<TestRecord> GrantTestResult::toTestRecord() const
{
    return TestRecord::of(verdict(), token ? &*token : nullptr, testedAt);
}

} // namespace gk
