#include "core/expiry/expirystatus.h"
#include "support/manualclock.h"

#include <QTest>
#include <QTimeZone>

using namespace gk;
using gk::test::ManualClock;

class TestExpiryStatus : public QObject
{
    Q_OBJECT

private slots:
    void classifiesDaysLeft_data();
    void classifiesDaysLeft();
    void noDateIsUnknown();
    void describesInWords_data();
    void describesInWords();
    void tokenSecondsLeftFollowsTheClock();
    void manualClockGivesLocalToday();
};

void TestExpiryStatus::classifiesDaysLeft_data()
{
    QTest::addColumn<QDate>("expiresOn");
    QTest::addColumn<int>("warningDays");
    QTest::addColumn<int>("expectedState");
    QTest::addColumn<qint64>("expectedDaysLeft");

    QTest::newRow("expired yesterday") << QDate(2026, 11, 22) << 30 << int(ExpiryState::Expired) << qint64(-1);
    QTest::newRow("expires today is still usable")
        << QDate(2026, 11, 23) << 30 << int(ExpiryState::Expiring) << qint64(0);
    QTest::newRow("last day of window") << QDate(2026, 12, 23) << 30 << int(ExpiryState::Expiring) << qint64(30);
    QTest::newRow("first day after window") << QDate(2026, 12, 24) << 30 << int(ExpiryState::Ok) << qint64(31);
    QTest::newRow("window of zero days") << QDate(2026, 11, 24) << 0 << int(ExpiryState::Ok) << qint64(1);
    QTest::newRow("across a leap day") << QDate(2028, 3, 1) << 30 << int(ExpiryState::Ok) << qint64(464);
}

void TestExpiryStatus::classifiesDaysLeft()
{
    QFETCH(QDate, expiresOn);
    QFETCH(int, warningDays);
    QFETCH(int, expectedState);
    QFETCH(qint64, expectedDaysLeft);

    const ExpiryStatus status = ExpiryStatus::evaluate(expiresOn, QDate(2026, 11, 23), warningDays);
    QCOMPARE(int(status.state()), expectedState);
    QCOMPARE(status.daysLeft(), std::optional<qint64>(expectedDaysLeft));
}

void TestExpiryStatus::noDateIsUnknown()
{
    const ExpiryStatus status = ExpiryStatus::evaluate(std::nullopt, QDate(2026, 11, 23));
    QCOMPARE(status.state(), ExpiryState::Unknown);
    QCOMPARE(status.daysLeft(), std::nullopt);
    QCOMPARE(status.stateName(), QStringLiteral("unknown"));
    QCOMPARE(ExpiryStatus::evaluate(QDate(), QDate(2026, 11, 23)).state(), ExpiryState::Unknown);
}

void TestExpiryStatus::describesInWords_data()
{
    QTest::addColumn<QDate>("expiresOn");
    QTest::addColumn<QString>("expected");
    QTest::newRow("-3") << QDate(2026, 11, 20) << QStringLiteral("expired 3 days ago");
    QTest::newRow("-1") << QDate(2026, 11, 22) << QStringLiteral("expired yesterday");
    QTest::newRow("0") << QDate(2026, 11, 23) << QStringLiteral("expires today");
    QTest::newRow("1") << QDate(2026, 11, 24) << QStringLiteral("expires tomorrow");
    QTest::newRow("12") << QDate(2026, 12, 5) << QStringLiteral("12 days left");
}

void TestExpiryStatus::describesInWords()
{
    QFETCH(QDate, expiresOn);
    QFETCH(QString, expected);
    QCOMPARE(ExpiryStatus::evaluate(expiresOn, QDate(2026, 11, 23)).describe(), expected);
}

void TestExpiryStatus::tokenSecondsLeftFollowsTheClock()
{
    ManualClock clock(QDateTime(QDate(2026, 11, 23), QTime(10, 0), QTimeZone::utc()));
    const QDateTime receivedAt = clock.now();
    QCOMPARE(ExpiryStatus::tokenSecondsLeft(receivedAt, 599, clock.now()), 599);
    clock.advanceSeconds(60);
    QCOMPARE(ExpiryStatus::tokenSecondsLeft(receivedAt, 599, clock.now()), 539);
    clock.advanceSeconds(600);
    QCOMPARE(ExpiryStatus::tokenSecondsLeft(receivedAt, 599, clock.now()), 0);
}

void TestExpiryStatus::manualClockGivesLocalToday()
{
    const QDateTime localNoon(QDate(2026, 6, 1), QTime(12, 0));
    ManualClock clock(localNoon);
    QCOMPARE(clock.today(), QDate(2026, 6, 1));
}

QTEST_GUILESS_MAIN(TestExpiryStatus)
#include "tst_expirystatus.moc"
