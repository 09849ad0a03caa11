// A throw-away self-signed server certificate made by the openssl tool at test time, so no key is committed.
#pragma once

#include <QSslCertificate>
#include <QSslKey>
#include <QString>

#include <optional>

namespace gk::test {

class TestCertificate
{
public:
    enum class KeyType {
        Ec, // prime256v1: about 8 ms per certificate, against about 250 ms for RSA 2048
        Rsa2048,
    };

    struct Options
    {
        QString commonName = QStringLiteral("127.0.0.1");
        // The SAN decides which host names a client accepts; e.g. "DNS:wrong.example" makes a wrong-host cert.
        QString subjectAltName = defaultSubjectAltName();
        int days = 2; // openssl req cannot make a certificate that is already expired (days must be positive)
        KeyType keyType = KeyType::Ec;
    };

    static QString defaultSubjectAltName() { return QStringLiteral("IP:127.0.0.1,DNS:localhost"); }

    // Runs `openssl req -x509` (the program named by $GK_OPENSSL, else "openssl") and writes a fresh
    // cert-XXXXXXXX.pem / key-XXXXXXXX.pem pair into directory. On failure returns nullopt and, when
    // errorMessage is given, says why (openssl's own stderr included) so a test can QVERIFY2 with it.
    static std::optional<TestCertificate> generate(const QString& directory,
                                                   const QString& commonName = QStringLiteral("127.0.0.1"),
                                                   int days = 2, QString* errorMessage = nullptr);
    static std::optional<TestCertificate> generate(const QString& directory, const Options& options,
                                                   QString* errorMessage = nullptr);

    QString certificatePath() const { return m_certificatePath; }
    QString keyPath() const { return m_keyPath; }
    QSslCertificate certificate() const { return m_certificate; }
    QSslKey key() const { return m_key; }
    // Lower-case hex SHA-256 of the DER certificate, the form pinning compares.
    QString sha256Hex() const;

private:
    TestCertificate() = default;

    QString m_certificatePath;
    QString m_keyPath;
    QSslCertificate m_certificate;
    QSslKey m_key;
};

} // namespace gk::test
