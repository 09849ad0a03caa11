// Throw-away server certificates made by the openssl tool at test time, so no key is committed: a self-signed
// one (TestCertificate), or a leaf issued by a CA through an intermediate (TestCertificateChain).
#pragma once

#include <QList>
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
    friend class TestCertificateChain;
    TestCertificate() = default;

    // Loads an existing certificate and private key written by openssl.
    static std::optional<TestCertificate> load(const QString& certificatePath, const QString& keyPath, KeyType keyType,
                                               QString* errorMessage);

    QString m_certificatePath;
    QString m_keyPath;
    QSslCertificate m_certificate;
    QSslKey m_key;
};

// A certificate chain as a public CA issues it: a root CA, an intermediate CA signed by the root, and a server
// leaf signed by the intermediate (EC keys, all valid for Options::days from now). The server presents the leaf
// and the intermediate (presentedChain()); a client trusts the root (rootCertificatePath() as a CA file). Also an
// expired leaf for the same host, signed by the same intermediate (valid 2020-01-01 to 2020-01-02 UTC).
class TestCertificateChain
{
public:
    struct Options
    {
        QString leafCommonName = QStringLiteral("127.0.0.1");
        QString leafSubjectAltName = TestCertificate::defaultSubjectAltName();
        int days = 2;
    };

    // Writes every file into a fresh chain-XXXXXXXX directory inside directory (openssl req -x509 for the root,
    // openssl req -new + x509 -req for the others, openssl ca for the backdated expired leaf). On failure returns
    // nullopt and, when errorMessage is given, says why, openssl's stderr included.
    static std::optional<TestCertificateChain> generate(const QString& directory, QString* errorMessage = nullptr);
    static std::optional<TestCertificateChain> generate(const QString& directory, const Options& options,
                                                        QString* errorMessage = nullptr);

    const TestCertificate& root() const { return m_root; }
    const TestCertificate& intermediate() const { return m_intermediate; }
    const TestCertificate& leaf() const { return m_leaf; }
    const TestCertificate& expiredLeaf() const { return m_expiredLeaf; }

    // The leaf, under the names TestCertificate uses.
    QSslCertificate certificate() const { return m_leaf.certificate(); }
    QSslKey key() const { return m_leaf.key(); }
    QString sha256Hex() const { return m_leaf.sha256Hex(); }

    // A PEM file holding only the root CA: what a client adds to its trusted CAs.
    QString rootCertificatePath() const { return m_root.certificatePath(); }
    // What a server sends: the leaf, then the intermediate (never the root).
    QList<QSslCertificate> presentedChain() const { return {m_leaf.certificate(), m_intermediate.certificate()}; }
    QList<QSslCertificate> presentedExpiredChain() const
    {
        return {m_expiredLeaf.certificate(), m_intermediate.certificate()};
    }

private:
    TestCertificateChain() = default;

    TestCertificate m_root;
    TestCertificate m_intermediate;
    TestCertificate m_leaf;
    TestCertificate m_expiredLeaf;
};

} // namespace gk::test
