// `grantkeeper metrics` read back by a real Prometheus parser (python3-prometheus-client, Debian's): every family
// and sample, label values with quotes, backslashes and non-ASCII text, the same grants as `list`, and --output
// written whole for node_exporter's textfile collector.
#include "core/grant/grantstore.h"
#include "core/monitoring/grantmetrics.h"
#include "support/clirun.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace gk;
using namespace gk::test;

namespace {

// Debian's python3 with Debian's parser (a python3 earlier in PATH may not have it).
const QString Python = QStringLiteral("/usr/bin/python3");
const char* ParseScript = R"(
import json, sys
from prometheus_client.parser import text_string_to_metric_families
families = {}
for family in text_string_to_metric_families(sys.stdin.read()):
    families[family.name] = {"type": family.type, "documentation": family.documentation,
                             "samples": [{"labels": s.labels, "value": s.value} for s in family.samples]}
print(json.dumps(families))
)";

// The families as the parser understood them: name -> {type, documentation, samples: [{labels, value}]}.
QJsonObject parsed(const QByteArray& exposition)
{
    QProcess python;
    python.start(Python, {QStringLiteral("-c"), QString::fromLatin1(ParseScript)});
    if (!python.waitForStarted())
        return {};
    python.write(exposition);
    python.closeWriteChannel();
    if (!python.waitForFinished(30000) || python.exitCode() != 0) {
        qWarning().noquote() << python.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(python.readAllStandardOutput()).object();
}

QJsonObject labels(const QString& name, const QString& user, const QString& region)
{
    return {
        {QStringLiteral("name"), name}, {QStringLiteral("integration_user"), user}, {QStringLiteral("region"), region}};
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void aRealParserReadsEveryFamilyAndLabel();
    void commandLineWritesTheSameGrantsAsList();
};

void TestMetrics::initTestCase()
{
    if (!QFile::exists(Python))
        QFAIL("/usr/bin/python3 is missing: run .ci/install-deps (python3-prometheus-client)");
}

void TestMetrics::aRealParserReadsEveryFamilyAndLabel()
{
    const QDateTime now(QDate(2026, 11, 23), QTime(9, 0), QTimeZone::utc());
    Grant tricky = Grant::create(QStringLiteral(R"(Bob's "quoted" \ sync — Zürich)"), now);
    tricky.integrationUser = QStringLiteral("svc-bob");
    tricky.region = Region::EU;
    tricky.expiresOn = QDate(2026, 12, 5);
    TestRecord record;
    record.testedAt = now.addSecs(-3600);
    record.verdict = Verdict::ScopeMissing;
    record.httpStatus = 200;
    record.roundTripMs = 182;
    tricky.appendTestRecord(record);
    Grant undated = Grant::create(QStringLiteral("Undated"), now);
    undated.integrationUser = QStringLiteral("svc-undated");
    undated.region = Region::US;

    const QJsonObject families =
        parsed(GrantMetrics::exposition({tricky, undated}, QDate(2026, 11, 23), QStringLiteral("9.8.7")).toUtf8());
    QVERIFY(!families.isEmpty());
    QCOMPARE(
        families.keys(),
        QStringList({QStringLiteral("grantkeeper_build_info"), QStringLiteral("grantkeeper_grant_days_left"),
                     QStringLiteral("grantkeeper_grant_expiry_timestamp_seconds"),
                     QStringLiteral("grantkeeper_grant_last_test_round_trip_seconds"),
                     QStringLiteral("grantkeeper_grant_last_test_timestamp_seconds"),
                     QStringLiteral("grantkeeper_grant_last_test_verdict"), QStringLiteral("grantkeeper_grants")}));
    for (const QString& name : families.keys())
        QCOMPARE(families[name][QStringLiteral("type")].toString(), QStringLiteral("gauge"));

    const auto samples = [&families](const QString& family) {
        return families[family][QStringLiteral("samples")].toArray();
    };
    QCOMPARE(samples(QStringLiteral("grantkeeper_build_info")).first()[QStringLiteral("labels")].toObject(),
             QJsonObject({{QStringLiteral("version"), QStringLiteral("9.8.7")}}));
    QCOMPARE(samples(QStringLiteral("grantkeeper_grants")).first()[QStringLiteral("value")].toDouble(), 2.0);

    const QJsonObject bob = labels(tricky.name, QStringLiteral("svc-bob"), QStringLiteral("EU"));
    const QJsonArray days = samples(QStringLiteral("grantkeeper_grant_days_left"));
    QCOMPARE(days.size(), 1); // the undated grant has no expiry to report
    QCOMPARE(days.first()[QStringLiteral("labels")].toObject(), bob);
    QCOMPARE(days.first()[QStringLiteral("value")].toDouble(), 12.0);
    QCOMPARE(samples(QStringLiteral("grantkeeper_grant_expiry_timestamp_seconds"))
                 .first()[QStringLiteral("value")]
                 .toDouble(),
             double(QDate(2026, 12, 6).startOfDay().toSecsSinceEpoch()));
    QCOMPARE(samples(QStringLiteral("grantkeeper_grant_last_test_timestamp_seconds"))
                 .first()[QStringLiteral("value")]
                 .toDouble(),
             double(now.addSecs(-3600).toSecsSinceEpoch()));
    QCOMPARE(samples(QStringLiteral("grantkeeper_grant_last_test_round_trip_seconds"))
                 .first()[QStringLiteral("value")]
                 .toDouble(),
             0.182);
    QHash<QString, double> verdicts;
    for (const QJsonValue sample : samples(QStringLiteral("grantkeeper_grant_last_test_verdict")))
        verdicts.insert(sample[QStringLiteral("labels")][QStringLiteral("verdict")].toString(),
                        sample[QStringLiteral("value")].toDouble());
    QCOMPARE(verdicts, (QHash<QString, double>{{QStringLiteral("passed"), 0},
                                               {QStringLiteral("scope_missing"), 1},
                                               {QStringLiteral("refused"), 0},
                                               {QStringLiteral("unreachable"), 0}}));
}

void TestMetrics::commandLineWritesTheSameGrantsAsList()
{
    QTemporaryDir home;
    const QString grantsFile = home.filePath(QStringLiteral("data/grantkeeper/grants.json"));
    QVERIFY(QDir().mkpath(QFileInfo(grantsFile).path()));
    GrantStore store(grantsFile);
    QCOMPARE(store.load().code, StoreErrorCode::None);
    for (const QString& name : {QStringLiteral("Payroll sync"), QStringLiteral("Ledger")}) {
        Grant grant = Grant::create(name, QDateTime::currentDateTimeUtc());
        grant.integrationUser = QStringLiteral("svc-") + name.left(3).toLower();
        grant.expiresOn = QDate::currentDate().addDays(40);
        QCOMPARE(store.upsert(grant).code, StoreErrorCode::None);
    }
    const QProcessEnvironment environment = cliEnvironment(home.path());
    const CliRun printed = runCli(QStringLiteral(GK_BINARY), {QStringLiteral("metrics")}, {}, environment);
    QCOMPARE(printed.exitCode, 0);
    const CliRun listed =
        runCli(QStringLiteral(GK_BINARY), {QStringLiteral("list"), QStringLiteral("--names")}, {}, environment);
    QStringList names;
    for (const QJsonValue sample :
         parsed(printed.out)[QStringLiteral("grantkeeper_grant_days_left")][QStringLiteral("samples")].toArray())
        names.append(sample[QStringLiteral("labels")][QStringLiteral("name")].toString());
    QCOMPARE(names, QString::fromUtf8(listed.out).split(QLatin1Char('\n'), Qt::SkipEmptyParts));

    const QString prom = home.filePath(QStringLiteral("textfile/grantkeeper.prom"));
    QVERIFY(QDir().mkpath(QFileInfo(prom).path()));
    const CliRun written = runCli(QStringLiteral(GK_BINARY),
                                  {QStringLiteral("metrics"), QStringLiteral("--output"), prom}, {}, environment);
    QCOMPARE(written.exitCode, 0);
    QCOMPARE(written.out, QByteArray());
    QFile file(prom);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), printed.out);
    const CliRun nowhere =
        runCli(QStringLiteral(GK_BINARY),
               {QStringLiteral("metrics"), QStringLiteral("--output"), home.filePath(QStringLiteral("no/such/x.prom"))},
               {}, environment);
    QCOMPARE(nowhere.exitCode, 2);
    QVERIFY2(nowhere.err.contains("cannot write"), nowhere.err.constData());
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
