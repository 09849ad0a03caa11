// `grantkeeper calendar` read back by a real iCalendar parser (Debian's python3-icalendar): one all-day event per
// dated grant with a stable UID and a reminder, text escaped and lines folded as RFC 5545 says, never a Client ID.
#include "core/expiry/grantcalendar.h"
#include "core/grant/grantstore.h"
#include "support/clirun.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace gk;
using namespace gk::test;

namespace {

const QString Python = QStringLiteral("/usr/bin/python3");
const char* ParseScript = R"(
import json, sys
import icalendar
calendar = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = []
for event in calendar.walk('VEVENT'):
    events.append({
        "uid": str(event['UID']),
        "start": event['DTSTART'].dt.isoformat(),
        "end": event['DTEND'].dt.isoformat(),
        "all_day": type(event['DTSTART'].dt).__name__ == 'date',
        "summary": str(event['SUMMARY']),
        "description": str(event['DESCRIPTION']),
        "alarms": [a['TRIGGER'].dt.days for a in event.walk('VALARM')],
    })
print(json.dumps({"version": str(calendar['VERSION']), "events": events}))
)";

QJsonObject parsed(const QByteArray& ics)
{
    QProcess python;
    python.start(Python, {QStringLiteral("-c"), QString::fromLatin1(ParseScript)});
    if (!python.waitForStarted())
        return {};
    python.write(ics);
    python.closeWriteChannel();
    if (!python.waitForFinished(30000) || python.exitCode() != 0) {
        qWarning().noquote() << python.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(python.readAllStandardOutput()).object();
}

} // namespace

class TestCalendar : public QObject
{
    Q_OBJECT

private slots:
    void aRealParserReadsEveryEventAndAlarm();
    void linesAreFoldedAt75OctetsWithoutSplittingACharacter();
    void commandLineWritesAFileThatReimportsAsTheSameEvents();
};

void TestCalendar::aRealParserReadsEveryEventAndAlarm()
{
    const QDateTime now(QDate(2026, 11, 23), QTime(9, 0), QTimeZone::utc());
    Grant payroll = Grant::create(QStringLiteral("Payroll, sync; \"EU\" \\ Zürich"), now);
    payroll.integrationUser = QStringLiteral("svc-payroll");
    payroll.region = Region::EU;
    payroll.requestedScopes = ScopeSet::parse(QStringLiteral("file:read file:write"));
    payroll.expiresOn = QDate(2027, 6, 30);
    payroll.clientIdHint = QStringLiteral("…9f3a");
    Grant undated = Grant::create(QStringLiteral("Undated"), now);

    const QByteArray ics = GrantCalendar::iCalendar({payroll, undated}, 30, now, QStringLiteral("1.2.3"));
    QVERIFY(!ics.contains("9f3a")); // not even the Client ID's hint
    const QJsonObject calendar = parsed(ics);
    QCOMPARE(calendar[QStringLiteral("version")].toString(), QStringLiteral("2.0"));
    const QJsonArray events = calendar[QStringLiteral("events")].toArray();
    QCOMPARE(events.size(), 1); // a grant without a date has no event
    const QJsonObject event = events.first().toObject();
    QCOMPARE(event[QStringLiteral("uid")].toString(), payroll.keychainKey() + QStringLiteral("@grantkeeper"));
    QCOMPARE(event[QStringLiteral("start")].toString(), QStringLiteral("2027-06-30"));
    QCOMPARE(event[QStringLiteral("end")].toString(), QStringLiteral("2027-07-01"));
    QVERIFY(event[QStringLiteral("all_day")].toBool());
    QCOMPARE(event[QStringLiteral("summary")].toString(),
             QStringLiteral("OAuth2 grant “Payroll, sync; \"EU\" \\ Zürich” (svc-payroll) expires"));
    QCOMPARE(event[QStringLiteral("description")].toString(),
             QStringLiteral("The Workiva OAuth2 grant “Payroll, sync; \"EU\" \\ Zürich” (svc-payroll) stops working "
                            "at the end of this day.\nRegion: EU\nScopes: file:read file:write\nExtend it in Workiva, "
                            "then update its expiration date in Grant Keeper."));
    QCOMPARE(event[QStringLiteral("alarms")].toArray(), QJsonArray({-30}));

    const QJsonObject silent = parsed(GrantCalendar::iCalendar({payroll}, 0, now, QStringLiteral("1.2.3")));
    QCOMPARE(silent[QStringLiteral("events")].toArray().first()[QStringLiteral("alarms")].toArray(), QJsonArray());
}

void TestCalendar::linesAreFoldedAt75OctetsWithoutSplittingACharacter()
{
    const QString line = QStringLiteral("SUMMARY:") + QString(100, QChar(0x00FC)) + QString(50, QLatin1Char('x'));
    const QByteArray folded = GrantCalendar::foldLine(line);
    QVERIFY(folded.endsWith("\r\n"));
    const QList<QByteArray> physical = folded.chopped(2).split('\n');
    QVERIFY(physical.size() > 1);
    for (const QByteArray& piece : physical) {
        const QByteArray content = piece.endsWith('\r') ? piece.chopped(1) : piece;
        QVERIFY2(content.size() <= 75, content.constData());
        QVERIFY(QString::fromUtf8(content).toUtf8() == content); // whole characters only
    }
    // Unfolding (CRLF + space removed) gives the line back.
    QCOMPARE(QString::fromUtf8(folded.chopped(2).replace("\r\n ", "")), line);
}

void TestCalendar::commandLineWritesAFileThatReimportsAsTheSameEvents()
{
    QTemporaryDir home;
    const QString grantsFile = home.filePath(QStringLiteral("data/grantkeeper/grants.json"));
    QVERIFY(QDir().mkpath(QFileInfo(grantsFile).path()));
    GrantStore store(grantsFile);
    QCOMPARE(store.load().code, StoreErrorCode::None);
    Grant grant = Grant::create(QStringLiteral("Ledger"), QDateTime::currentDateTimeUtc());
    grant.expiresOn = QDate::currentDate().addDays(90);
    QCOMPARE(store.upsert(grant).code, StoreErrorCode::None);

    const QProcessEnvironment environment = cliEnvironment(home.path());
    const QString first = home.filePath(QStringLiteral("first.ics"));
    const CliRun written = runCli(QStringLiteral(GK_BINARY),
                                  {QStringLiteral("calendar"), QStringLiteral("--output"), first}, {}, environment);
    QCOMPARE(written.exitCode, 0);
    const CliRun printed =
        runCli(QStringLiteral(GK_BINARY),
               {QStringLiteral("calendar"), QStringLiteral("--alarm-days"), QStringLiteral("7")}, {}, environment);
    QCOMPARE(printed.exitCode, 0);
    QFile file(first);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray before = parsed(file.readAll())[QStringLiteral("events")].toArray();
    const QJsonArray after = parsed(printed.out)[QStringLiteral("events")].toArray();
    QCOMPARE(before.size(), 1);
    QCOMPARE(after.size(), 1);
    // The same UID: a calendar importing the new file updates the event instead of adding a second one.
    QCOMPARE(after.first()[QStringLiteral("uid")], before.first()[QStringLiteral("uid")]);
    QCOMPARE(before.first()[QStringLiteral("alarms")].toArray(), QJsonArray({-30})); // the warning window
    QCOMPARE(after.first()[QStringLiteral("alarms")].toArray(), QJsonArray({-7}));

    const CliRun bad =
        runCli(QStringLiteral(GK_BINARY),
               {QStringLiteral("calendar"), QStringLiteral("--alarm-days"), QStringLiteral("soon")}, {}, environment);
    QCOMPARE(bad.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestCalendar)
#include "tst_calendar.moc"
