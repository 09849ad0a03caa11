// The outcome of testing one grant: either the keychain failed us, or a request was made (or refused before sending).
#pragma once

#include "core/grant/testrecord.h"
#include "core/scope/scopeset.h"
#include "core/token/tokenresult.h"
#include "core/vault/vaulterror.h"
#include "core/verdict/testverdict.h"

#include <QMetaType>
#include <QString>
#include <QUuid>

#include <optional>

namespace gk {

struct GrantTestResult
{
    QUuid grantId;
    QString grantName;
    ScopeSet requestedScopes;         // what the grant asked for
    VaultError vaultError;            // set when the Client ID and Secret could not be read
    std::optional<TokenResult> token; // set when a request was made (or refused before sending)
    QDateTime testedAt;               // when the result arrived
    int attempts = 0;                 // requests made: more than one after rate limiting (HTTP 429)

    // True when a token was issued (the verdict may still be ScopeMissing).
    bool hasToken() const { return !vaultError.isError() && token && token->isSuccess(); }
    bool wasCancelled() const;
    // The one verdict of this test: what every face shows, counts and records.
    TestVerdict verdict() const;
    // What the history keeps (stamped with testedAt); nullopt when the server was never asked.
    std::optional<TestRecord> toTestRecord() const;
};

} // namespace gk

Q_DECLARE_METATYPE(gk::GrantTestResult)
