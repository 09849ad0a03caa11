#include "core/expiry/grantcalendar.h"

#include <QCoreApplication>

namespace gk {

namespace {

constexpr int MaxLineOctets = 75;

QString tr(const char* text)
{
    return QCoreApplication::translate("GrantCalendar", text);
}

QString utcStamp(const QDateTime& time)
{
    return time.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
}

QString dateValue(const QDate& date)
{
    return date.toString(QStringLiteral("yyyyMMdd"));
}

} // namespace

QString GrantCalendar::escapeText(const QString& text)
{
    QString escaped;
    escaped.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('\\') || c == QLatin1Char(';') || c == QLatin1Char(','))
            escaped += QLatin1Char('\\') + c;
        else if (c == QLatin1Char('\n'))
            escaped += QStringLiteral("\\n");
        else if (c != QLatin1Char('\r'))
            escaped += c;
    }
    return escaped;
}

QByteArray GrantCalendar::foldLine(const QString& line)
{
    const QByteArray utf8 = line.toUtf8();
    QByteArray folded;
    qsizetype lineStart = 0;
    int limit = MaxLineOctets;
    for (qsizetype i = 0; i < utf8.size();) {
        // The length of the UTF-8 sequence that starts here.
        const auto lead = static_cast<unsigned char>(utf8[i]);
        const int length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (i + length - lineStart > limit) {
            folded += "\r\n "; // the continuation's leading space counts towards its 75 octets
            lineStart = i;
            limit = MaxLineOctets - 1;
        }
        folded += utf8.mid(i, length);
        i += length;
    }
    return folded + "\r\n";
}

QByteArray GrantCalendar::iCalendar(const QList<Grant>& grants, int alarmDaysBefore, const QDateTime& now,
                                    const QString& version)
{
    QByteArray ics;
    const auto add = [&ics](const QString& line) { ics += foldLine(line); };
    add(QStringLiteral("BEGIN:VCALENDAR"));
    add(QStringLiteral("VERSION:2.0"));
    add(QStringLiteral("PRODID:-//Grant Keeper//Grant Keeper %1//EN").arg(version));
    add(QStringLiteral("CALSCALE:GREGORIAN"));
    add(QStringLiteral("METHOD:PUBLISH"));
    add(QStringLiteral("X-WR-CALNAME:%1").arg(escapeText(tr("OAuth2 grants expiring"))));
    for (const Grant& grant : grants) {
        if (!grant.expiresOn || !grant.expiresOn->isValid())
            continue;
        const QString who = grant.integrationUser.isEmpty()
                                ? QStringLiteral("“%1”").arg(grant.name)
                                : QStringLiteral("“%1” (%2)").arg(grant.name, grant.integrationUser);
        const QString scopes =
            grant.requestedScopes.isEmpty() ? tr("none requested") : grant.requestedScopes.toString();
        add(QStringLiteral("BEGIN:VEVENT"));
        add(QStringLiteral("UID:%1@grantkeeper").arg(grant.keychainKey()));
        add(QStringLiteral("DTSTAMP:%1").arg(utcStamp(now)));
        // All day: the grant works through its expiration date and stops at its end.
        add(QStringLiteral("DTSTART;VALUE=DATE:%1").arg(dateValue(*grant.expiresOn)));
        add(QStringLiteral("DTEND;VALUE=DATE:%1").arg(dateValue(grant.expiresOn->addDays(1))));
        add(QStringLiteral("SUMMARY:%1").arg(escapeText(tr("OAuth2 grant %1 expires").arg(who))));
        add(QStringLiteral("DESCRIPTION:%1")
                .arg(escapeText(tr("The Workiva OAuth2 grant %1 stops working at the end of this day.\n"
                                   "Region: %2\nScopes: %3\n"
                                   "Extend it in Workiva, then update its expiration date in Grant Keeper.")
                                    .arg(who, grant.environmentLabel(), scopes))));
        add(QStringLiteral("TRANSP:TRANSPARENT"));
        add(QStringLiteral("CATEGORIES:%1").arg(escapeText(tr("Grant Keeper"))));
        if (alarmDaysBefore > 0) {
            add(QStringLiteral("BEGIN:VALARM"));
            add(QStringLiteral("ACTION:DISPLAY"));
            add(QStringLiteral("DESCRIPTION:%1")
                    .arg(escapeText(tr("OAuth2 grant %1 expires in %2 days").arg(who).arg(alarmDaysBefore))));
            add(QStringLiteral("TRIGGER:-P%1D").arg(alarmDaysBefore));
            add(QStringLiteral("END:VALARM"));
        }
        add(QStringLiteral("END:VEVENT"));
    }
    add(QStringLiteral("END:VCALENDAR"));
    return ics;
}

} // namespace gk
