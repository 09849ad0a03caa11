// A local OAuth2 client-credentials endpoint for trying Grant Keeper out and for the benchmarks: HTTPS on
// 127.0.0.1 with a certificate made at start, accepting the client ID / secret pairs read from standard input
// (one "CLIENT_ID SECRET" pair per line), never from arguments. More words after the pair are the scopes the server
// says it granted that client, whatever was asked (a scope shortfall, for screenshots and trials).
//
//   printf '%s\n' 'demo-client demo-secret' | gk-demo-token-server --port 8443 --dir /tmp/gk-demo
#include "httpstokenserver.h"
#include "testcertificate.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTextStream>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

using namespace gk::test;

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A local OAuth2 token endpoint for trying Grant Keeper out."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("port"), QStringLiteral("Port on 127.0.0.1 (default 8443)."),
                      QStringLiteral("PORT"), QStringLiteral("8443")});
    parser.addOption({QStringLiteral("dir"), QStringLiteral("Folder for the certificate (ca.pem is written there)."),
                      QStringLiteral("DIR"), QStringLiteral("/tmp/gk-demo")});
    parser.addOption({QStringLiteral("scopes"), QStringLiteral("Scopes the server grants (default: Workiva's)."),
                      QStringLiteral("SCOPES"),
                      QStringLiteral("file:read file:write graph:read organization:read task:read")});
    parser.addOption({QStringLiteral("expires-in"), QStringLiteral("Token lifetime in seconds (default 599)."),
                      QStringLiteral("SECONDS"), QStringLiteral("599")});
    parser.process(app);

    struct Client
    {
        QString id;
        QString secret;
        std::optional<QString> reportedScope;
    };
    QList<Client> clients;
    std::string line;
    while (std::getline(std::cin, line)) {
        const QStringList parts = QString::fromStdString(line).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (parts.size() == 2)
            clients.append({parts.at(0), parts.at(1), std::nullopt});
        else if (parts.size() > 2)
            clients.append({parts.at(0), parts.at(1), parts.mid(2).join(QLatin1Char(' '))});
    }
    if (clients.isEmpty()) {
        std::fputs("gk-demo-token-server: give \"CLIENT_ID SECRET\" lines on standard input\n", stderr);
        return 2;
    }

    const QString dir = parser.value(QStringLiteral("dir"));
    QDir().mkpath(dir);
    QString error;
    const auto certificate = TestCertificate::generate(dir, QStringLiteral("127.0.0.1"), 30, &error);
    if (!certificate) {
        std::fprintf(stderr, "gk-demo-token-server: %s\n", qPrintable(error));
        return 1;
    }
    QFile::remove(QDir(dir).filePath(QStringLiteral("ca.pem")));
    QFile::copy(certificate->certificatePath(), QDir(dir).filePath(QStringLiteral("ca.pem")));

    HttpsTokenServer server(*certificate);
    const QStringList scopes = parser.value(QStringLiteral("scopes")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const int expiresIn = parser.value(QStringLiteral("expires-in")).toInt();
    // One credential-checking handler per known client; unknown clients get invalid_client.
    QList<HttpsTokenServer::Handler> handlers;
    QStringList clientIds;
    for (const Client& client : clients) {
        OAuthServerConfig config;
        config.clientId = client.id;
        config.clientSecret = client.secret;
        config.grantedScope = client.reportedScope;
        config.grantableScopes = scopes;
        config.expiresIn = expiresIn;
        handlers.append(HttpsTokenServer::oauthServer(config));
        clientIds.append(client.id);
    }
    server.setHandler([clientIds, handlers](const RecordedRequest& request) {
        // Find the client by its ID (form body or HTTP Basic); its own handler checks the secret.
        const QByteArray basic = QByteArray::fromBase64(request.header("Authorization").mid(6));
        const QString basicId = QString::fromUtf8(basic.left(basic.indexOf(':')));
        const QString formId = request.form().value(QStringLiteral("client_id"));
        for (qsizetype i = 0; i < clientIds.size(); ++i) {
            if (clientIds.at(i) == formId || clientIds.at(i) == basicId)
                return handlers.at(i)(request);
        }
        return Response::oauthError(401, QStringLiteral("invalid_client"),
                                    QStringLiteral("Client authentication failed"));
    });
    if (!server.listen(quint16(parser.value(QStringLiteral("port")).toUInt()))) {
        std::fprintf(stderr, "gk-demo-token-server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    QTextStream(stdout) << "Token URL: " << server.url().toString()
                        << "\nCA file:   " << QDir(dir).filePath(QStringLiteral("ca.pem")) << "\n"
                        << Qt::flush;
    return app.exec();
}
