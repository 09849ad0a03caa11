#include "ui/tokencopycontroller.h"

#include "core/grant/grant.h"
#include "core/settings/preferences.h"
#include "core/token/livetokens.h"
#include "ui/clipboardguard.h"
#include "ui/testruncontroller.h"

namespace gk {

TokenCopyController::TokenCopyController(const UiContext& context, TestRunController& tests, QObject* parent)
    : QObject(parent)
    , m_context(context)
    , m_tests(tests)
{
    connect(&m_tests, &TestRunController::tokenReadyForCopy, this, &TokenCopyController::copyFetched);
    applyPreferences();
}

void TokenCopyController::applyPreferences()
{
    m_context.clipboard.setClearDelay(std::chrono::seconds(m_context.preferences.clipboardClearSeconds()));
}

void TokenCopyController::copy(const Grant& grant, CopyFormat::Kind format)
{
    if (const auto token = m_context.liveTokens.find(grant.id)) {
        copyLiveToken(grant, *token, format);
        return;
    }
    if (m_tests.isRunning()) {
        emit statusMessage(tr("Wait for the running test to finish, or cancel it (Esc)."), 5000);
        return;
    }
    // No live token: fetch one (a test, recorded like any other), then copy it.
    m_tests.fetchForCopy(grant, format);
}

void TokenCopyController::copyFetched(const Grant& grant, CopyFormat::Kind format)
{
    if (const auto token = m_context.liveTokens.find(grant.id))
        copyLiveToken(grant, *token, format);
}

void TokenCopyController::copyLiveToken(const Grant& grant, const LiveToken& token, CopyFormat::Kind format)
{
    const QString what = CopyFormat::description(format);
    m_context.clipboard.copySecret(CopyFormat::text(format, grant, token.accessToken), what);
    emit statusMessage(tr("Copied the %1 of \"%2\".").arg(what, grant.name), 3000);
}

} // namespace gk
