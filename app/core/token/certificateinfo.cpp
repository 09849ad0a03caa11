#include "core/token/certificateinfo.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSslCertificate>
#include <QSslKey>

namespace gk {

namespace {

QString distinguishedName(const QSslCertificate& certificate, bool issuer)
{
    const auto attribute = [&](QSslCertificate::SubjectInfo info) {
        const QStringList values = issuer ? certificate.issuerInfo(info) : certificate.subjectInfo(info);
        return values.join(QStringLiteral(", "));
    };
    QStringList parts;
    const std::pair<const char*, QSslCertificate::SubjectInfo> fields[] = {
        {"CN", QSslCertificate::CommonName},
        {"O", QSslCertificate::Organization},
        {"OU", QSslCertificate::OrganizationalUnitName},
        {"C", QSslCertificate::CountryName},
    };
    for (const auto& [label, info] : fields) {
        const QString value = attribute(info);
        if (!value.isEmpty())
            parts.append(QLatin1String(label) + QLatin1Char('=') + value);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

CertificateInfo CertificateInfo::from(const QSslCertificate& certificate)
{
    CertificateInfo info;
    if (certificate.isNull())
        return info;
    info.subject = distinguishedName(certificate, false);
    info.issuer = distinguishedName(certificate, true);
    info.notBefore = certificate.effectiveDate();
    info.notAfter = certificate.expiryDate();
    info.sha256 = sha256Of(certificate);
    info.pem = certificate.toPem();
    return info;
}

QString CertificateInfo::sha256Of(const QSslCertificate& certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex());
}

QString CertificateInfo::formatFingerprint(const QString& sha256Hex)
{
    QStringList pairs;
    for (qsizetype i = 0; i + 1 < sha256Hex.size(); i += 2)
        pairs.append(sha256Hex.mid(i, 2).toUpper());
    return pairs.join(QLatin1Char(':'));
}

QString CertificateInfo::normaliseFingerprint(const QString& text)
{
    QString hex = text.trimmed().toLower();
    hex.remove(QRegularExpression(QStringLiteral("[\\s:]")));
    static const QRegularExpression sha256Hex(QStringLiteral("^[0-9a-f]{64}$"));
    return sha256Hex.match(hex).hasMatch() ? hex : QString();
}

QString CertificateInfo::publicKeyPin(const QByteArray& pem)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certificates.isEmpty())
        return {};
    // A public key's DER form is its SubjectPublicKeyInfo, which is what curl hashes.
    const QByteArray spki = certificates.first().publicKey().toDer();
    if (spki.isEmpty())
        return {};
    return QStringLiteral("sha256//") +
           QString::fromLatin1(QCryptographicHash::hash(spki, QCryptographicHash::Sha256).toBase64());
}

} // namespace gk
