// The window's logging category, gk.ui: quiet below warning unless --verbose turns the gk.* categories on.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcUi)
