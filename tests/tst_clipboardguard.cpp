#include "core/logging/logcategories.h"
#include "support/manualclock.h"
#include "ui/clipboardguard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace gk;
using gk::test::ManualClock;
using namespace std::chrono_literals;

namespace {

const QString Secret = QStringLiteral("eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl");
const QString What = QStringLiteral("access token");

QList<int> countdownValues(const QSignalSpy& spy)
{
    QList<int> values;
    for (const QList<QVariant>& arguments : spy)
        values.append(arguments.at(0).toInt());
    return values;
}

QList<bool> clearedValues(const QSignalSpy& spy)
{
    QList<bool> values;
    for (const QList<QVariant>& arguments : spy)
        values.append(arguments.at(0).toBool());
    return values;
}

QStringList capturedMessages;

// The user copies something in another application: on X11 that replaces the selection too.
void userCopies(const QString& text)
{
    QClipboard* clipboard = QGuiApplication::clipboard();
    clipboard->setText(text, QClipboard::Clipboard);
    if (clipboard->supportsSelection())
        clipboard->setText(text, QClipboard::Selection);
}

void captureMessage(QtMsgType, const QMessageLogContext&, const QString& message)
{
    capturedMessages.append(message);
}

} // namespace

class TestClipboardGuard : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void copyPutsExactTextAndHistoryHints();
    void countdownEmitsEverySecondAndClearsAtZero();
    void tickWithoutTimePassingEmitsNothing();
    void leavesTheUsersCopyAlone_data();
    void leavesTheUsersCopyAlone();
    void comparesContentAtZeroEvenWithoutChangeSignal();
    void selectionKeepsCountingWhenOnlyTheClipboardWasReplaced();
    void clearNowClearsOnce();
    void clearNowLeavesOtherContentAlone();
    void destroyingTheGuardClears();
    void destroyingTheGuardLeavesTheUsersCopy();
    void quittingClears();
    void secondCopyRestartsTheCountdownWithTheNewText();
    void timerDrivesTheCountdown();
    void emptyTextIsIgnored();
    void neverLogsTheSecret();
    void guardsTextPastedFromAnotherApplication();
    void guardingTextNotOnTheClipboardChangesNothing();

private:
    QClipboard* clipboard() const { return QGuiApplication::clipboard(); }
    std::unique_ptr<ManualClock> m_clock;
};

void TestClipboardGuard::init()
{
    m_clock = std::make_unique<ManualClock>(QDateTime(QDate(2026, 11, 23), QTime(9, 0)));
    clipboard()->clear(QClipboard::Clipboard);
    if (clipboard()->supportsSelection())
        clipboard()->clear(QClipboard::Selection);
}

void TestClipboardGuard::cleanup()
{
    m_clock.reset();
}

void TestClipboardGuard::copyPutsExactTextAndHistoryHints()
{
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    guard.copySecret(Secret, What);

    QCOMPARE(clipboard()->text(), Secret);
    const QMimeData* mime = clipboard()->mimeData();
    QVERIFY(mime);
    QVERIFY(mime->hasFormat(QStringLiteral("text/plain")));
#if defined(Q_OS_LINUX)
    QCOMPARE(mime->data(QStringLiteral("x-kde-passwordManagerHint")), QByteArrayLiteral("secret"));
#endif
    const auto hints = ClipboardGuard::historyExclusionHints();
    QVERIFY(!hints.isEmpty());
    for (const auto& [format, value] : hints)
        QCOMPARE(mime->data(format), value);
    if (clipboard()->supportsSelection()) {
        QCOMPARE(clipboard()->text(QClipboard::Selection), Secret);
        for (const auto& [format, value] : hints)
            QCOMPARE(clipboard()->mimeData(QClipboard::Selection)->data(format), value);
    }

    QVERIFY(guard.isActive());
    QCOMPARE(guard.secondsLeft(), 30);
    QCOMPARE(guard.what(), What);
    QCOMPARE(guard.clearDelay(), 30s);
}

void TestClipboardGuard::countdownEmitsEverySecondAndClearsAtZero()
{
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    guard.setClearDelay(3s);
    QSignalSpy countdown(&guard, &ClipboardGuard::countdownChanged);
    QSignalSpy cleared(&guard, &ClipboardGuard::cleared);

    guard.copySecret(Secret, What);
    for (int second = 0; second < 3; ++second) {
        QCOMPARE(clipboard()->text(), Secret);
        m_clock->advanceSeconds(1);
        guard.tick();
    }

    QCOMPARE(countdownValues(countdown), QList<int>({3, 2, 1, 0}));
    for (const QList<QVariant>& arguments : countdown)
        QCOMPARE(arguments.at(1).toString(), What);
    QCOMPARE(clearedValues(cleared), QList<bool>({true}));
    QCOMPARE(clipboard()->text(), QString());
    if (clipboard()->supportsSelection())
        QCOMPARE(clipboard()->text(QClipboard::Selection), QString());
    QVERIFY(!guard.isActive());
    QCOMPARE(guard.secondsLeft(), 0);
    QCOMPARE(guard.what(), QString());
}

void TestClipboardGuard::tickWithoutTimePassingEmitsNothing()
{
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    guard.setClearDelay(5s);
    QSignalSpy countdown(&guard, &ClipboardGuard::countdownChanged);

    guard.copySecret(Secret, What);
    guard.tick();
    m_clock->set(m_clock->now().addMSecs(400)); // less than a whole second: still 5 left, rounded up
    guard.tick();

    QCOMPARE(countdownValues(countdown), QList<int>({5}));
    QCOMPARE(guard.secondsLeft(), 5);
    QCOMPARE(clipboard()->text(), Secret);
}

void TestClipboardGuard::leavesTheUsersCopyAlone_data()
{
    QTest::addColumn<QString>("usersText");
    QTest::newRow("something else") << QStringLiteral("meeting notes");
    QTest::newRow("the secret with a newline") << Secret + QLatin1Char('\n');
    QTest::newRow("part of the secret") << Secret.left(10);
}

void TestClipboardGuard::leavesTheUsersCopyAlone()
{
    QFETCH(QString, usersText);
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    guard.setClearDelay(3s);
    QSignalSpy countdown(&guard, &ClipboardGuard::countdownChanged);
    QSignalSpy cleared(&guard, &ClipboardGuard::cleared);

    guard.copySecret(Secret, What);
    m_clock->advanceSeconds(1);
    guard.tick();
    userCopies(usersText);

    QVERIFY(!guard.isActive());
    QCOMPARE(clearedValues(cleared), QList<bool>({false}));

    m_clock->advanceSeconds(5);
    guard.tick();
    guard.clearNow();
    QCOMPARE(clipboard()->text(), usersText);
    QCOMPARE(countdownValues(countdown), QList<int>({3, 2}));
    QCOMPARE(cleared.count(), 1);
}

void TestClipboardGuard::comparesContentAtZeroEvenWithoutChangeSignal()
{
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    guard.setClearDelay(2s);
    QSignalSpy cleared(&guard, &ClipboardGuard::cleared);

    guard.copySecret(Secret, What);
    {
        // A platform that does not tell us about the change: the comparison at zero must still protect it.
        const QSignalBlocker blocker(clipboard());
        userCopies(QStringLiteral("copied elsewhere"));
    }
    QVERIFY(guard.isActive());
    m_clock->advanceSeconds(2);
    guard.tick();

    QCOMPARE(clearedValues(cleared), QList<bool>({false}));
    QCOMPARE(clipboard()->text(), QStringLiteral("copied elsewhere"));
    QVERIFY(!guard.isActive());
}

void TestClipboardGuard::selectionKeepsCountingWhenOnlyTheClipboardWasReplaced()
{
    if (!clipboard()->supportsSelection())
        QSKIP("this platform has no selection (X11 has; run under xvfb with -platform xcb)");
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    guard.setClearDelay(2s);
    QSignalSpy cleared(&guard, &ClipboardGuard::cleared);

    guard.copySecret(Secret, What);
    clipboard()->setText(QStringLiteral("copied elsewhere"), QClipboard::Clipboard);
    QVERIFY(guard.isActive()); // the secret is still one middle-click away
    m_clock->advanceSeconds(2);
    guard.tick();

    QCOMPARE(clearedValues(cleared), QList<bool>({true}));
    QCOMPARE(clipboard()->text(QClipboard::Clipboard), QStringLiteral("copied elsewhere"));
    QCOMPARE(clipboard()->text(QClipboard::Selection), QString());
}

void TestClipboardGuard::clearNowClearsOnce()
{
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    QSignalSpy cleared(&guard, &ClipboardGuard::cleared);

    guard.copySecret(Secret, What);
    guard.clearNow();
    guard.clearNow();

    QCOMPARE(clearedValues(cleared), QList<bool>({true}));
    QCOMPARE(clipboard()->text(), QString());
    QVERIFY(!guard.isActive());
    QCOMPARE(guard.secondsLeft(), 0);
}

void TestClipboardGuard::clearNowLeavesOtherContentAlone()
{
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    QSignalSpy cleared(&guard, &ClipboardGuard::cleared);

    guard.copySecret(Secret, What);
    {
        const QSignalBlocker blocker(clipboard());
        userCopies(QStringLiteral("copied elsewhere"));
    }
    guard.clearNow();

    QCOMPARE(clearedValues(cleared), QList<bool>({false}));
    QCOMPARE(clipboard()->text(), QStringLiteral("copied elsewhere"));
}

void TestClipboardGuard::destroyingTheGuardClears()
{
    {
        ClipboardGuard guard(clipboard());
        guard.setClock(*m_clock);
        guard.copySecret(Secret, What);
        QCOMPARE(clipboard()->text(), Secret);
    }
    QCOMPARE(clipboard()->text(), QString());
    if (clipboard()->supportsSelection())
        QCOMPARE(clipboard()->text(QClipboard::Selection), QString());
}

void TestClipboardGuard::destroyingTheGuardLeavesTheUsersCopy()
{
    {
        ClipboardGuard guard(clipboard());
        guard.setClock(*m_clock);
        guard.copySecret(Secret, What);
        const QSignalBlocker blocker(clipboard());
        userCopies(QStringLiteral("copied elsewhere"));
    }
    QCOMPARE(clipboard()->text(), QStringLiteral("copied elsewhere"));
}

void TestClipboardGuard::quittingClears()
{
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    QSignalSpy cleared(&guard, &ClipboardGuard::cleared);
    guard.copySecret(Secret, What);

    // aboutToQuit is a private signal; the meta-object can still raise it, as QCoreApplication::exec() would.
    QVERIFY(QMetaObject::invokeMethod(QCoreApplication::instance(), "aboutToQuit", Qt::DirectConnection));

    QCOMPARE(clearedValues(cleared), QList<bool>({true}));
    QCOMPARE(clipboard()->text(), QString());
}

void TestClipboardGuard::secondCopyRestartsTheCountdownWithTheNewText()
{
    const QString curl = QStringLiteral("curl -H 'Authorization: Bearer %1' https://api.app.wdesk.com/").arg(Secret);
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    guard.setClearDelay(5s);
    QSignalSpy countdown(&guard, &ClipboardGuard::countdownChanged);
    QSignalSpy cleared(&guard, &ClipboardGuard::cleared);

    guard.copySecret(Secret, What);
    m_clock->advanceSeconds(3);
    guard.tick();
    guard.copySecret(curl, QStringLiteral("curl command"));
    QCOMPARE(clipboard()->text(), curl);
    QCOMPARE(cleared.count(), 0);

    m_clock->advanceSeconds(2); // the first copy's deadline: the second one still has 3 s
    guard.tick();
    QCOMPARE(clipboard()->text(), curl);
    QVERIFY(guard.isActive());

    m_clock->advanceSeconds(3);
    guard.tick();

    QCOMPARE(countdownValues(countdown), QList<int>({5, 2, 5, 3, 0}));
    QCOMPARE(countdown.last().at(1).toString(), QStringLiteral("curl command"));
    QCOMPARE(clearedValues(cleared), QList<bool>({true}));
    QCOMPARE(clipboard()->text(), QString());
}

void TestClipboardGuard::timerDrivesTheCountdown()
{
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    guard.setClearDelay(2s);
    guard.setTickInterval(10ms);
    QSignalSpy countdown(&guard, &ClipboardGuard::countdownChanged);
    QSignalSpy cleared(&guard, &ClipboardGuard::cleared);

    guard.copySecret(Secret, What);
    m_clock->advanceSeconds(2);

    QTRY_COMPARE_WITH_TIMEOUT(cleared.count(), 1, 5000);
    QCOMPARE(clearedValues(cleared), QList<bool>({true}));
    QCOMPARE(countdownValues(countdown), QList<int>({2, 0}));
    QCOMPARE(clipboard()->text(), QString());
}

void TestClipboardGuard::emptyTextIsIgnored()
{
    clipboard()->setText(QStringLiteral("before"));
    ClipboardGuard guard(clipboard());
    QSignalSpy countdown(&guard, &ClipboardGuard::countdownChanged);

    guard.copySecret(QString(), What);

    QVERIFY(!guard.isActive());
    QCOMPARE(countdown.count(), 0);
    QCOMPARE(clipboard()->text(), QStringLiteral("before"));
}

void TestClipboardGuard::neverLogsTheSecret()
{
    setVerboseLogging(true);
    capturedMessages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
    {
        ClipboardGuard guard(clipboard());
        guard.setClock(*m_clock);
        guard.setClearDelay(2s);
        guard.copySecret(Secret, What);
        m_clock->advanceSeconds(2);
        guard.tick();
        guard.copySecret(Secret, What);
        userCopies(QStringLiteral("copied elsewhere"));
        guard.copySecret(Secret, What);
        userCopies(Secret);
        guard.guardCopiedText(Secret, QStringLiteral("pasted Client Secret"));
        guard.clearNow();
    }
    qInstallMessageHandler(previous);
    setVerboseLogging(false);

    QVERIFY2(!capturedMessages.isEmpty(), "verbose logging should say what happened");
    for (const QString& message : std::as_const(capturedMessages)) {
        QVERIFY2(!message.contains(Secret.left(12)), qPrintable(message));
        QVERIFY2(!message.contains(Secret.right(12)), qPrintable(message));
    }
}

void TestClipboardGuard::guardsTextPastedFromAnotherApplication()
{
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    guard.setClearDelay(3s);
    QSignalSpy countdown(&guard, &ClipboardGuard::countdownChanged);
    QSignalSpy cleared(&guard, &ClipboardGuard::cleared);
    userCopies(Secret); // a browser showing Workiva's "copy secret"

    QVERIFY(guard.guardCopiedText(Secret, QStringLiteral("pasted Client Secret")));
    QVERIFY(guard.isGuarding(Secret));
    QVERIFY(!guard.isGuarding(Secret.left(10)));
    QCOMPARE(guard.what(), QStringLiteral("pasted Client Secret"));
    QVERIFY(clipboard()->text() == Secret); // left as the other application put it until the delay is over
    m_clock->advanceSeconds(3);
    guard.tick();

    QCOMPARE(countdownValues(countdown), QList<int>({3, 0}));
    QCOMPARE(clearedValues(cleared), QList<bool>({true}));
    QCOMPARE(clipboard()->text(), QString());
    QVERIFY(!guard.isGuarding(Secret));
}

void TestClipboardGuard::guardingTextNotOnTheClipboardChangesNothing()
{
    ClipboardGuard guard(clipboard());
    guard.setClock(*m_clock);
    guard.copySecret(Secret, What);
    userCopies(QStringLiteral("meeting notes"));
    QSignalSpy countdown(&guard, &ClipboardGuard::countdownChanged);

    QVERIFY(!guard.guardCopiedText(QStringLiteral("something pasted earlier"), QStringLiteral("pasted Client ID")));
    QVERIFY(!guard.guardCopiedText(QString(), QStringLiteral("pasted Client ID")));
    QCOMPARE(countdown.count(), 0);
    guard.clearNow();
    QCOMPARE(clipboard()->text(), QStringLiteral("meeting notes"));
}

QTEST_MAIN(TestClipboardGuard)
#include "tst_clipboardguard.moc"
