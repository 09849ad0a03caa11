#include "cli/metricscommand.h"

#include "cli/clioutput.h"
#include "core/expiry/clock.h"
#include "core/grant/grantstore.h"
#include "core/identity/appidentity.h"
#include "core/monitoring/grantmetrics.h"

#include <QSaveFile>

namespace gk::cli {

QString MetricsCommand::summary() const
{
    return tr("Print the grants' expiry and last tests as Prometheus metrics (node_exporter's textfile collector).");
}

void MetricsCommand::addOptions(QCommandLineParser& parser)
{
    parser.addOption({QStringLiteral("output"),
                      tr("Write to FILE atomically instead of standard output (for example "
                         "/var/lib/prometheus/node-exporter/grantkeeper.prom)."),
                      tr("FILE")});
}

void MetricsCommand::run(const QCommandLineParser& parser)
{
    if (!loadStore())
        return;
    const QString text =
        GrantMetrics::exposition(m_context.store.grants(), m_context.clock.today(), AppIdentity::version());
    const QString path = parser.value(QStringLiteral("output"));
    if (path.isEmpty()) {
        m_context.output.value(text.chopped(1)); // value() ends the last line itself
        finish(ExitOk);
        return;
    }
    // The collector may read at any moment: it must see the old file or the new one, never half of one.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit()) {
        m_context.output.error(
            tr("cannot write %1: %2. Check that its folder exists and is writable.").arg(path, file.errorString()));
        finish(ExitBadInput);
        return;
    }
    finish(ExitOk);
}

} // namespace gk::cli
