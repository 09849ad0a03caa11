// What a person needs to know about a server certificate: who it names, who signed it, when, its fingerprint.
#pragma once

#include <QDateTime>
#include <QString>

class QSslCertificate;

namespace gk {

struct CertificateInfo
{
    QString subject;
    QString issuer;
    QDateTime notBefore;
    QDateTime notAfter;
    QString sha256; // lower-case hex, no separators

    bool isNull() const { return sha256.isEmpty(); }

    static CertificateInfo from(const QSslCertificate& certificate);
    static QString sha256Of(const QSslCertificate& certificate);
    // "AB:CD:…" in upper case, the form browsers and openssl show.
    static QString formatFingerprint(const QString& sha256Hex);
    // Accepts hex with or without colons or spaces, any case; returns lower-case hex or an empty string.
    static QString normaliseFingerprint(const QString& text);

    friend bool operator==(const CertificateInfo&, const CertificateInfo&) = default;
};

} // namespace gk
