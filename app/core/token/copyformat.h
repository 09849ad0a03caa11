// What "Copy token" puts on the clipboard, in each of its forms: built here, once, for every face that copies.
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace gk {

struct Grant;

class CopyFormat
{
    Q_DECLARE_TR_FUNCTIONS(CopyFormat)

public:
    enum Kind { Token, AuthorizationHeader, CurlCommand };

    // The text to copy; it holds the access token, so it goes only to the clipboard guard. pinnedCertificatePem:
    // the grant's pinned certificate when known (the grant's own, or the one a test just saw): see CurlCommand.
    static QString text(Kind kind, const Grant& grant, const QString& accessToken,
                        const QByteArray& pinnedCertificatePem = {});
    // How people call what was copied: "access token", "Authorization header", "curl command".
    static QString description(Kind kind);
};

} // namespace gk
