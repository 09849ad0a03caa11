#include "cli/grantjson.h"

#include "core/batch/granttestresult.h"
#include "core/expiry/expirystatus.h"
#include "core/grant/grant.h"
#include "core/verdict/verdicttally.h"

#include <QJsonArray>

namespace gk::cli {

namespace {

QJsonValue dateOrNull(const std::optional<QDate>& date)
{
    return date ? QJsonValue(date->toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

QJsonValue dateTimeOrNull(const std::optional<QDateTime>& dateTime)
{
    return dateTime && dateTime->isValid() ? QJsonValue(dateTime->toUTC().toString(Qt::ISODate))
                                           : QJsonValue(QJsonValue::Null);
}

QJsonArray scopes(const ScopeSet& set)
{
    return QJsonArray::fromStringList(set.scopes());
}

QJsonValue boolOrNull(const std::optional<bool>& value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue certificate(const CertificateInfo& info)
{
    if (info.isNull())
        return QJsonValue::Null;
    QJsonObject object;
    object.insert(QStringLiteral("subject"), info.subject);
    object.insert(QStringLiteral("issuer"), info.issuer);
    object.insert(QStringLiteral("not_before"), info.notBefore.toUTC().toString(Qt::ISODate));
    object.insert(QStringLiteral("not_after"), info.notAfter.toUTC().toString(Qt::ISODate));
    object.insert(QStringLiteral("sha256"), CertificateInfo::formatFingerprint(info.sha256));
    return object;
}

} // namespace

QJsonObject GrantJson::expiry(const Grant& grant, const QDate& today, int warningDays)
{
    const ExpiryStatus status = ExpiryStatus::evaluate(grant.expiresOn, today, warningDays);
    QJsonObject object;
    object.insert(QStringLiteral("expires_on"), dateOrNull(grant.expiresOn));
    object.insert(QStringLiteral("days_left"),
                  status.daysLeft() ? QJsonValue(qint64(*status.daysLeft())) : QJsonValue(QJsonValue::Null));
    object.insert(QStringLiteral("expiry_status"), status.stateName());
    return object;
}

QJsonObject GrantJson::testRecord(const TestRecord& record)
{
    const TestVerdict verdict = record.details();
    QJsonObject object;
    object.insert(QStringLiteral("tested_at"), record.testedAt.toUTC().toString(Qt::ISODate));
    object.insert(QStringLiteral("verdict"), verdict.name());
    object.insert(QStringLiteral("ok"), verdict.isPass());
    object.insert(QStringLiteral("http_status"), record.httpStatus);
    object.insert(QStringLiteral("error_code"),
                  verdict.isPass() ? QJsonValue(QJsonValue::Null) : QJsonValue(verdict.errorCode()));
    object.insert(QStringLiteral("missing_scope"), scopes(verdict.missingScopes()));
    return object;
}

QJsonObject GrantJson::grant(const Grant& grant, const QDate& today, int warningDays)
{
    QJsonObject object = expiry(grant, today, warningDays);
    object.insert(QStringLiteral("id"), grant.keychainKey());
    object.insert(QStringLiteral("name"), grant.name);
    object.insert(QStringLiteral("integration_user"), grant.integrationUser);
    object.insert(QStringLiteral("region"), Environment::regionKey(grant.region));
    object.insert(QStringLiteral("token_url"), grant.tokenUrl().toString());
    object.insert(QStringLiteral("api_version"), Environment::versionString(grant.apiVersion));
    object.insert(QStringLiteral("api_version_deprecated"), Environment::isDeprecated(grant.apiVersion));
    object.insert(QStringLiteral("scopes"), scopes(grant.requestedScopes));
    object.insert(QStringLiteral("client_auth"), clientAuthMethodKey(grant.authMethod));
    object.insert(QStringLiteral("client_id_hint"), grant.clientIdHint);
    object.insert(QStringLiteral("trust"), TrustSettings::modeKey(grant.trust.mode));
    const TestRecord* last = grant.lastTest();
    object.insert(QStringLiteral("last_test"), last ? QJsonValue(testRecord(*last)) : QJsonValue(QJsonValue::Null));
    return object;
}

QJsonObject GrantJson::testResult(const GrantTestResult& result, const Grant& grant, const QDate& today,
                                  int warningDays)
{
    QJsonObject object;
    object.insert(QStringLiteral("name"), grant.name);
    object.insert(QStringLiteral("id"), grant.keychainKey());
    const TestVerdict verdict = result.verdict();
    object.insert(QStringLiteral("verdict"), verdict.name());
    // Kept for scripts written before verdicts: true only for a pass, as the verdict says.
    object.insert(QStringLiteral("ok"), verdict.isPass());

    const QJsonObject grantExpiry = expiry(grant, today, warningDays);
    object.insert(QStringLiteral("grant_expires_on"), grantExpiry.value(QStringLiteral("expires_on")));
    object.insert(QStringLiteral("grant_days_left"), grantExpiry.value(QStringLiteral("days_left")));
    object.insert(QStringLiteral("grant_expiry_status"), grantExpiry.value(QStringLiteral("expiry_status")));
    object.insert(QStringLiteral("api_version"), Environment::versionString(grant.apiVersion));
    object.insert(QStringLiteral("api_version_sunset"), dateOrNull(Environment::sunsetDate(grant.apiVersion)));
    object.insert(QStringLiteral("requested_scope"), scopes(grant.requestedScopes));

    QJsonValue httpStatus = QJsonValue::Null;
    QJsonValue roundTrip = QJsonValue::Null;
    QJsonValue serverCertificate = QJsonValue::Null;
    QJsonValue deprecation = QJsonValue::Null;
    QJsonValue sunset = QJsonValue::Null;
    if (result.token) {
        const ResponseInfo& response = result.token->response();
        if (response.httpStatus > 0)
            httpStatus = response.httpStatus;
        if (response.roundTripMs >= 0)
            roundTrip = response.roundTripMs;
        serverCertificate = certificate(response.serverCertificate);
        deprecation = response.deprecationAnnounced
                          ? (response.deprecation ? dateTimeOrNull(response.deprecation) : QJsonValue(true))
                          : QJsonValue(QJsonValue::Null);
        sunset = dateTimeOrNull(response.sunset);
    }
    object.insert(QStringLiteral("http_status"), httpStatus);
    object.insert(QStringLiteral("round_trip_ms"), roundTrip);
    object.insert(QStringLiteral("attempts"), result.attempts);
    object.insert(QStringLiteral("certificate"), serverCertificate);
    object.insert(QStringLiteral("deprecation"), deprecation);
    object.insert(QStringLiteral("sunset"), sunset);

    if (result.hasToken()) {
        const IssuedToken& token = result.token->token();
        object.insert(QStringLiteral("token_type"), token.tokenType);
        object.insert(QStringLiteral("expires_in"), token.expiresInSeconds ? QJsonValue(qint64(*token.expiresInSeconds))
                                                                           : QJsonValue(QJsonValue::Null));
        object.insert(QStringLiteral("token_expires_at"),
                      dateTimeOrNull(token.expiresAt(result.token->response().receivedAt)));
        object.insert(QStringLiteral("lifetime_assumed"), token.lifetimeAssumed());
        object.insert(QStringLiteral("granted_scope"), scopes(token.scope.granted));
        object.insert(QStringLiteral("extra_scope"), scopes(token.scope.extra));
        object.insert(QStringLiteral("scope_assumed"), token.scope.grantedAssumedFromRequest);
        object.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(token.warnings));
    }
    object.insert(QStringLiteral("missing_scope"), scopes(verdict.missingScopes()));
    object.insert(QStringLiteral("scope_ok"), boolOrNull(verdict.scopeOk()));
    if (verdict.isPass()) {
        object.insert(QStringLiteral("error"), QJsonValue::Null);
    } else {
        QJsonObject error;
        error.insert(QStringLiteral("code"), verdict.errorCode());
        error.insert(QStringLiteral("message"), verdict.summary());
        error.insert(QStringLiteral("advice"), verdict.advice());
        if (result.token && !result.token->isSuccess()) {
            const TokenError& tokenError = result.token->error();
            if (tokenError.retryAfterSeconds)
                error.insert(QStringLiteral("retry_after"), qint64(*tokenError.retryAfterSeconds));
            if (tokenError.redirectTarget.isValid())
                error.insert(QStringLiteral("redirect_target"), tokenError.redirectTarget.toString());
            if (!tokenError.refusedScopes.isEmpty())
                error.insert(QStringLiteral("refused_scope"), scopes(tokenError.refusedScopes));
        }
        object.insert(QStringLiteral("error"), error);
    }
    return object;
}

QJsonObject GrantJson::testSummary(const QJsonArray& results, const VerdictTally& tally)
{
    QJsonObject counts;
    for (Verdict kind :
         {Verdict::Passed, Verdict::ScopeMissing, Verdict::Refused, Verdict::Unreachable, Verdict::NotTested})
        counts.insert(TestVerdict::name(kind),
                      tally.count(kind) + (kind == Verdict::NotTested ? tally.cancelled() : 0));
    QJsonObject root;
    root.insert(QStringLiteral("results"), results);
    root.insert(QStringLiteral("passed"), tally.count(Verdict::Passed));
    root.insert(QStringLiteral("failed"), tally.total() - tally.count(Verdict::Passed));
    root.insert(QStringLiteral("verdicts"), counts);
    return root;
}

} // namespace gk::cli
