// One entry of a grant's test history. It never holds a token: only what was learnt about the grant.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace gk {

class TokenResult;

struct TestRecord
{
    QDateTime testedAt;
    bool passed = false;
    int httpStatus = 0;
    QString grantedScope; // what the server granted, space-delimited; empty on failure
    QString errorCode;    // TokenError / VaultError code name; empty on success
    QString errorSummary; // the one-line reason shown to people; empty on success
    qint64 roundTripMs = -1;

    // What to do about the failure, from its error code (the advice is not stored: it follows the app's wording).
    QString advice() const;

    static TestRecord fromTokenResult(const TokenResult& result, const QDateTime& testedAt);
    static TestRecord fromFailure(const QString& errorCode, const QString& errorSummary, const QDateTime& testedAt);

    QJsonObject toJson() const;
    static std::optional<TestRecord> fromJson(const QJsonObject& object);

    friend bool operator==(const TestRecord&, const TestRecord&) = default;
};

} // namespace gk
