// The project's logging categories. All are quiet below warning unless verbose logging is switched on.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcToken)
Q_DECLARE_LOGGING_CATEGORY(lcVault)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcBatch)
Q_DECLARE_LOGGING_CATEGORY(lcCli)

namespace gk {

// Turns the debug and info output of every gk.* category on or off (the --verbose switch).
void setVerboseLogging(bool verbose);

} // namespace gk
