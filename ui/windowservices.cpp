#include "ui/windowservices.h"

#include "core/services/coreservices.h"

namespace gk {

WindowServices::WindowServices(CoreServices& core, const QString& settingsFilePath)
    : m_tester(core.vault(), core.client(), core.clock())
    , m_context{core.store(), core.vault(),      core.client(), core.repository(), core.preferences(),
                core.clock(), core.liveTokens(), m_tester,      m_clipboard,       settingsFilePath}
{}

} // namespace gk
