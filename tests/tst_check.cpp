// `grantkeeper check` as a monitoring system runs it: the real command line, the real keychain and a real HTTPS
// token server on 127.0.0.1. Every state's exit code and status line, performance data in the Monitoring Plugins
// syntax, and a check that ends within its timeout when the server never answers.
#include "core/grant/grantstore.h"
#include "core/monitoring/grantcheck.h"
#include "support/clirun.h"
#include "support/httpstokenserver.h"

#include <QDate>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace gk;
using namespace gk::test;

namespace {

const QString ClientId = QStringLiteral("check-client-5c2e");
const QString ClientSecret = QStringLiteral("check-secret-Qp9");

// One performance data item (Monitoring Plugins development guidelines, "Performance data"):
// 'label'=value[UOM];[warn];[crit];[min];[max], a quote inside the label doubled, ranges as [@][start:][end].
const QRegularExpression PerfItem(QStringLiteral(R"(^'(?:[^'=]|'')+'=-?[0-9]+(?:\.[0-9]+)?(?:s|ms|us|%|B|KB|MB|TB|c)?)"
                                                 R"((?:;(?:@?(?:-?[0-9.]+|~)?:?(?:-?[0-9.]+)?)?){0,4}$)"));

QByteArray describe(const QStringList& arguments, const CliRun& run)
{
    return QStringLiteral("grantkeeper %1 exited %2\nstdout: %3\nstderr: %4")
        .arg(arguments.join(QLatin1Char(' ')))
        .arg(run.exitCode)
        .arg(QString::fromUtf8(run.out), QString::fromUtf8(run.err))
        .toUtf8();
}

// The status line's performance data, split at the spaces between items (labels are quoted).
QStringList perfItems(const QString& statusLine)
{
    const qsizetype bar = statusLine.indexOf(QStringLiteral(" | "));
    if (bar < 0)
        return {};
    QStringList items;
    static const QRegularExpression item(QStringLiteral(R"('(?:[^']|'')*'=\S*)"));
    for (auto it = item.globalMatch(statusLine.mid(bar + 3)); it.hasNext();)
        items.append(it.next().captured());
    return items;
}

} // namespace

class TestCheck : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void perfDataLabelsAreQuotedAndEscaped();
    void expiryStates_data();
    void expiryStates();
    void testedStates_data();
    void testedStates();
    void endsWithinItsTimeoutWhenTheServerNeverAnswers();
    void badUsageIsUnknown();

private:
    CliRun run(const QStringList& arguments, const QByteArray& input = {});
    void addGrant(const QString& name, const QDate& expires, const QStringList& extra = {});

    QTemporaryDir m_certificateDir;
    std::optional<TestCertificate> m_certificate;
    std::unique_ptr<HttpsTokenServer> m_server;
    std::unique_ptr<QTemporaryDir> m_home;
};

void TestCheck::initTestCase()
{
    QString error;
    m_certificate = TestCertificate::generate(m_certificateDir.path(), QStringLiteral("127.0.0.1"), 2, &error);
    QVERIFY2(m_certificate, qPrintable(error));
}

void TestCheck::init()
{
    m_server = std::make_unique<HttpsTokenServer>(*m_certificate);
    QVERIFY(m_server->listen());
    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = ClientSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    m_server->serveOAuth(config);
    m_home = std::make_unique<QTemporaryDir>();
}

void TestCheck::cleanup()
{
    m_server.reset();
    m_home.reset();
}

CliRun TestCheck::run(const QStringList& arguments, const QByteArray& input)
{
    return runCli(QStringLiteral(GK_BINARY), arguments, input, cliEnvironment(m_home->path()));
}

void TestCheck::addGrant(const QString& name, const QDate& expires, const QStringList& extra)
{
    QStringList arguments = {
        QStringLiteral("add"),       QStringLiteral("--name"),     name,
        QStringLiteral("--user"),    QStringLiteral("svc-check"),  QStringLiteral("--token-url"),
        m_server->url().toString(),  QStringLiteral("--ca-file"),  m_certificate->certificatePath(),
        QStringLiteral("--expires"), expires.toString(Qt::ISODate)};
    if (!extra.contains(QStringLiteral("--scope")))
        arguments += {QStringLiteral("--scope"), QStringLiteral("file:read")};
    arguments += extra;
    const CliRun added = run(arguments, (ClientId + QLatin1Char('\n') + ClientSecret + QLatin1Char('\n')).toUtf8());
    QVERIFY2(added.exitCode == 0 || added.err.contains("expired"), describe(arguments, added).constData());
}

void TestCheck::perfDataLabelsAreQuotedAndEscaped()
{
    QCOMPARE(GrantCheck::perfLabel(QStringLiteral("Bob's sync days_left")), QStringLiteral("'Bob''s sync days_left'"));
    QCOMPARE(GrantCheck::perfLabel(QStringLiteral("a=b")), QStringLiteral("'a-b'"));
    GrantCheck check({30, 7, false}, QDate(2026, 11, 23));
    Grant grant = Grant::create(QStringLiteral("Bob's = sync"), QDateTime::currentDateTimeUtc());
    grant.expiresOn = QDate(2026, 12, 5);
    check.add(grant);
    const QStringList items = perfItems(check.output().section(QLatin1Char('\n'), 0, 0));
    QCOMPARE(items, QStringList{QStringLiteral("'Bob''s - sync days_left'=12;31:;8:")});
    QVERIFY(PerfItem.match(items.first()).hasMatch());
}

void TestCheck::expiryStates_data()
{
    QTest::addColumn<int>("daysLeft");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("statusLine");
    QTest::newRow("fine") << 200 << 0 << QStringLiteral("GRANTS OK - 1 grant, none expires within 30 days");
    QTest::newRow("within the warning window")
        << 30 << 1 << QStringLiteral("GRANTS WARNING - 1 expires within 30 days");
    QTest::newRow("within the critical window")
        << 7 << 2 << QStringLiteral("GRANTS CRITICAL - 1 expires within 30 days");
    QTest::newRow("expired") << -3 << 2 << QStringLiteral("GRANTS CRITICAL - 1 expired");
}

void TestCheck::expiryStates()
{
    QFETCH(int, daysLeft);
    QFETCH(int, exitCode);
    QFETCH(QString, statusLine);
    addGrant(QStringLiteral("Payroll sync"), QDate::currentDate().addDays(daysLeft));
    const QStringList arguments{QStringLiteral("check")};
    const CliRun checked = run(arguments);
    QVERIFY2(checked.exitCode == exitCode, describe(arguments, checked).constData());
    const QStringList lines = QString::fromUtf8(checked.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(!lines.isEmpty());
    QCOMPARE(lines.first().section(QStringLiteral(" | "), 0, 0), statusLine);
    const QStringList items = perfItems(lines.first());
    QCOMPARE(items, QStringList{QStringLiteral("'Payroll sync days_left'=%1;31:;8:").arg(daysLeft)});
    QVERIFY2(PerfItem.match(items.first()).hasMatch(), qPrintable(items.first()));
    QCOMPARE(lines.size(), exitCode == 0 ? 1 : 2); // the long output names the grant in need
    QCOMPARE(checked.err, QByteArray());
}

void TestCheck::testedStates_data()
{
    QTest::addColumn<QStringList>("addArguments");
    QTest::addColumn<QString>("serverSecret");
    QTest::addColumn<QString>("grantedScope");
    QTest::addColumn<QStringList>("checkArguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("statusLine");
    const QString full = QStringLiteral("file:read file:write");
    QTest::newRow("passed") << QStringList() << ClientSecret << QString() << QStringList() << 0
                            << QStringLiteral("GRANTS OK - 1 grant, none expires within 30 days, 1 passed");
    QTest::newRow("scope missing") << QStringList{QStringLiteral("--scope"), full} << ClientSecret
                                   << QStringLiteral("file:read") << QStringList() << 1
                                   << QStringLiteral("GRANTS WARNING - 1 scope missing");
    QTest::newRow("refused") << QStringList() << QStringLiteral("regenerated") << QString() << QStringList() << 2
                             << QStringLiteral("GRANTS CRITICAL - 1 refused");
    // Trusting the system's authorities only, TLS refuses the test server's self-signed certificate.
    QTest::newRow("unreachable") << QStringList{QStringLiteral("--ca-file"), QString()} << ClientSecret << QString()
                                 << QStringList() << 3 << QStringLiteral("GRANTS UNKNOWN - 1 unreachable");
    QTest::newRow("unreachable counted critical")
        << QStringList{QStringLiteral("--ca-file"), QString()} << ClientSecret << QString()
        << QStringList{QStringLiteral("--unreachable"), QStringLiteral("critical")} << 2
        << QStringLiteral("GRANTS CRITICAL - 1 unreachable");
}

void TestCheck::testedStates()
{
    QFETCH(QStringList, addArguments);
    QFETCH(QString, serverSecret);
    QFETCH(QString, grantedScope);
    QFETCH(QStringList, checkArguments);
    QFETCH(int, exitCode);
    QFETCH(QString, statusLine);
    OAuthServerConfig config;
    config.clientId = ClientId;
    config.clientSecret = serverSecret;
    config.grantableScopes = {QStringLiteral("file:read"), QStringLiteral("file:write")};
    if (!grantedScope.isNull())
        config.grantedScope = grantedScope;
    m_server->serveOAuth(config);
    if (addArguments.value(1).isNull() && addArguments.value(0) == QLatin1String("--ca-file")) {
        // add without --ca-file: the grant trusts the system's authorities only
        const QStringList arguments = {QStringLiteral("add"),
                                       QStringLiteral("--name"),
                                       QStringLiteral("Ledger"),
                                       QStringLiteral("--user"),
                                       QStringLiteral("svc-check"),
                                       QStringLiteral("--token-url"),
                                       m_server->url().toString(),
                                       QStringLiteral("--scope"),
                                       QStringLiteral("file:read"),
                                       QStringLiteral("--expires"),
                                       QDate::currentDate().addDays(200).toString(Qt::ISODate)};
        const CliRun added = run(arguments, (ClientId + QLatin1Char('\n') + ClientSecret + QLatin1Char('\n')).toUtf8());
        QVERIFY2(added.exitCode == 0, describe(arguments, added).constData());
    } else {
        addGrant(QStringLiteral("Ledger"), QDate::currentDate().addDays(200), addArguments);
    }
    QStringList arguments{QStringLiteral("check"), QStringLiteral("--test")};
    arguments += checkArguments;
    const CliRun checked = run(arguments);
    QVERIFY2(checked.exitCode == exitCode, describe(arguments, checked).constData());
    const QString first = QString::fromUtf8(checked.out).section(QLatin1Char('\n'), 0, 0);
    QCOMPARE(first.section(QStringLiteral(" | "), 0, 0), statusLine);
    for (const QString& item : perfItems(first))
        QVERIFY2(PerfItem.match(item).hasMatch(), qPrintable(item));
    // A test the server answered is in the history, as any other test.
    GrantStore store(m_home->filePath(QStringLiteral("data/grantkeeper/grants.json")));
    QCOMPARE(store.load().code, StoreErrorCode::None);
    QCOMPARE(store.grants().first().history.size(), 1);
}

void TestCheck::endsWithinItsTimeoutWhenTheServerNeverAnswers()
{
    addGrant(QStringLiteral("Stalled"), QDate::currentDate().addDays(200));
    m_server->setHandler([](const RecordedRequest&) { return Response::neverAnswer(); });
    const QStringList arguments{QStringLiteral("check"), QStringLiteral("--test"), QStringLiteral("--timeout"),
                                QStringLiteral("2")};
    const CliRun checked = run(arguments);
    QVERIFY2(checked.exitCode == 3, describe(arguments, checked).constData());
    QVERIFY2(checked.out.startsWith("GRANTS UNKNOWN - "), checked.out.constData());
    QVERIFY2(checked.out.contains("timed out after 2 s") || checked.out.contains("unreachable"),
             checked.out.constData());
}

void TestCheck::badUsageIsUnknown()
{
    for (const QStringList& arguments :
         {QStringList{QStringLiteral("check"), QStringLiteral("--warning"), QStringLiteral("soon")},
          QStringList{QStringLiteral("check"), QStringLiteral("--unreachable"), QStringLiteral("maybe")},
          QStringList{QStringLiteral("check"), QStringLiteral("Nope")},
          QStringList{QStringLiteral("check"), QStringLiteral("--no-such-option")}}) {
        const CliRun checked = run(arguments);
        QVERIFY2(checked.exitCode == 3, describe(arguments, checked).constData());
        QVERIFY2(checked.out.startsWith("GRANTS UNKNOWN - "), checked.out.constData());
    }
}

QTEST_GUILESS_MAIN(TestCheck)
#include "tst_check.moc"
