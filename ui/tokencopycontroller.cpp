#include "ui/tokencopycontroller.h"

#include "core/grant/grant.h"
#include "core/settings/preferences.h"
#include "core/token/certificateinfo.h"
#include "core/token/curlcommand.h"
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
    const QByteArray pinned = seenPinnedCertificate(grant);
    m_context.clipboard.copySecret(CopyFormat::text(format, grant, token.accessToken, pinned), what);
    const QString copied = tr("Copied the %1 of \"%2\".").arg(what, grant.name);
    const QString caveat = format == CopyFormat::CurlCommand ? CurlCommand::trustCaveat(grant, pinned) : QString();
    emit statusMessage(caveat.isEmpty() ? copied : copied + QLatin1Char(' ') + caveat, caveat.isEmpty() ? 3000 : 15000);
}

QByteArray TokenCopyController::seenPinnedCertificate(const Grant& grant) const
{
    if (grant.trust.mode != TrustMode::Pinned)
        return {};
    if (!grant.trust.pinnedCertificatePem.isEmpty())
        return grant.trust.pinnedCertificatePem.toUtf8();
    // The fingerprint alone cannot be turned into curl's public-key pin: the certificate a test saw can.
    const auto result = m_tests.currentResult(grant);
    if (!result || !result->token || !result->token->isSuccess())
        return {};
    const CertificateInfo& seen = result->token->response().serverCertificate;
    return seen.sha256 == CertificateInfo::normaliseFingerprint(grant.trust.pinnedSha256) ? seen.pem : QByteArray();
}

} // namespace gk
