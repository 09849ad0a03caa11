// The outcome of testing one grant: either the keychain failed us, or the token server answered.
#pragma once

#include "core/grant/testrecord.h"
#include "core/token/tokenresult.h"
#include "core/vault/vaulterror.h"

#include <QMetaType>
#include <QString>
#include <QUuid>

#include <optional>

namespace gk {

struct GrantTestResult
{
    QUuid grantId;
    QString grantName;
    VaultError vaultError;            // set when the Client ID and Secret could not be read
    std::optional<TokenResult> token; // set when a request was made (or refused before sending)
    QDateTime testedAt;               // when the result arrived
    int attempts = 0;                 // requests made: more than one after rate limiting (HTTP 429)

    bool isSuccess() const { return !vaultError.isError() && token && token->isSuccess(); }
    bool wasCancelled() const;
    FailureClass failureClass() const;
    QString errorCode() const;    // empty on success
    QString errorSummary() const; // empty on success
    QString errorAdvice() const;  // empty on success

    TestRecord toTestRecord() const; // stamped with testedAt
};

} // namespace gk

Q_DECLARE_METATYPE(gk::GrantTestResult)
