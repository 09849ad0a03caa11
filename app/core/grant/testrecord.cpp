#include "core/grant/testrecord.h"

#include "core/token/tokenresult.h"
#include "core/vault/vaulterror.h"

namespace gk {

TestRecord TestRecord::fromTokenResult(const TokenResult& result, const QDateTime& testedAt)
{
    TestRecord record;
    record.testedAt = testedAt;
    record.passed = result.isSuccess();
    record.httpStatus = result.response().httpStatus;
    record.roundTripMs = result.response().roundTripMs;
    if (result.isSuccess()) {
        record.grantedScope = result.token().scope.granted.toString();
    } else {
        record.errorCode = result.error().codeName();
        record.errorSummary = result.error().summary();
    }
    return record;
}

QString TestRecord::advice() const
{
    if (passed || errorCode.isEmpty())
        return {};
    const QString keychainPrefix = QStringLiteral("keychain_");
    if (errorCode.startsWith(keychainPrefix)) {
        for (VaultErrorCode code : {VaultErrorCode::NotFound, VaultErrorCode::LockedOrDenied,
                                    VaultErrorCode::NoKeychain, VaultErrorCode::TimedOut, VaultErrorCode::Other}) {
            const VaultError error = VaultError::make(code);
            if (keychainPrefix + error.codeName() == errorCode)
                return error.advice();
        }
        return {};
    }
    for (int value = int(TokenErrorCode::None) + 1; value <= int(TokenErrorCode::MalformedResponse); ++value) {
        const TokenError error = TokenError::make(TokenErrorCode(value));
        if (error.codeName() == errorCode)
            return error.advice();
    }
    return {};
}

TestRecord TestRecord::fromFailure(const QString& errorCode, const QString& errorSummary, const QDateTime& testedAt)
{
    TestRecord record;
    record.testedAt = testedAt;
    record.errorCode = errorCode;
    record.errorSummary = errorSummary;
    return record;
}

QJsonObject TestRecord::toJson() const
{
    QJsonObject object;
    object.insert(QStringLiteral("tested_at"), testedAt.toUTC().toString(Qt::ISODateWithMs));
    object.insert(QStringLiteral("passed"), passed);
    if (httpStatus > 0)
        object.insert(QStringLiteral("http_status"), httpStatus);
    if (!grantedScope.isEmpty())
        object.insert(QStringLiteral("granted_scope"), grantedScope);
    if (!errorCode.isEmpty())
        object.insert(QStringLiteral("error_code"), errorCode);
    if (!errorSummary.isEmpty())
        object.insert(QStringLiteral("error"), errorSummary);
    if (roundTripMs >= 0)
        object.insert(QStringLiteral("round_trip_ms"), roundTripMs);
    return object;
}

std::optional<TestRecord> TestRecord::fromJson(const QJsonObject& object)
{
    TestRecord record;
    record.testedAt = QDateTime::fromString(object.value(QStringLiteral("tested_at")).toString(), Qt::ISODateWithMs);
    if (!record.testedAt.isValid())
        return std::nullopt;
    record.passed = object.value(QStringLiteral("passed")).toBool();
    record.httpStatus = object.value(QStringLiteral("http_status")).toInt();
    record.grantedScope = object.value(QStringLiteral("granted_scope")).toString();
    record.errorCode = object.value(QStringLiteral("error_code")).toString();
    record.errorSummary = object.value(QStringLiteral("error")).toString();
    record.roundTripMs = object.value(QStringLiteral("round_trip_ms")).toInteger(-1);
    return record;
}

} // namespace gk
