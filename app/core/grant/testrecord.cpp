#include "core/grant/testrecord.h"

#include "core/token/tokenresult.h"

namespace gk {

namespace {

const QString KeychainPrefix = QStringLiteral("keychain_");

void insertText(QJsonObject& object, const QString& key, const QString& value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

QString text(const QJsonObject& object, const QString& key)
{
    return object.value(key).toString();
}

// Files written before verdicts existed say only passed or failed, with the error code.
std::optional<Verdict> legacyVerdict(const QJsonObject& object, TokenError& error)
{
    if (object.value(QStringLiteral("passed")).toBool())
        return Verdict::Passed;
    const QString code = text(object, QStringLiteral("error_code"));
    if (code.startsWith(KeychainPrefix))
        return std::nullopt; // the keychain failed, the server was never asked
    const auto known = TokenError::codeFromName(code);
    error.code = known.value_or(TokenErrorCode::NetworkError);
    const FailureClass failure = error.failureClass();
    if (failure == FailureClass::BadInput || error.code == TokenErrorCode::Cancelled)
        return std::nullopt;
    return failure == FailureClass::CheckFailed ? Verdict::Refused : Verdict::Unreachable;
}

} // namespace

std::optional<TestRecord> TestRecord::of(const TestVerdict& verdict, const TokenResult* token,
                                         const QDateTime& testedAt)
{
    if (!verdict.isRecorded())
        return std::nullopt;
    TestRecord record;
    record.testedAt = testedAt;
    record.verdict = verdict.kind();
    record.requestedScope = verdict.requestedScopes();
    if (token) {
        record.httpStatus = token->response().httpStatus;
        record.roundTripMs = token->response().roundTripMs;
        if (token->isSuccess())
            record.grantedScope = token->token().scope.granted;
    }
    if (verdict.kind() == Verdict::Refused || verdict.kind() == Verdict::Unreachable) {
        record.error = verdict.tokenError();
        // Of the certificate only what identifies it: the rest is shown after a test, not kept.
        record.error.certificate = CertificateInfo{};
        record.error.certificate.sha256 = verdict.tokenError().certificate.sha256;
    }
    return record;
}

QJsonObject TestRecord::toJson() const
{
    QJsonObject object;
    object.insert(QStringLiteral("tested_at"), testedAt.toUTC().toString(Qt::ISODateWithMs));
    object.insert(QStringLiteral("verdict"), TestVerdict::name(verdict));
    object.insert(QStringLiteral("passed"), passed()); // for versions that read only this
    if (httpStatus > 0)
        object.insert(QStringLiteral("http_status"), httpStatus);
    insertText(object, QStringLiteral("requested_scope"), requestedScope.toString());
    insertText(object, QStringLiteral("granted_scope"), grantedScope.toString());
    if (verdict == Verdict::ScopeMissing)
        object.insert(QStringLiteral("error_code"), QStringLiteral("scope_missing"));
    if (error.isError()) {
        object.insert(QStringLiteral("error_code"), error.codeName());
        insertText(object, QStringLiteral("server_error"), error.serverError);
        insertText(object, QStringLiteral("server_message"), error.serverMessage);
        insertText(object, QStringLiteral("detail"), error.detail);
        insertText(object, QStringLiteral("refused_scope"), error.refusedScopes.toString());
        if (error.redirectTarget.isValid())
            object.insert(QStringLiteral("redirect_target"), error.redirectTarget.toString());
        if (error.retryAfterSeconds)
            object.insert(QStringLiteral("retry_after"), *error.retryAfterSeconds);
        insertText(object, QStringLiteral("certificate_sha256"), error.certificate.sha256);
        insertText(object, QStringLiteral("pinned_sha256"), error.expectedFingerprint);
    }
    if (roundTripMs >= 0)
        object.insert(QStringLiteral("round_trip_ms"), roundTripMs);
    return object;
}

std::optional<TestRecord> TestRecord::fromJson(const QJsonObject& object)
{
    TestRecord record;
    record.testedAt = QDateTime::fromString(text(object, QStringLiteral("tested_at")), Qt::ISODateWithMs);
    if (!record.testedAt.isValid())
        return std::nullopt;
    record.httpStatus = object.value(QStringLiteral("http_status")).toInt();
    record.roundTripMs = object.value(QStringLiteral("round_trip_ms")).toInteger(-1);
    record.requestedScope = ScopeSet::parse(text(object, QStringLiteral("requested_scope")));
    record.grantedScope = ScopeSet::parse(text(object, QStringLiteral("granted_scope")));

    TokenError& error = record.error;
    error.httpStatus = record.httpStatus;
    if (object.contains(QStringLiteral("verdict"))) {
        const auto verdict = TestVerdict::fromName(text(object, QStringLiteral("verdict")));
        if (!verdict || *verdict == Verdict::NotTested)
            return std::nullopt;
        record.verdict = *verdict;
        if (record.verdict == Verdict::Refused || record.verdict == Verdict::Unreachable)
            error.code = TokenError::codeFromName(text(object, QStringLiteral("error_code")))
                             .value_or(TokenErrorCode::NetworkError);
    } else {
        const auto verdict = legacyVerdict(object, error);
        if (!verdict)
            return std::nullopt;
        record.verdict = *verdict;
    }
    if (error.isError()) {
        error.serverError = text(object, QStringLiteral("server_error"));
        error.serverMessage = text(object, QStringLiteral("server_message"));
        error.detail = text(object, QStringLiteral("detail"));
        error.refusedScopes = ScopeSet::parse(text(object, QStringLiteral("refused_scope")));
        error.redirectTarget = QUrl(text(object, QStringLiteral("redirect_target")));
        if (object.contains(QStringLiteral("retry_after")))
            error.retryAfterSeconds = object.value(QStringLiteral("retry_after")).toInteger();
        error.certificate.sha256 = text(object, QStringLiteral("certificate_sha256"));
        error.expectedFingerprint = text(object, QStringLiteral("pinned_sha256"));
    } else {
        error = TokenError{};
    }
    return record;
}

bool operator==(const TestRecord& a, const TestRecord& b)
{
    return a.testedAt == b.testedAt && a.verdict == b.verdict && a.httpStatus == b.httpStatus &&
           a.requestedScope == b.requestedScope && a.grantedScope == b.grantedScope && a.error == b.error &&
           a.roundTripMs == b.roundTripMs;
}

} // namespace gk
