#include "core/grant/rotationrecord.h"

namespace gk {

QJsonObject RotationRecord::toJson() const
{
    QJsonObject object;
    object.insert(QStringLiteral("attempted_at"), attemptedAt.toUTC().toString(Qt::ISODateWithMs));
    object.insert(QStringLiteral("verdict"), TestVerdict::name(verdict));
    object.insert(QStringLiteral("replaced"), replaced);
    if (!errorCode.isEmpty())
        object.insert(QStringLiteral("error_code"), errorCode);
    return object;
}

std::optional<RotationRecord> RotationRecord::fromJson(const QJsonObject& object)
{
    RotationRecord record;
    record.attemptedAt =
        QDateTime::fromString(object.value(QStringLiteral("attempted_at")).toString(), Qt::ISODateWithMs);
    const auto verdict = TestVerdict::fromName(object.value(QStringLiteral("verdict")).toString());
    if (!record.attemptedAt.isValid() || !verdict || *verdict == Verdict::NotTested)
        return std::nullopt;
    record.verdict = *verdict;
    record.replaced = object.value(QStringLiteral("replaced")).toBool();
    record.errorCode = object.value(QStringLiteral("error_code")).toString();
    return record;
}

} // namespace gk
