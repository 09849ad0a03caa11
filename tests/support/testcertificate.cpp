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

// Runs openssl with these arguments (in workingDirectory when given) and waits for it to finish.
bool runOpenssl(const QStringList& arguments, QString* errorMessage, const QString& workingDirectory = QString())
{
    const QString program = opensslProgram();
    QProcess openssl;
    if (!workingDirectory.isEmpty())
        openssl.setWorkingDirectory(workingDirectory);
    openssl.start(program, arguments);
    // A blocking wait is fine here: it waits for a child process, not for time to pass.
    if (!openssl.waitForFinished(30000)) {
        setError(errorMessage, QStringLiteral("%1 did not run or finish: %2").arg(program, openssl.errorString()));
        openssl.kill();
        openssl.waitForFinished(1000);
        return false;
    }
    if (openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
        setError(errorMessage, QStringLiteral("%1 %2 failed with exit code %3: %4")
                                   .arg(program, arguments.join(QLatin1Char(' ')))
                                   .arg(openssl.exitCode())
                                   .arg(QString::fromLocal8Bit(openssl.readAllStandardError()).trimmed()));
        return false;
    }
    return true;
}

bool writeFile(const QString& path, const QByteArray& contents, QString* errorMessage)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(contents) != contents.size()) {
        setError(errorMessage, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    return true;
}

QStringList newEcKeyArguments()
{
    return {QStringLiteral("-newkey"), QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes")};
}

// Extensions for `openssl x509 -req -extfile` and `openssl ca -extfile`.
QByteArray caExtensions(bool pathLengthZero)
{
    return QByteArrayLiteral("basicConstraints=critical,CA:TRUE") + (pathLengthZero ? ",pathlen:0" : "") +
           QByteArrayLiteral("\n"
                             "keyUsage=critical,keyCertSign,cRLSign\n"
                             "subjectKeyIdentifier=hash\n"
                             "authorityKeyIdentifier=keyid\n");
}

QByteArray leafExtensions(const QString& subjectAltName)
{
    QByteArray extensions = QByteArrayLiteral("basicConstraints=critical,CA:FALSE\n"
                                              "keyUsage=critical,digitalSignature\n"
                                              "extendedKeyUsage=serverAuth\n"
                                              "subjectKeyIdentifier=hash\n"
                                              "authorityKeyIdentifier=keyid\n");
    if (!subjectAltName.isEmpty())
        extensions += "subjectAltName=" + subjectAltName.toUtf8() + '\n';
    return extensions;
}

// The least `openssl ca` needs; it is used only to sign with chosen (past) start and end dates, which
// `openssl x509 -req` cannot do.
const QByteArray minimalCaConfig = QByteArrayLiteral("[ca]\n"
                                                     "default_ca = test_ca\n"
                                                     "[test_ca]\n"
                                                     "database = index.txt\n"
                                                     "new_certs_dir = .\n"
                                                     "default_md = sha256\n"
                                                     "policy = any_subject\n"
                                                     "unique_subject = no\n"
                                                     "rand_serial = yes\n"
                                                     "copy_extensions = none\n"
                                                     "[any_subject]\n"
                                                     "commonName = supplied\n");

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
    const QString certificatePath = dir.absoluteFilePath(QStringLiteral("cert-%1.pem").arg(suffix));
    const QString keyPath = dir.absoluteFilePath(QStringLiteral("key-%1.pem").arg(suffix));

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
    arguments << QStringLiteral("-keyout") << keyPath << QStringLiteral("-out") << certificatePath;

    if (!runOpenssl(arguments, errorMessage))
        return std::nullopt;
    return load(certificatePath, keyPath, options.keyType, errorMessage);
}

std::optional<TestCertificate> TestCertificate::load(const QString& certificatePath, const QString& keyPath,
                                                     KeyType keyType, QString* errorMessage)
{
    TestCertificate result;
    result.m_certificatePath = certificatePath;
    result.m_keyPath = keyPath;
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(certificatePath, QSsl::Pem);
    if (certificates.size() != 1 || certificates.first().isNull()) {
        setError(errorMessage, QStringLiteral("Qt could not load the certificate %1").arg(certificatePath));
        return std::nullopt;
    }
    result.m_certificate = certificates.first();

    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        setError(errorMessage, QStringLiteral("cannot read %1: %2").arg(keyPath, keyFile.errorString()));
        return std::nullopt;
    }
    const QSsl::KeyAlgorithm algorithm = keyType == KeyType::Ec ? QSsl::Ec : QSsl::Rsa;
    result.m_key = QSslKey(keyFile.readAll(), algorithm, QSsl::Pem, QSsl::PrivateKey);
    if (result.m_key.isNull()) {
        setError(errorMessage, QStringLiteral("Qt could not load the private key %1").arg(keyPath));
        return std::nullopt;
    }
    return result;
}

QString TestCertificate::sha256Hex() const
{
    return QString::fromLatin1(m_certificate.digest(QCryptographicHash::Sha256).toHex());
}

// ---- TestCertificateChain ----

std::optional<TestCertificateChain> TestCertificateChain::generate(const QString& directory, QString* errorMessage)
{
    return generate(directory, Options(), errorMessage);
}

std::optional<TestCertificateChain> TestCertificateChain::generate(const QString& directory, const Options& options,
                                                                   QString* errorMessage)
{
    QDir dir(directory);
    if (!dir.exists()) {
        setError(errorMessage, QStringLiteral("certificate directory %1 does not exist").arg(directory));
        return std::nullopt;
    }
    // Its own directory: openssl ca keeps a database and writes serial-named copies next to it.
    const QString name = QStringLiteral("chain-%1").arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
    if (!dir.mkdir(name)) {
        setError(errorMessage, QStringLiteral("cannot create %1").arg(dir.absoluteFilePath(name)));
        return std::nullopt;
    }
    dir.cd(name);
    const auto path = [&dir](const char* file) { return dir.absoluteFilePath(QLatin1String(file)); };
    const QString days = QString::number(options.days);

    // The root: self-signed, a CA.
    QStringList rootArguments{QStringLiteral("req"), QStringLiteral("-x509")};
    rootArguments << newEcKeyArguments() << QStringLiteral("-days") << days << QStringLiteral("-subj")
                  << QStringLiteral("/O=Grant Keeper tests/CN=Grant Keeper Test Root CA") << QStringLiteral("-addext")
                  << QStringLiteral("basicConstraints=critical,CA:TRUE") << QStringLiteral("-addext")
                  << QStringLiteral("keyUsage=critical,keyCertSign,cRLSign") << QStringLiteral("-keyout")
                  << path("root.key") << QStringLiteral("-out") << path("root.pem");
    if (!runOpenssl(rootArguments, errorMessage))
        return std::nullopt;

    // A key and a signing request, then a certificate for it signed by issuer, valid for `days` from now.
    const auto issue = [&](const char* stem, const QString& subject, const QByteArray& extensions, const char* issuer) {
        const QString base = QLatin1String(stem);
        QStringList request{QStringLiteral("req"), QStringLiteral("-new")};
        request << newEcKeyArguments() << QStringLiteral("-subj") << subject << QStringLiteral("-keyout")
                << dir.absoluteFilePath(base + QStringLiteral(".key")) << QStringLiteral("-out")
                << dir.absoluteFilePath(base + QStringLiteral(".csr"));
        const QString extensionFile = dir.absoluteFilePath(base + QStringLiteral(".ext"));
        if (!runOpenssl(request, errorMessage) || !writeFile(extensionFile, extensions, errorMessage))
            return false;
        const QString issuerBase = QLatin1String(issuer);
        const QStringList sign{QStringLiteral("x509"),
                               QStringLiteral("-req"),
                               QStringLiteral("-in"),
                               dir.absoluteFilePath(base + QStringLiteral(".csr")),
                               QStringLiteral("-CA"),
                               dir.absoluteFilePath(issuerBase + QStringLiteral(".pem")),
                               QStringLiteral("-CAkey"),
                               dir.absoluteFilePath(issuerBase + QStringLiteral(".key")),
                               QStringLiteral("-set_serial"),
                               QStringLiteral("0x") + QUuid::createUuid().toString(QUuid::Id128).left(16),
                               QStringLiteral("-days"),
                               days,
                               QStringLiteral("-sha256"),
                               QStringLiteral("-extfile"),
                               extensionFile,
                               QStringLiteral("-out"),
                               dir.absoluteFilePath(base + QStringLiteral(".pem"))};
        return runOpenssl(sign, errorMessage);
    };
    if (!issue("intermediate", QStringLiteral("/O=Grant Keeper tests/CN=Grant Keeper Test Intermediate CA"),
               caExtensions(true), "root"))
        return std::nullopt;
    const QString leafSubject = QStringLiteral("/CN=%1").arg(options.leafCommonName);
    const QByteArray leafExtensionText = leafExtensions(options.leafSubjectAltName);
    if (!issue("leaf", leafSubject, leafExtensionText, "intermediate"))
        return std::nullopt;

    // The expired leaf: same host, same intermediate, dates in the past. Only `openssl ca` can backdate.
    QStringList expiredRequest{QStringLiteral("req"), QStringLiteral("-new")};
    expiredRequest << newEcKeyArguments() << QStringLiteral("-subj") << leafSubject << QStringLiteral("-keyout")
                   << path("expired.key") << QStringLiteral("-out") << path("expired.csr");
    if (!runOpenssl(expiredRequest, errorMessage) || !writeFile(path("ca.cnf"), minimalCaConfig, errorMessage) ||
        !writeFile(path("index.txt"), QByteArray(), errorMessage))
        return std::nullopt;
    const QStringList expiredSign{QStringLiteral("ca"),         QStringLiteral("-batch"),
                                  QStringLiteral("-config"),    path("ca.cnf"),
                                  QStringLiteral("-cert"),      path("intermediate.pem"),
                                  QStringLiteral("-keyfile"),   path("intermediate.key"),
                                  QStringLiteral("-startdate"), QStringLiteral("20200101000000Z"),
                                  QStringLiteral("-enddate"),   QStringLiteral("20200102000000Z"),
                                  QStringLiteral("-extfile"),   path("leaf.ext"),
                                  QStringLiteral("-notext"),    QStringLiteral("-in"),
                                  path("expired.csr"),          QStringLiteral("-out"),
                                  path("expired.pem")};
    // The config's relative paths (database, new_certs_dir) are resolved against the chain's directory.
    if (!runOpenssl(expiredSign, errorMessage, dir.absolutePath()))
        return std::nullopt;

    TestCertificateChain chain;
    const auto loadInto = [&](TestCertificate& target, const char* stem) {
        const QString base = QLatin1String(stem);
        auto loaded = TestCertificate::load(dir.absoluteFilePath(base + QStringLiteral(".pem")),
                                            dir.absoluteFilePath(base + QStringLiteral(".key")),
                                            TestCertificate::KeyType::Ec, errorMessage);
        if (loaded)
            target = *loaded;
        return loaded.has_value();
    };
    if (!loadInto(chain.m_root, "root") || !loadInto(chain.m_intermediate, "intermediate") ||
        !loadInto(chain.m_leaf, "leaf") || !loadInto(chain.m_expiredLeaf, "expired"))
        return std::nullopt;
    return chain;
}

} // namespace gk::test
