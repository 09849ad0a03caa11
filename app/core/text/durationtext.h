// Short human wording for ages and durations: "3 min ago", "9 min 59 s".
#pragma once

#include <QDateTime>
#include <QString>

namespace gk {

// "just now", "5 min ago", "3 h ago", "2 days ago"; "in the future" for a clock that went backwards.
QString describeAge(const QDateTime& then, const QDateTime& now);

// "45 s", "9 min 59 s", "2 h 5 min", "3 days 4 h".
QString describeDuration(qint64 seconds);

} // namespace gk
