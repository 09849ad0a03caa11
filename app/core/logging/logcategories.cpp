#include "core/logging/logcategories.h"

Q_LOGGING_CATEGORY(lcToken, "gk.core.token", QtWarningMsg)
Q_LOGGING_CATEGORY(lcVault, "gk.core.vault", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStore, "gk.core.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcBatch, "gk.core.batch", QtWarningMsg)
Q_LOGGING_CATEGORY(lcCli, "gk.cli", QtWarningMsg)

namespace gk {

void setVerboseLogging(bool verbose)
{
    QLoggingCategory::setFilterRules(verbose ? QStringLiteral("gk.*=true") : QString());
}

} // namespace gk
