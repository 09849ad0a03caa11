#include "core/verdict/testverdict.h"

#include "core/grant/testrecord.h"
#include "core/token/tokenresult.h"

namespace gk {

namespace {

constexpr Verdict AllVerdicts[] = {Verdict::Passed, Verdict::ScopeMissing, Verdict::Refused, Verdict::Unreachable,
                                   Verdict::NotTested};

const QString KeychainPrefix = QStringLiteral("keychain_");

Verdict verdictForError(const TokenError& error)
{
    switch (error.failureClass()) {
    case FailureClass::None:
        return Verdict::Passed;
    case FailureClass::CheckFailed:
        return Verdict::Refused;
    case FailureClass::BadInput: // the request could not be made as configured: nothing was sent
    case FailureClass::Keychain:
        return Verdict::NotTested;
    case FailureClass::Network:
        // A cancelled test has no answer to tell, whether or not its request had left.
        return error.code == TokenErrorCode::Cancelled ? Verdict::NotTested : Verdict::Unreachable;
    }
    return Verdict::Unreachable;
}

} // namespace

TestVerdict TestVerdict::fromToken(const TokenResult& result, const ScopeSet& requested)
{
    TestVerdict verdict;
    verdict.m_requested = requested;
    if (!result.isSuccess()) {
        verdict.m_tokenError = result.error();
        verdict.m_kind = verdictForError(result.error());
        return verdict;
    }
    const ScopeComparison& scope = result.token().scope;
    verdict.m_missing = scope.grantedAssumedFromRequest ? ScopeSet() : requested.minus(scope.granted);
    verdict.m_kind = verdict.m_missing.isEmpty() ? Verdict::Passed : Verdict::ScopeMissing;
    return verdict;
}

TestVerdict TestVerdict::fromKeychain(const VaultError& error, const ScopeSet& requested)
{
    TestVerdict verdict;
    verdict.m_requested = requested;
    verdict.m_vaultError = error;
    verdict.m_kind = error.isError() ? Verdict::NotTested : Verdict::Passed;
    return verdict;
}

TestVerdict TestVerdict::fromRecord(const TestRecord& record)
{
    TestVerdict verdict;
    verdict.m_kind = record.verdict;
    verdict.m_requested = record.requestedScope;
    verdict.m_tokenError = record.error;
    if (record.verdict == Verdict::ScopeMissing)
        verdict.m_missing = record.requestedScope.minus(record.grantedScope);
    return verdict;
}

TestVerdict::LocalReason TestVerdict::localReason() const
{
    if (m_kind != Verdict::NotTested)
        return LocalReason::None;
    if (m_vaultError.isError())
        return LocalReason::Keychain;
    if (m_tokenError.code == TokenErrorCode::Cancelled)
        return LocalReason::Cancelled;
    return LocalReason::Configuration;
}

FailureClass TestVerdict::failureClass() const
{
    switch (m_kind) {
    case Verdict::Passed:
        return FailureClass::None;
    case Verdict::ScopeMissing:
    case Verdict::Refused:
        return FailureClass::CheckFailed;
    case Verdict::Unreachable:
        return FailureClass::Network;
    case Verdict::NotTested:
        break;
    }
    switch (localReason()) {
    case LocalReason::Keychain:
        return FailureClass::Keychain;
    case LocalReason::Configuration:
        return FailureClass::BadInput;
    case LocalReason::Cancelled: // not verified: a script must not take it for a pass
    case LocalReason::None:
        break;
    }
    return FailureClass::Network;
}

QString TestVerdict::name(Verdict kind)
{
    switch (kind) {
    case Verdict::Passed:
        return QStringLiteral("passed");
    case Verdict::ScopeMissing:
        return QStringLiteral("scope_missing");
    case Verdict::Refused:
        return QStringLiteral("refused");
    case Verdict::Unreachable:
        return QStringLiteral("unreachable");
    case Verdict::NotTested:
        return QStringLiteral("not_tested");
    }
    return QStringLiteral("not_tested");
}

std::optional<Verdict> TestVerdict::fromName(const QString& name)
{
    for (Verdict kind : AllVerdicts) {
        if (TestVerdict::name(kind) == name)
            return kind;
    }
    return std::nullopt;
}

QString TestVerdict::label(Verdict kind)
{
    switch (kind) {
    case Verdict::Passed:
        return tr("passed");
    case Verdict::ScopeMissing:
        return tr("scope missing");
    case Verdict::Refused:
        return tr("refused");
    case Verdict::Unreachable:
        return tr("unreachable");
    case Verdict::NotTested:
        return tr("not tested");
    }
    return {};
}

QString TestVerdict::explanation(Verdict kind)
{
    switch (kind) {
    case Verdict::Passed:
        return tr("The server gave a token with every scope the grant requests.");
    case Verdict::ScopeMissing:
        return tr("The server gave a token, but without every requested scope: an integration that needs the "
                  "missing ones will fail. Add them to the grant in Workiva, or correct the scopes here.");
    case Verdict::Refused:
        return tr("The server refused the grant: its Client ID or Secret, a scope, or the grant itself (expired, "
                  "disabled, removed). The test's details say which.");
    case Verdict::Unreachable:
        return tr("No usable answer came back: the network, the server's certificate, a timeout, rate limiting or "
                  "an unexpected answer. Nothing is known about the grant itself.");
    case Verdict::NotTested:
        return tr("The server was never asked: the keychain could not give the secret, the grant's settings need "
                  "a fix, or the test was cancelled. Nothing is recorded against the grant.");
    }
    return {};
}

QString TestVerdict::tag(Verdict kind)
{
    switch (kind) {
    case Verdict::Passed:
        return QStringLiteral("PASS");
    case Verdict::ScopeMissing:
        return QStringLiteral("SCOPE");
    case Verdict::Refused:
        return QStringLiteral("REFUSED");
    case Verdict::Unreachable:
        return QStringLiteral("UNREACHABLE");
    case Verdict::NotTested:
        return QStringLiteral("NOT TESTED");
    }
    return {};
}

QString TestVerdict::errorCode() const
{
    if (m_kind == Verdict::Passed)
        return {};
    if (m_kind == Verdict::ScopeMissing)
        return QStringLiteral("scope_missing");
    if (m_vaultError.isError())
        return KeychainPrefix + m_vaultError.codeName();
    return m_tokenError.codeName();
}

QString TestVerdict::summary() const
{
    switch (m_kind) {
    case Verdict::Passed:
        return {};
    case Verdict::ScopeMissing:
        return tr("The server issued a token but did not grant %1.").arg(m_missing.toString());
    case Verdict::Refused:
    case Verdict::Unreachable:
        return m_tokenError.summary();
    case Verdict::NotTested:
        break;
    }
    // What kept the test from the server; the label ("not tested") says the rest.
    if (m_vaultError.isError())
        return m_vaultError.summary();
    return m_tokenError.summary();
}

QString TestVerdict::advice() const
{
    switch (m_kind) {
    case Verdict::Passed:
        return {};
    case Verdict::ScopeMissing:
        return TokenError::scopeAdvice(m_missing);
    case Verdict::Refused:
    case Verdict::Unreachable:
        return m_tokenError.advice();
    case Verdict::NotTested:
        break;
    }
    if (m_vaultError.isError())
        return m_vaultError.advice();
    return m_tokenError.advice();
}

std::optional<bool> TestVerdict::scopeOk() const
{
    switch (m_kind) {
    case Verdict::Passed:
        return true;
    case Verdict::ScopeMissing:
        return false;
    case Verdict::Refused:
        if (m_tokenError.code == TokenErrorCode::InvalidScope)
            return false;
        break;
    case Verdict::Unreachable:
    case Verdict::NotTested:
        break;
    }
    return std::nullopt;
}

ScopeSet TestVerdict::missingScopes() const
{
    if (m_kind == Verdict::Refused && m_tokenError.code == TokenErrorCode::InvalidScope)
        return m_tokenError.refusedScopes;
    return m_missing;
}

} // namespace gk
