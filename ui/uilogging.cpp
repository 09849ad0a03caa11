#include "ui/uilogging.h"

Q_LOGGING_CATEGORY(lcUi, "gk.ui", QtWarningMsg)
