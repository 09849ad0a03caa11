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
    // The longest value allowed, and letters beyond ASCII, are taken as they are.
    QCOMPARE(CredentialCheck::check(QString(CredentialCheck::MaxLength, QLatin1Char('i')), QStringLiteral("sécret-ü")),
             std::nullopt);
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
    QTest::newRow("NUL in secret") << QStringLiteral("id") << (QStringLiteral("ab") + QChar(0) + QStringLiteral("cd"))
                                   << secret
                                   << QStringLiteral("The Client Secret contains an invisible control character "
                                                     "(U+0000 at character 3)");
    QTest::newRow("escape in id") << QStringLiteral("\x1b[31mid") << QStringLiteral("s") << id
                                  << QStringLiteral("The Client ID contains an invisible control character (U+001B at "
                                                    "character 1)");
    QTest::newRow("delete in secret") << QStringLiteral("id") << QStringLiteral("ab\x7f") << secret
                                      << QStringLiteral("The Client Secret contains an invisible control character "
                                                        "(U+007F at character 3)");
    QTest::newRow("zero-width space in secret")
        << QStringLiteral("id") << QStringLiteral("ab\u200bcd") << secret
        << QStringLiteral("The Client Secret contains an invisible control character (U+200B at character 3)");
    QTest::newRow("right-to-left override in id")
        << QStringLiteral("\u202eabc") << QStringLiteral("s") << id
        << QStringLiteral("The Client ID contains an invisible control character (U+202E at character 1)");
    QTest::newRow("not UTF-8 in secret") << QStringLiteral("id")
                                         << QString::fromUtf8("ab\xff\xfe"
                                                              "cd")
                                         << secret
                                         << QStringLiteral("The Client Secret is not valid UTF-8 text (character 3 "
                                                           "could not be read)");
    QTest::newRow("tab inside id") << QStringLiteral("ab\tcd") << QStringLiteral("s") << id
                                   << QStringLiteral("The Client ID contains a space or line break");
    QTest::newRow("100 KB secret") << QStringLiteral("id") << QString(100 * 1024, QLatin1Char('x')) << secret
                                   << QStringLiteral("The Client Secret is 102400 characters long; no Client ID or "
                                                     "Secret is longer than 1024.");
    QTest::newRow("1025 characters id") << QString(1025, QLatin1Char('i')) << QStringLiteral("s") << id
                                        << QStringLiteral("The Client ID is 1025 characters long");
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
