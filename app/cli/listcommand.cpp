#include "cli/listcommand.h"

#include "cli/clioutput.h"
#include "cli/grantjson.h"
#include "core/expiry/clock.h"
#include "core/expiry/expirystatus.h"
#include "core/grant/grantstore.h"
#include "core/settings/preferences.h"
#include "core/text/durationtext.h"

#include <QJsonArray>

namespace gk::cli {

QString ListCommand::summary() const
{
    return tr("List the grants with their expiry and last test (no keychain access).");
}

void ListCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("json"), tr("Print JSON instead of a table.")});
    parser.addOption({QStringLiteral("names"), tr("Print only the names, one per line (for shell completion).")});
}

void ListCommand::run(const QCommandLineParser& parser)
{
    if (!loadStore())
        return;
    const QDate today = m_context.clock.today();
    const int warningDays = m_context.preferences.expiryWarningDays();
    const QList<Grant>& grants = m_context.store.grants();

    if (parser.isSet(QStringLiteral("names"))) {
        for (const Grant& grant : grants)
            m_context.output.line(grant.name); // names are printable text on one line (GrantValidator)
        finish(ExitOk);
        return;
    }
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Grant& grant : grants)
            array.append(GrantJson::grant(grant, today, warningDays));
        QJsonObject root;
        root.insert(QStringLiteral("grants"), array);
        m_context.output.json(QJsonDocument(root));
        finish(ExitOk);
        return;
    }

    if (grants.isEmpty()) {
        m_context.output.line(tr("No grants yet. Add one with: grantkeeper add --name NAME --user USER --region us"));
        finish(ExitOk);
        return;
    }
    const QDateTime now = m_context.clock.now();
    QList<QStringList> rows;
    for (const Grant& grant : grants) {
        const ExpiryStatus expiry = ExpiryStatus::evaluate(grant.expiresOn, today, warningDays);
        QString status = expiry.describe();
        if (expiry.state() == ExpiryState::Expiring)
            status = tr("EXPIRING, %1").arg(status);
        else if (expiry.state() == ExpiryState::Expired)
            status = tr("EXPIRED, %1").arg(status);
        QString lastTest = tr("never tested");
        if (const TestRecord* record = grant.lastTest()) {
            const TestVerdict verdict = record->details();
            const QString age = describeAge(record->testedAt, now);
            lastTest = verdict.isPass() ? tr("passed %1").arg(age)
                                        : tr("%1 %2 (%3)").arg(verdict.label().toUpper(), age, verdict.errorCode());
        }
        rows.append({grant.name, grant.integrationUser, grant.environmentLabel(),
                     grant.expiresOn ? grant.expiresOn->toString(Qt::ISODate) : QStringLiteral("-"), status, lastTest});
    }
    m_context.output.table({tr("NAME"), tr("USER"), tr("REGION"), tr("EXPIRES"), tr("STATUS"), tr("LAST TEST")}, rows);
    finish(ExitOk);
}

} // namespace gk::cli
