#include "cli/calendarcommand.h"

#include "cli/clioutput.h"
#include "core/expiry/clock.h"
#include "core/expiry/grantcalendar.h"
#include "core/grant/grantstore.h"
#include "core/identity/appidentity.h"
#include "core/settings/preferences.h"

#include <QFile>
#include <QSaveFile>

namespace gk::cli {

QString CalendarCommand::summary() const
{
    return tr("Write the grants' expiration dates as an iCalendar file (RFC 5545) with a reminder before each.");
}

void CalendarCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("alarm-days"),
                      tr("Remind N days before each expiry (default: the Preferences warning window; 0: no "
                         "reminder)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("output"), tr("Write to FILE instead of standard output."), tr("FILE")});
}

void CalendarCommand::run(const QCommandLineParser& parser)
{
    int alarmDays = m_context.preferences.expiryWarningDays();
    if (parser.isSet(QStringLiteral("alarm-days"))) {
        bool ok = false;
        alarmDays = parser.value(QStringLiteral("alarm-days")).toInt(&ok);
        if (!ok || alarmDays < 0 || alarmDays > 3650) {
            m_context.output.error(tr("--alarm-days needs a number of days from 0 to 3650, not \"%1\".")
                                       .arg(parser.value(QStringLiteral("alarm-days"))));
            finish(ExitBadInput);
            return;
        }
    }
    if (!loadStore())
        return;
    const QByteArray ics =
        GrantCalendar::iCalendar(m_context.store.grants(), alarmDays, m_context.clock.now(), AppIdentity::version());
    const QString path = parser.value(QStringLiteral("output"));
    if (path.isEmpty()) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(ics) != ics.size()) {
            finish(ExitBadInput);
            return;
        }
        out.flush();
        finish(ExitOk);
        return;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(ics) != ics.size() || !file.commit()) {
        m_context.output.error(
            tr("cannot write %1: %2. Check that its folder exists and is writable.").arg(path, file.errorString()));
        finish(ExitBadInput);
        return;
    }
    finish(ExitOk);
}

} // namespace gk::cli
