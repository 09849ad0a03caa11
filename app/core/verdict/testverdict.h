// The one verdict of a grant's test, decided here from what happened and told the same way by the window, the command
// line, the JSON and the history (DESIGN.md, capability 11). Its wording lives here too, once.
#pragma once

#include "core/scope/scopeset.h"
#include "core/token/tokenerror.h"
#include "core/vault/vaulterror.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace gk {

class TokenResult;
struct TestRecord;

enum class Verdict {
    Passed,       // a token with every requested scope
    ScopeMissing, // a token, but without every requested scope
    Refused,      // the server said no: credentials, scope, expired or disabled grant
    Unreachable,  // no usable answer: network, TLS, timeout, rate limited, a malformed or unexpected answer
    NotTested,    // the server was never asked: keychain, the grant's own settings, or cancelled
};

class TestVerdict
{
    Q_DECLARE_TR_FUNCTIONS(TestVerdict)

public:
    // Why a test never got the server's answer (NotTested only).
    enum class LocalReason { None, Keychain, Configuration, Cancelled };

    // The server's answer (or the lack of one) to a request for the grant's requested scopes.
    static TestVerdict fromToken(const TokenResult& result, const ScopeSet& requested);
    // The grant's Client ID and Secret could not be read: nothing was sent.
    static TestVerdict fromKeychain(const VaultError& error, const ScopeSet& requested);
    // A test as the history remembers it.
    static TestVerdict fromRecord(const TestRecord& record);

    Verdict kind() const { return m_kind; }
    LocalReason localReason() const;
    bool isPass() const { return m_kind == Verdict::Passed; }
    // Only the server's answer is the grant's result: a test that never asked it is told, not recorded.
    bool isRecorded() const { return m_kind != Verdict::NotTested; }
    // The command line's exit code class (DESIGN.md, Command line contract).
    FailureClass failureClass() const;

    static QString name(Verdict kind); // stable, for JSON and the history: "passed", "scope_missing", ...
    QString name() const { return name(m_kind); }
    static std::optional<Verdict> fromName(const QString& name);
    static QString label(Verdict kind); // short words for lists: "passed", "scope missing", "refused", ...
    QString label() const { return label(m_kind); }
    static QString explanation(Verdict kind); // one or two sentences for help: what the verdict means
    static QString tag(Verdict kind);         // the command line's line prefix: "PASS", "SCOPE", "REFUSED", ...

    // "invalid_client", "keychain_locked", "scope_missing", "cancelled"; empty when passed.
    QString errorCode() const;
    QString summary() const; // one line: what happened; empty when passed
    QString advice() const;  // what to do, to the administrator who owns the grant; empty when passed or cancelled
    // Whether every requested scope was granted: true when passed, false when a scope was missing or refused,
    // unknown otherwise (the server never said).
    std::optional<bool> scopeOk() const;

    const ScopeSet& requestedScopes() const { return m_requested; }
    // ScopeMissing: requested but not granted. Refused with invalid_scope: the scopes the server named.
    ScopeSet missingScopes() const;
    const TokenError& tokenError() const { return m_tokenError; }
    const VaultError& vaultError() const { return m_vaultError; }

private:
    Verdict m_kind = Verdict::NotTested;
    ScopeSet m_requested;
    ScopeSet m_missing;
    TokenError m_tokenError;
    VaultError m_vaultError;
};

} // namespace gk
