#include "core/monitoring/grantmetrics.h"

#include "core/expiry/expirystatus.h"
#include "core/verdict/testverdict.h"

#include <functional>

namespace gk {

namespace {

QString labelsOf(const Grant& grant)
{
    return QStringLiteral("name=\"%1\",integration_user=\"%2\",region=\"%3\"")
        .arg(GrantMetrics::escapeLabelValue(grant.name), GrantMetrics::escapeLabelValue(grant.integrationUser),
             GrantMetrics::escapeLabelValue(grant.environmentLabel()));
}

// One metric family: HELP, TYPE, then a sample for each grant that has a value.
void appendFamily(QString& text, const QString& name, const QString& help, const QList<Grant>& grants,
                  const std::function<QStringList(const Grant&, const QString& labels)>& samples)
{
    text += QStringLiteral("# HELP %1 %2\n# TYPE %1 gauge\n").arg(name, help);
    for (const Grant& grant : grants)
        for (const QString& sample : samples(grant, labelsOf(grant)))
            text += sample + QLatin1Char('\n');
}

QString sample(const QString& name, const QString& labels, const QString& value)
{
    return QStringLiteral("%1{%2} %3").arg(name, labels, value);
}

} // namespace

QString GrantMetrics::escapeLabelValue(const QString& value)
{
    QString escaped = value;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('"'), QStringLiteral("\\\""))
        .replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return escaped;
}

qint64 GrantMetrics::expiryTimestamp(const QDate& expiresOn)
{
    return expiresOn.addDays(1).startOfDay().toSecsSinceEpoch();
}

QString GrantMetrics::exposition(const QList<Grant>& grants, const QDate& today, const QString& version)
{
    QString text;
    text += QStringLiteral("# HELP grantkeeper_build_info Grant Keeper's version.\n"
                           "# TYPE grantkeeper_build_info gauge\n"
                           "grantkeeper_build_info{version=\"%1\"} 1\n")
                .arg(escapeLabelValue(version));
    text += QStringLiteral("# HELP grantkeeper_grants The number of grants.\n"
                           "# TYPE grantkeeper_grants gauge\n"
                           "grantkeeper_grants %1\n")
                .arg(grants.size());
    appendFamily(text, QStringLiteral("grantkeeper_grant_expiry_timestamp_seconds"),
                 QStringLiteral("When the grant stops working: the end of its expiration date, local time."), grants,
                 [](const Grant& grant, const QString& labels) {
                     if (!grant.expiresOn)
                         return QStringList();
                     return QStringList{sample(QStringLiteral("grantkeeper_grant_expiry_timestamp_seconds"), labels,
                                               QString::number(expiryTimestamp(*grant.expiresOn)))};
                 });
    appendFamily(text, QStringLiteral("grantkeeper_grant_days_left"),
                 QStringLiteral("Days until the expiration date (0: expires today, negative: expired)."), grants,
                 [&today](const Grant& grant, const QString& labels) {
                     const auto days = ExpiryStatus::evaluate(grant.expiresOn, today).daysLeft();
                     if (!days)
                         return QStringList();
                     return QStringList{
                         sample(QStringLiteral("grantkeeper_grant_days_left"), labels, QString::number(*days))};
                 });
    appendFamily(text, QStringLiteral("grantkeeper_grant_last_test_timestamp_seconds"),
                 QStringLiteral("When the grant was last tested (the server answered)."), grants,
                 [](const Grant& grant, const QString& labels) {
                     const TestRecord* record = grant.lastTest();
                     if (!record)
                         return QStringList();
                     return QStringList{sample(QStringLiteral("grantkeeper_grant_last_test_timestamp_seconds"), labels,
                                               QString::number(record->testedAt.toSecsSinceEpoch()))};
                 });
    appendFamily(
        text, QStringLiteral("grantkeeper_grant_last_test_verdict"),
        QStringLiteral("The last test's verdict: 1 for the verdict it had, 0 for the others."), grants,
        [](const Grant& grant, const QString& labels) {
            const TestRecord* record = grant.lastTest();
            if (!record)
                return QStringList();
            QStringList samples;
            for (const Verdict kind : {Verdict::Passed, Verdict::ScopeMissing, Verdict::Refused, Verdict::Unreachable})
                samples.append(sample(QStringLiteral("grantkeeper_grant_last_test_verdict"),
                                      labels + QStringLiteral(",verdict=\"%1\"").arg(TestVerdict::name(kind)),
                                      record->verdict == kind ? QStringLiteral("1") : QStringLiteral("0")));
            return samples;
        });
    appendFamily(text, QStringLiteral("grantkeeper_grant_last_test_round_trip_seconds"),
                 QStringLiteral("How long the last test's token request took."), grants,
                 [](const Grant& grant, const QString& labels) {
                     const TestRecord* record = grant.lastTest();
                     if (!record || record->roundTripMs < 0)
                         return QStringList();
                     return QStringList{sample(QStringLiteral("grantkeeper_grant_last_test_round_trip_seconds"), labels,
                                               QString::number(record->roundTripMs / 1000.0, 'f', 3))};
                 });
    return text;
}

} // namespace gk
