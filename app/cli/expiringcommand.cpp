#include "cli/expiringcommand.h"

#include "cli/clioutput.h"
#include "cli/grantjson.h"
#include "core/expiry/clock.h"
#include "core/expiry/expiryattention.h"
#include "core/expiry/expirystatus.h"
#include "core/grant/grantstore.h"
#include "core/settings/preferences.h"

#include <QJsonArray>

namespace gk::cli {

QString ExpiringCommand::summary() const
{
    return tr("List grants that have expired or expire within DAYS (default: the Preferences warning window); exit 1 "
              "if there are any.");
}

void ExpiringCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("within"),
                      tr("The warning window in days (default: the one set in Preferences, 30 unless changed)."),
                      tr("DAYS")});
    parser.addOption({QStringLiteral("json"), tr("Print JSON instead of a table.")});
}

void ExpiringCommand::run(const QCommandLineParser& parser)
{
    int within = m_context.preferences.expiryWarningDays();
    if (parser.isSet(QStringLiteral("within"))) {
        bool ok = false;
        within = parser.value(QStringLiteral("within")).toInt(&ok);
        if (!ok || within < 0) {
            m_context.output.error(tr("--within needs a number of days (0 or more), not \"%1\".")
                                       .arg(parser.value(QStringLiteral("within"))));
            finish(ExitBadInput);
            return;
        }
    }
    if (!loadStore())
        return;

    const QDate today = m_context.clock.today();
    const QList<Grant> found = ExpiryAttention::of(m_context.store.grants(), today, within).grants();

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray array;
        for (const Grant& grant : std::as_const(found)) {
            QJsonObject object = GrantJson::expiry(grant, today, within);
            object.insert(QStringLiteral("name"), grant.name);
            object.insert(QStringLiteral("id"), grant.keychainKey());
            array.append(object);
        }
        QJsonObject root;
        root.insert(QStringLiteral("within_days"), within);
        root.insert(QStringLiteral("grants"), array);
        m_context.output.json(QJsonDocument(root));
    } else if (found.isEmpty()) {
        m_context.output.line(tr("No grant has expired or expires within %1 days.").arg(within));
    } else {
        QList<QStringList> rows;
        for (const Grant& grant : std::as_const(found)) {
            const ExpiryStatus status = ExpiryStatus::evaluate(grant.expiresOn, today, within);
            rows.append({grant.name, grant.expiresOn->toString(Qt::ISODate), status.describe()});
        }
        m_context.output.table({tr("NAME"), tr("EXPIRES"), tr("STATUS")}, rows);
    }
    finish(found.isEmpty() ? ExitOk : ExitCheckFailed);
}

} // namespace gk::cli
