// What the window needs beyond the core, made in one place for every composition root (app/main.cpp, the
// screenshot tour, the start-up benchmark): the batch tester, the clipboard guard, and the UiContext that hands
// them and the core's services to MainWindow. Tests that need their own clocks build a UiContext themselves.
#pragma once

#include "core/batch/batchtester.h"
#include "ui/clipboardguard.h"
#include "ui/uicontext.h"

namespace gk {

class CoreServices;

class WindowServices
{
public:
    // settingsFilePath: where the window keeps its geometry and column widths (empty: nowhere).
    WindowServices(CoreServices& core, const QString& settingsFilePath);
    WindowServices(const WindowServices&) = delete;
    WindowServices& operator=(const WindowServices&) = delete;

    const UiContext& context() const { return m_context; }
    BatchTester& tester() { return m_tester; }

private:
    BatchTester m_tester; // without a store: the window saves a batch's history itself, off the UI thread
    ClipboardGuard m_clipboard;
    UiContext m_context;
};

} // namespace gk
