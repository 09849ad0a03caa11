// One attempt to replace a grant's secret: when, what the server said to the new secret, and whether it replaced the
// old one. Kept apart from the test history: a rejected new secret says nothing about the grant's stored one.
#pragma once

#include "core/verdict/testverdict.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace gk {

struct RotationRecord
{
    QDateTime attemptedAt;
    Verdict verdict = Verdict::Passed; // the server's answer to the new secret; never NotTested
    bool replaced = false;             // the new secret is now the stored one
    QString errorCode;                 // why not: the server's refusal, or what kept it from being stored

    QJsonObject toJson() const;
    static std::optional<RotationRecord> fromJson(const QJsonObject& object);

    friend bool operator==(const RotationRecord&, const RotationRecord&) = default;
};

} // namespace gk
