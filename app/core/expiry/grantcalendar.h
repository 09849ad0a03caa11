// The grants' expiration dates as an iCalendar file (RFC 5545), for the calendars administrators live in: one
// all-day event per grant with a date, its UID stable per grant so a new import updates the event instead of
// adding a second, a reminder (VALARM) some days before. Names the grant, its integration user, region and
// scopes; never a secret or a Client ID.
#pragma once

#include "core/grant/grant.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace gk {

class GrantCalendar
{
public:
    // CRLF line ends, lines folded at 75 octets, UTF-8.
    static QByteArray iCalendar(const QList<Grant>& grants, int alarmDaysBefore, const QDateTime& now,
                                const QString& version);

    // TEXT values: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11).
    static QString escapeText(const QString& text);
    // One content line, folded: no line longer than 75 octets, never inside a UTF-8 character (RFC 5545 3.1).
    static QByteArray foldLine(const QString& line);
};

} // namespace gk
