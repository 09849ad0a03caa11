#include "core/text/durationtext.h"

#include <QCoreApplication>

namespace gk {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("DurationText", text);
}

} // namespace

QString describeAge(const QDateTime& then, const QDateTime& now)
{
    if (!then.isValid())
        return tr("never");
    const qint64 seconds = then.secsTo(now);
    if (seconds < -60)
        return tr("in the future");
    if (seconds < 60)
        return tr("just now");
    if (seconds < 3600)
        return tr("%1 min ago").arg(seconds / 60);
    if (seconds < 24 * 3600)
        return tr("%1 h ago").arg(seconds / 3600);
    const qint64 days = seconds / (24 * 3600);
    return days == 1 ? tr("yesterday") : tr("%1 days ago").arg(days);
}

QString describeDuration(qint64 seconds)
{
    if (seconds < 0)
        seconds = 0;
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return seconds % 60 ? tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60) : tr("%1 min").arg(seconds / 60);
    if (seconds < 24 * 3600) {
        const qint64 minutes = (seconds % 3600) / 60;
        return minutes ? tr("%1 h %2 min").arg(seconds / 3600).arg(minutes) : tr("%1 h").arg(seconds / 3600);
    }
    const qint64 days = seconds / (24 * 3600);
    const qint64 hours = (seconds % (24 * 3600)) / 3600;
    const QString dayText = days == 1 ? tr("1 day") : tr("%1 days").arg(days);
    return hours ? tr("%1 %2 h").arg(dayText).arg(hours) : dayText;
}

} // namespace gk
