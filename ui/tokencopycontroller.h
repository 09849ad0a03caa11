// Copies a grant's live token to the clipboard, as the bare token, a header or a curl command (CopyFormat), through
// the ClipboardGuard; when the grant has no live token, TestRunController fetches one first.
#pragma once

#include "core/token/copyformat.h"
#include "ui/uicontext.h"

#include <QObject>

namespace gk {

class TestRunController;
struct Grant;
struct LiveToken;

class TokenCopyController : public QObject
{
    Q_OBJECT

public:
    // tests must outlive this controller.
    TokenCopyController(const UiContext& context, TestRunController& tests, QObject* parent = nullptr);

    void copy(const Grant& grant, CopyFormat::Kind format);
    // The clipboard guard counts down for as long as the preferences say; call again when they change.
    void applyPreferences();

signals:
    void statusMessage(const QString& text, int timeoutMs);

private:
    void copyFetched(const Grant& grant, CopyFormat::Kind format);
    void copyLiveToken(const Grant& grant, const LiveToken& token, CopyFormat::Kind format);
    // A pinned grant's certificate, from the grant or from this session's last test of it; empty when unknown.
    QByteArray seenPinnedCertificate(const Grant& grant) const;

    UiContext m_context;
    TestRunController& m_tests;
};

} // namespace gk
