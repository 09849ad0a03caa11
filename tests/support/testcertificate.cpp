#include "testcertificate.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QUuid>

namespace gk::test {

namespace {

void setError(QString* errorMessage, const QString& text)
{
    if (errorMessage)
        *errorMessage = text;
}

QString opensslProgram()
{
    const QString fromEnvironment = QProcessEnvironment::systemEnvironment().value(QStringLiteral("GK_OPENSSL"));
    return fromEnvironment.isEmpty() ? QStringLiteral("openssl") : fromEnvironment;
}

} // namespace

std::optional<TestCertificate> TestCertificate::generate(const QString& directory, const QString& commonName, int days,
                                                         QString* errorMessage)
{
    Options options;
    options.commonName = commonName;
    options.days = days;
    return generate(directory, options, errorMessage);
}

std::optional<TestCertificate> TestCertificate::generate(const QString& directory, const Options& options,
                                                         QString* errorMessage)
{
    const QDir dir(directory);
    if (!dir.exists()) {
        setError(errorMessage, QStringLiteral("certificate directory %1 does not exist").arg(directory));
        return std::nullopt;
    }
    // A unique suffix lets one test directory hold several certificates (right host, wrong host, rotated).
    const QString suffix = QUuid::createUuid().toString(QUuid::Id128).left(8);
    TestCertificate result;
    result.m_certificatePath = dir.absoluteFilePath(QStringLiteral("cert-%1.pem").arg(suffix));
    result.m_keyPath = dir.absoluteFilePath(QStringLiteral("key-%1.pem").arg(suffix));

    QStringList arguments{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey")};
    if (options.keyType == KeyType::Ec)
        arguments << QStringLiteral("ec") << QStringLiteral("-pkeyopt")
                  << QStringLiteral("ec_paramgen_curve:prime256v1");
    else
        arguments << QStringLiteral("rsa:2048");
    arguments << QStringLiteral("-nodes") << QStringLiteral("-days") << QString::number(options.days)
              << QStringLiteral("-subj") << QStringLiteral("/CN=%1").arg(options.commonName);
    if (!options.subjectAltName.isEmpty())
        arguments << QStringLiteral("-addext") << QStringLiteral("subjectAltName=%1").arg(options.subjectAltName);
    arguments << QStringLiteral("-keyout") << result.m_keyPath << QStringLiteral("-out") << result.m_certificatePath;

    const QString program = opensslProgram();
    QProcess openssl;
    openssl.start(program, arguments);
    // A blocking wait is fine here: it waits for a child process, not for time to pass.
    if (!openssl.waitForFinished(30000)) {
        setError(errorMessage, QStringLiteral("%1 did not run or finish: %2").arg(program, openssl.errorString()));
        openssl.kill();
        openssl.waitForFinished(1000);
        return std::nullopt;
    }
    if (openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
        setError(errorMessage, QStringLiteral("%1 %2 failed with exit code %3: %4")
                                   .arg(program, arguments.join(QLatin1Char(' ')))
                                   .arg(openssl.exitCode())
                                   .arg(QString::fromLocal8Bit(openssl.readAllStandardError()).trimmed()));
        return std::nullopt;
    }

    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(result.m_certificatePath, QSsl::Pem);
    if (certificates.size() != 1 || certificates.first().isNull()) {
        setError(errorMessage, QStringLiteral("Qt could not load the certificate %1").arg(result.m_certificatePath));
        return std::nullopt;
    }
    result.m_certificate = certificates.first();

    QFile keyFile(result.m_keyPath);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        setError(errorMessage, QStringLiteral("cannot read %1: %2").arg(result.m_keyPath, keyFile.errorString()));
        return std::nullopt;
    }
    const QSsl::KeyAlgorithm algorithm = options.keyType == KeyType::Ec ? QSsl::Ec : QSsl::Rsa;
    result.m_key = QSslKey(keyFile.readAll(), algorithm, QSsl::Pem, QSsl::PrivateKey);
    if (result.m_key.isNull()) {
        setError(errorMessage, QStringLiteral("Qt could not load the private key %1").arg(result.m_keyPath));
        return std::nullopt;
    }
    return result;
}

QString TestCertificate::sha256Hex() const
{
    return QString::fromLatin1(m_certificate.digest(QCryptographicHash::Sha256).toHex());
}

} // namespace gk::test
