#include "core/batch/granttestresult.h"

namespace gk {

bool GrantTestResult::wasCancelled() const
{
    return !vaultError.isError() && token && token->error().code == TokenErrorCode::Cancelled;
}

FailureClass GrantTestResult::failureClass() const
{
    if (vaultError.isError())
        return FailureClass::Keychain;
    if (!token || token->isSuccess())
        return FailureClass::None;
    return token->error().failureClass();
}

QString GrantTestResult::errorCode() const
{
    if (vaultError.isError())
        return QStringLiteral("keychain_") + vaultError.codeName();
    if (token && !token->isSuccess())
        return token->error().codeName();
    return {};
}

QString GrantTestResult::errorSummary() const
{
    if (vaultError.isError())
        return vaultError.summary();
    if (token && !token->isSuccess())
        return token->error().summary();
    return {};
}

QString GrantTestResult::errorAdvice() const
{
    if (vaultError.isError())
        return vaultError.advice();
    if (token && !token->isSuccess())
        return token->error().advice();
    return {};
}

TestRecord GrantTestResult::toTestRecord() const
{
    if (token && !vaultError.isError())
        return TestRecord::fromTokenResult(*token, testedAt);
    return TestRecord::fromFailure(errorCode(), errorSummary(), testedAt);
}

} // namespace gk
