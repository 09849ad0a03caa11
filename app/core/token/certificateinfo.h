// What a person needs to know about a server certificate: who it names, who signed it, when, its fingerprint.
#pragma once

#include <QByteArray>
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
    // The certificate itself (public data), so that it can be pinned or saved as a CA file as the server sent it.
    QByteArray pem;

    bool isNull() const { return sha256.isEmpty(); }

    static CertificateInfo from(const QSslCertificate& certificate);
    static QString sha256Of(const QSslCertificate& certificate);
    // "AB:CD:…" in upper case, the form browsers and openssl show.
    static QString formatFingerprint(const QString& sha256Hex);
    // Accepts hex with or without colons or spaces, any case; returns lower-case hex or an empty string.
    static QString normaliseFingerprint(const QString& text);
    // curl's --pinnedpubkey form of a certificate's public key: "sha256//" and the base64 SHA-256 of its
    // SubjectPublicKeyInfo. Empty when pem holds no certificate.
    static QString publicKeyPin(const QByteArray& pem);

    friend bool operator==(const CertificateInfo&, const CertificateInfo&) = default;
};

} // namespace gk
