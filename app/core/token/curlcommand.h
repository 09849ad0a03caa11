// The "Copy as curl" command: a call to the grant's API that runs as pasted into a POSIX shell (sh, bash, zsh),
// with the grant's certificate trust and a live token that never appears on any process's command line.
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace gk {

struct Grant;

class CurlCommand
{
    Q_DECLARE_TR_FUNCTIONS(CurlCommand)

public:
    // Where the user puts the API call they want; the command reaches the grant's API base with it as it is.
    static QString placeholderPath();

    // The command, on one line:
    //    printf '%s\n' 'Authorization: Bearer TOKEN' | curl -H @- -H 'X-Version: …' [trust] 'https://api…/PATH'
    // printf is a builtin of every such shell, so the token is in no argv that ps shows; curl reads the header
    // from its standard input. The leading space keeps it out of bash's history where HISTCONTROL ignores such
    // lines (Debian's default). Trust: --cacert for a CA file; for a pinned certificate --pinnedpubkey with the
    // public key of pinnedCertificatePem and --insecure, as the grant trusts the pin instead of any CA (curl still
    // refuses any other key). pinnedCertificatePem: the grant's pinned certificate, when known.
    static QString build(const Grant& grant, const QString& accessToken, const QByteArray& pinnedCertificatePem);

    // What the command cannot check that a test does, in one sentence; empty when it checks the same.
    static QString trustCaveat(const Grant& grant, const QByteArray& pinnedCertificatePem);

    // 'text' for a POSIX shell: single quotes, with each ' written as '\''.
    static QString shellQuoted(const QString& text);
};

} // namespace gk
