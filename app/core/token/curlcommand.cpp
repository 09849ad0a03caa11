#include "core/token/curlcommand.h"

#include "core/grant/grant.h"
#include "core/token/certificateinfo.h"

#include <QSslCertificate>
#include <QStringList>

namespace gk {

namespace {

// The pinned certificate's public key pin, when the certificate is known and is the pinned one.
QString pinOf(const Grant& grant, const QByteArray& pinnedCertificatePem)
{
    if (grant.trust.mode != TrustMode::Pinned || pinnedCertificatePem.isEmpty())
        return {};
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pinnedCertificatePem, QSsl::Pem);
    if (certificates.isEmpty() || CertificateInfo::sha256Of(certificates.first()) !=
                                      CertificateInfo::normaliseFingerprint(grant.trust.pinnedSha256))
        return {};
    return CertificateInfo::publicKeyPin(pinnedCertificatePem);
}

} // namespace

QString CurlCommand::placeholderPath()
{
    return QStringLiteral("/REPLACE-WITH-API-PATH");
}

QString CurlCommand::shellQuoted(const QString& text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString CurlCommand::build(const Grant& grant, const QString& accessToken, const QByteArray& pinnedCertificatePem)
{
    QUrl url = grant.apiBaseUrl();
    url.setPath(placeholderPath());
    QStringList curl = {QStringLiteral("curl"), QStringLiteral("-H"), QStringLiteral("@-"), QStringLiteral("-H"),
                        shellQuoted(QStringLiteral("X-Version: ") + Environment::versionString(grant.apiVersion))};
    if (grant.trust.mode == TrustMode::SystemPlusCaFile && !grant.trust.caFilePath.isEmpty()) {
        curl << QStringLiteral("--cacert") << shellQuoted(grant.trust.caFilePath);
    } else if (const QString pin = pinOf(grant, pinnedCertificatePem); !pin.isEmpty()) {
        // Like a test: the pinned key instead of a CA's word. --insecure only skips the CA check; the pin is still
        // checked before a byte is sent.
        curl << QStringLiteral("--pinnedpubkey") << shellQuoted(pin) << QStringLiteral("--insecure");
    }
    curl << shellQuoted(url.toString());
    return QStringLiteral(" printf '%s\\n' ") + shellQuoted(QStringLiteral("Authorization: Bearer ") + accessToken) +
           QStringLiteral(" | ") + curl.join(QLatin1Char(' '));
}

QString CurlCommand::trustCaveat(const Grant& grant, const QByteArray& pinnedCertificatePem)
{
    if (grant.trust.mode != TrustMode::Pinned || !pinOf(grant, pinnedCertificatePem).isEmpty())
        return {};
    // The grant pins a certificate's SHA-256 fingerprint; curl can only pin a public key, which needs the
    // certificate itself.
    return tr("curl cannot check this grant's pinned fingerprint until Grant Keeper has seen the certificate: test "
              "the grant, then copy again. This command trusts the system's certificate authorities.");
}

} // namespace gk
