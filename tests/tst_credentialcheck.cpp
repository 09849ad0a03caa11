#include "core/vault/credentialcheck.h"
#include "core/vault/credentials.h"

#include <QDebug>
#include <QTest>

using namespace gk;

class TestCredentialCheck : public QObject
{
    Q_OBJECT

private slots:
    void acceptsWellFormedPairWithSurroundingSpace();
    void flagsPastingMistakes_data();
    void flagsPastingMistakes();
    void credentialsAreTrimmedAndPrintRedacted();
    void clientIdHintShowsOnlyTheLastFourCharacters();
};

void TestCredentialCheck::acceptsWellFormedPairWithSurroundingSpace()
{
    QCOMPARE(CredentialCheck::check(QStringLiteral("  abcd-1234 "), QStringLiteral("s3cr3t\n")), std::nullopt);
}

void TestCredentialCheck::flagsPastingMistakes_data()
{
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("clientSecret");
    QTest::addColumn<int>("field");
    QTest::addColumn<QString>("messageStart");
    const int id = int(CredentialProblem::Field::ClientId);
    const int secret = int(CredentialProblem::Field::ClientSecret);
    QTest::newRow("empty id") << QString() << QStringLiteral("s") << id << QStringLiteral("The Client ID is empty");
    QTest::newRow("space in id") << QStringLiteral("ab cd") << QStringLiteral("s") << id
                                 << QStringLiteral("The Client ID contains a space");
    QTest::newRow("empty secret") << QStringLiteral("id") << QStringLiteral(" \t") << secret
                                  << QStringLiteral("The Client Secret is empty");
    QTest::newRow("line break in secret") << QStringLiteral("id") << QStringLiteral("ab\ncd") << secret
                                          << QStringLiteral("The Client Secret contains a space or line break");
    QTest::newRow("same twice") << QStringLiteral("same-value") << QStringLiteral(" same-value") << secret
                                << QStringLiteral("The Client ID and the Client Secret are the same");
}

void TestCredentialCheck::flagsPastingMistakes()
{
    QFETCH(QString, clientId);
    QFETCH(QString, clientSecret);
    QFETCH(int, field);
    QFETCH(QString, messageStart);
    const auto problem = CredentialCheck::check(clientId, clientSecret);
    QVERIFY(problem);
    QCOMPARE(int(problem->field), field);
    QVERIFY2(problem->message.startsWith(messageStart), qPrintable(problem->message));
}

void TestCredentialCheck::credentialsAreTrimmedAndPrintRedacted()
{
    const Credentials credentials(QStringLiteral(" client-98765432 "), QStringLiteral("\tvery-secret\n"));
    QCOMPARE(credentials.clientId(), QStringLiteral("client-98765432"));
    QVERIFY(credentials.clientSecret() == QStringLiteral("very-secret"));
    QString printed;
    QDebug(&printed) << credentials;
    QCOMPARE(printed, QStringLiteral("Credentials(clientId=…5432, secret=<redacted>) "));
}

void TestCredentialCheck::clientIdHintShowsOnlyTheLastFourCharacters()
{
    QCOMPARE(Credentials::hintFor(QStringLiteral("abcdefgh1234")), QStringLiteral("…1234"));
    QCOMPARE(Credentials::hintFor(QStringLiteral("short")), QStringLiteral("…"));
    QCOMPARE(Credentials::hintFor(QString()), QString());
}

QTEST_GUILESS_MAIN(TestCredentialCheck)
#include "tst_credentialcheck.moc"
