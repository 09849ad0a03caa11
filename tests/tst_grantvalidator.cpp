// GrantValidator: every rule of a grant's fields, with the exact field, severity and sentence it reports.
#include "core/grant/grantvalidator.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace gk;

namespace {

// A self-signed CA certificate, for the "system CAs plus a CA file" mode.
const char TestCaPem[] = "-----BEGIN CERTIFICATE-----\n"
                         "MIIBkjCCATmgAwIBAgIUDJU5zdX4wZOr+iCZR5KE2ZeyFGkwCgYIKoZIzj0EAwIw\n"
                         "HzEdMBsGA1UEAwwUR3JhbnQgS2VlcGVyIFRlc3QgQ0EwHhcNMjYxMTIzMTI1NjAx\n"
                         "WhcNMzYxMTIwMTI1NjAxWjAfMR0wGwYDVQQDDBRHcmFudCBLZWVwZXIgVGVzdCBD\n"
                         "QTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABITz6aqBt4yTiXMelF41oeVnItKZ\n"
                         "RA+kLLLfFdbq8JWrJYb9sD2bz7vQLizunYWaAvETtDAfuh+4rRLaS90NxV6jUzBR\n"
                         "MB0GA1UdDgQWBBQKw8vp/pQENDD3mpAG+C+MdPkOKjAfBgNVHSMEGDAWgBQKw8vp\n"
                         "/pQENDD3mpAG+C+MdPkOKjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cA\n"
                         "MEQCIG6NmhUyJKWfiLOuLNmbWdMxNfbz2jgaL/a9SpxOWK5GAiA41sQJnbTUaU3I\n"
                         "grj0ppzJAwHkadFL+548qJEJCGZlMQ==\n"
                         "-----END CERTIFICATE-----\n";

const QDate Today(2026, 5, 20);
const QDateTime Created(QDate(2025, 3, 1), QTime(9, 30), Qt::UTC);

using Severity = GrantProblem::Severity;

// A grant that breaks no rule: the starting point every test changes one field of.
Grant validGrant(const QString& name = QStringLiteral("Ledger sync"),
                 const QString& user = QStringLiteral("svc-ledger"))
{
    Grant grant = Grant::create(name, Created);
    grant.integrationUser = user;
    grant.region = Region::EU;
    grant.expiresOn = Today.addYears(1);
    return grant;
}

QList<GrantProblem> check(const Grant& grant, const QList<Grant>& existing = {})
{
    return GrantValidator::check(grant, existing, Today);
}

GrantProblem problem(GrantField field, Severity severity, const QString& message)
{
    return {field, severity, message};
}

void writeFile(const QString& path, const QByteArray& contents)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(contents);
}

} // namespace

namespace gk {
// Found by Qt Test through argument-dependent lookup, so that a failing comparison shows the problems.
char* toString(const GrantProblem& problem)
{
    return qstrdup(qPrintable(QStringLiteral("{field %1, %2, \"%3\"}")
                                  .arg(int(problem.field))
                                  .arg(problem.isError() ? QStringLiteral("error") : QStringLiteral("warning"))
                                  .arg(problem.message)));
}
} // namespace gk

class TestGrantValidator : public QObject
{
    Q_OBJECT

private slots:
    void validGrantHasNoProblems();
    void nameIsRequired_data();
    void nameIsRequired();
    void nameWithAControlCharacterIsRefused();
    void everyTextFieldIsPrintableAndBounded_data();
    void everyTextFieldIsPrintableAndBounded();
    void notesKeepTheirLineBreaks();
    void nameMustBeUniqueExceptForTheGrantItself();
    void integrationUserIsRequired();
    void sharedIntegrationUserWarnsNamingTheOtherGrants();
    void customTokenUrlIsRequired();
    void customTokenUrlFollowsTheRulesOfASentRequest_data();
    void customTokenUrlFollowsTheRulesOfASentRequest();
    void pinnedTrustNeedsAnHttpsTokenUrl();
    void internationalHostIsShownAsSentAndWarned_data();
    void internationalHostIsShownAsSentAndWarned();
    void regionIgnoresALeftoverCustomUrl();
    void caFileMustBeAReadablePemFile();
    void pinnedFingerprintMustBeSha256();
    void pastExpirationDateIsOnlyAWarning();
    void deprecatedApiVersionWarnsWithTheSharedNotice();
    void problemsComeInTheOrderFieldsAreEntered();
    void loaderAppliesTheNameRuleAndNothingElse();
};

void TestGrantValidator::validGrantHasNoProblems()
{
    const Grant grant = validGrant();
    QCOMPARE(check(grant, {validGrant(QStringLiteral("Payroll"), QStringLiteral("svc-pay")), grant}),
             QList<GrantProblem>());
    QVERIFY(!GrantValidator::hasErrors({}));
}

void TestGrantValidator::nameIsRequired_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << QStringLiteral("   ");
}

void TestGrantValidator::nameIsRequired()
{
    QFETCH(QString, name);
    Grant grant = validGrant();
    grant.name = name;
    const QList<GrantProblem> expected = {problem(GrantField::Name, Severity::Error,
                                                  QStringLiteral("Give the grant a name, for example the integration "
                                                                 "it serves."))};
    QCOMPARE(check(grant), expected);
    QVERIFY(GrantValidator::hasErrors(expected));
    QCOMPARE(GrantValidator::nameProblem(name), expected.first());
}

void TestGrantValidator::nameWithAControlCharacterIsRefused()
{
    Grant grant = validGrant(QStringLiteral("Ledger\x1b[2Jsync"));
    QCOMPARE(check(grant), QList<GrantProblem>({problem(GrantField::Name, Severity::Error,
                                                        QStringLiteral("The name contains a line break, tab or "
                                                                       "invisible control character: remove it."))}));
}

void TestGrantValidator::everyTextFieldIsPrintableAndBounded_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("scope");
    QTest::addColumn<QString>("notes");
    QTest::addColumn<QString>("allowlist");
    QTest::addColumn<int>("field");
    QTest::addColumn<QString>("message");
    const QString name = QStringLiteral("Ledger");
    const QString user = QStringLiteral("svc-ledger");
    const QString scope = QStringLiteral("file:read");
    QTest::newRow("100,000-character name")
        << QString(100'000, QLatin1Char('n')) << user << scope << QString() << QString() << int(GrantField::Name)
        << QStringLiteral("The name is 100000 characters long: keep it to 200, for example the integration it serves.");
    QTest::newRow("escape in user") << name << QStringLiteral("svc\x1b[31m") << scope << QString() << QString()
                                    << int(GrantField::IntegrationUser)
                                    << QStringLiteral("The integration user contains a line break, tab or invisible "
                                                      "control character: remove it.");
    QTest::newRow("long user") << name << QString(201, QLatin1Char('u')) << scope << QString() << QString()
                               << int(GrantField::IntegrationUser)
                               << QStringLiteral("The integration user is 201 characters long; a Workiva username is "
                                                 "at most 200.");
    QTest::newRow("escape in scope") << name << user << QStringLiteral("file:read\x1b[2J") << QString() << QString()
                                     << int(GrantField::Scopes)
                                     << QStringLiteral("A scope is longer than 200 characters or contains an invisible "
                                                       "control character: enter the scopes as Workiva lists them, "
                                                       "separated by spaces.");
    QTest::newRow("bell in notes") << name << user << scope << QStringLiteral("line one\nline\atwo") << QString()
                                   << int(GrantField::Notes)
                                   << QStringLiteral("The note contains an invisible control character: remove it.");
    QTest::newRow("long notes") << name << user << scope << QString(4001, QLatin1Char('x')) << QString()
                                << int(GrantField::Notes)
                                << QStringLiteral("The note is 4001 characters long: keep it to 4000.");
    QTest::newRow("override in allowlist")
        << name << user << scope << QString() << QStringLiteral("10.0.0.0/8\u202e") << int(GrantField::IpAllowlistNote)
        << QStringLiteral("The IP allowlist note contains an invisible control "
                          "character: remove it.");
}

void TestGrantValidator::everyTextFieldIsPrintableAndBounded()
{
    QFETCH(QString, name);
    QFETCH(QString, user);
    QFETCH(QString, scope);
    QFETCH(QString, notes);
    QFETCH(QString, allowlist);
    QFETCH(int, field);
    QFETCH(QString, message);
    Grant grant = validGrant(name, user);
    grant.requestedScopes = ScopeSet::fromList({scope});
    grant.notes = notes;
    grant.ipAllowlistNote = allowlist;
    const QList<GrantProblem> expected = {problem(GrantField(field), Severity::Error, message)};
    QCOMPARE(check(grant), expected);
    QCOMPARE(GrantValidator::textProblems(grant), expected);
    // The same grant in a file (a hand edit, a tampered file) is refused, not shown.
    QString error;
    QCOMPARE(Grant::fromJson(grant.toJson(), &error), std::nullopt);
    QVERIFY2(error.endsWith(message), qPrintable(error));
}

void TestGrantValidator::notesKeepTheirLineBreaks()
{
    Grant grant = validGrant();
    grant.notes = QStringLiteral("Owner: finance\r\n\tRotate in March");
    QCOMPARE(check(grant), QList<GrantProblem>());
    QString error;
    QCOMPARE(Grant::fromJson(grant.toJson(), &error), std::optional<Grant>(grant));
}

void TestGrantValidator::nameMustBeUniqueExceptForTheGrantItself()
{
    const Grant payroll = validGrant(QStringLiteral("Payroll"), QStringLiteral("svc-pay"));
    Grant grant = validGrant(QStringLiteral("  PAYROLL "));
    QCOMPARE(check(grant, {payroll}),
             QList<GrantProblem>({problem(GrantField::Name, Severity::Error,
                                          QStringLiteral("A grant named “Payroll” already exists: choose another "
                                                         "name."))}));

    // Editing a grant without renaming it: its own stored copy is not a duplicate.
    Grant edited = payroll;
    edited.notes = QStringLiteral("changed");
    QCOMPARE(check(edited, {payroll}), QList<GrantProblem>());
}

void TestGrantValidator::integrationUserIsRequired()
{
    Grant grant = validGrant();
    grant.integrationUser = QStringLiteral("  ");
    QCOMPARE(check(grant), QList<GrantProblem>({problem(GrantField::IntegrationUser, Severity::Error,
                                                        QStringLiteral("Enter the integration user's Workiva "
                                                                       "username."))}));
}

void TestGrantValidator::sharedIntegrationUserWarnsNamingTheOtherGrants()
{
    const Grant payroll = validGrant(QStringLiteral("Payroll"), QStringLiteral("svc-shared"));
    const Grant audit = validGrant(QStringLiteral("Audit"), QStringLiteral("SVC-SHARED "));
    const Grant other = validGrant(QStringLiteral("Other"), QStringLiteral("svc-other"));
    const Grant grant = validGrant(QStringLiteral("Ledger"), QStringLiteral("Svc-Shared"));

    const QList<GrantProblem> problems = check(grant, {payroll, other, audit, grant});

    QCOMPARE(problems, QList<GrantProblem>({problem(
                           GrantField::IntegrationUser, Severity::Warning,
                           QStringLiteral("The integration user “Svc-Shared” is also used by “Payroll”, “Audit”. "
                                          "Workiva recommends one unique integration user per integration, so that "
                                          "each integration's changes stay apart."))}));
    QVERIFY(!GrantValidator::hasErrors(problems));
    QCOMPARE(GrantValidator::messages(problems, Severity::Error), QStringList());
    QCOMPARE(GrantValidator::messages(problems, Severity::Warning), QStringList({problems.first().message}));
}

void TestGrantValidator::customTokenUrlIsRequired()
{
    Grant grant = validGrant();
    grant.region = Region::Custom;
    QCOMPARE(check(grant), QList<GrantProblem>({problem(GrantField::TokenUrl, Severity::Error,
                                                        QStringLiteral("Enter the token URL, for example "
                                                                       "https://api.app.wdesk.com/oauth2/token, or "
                                                                       "pick a region."))}));
}

void TestGrantValidator::customTokenUrlFollowsTheRulesOfASentRequest_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    const QString useHttps = QStringLiteral(" Use an https:// URL; plain http is only allowed for a server on this "
                                            "computer (127.0.0.1).");
    const QString enterFullUrl =
        QStringLiteral(" Enter a full URL such as https://api.app.wdesk.com/oauth2/token, or pick a region.");
    QTest::newRow("https") << QStringLiteral("https://auth.example.com/oauth2/token") << QString();
    QTest::newRow("http loopback") << QStringLiteral("http://127.0.0.1:8443/oauth2/token") << QString();
    QTest::newRow("http remote") << QStringLiteral("http://example.com/oauth2/token")
                                 << QStringLiteral(
                                        "The token URL does not use https: http://example.com/oauth2/token.") +
                                        useHttps;
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com/token")
                         << QStringLiteral("The token URL is not valid: ftp://example.com/token.") + enterFullUrl;
    QTest::newRow("relative") << QStringLiteral("/oauth2/token")
                              << QStringLiteral("The token URL is not valid: /oauth2/token.") + enterFullUrl;
    QTest::newRow("user info") << QStringLiteral("https://user:pw@example.com/token")
                               << QStringLiteral("The token URL is not valid: user information in a URL is not "
                                                 "allowed.") +
                                      enterFullUrl;
}

void TestGrantValidator::customTokenUrlFollowsTheRulesOfASentRequest()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    Grant grant = validGrant();
    grant.region = Region::Custom;
    grant.customTokenUrl = QUrl(url, QUrl::StrictMode);
    const QList<GrantProblem> expectedProblems =
        expected.isEmpty() ? QList<GrantProblem>()
                           : QList<GrantProblem>({problem(GrantField::TokenUrl, Severity::Error, expected)});
    QCOMPARE(check(grant), expectedProblems);
}

void TestGrantValidator::internationalHostIsShownAsSentAndWarned_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("warning"); // empty: none
    QTest::newRow("ASCII") << QStringLiteral("https://api.example.com/oauth2/token") << QString();
    // A Cyrillic "а" (U+0430) in place of the Latin "a".
    QTest::newRow("mixed scripts") << QStringLiteral("https://\u0430pple.com/oauth2/token")
                                   << QStringLiteral("The host “\u0430pple.com” is an international domain name, sent "
                                                     "as xn--pple-43d.com. It mixes Cyrillic and Latin letters, as "
                                                     "look-alike addresses do. Make sure it is the server you mean "
                                                     "before you store a secret for it.");
    QTest::newRow("one script") << QStringLiteral("https://b\u00fccher.example/oauth2/token")
                                << QStringLiteral("The host “b\u00fccher.example” is an international domain name, "
                                                  "sent as xn--bcher-kva.example. Make sure it is the server you mean "
                                                  "before you store a secret for it.");
}

void TestGrantValidator::internationalHostIsShownAsSentAndWarned()
{
    QFETCH(QString, url);
    QFETCH(QString, warning);
    Grant grant = validGrant();
    grant.region = Region::Custom;
    grant.customTokenUrl = QUrl(url);
    const QList<GrantProblem> expected =
        warning.isEmpty() ? QList<GrantProblem>()
                          : QList<GrantProblem>{problem(GrantField::TokenUrl, Severity::Warning, warning)};
    QCOMPARE(check(grant), expected);
}

void TestGrantValidator::pinnedTrustNeedsAnHttpsTokenUrl()
{
    Grant grant = validGrant();
    grant.region = Region::Custom;
    grant.customTokenUrl = QUrl(QStringLiteral("http://127.0.0.1:8443/oauth2/token"));
    grant.trust.mode = TrustMode::Pinned;
    grant.trust.pinnedSha256 = QString(64, QLatin1Char('a'));
    QCOMPARE(check(grant),
             QList<GrantProblem>({problem(GrantField::TokenUrl, Severity::Error,
                                          QStringLiteral("The token URL does not use https: "
                                                         "http://127.0.0.1:8443/oauth2/token. Use an https:// URL; "
                                                         "plain http is only allowed for a server on this computer "
                                                         "(127.0.0.1)."))}));
}

void TestGrantValidator::regionIgnoresALeftoverCustomUrl()
{
    Grant grant = validGrant();
    grant.region = Region::US;
    grant.customTokenUrl = QUrl(QStringLiteral("http://example.com/token"));
    QCOMPARE(check(grant), QList<GrantProblem>());
}

void TestGrantValidator::caFileMustBeAReadablePemFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pemPath = dir.filePath(QStringLiteral("ca.pem"));
    const QString textPath = dir.filePath(QStringLiteral("notes.txt"));
    const QString missingPath = dir.filePath(QStringLiteral("missing.pem"));
    writeFile(pemPath, TestCaPem);
    writeFile(textPath, "not a certificate\n");

    Grant grant = validGrant();
    grant.trust.mode = TrustMode::SystemPlusCaFile;
    const auto caFileError = [](const QString& message) {
        return QList<GrantProblem>({problem(GrantField::CaFile, Severity::Error, message)});
    };

    QCOMPARE(check(grant), caFileError(QStringLiteral("Choose the PEM file with the CA certificate, or trust the "
                                                      "system CAs only.")));
    grant.trust.caFilePath = missingPath;
    QCOMPARE(
        check(grant),
        caFileError(QStringLiteral("The CA file “%1” cannot be read: choose an existing PEM file.").arg(missingPath)));
    grant.trust.caFilePath = dir.path(); // a folder is not a file
    QCOMPARE(
        check(grant),
        caFileError(QStringLiteral("The CA file “%1” cannot be read: choose an existing PEM file.").arg(dir.path())));
    grant.trust.caFilePath = textPath;
    QCOMPARE(check(grant), caFileError(QStringLiteral("The CA file “%1” holds no PEM certificate: choose one that "
                                                      "starts with -----BEGIN CERTIFICATE-----.")
                                           .arg(textPath)));
    grant.trust.caFilePath = pemPath;
    QCOMPARE(check(grant), QList<GrantProblem>());

    // The file only matters in the mode that uses it.
    grant.trust.mode = TrustMode::System;
    grant.trust.caFilePath = missingPath;
    QCOMPARE(check(grant), QList<GrantProblem>());
}

void TestGrantValidator::pinnedFingerprintMustBeSha256()
{
    Grant grant = validGrant();
    grant.trust.mode = TrustMode::Pinned;
    grant.trust.pinnedSha256 = QStringLiteral("AB:CD");
    QCOMPARE(check(grant), QList<GrantProblem>({problem(GrantField::PinnedFingerprint, Severity::Error,
                                                        QStringLiteral("Enter the certificate's SHA-256 fingerprint: "
                                                                       "64 hexadecimal digits, with or without "
                                                                       "colons."))}));
    grant.trust.pinnedSha256 = QStringLiteral("01:23:45:67:89:AB:CD:EF").repeated(4).left(95);
    QCOMPARE(check(grant), QList<GrantProblem>());
}

void TestGrantValidator::pastExpirationDateIsOnlyAWarning()
{
    Grant grant = validGrant();
    grant.expiresOn = Today.addDays(-1);
    const QList<GrantProblem> problems = check(grant);
    QCOMPARE(problems, QList<GrantProblem>({problem(GrantField::ExpiresOn, Severity::Warning,
                                                    QStringLiteral("The expiration date 2026-05-19 has passed, so "
                                                                   "the grant has already expired: check the date in "
                                                                   "Workiva, or create a new grant."))}));
    QVERIFY(!GrantValidator::hasErrors(problems));

    grant.expiresOn = Today; // usable through the end of its last day
    QCOMPARE(check(grant), QList<GrantProblem>());
    grant.expiresOn.reset();
    QCOMPARE(check(grant), QList<GrantProblem>());
}

void TestGrantValidator::deprecatedApiVersionWarnsWithTheSharedNotice()
{
    Grant grant = validGrant();
    grant.apiVersion = ApiVersion::V2022_01_01;
    QCOMPARE(check(grant), QList<GrantProblem>({problem(GrantField::ApiVersion, Severity::Warning,
                                                        QStringLiteral("API version 2022-01-01 is deprecated and "
                                                                       "stops working after 2029-01-31: edit the "
                                                                       "grant, choose 2026-01-01, save and test "
                                                                       "again."))}));
    QCOMPARE(check(grant).first().message, Environment::deprecationNotice(ApiVersion::V2022_01_01));
}

void TestGrantValidator::problemsComeInTheOrderFieldsAreEntered()
{
    const Grant payroll = validGrant(QStringLiteral("Payroll"), QStringLiteral("svc-pay"));
    Grant grant = validGrant(QString(), QStringLiteral("svc-pay"));
    grant.region = Region::Custom;
    grant.customTokenUrl = QUrl(QStringLiteral("http://example.com/token"));
    grant.apiVersion = ApiVersion::V2022_01_01;
    grant.expiresOn = Today.addDays(-30);
    grant.trust.mode = TrustMode::Pinned;

    const QList<GrantProblem> problems = check(grant, {payroll});

    QList<GrantField> fields;
    QList<Severity> severities;
    for (const GrantProblem& each : problems) {
        fields.append(each.field);
        severities.append(each.severity);
    }
    QCOMPARE(fields, QList<GrantField>({GrantField::Name, GrantField::IntegrationUser, GrantField::TokenUrl,
                                        GrantField::ApiVersion, GrantField::ExpiresOn, GrantField::PinnedFingerprint}));
    QCOMPARE(severities, QList<Severity>({Severity::Error, Severity::Warning, Severity::Error, Severity::Warning,
                                          Severity::Warning, Severity::Error}));
    QCOMPARE(GrantValidator::messages(problems, Severity::Error).size(), 3);
}

void TestGrantValidator::loaderAppliesTheNameRuleAndNothingElse()
{
    Grant stored = validGrant();
    stored.region = Region::Custom;
    stored.customTokenUrl = QUrl(QStringLiteral("http://example.com/token")); // reported when a test is tried
    stored.trust.mode = TrustMode::SystemPlusCaFile;
    stored.trust.caFilePath = QStringLiteral("/nonexistent/ca.pem");
    stored.expiresOn = Today.addDays(-400);
    stored.apiVersion = ApiVersion::V2022_01_01;
    QString error;
    QCOMPARE(Grant::fromJson(stored.toJson(), &error), std::optional<Grant>(stored));
    QCOMPARE(error, QString());

    QJsonObject unnamed = stored.toJson();
    unnamed.insert(QStringLiteral("name"), QStringLiteral(" "));
    QCOMPARE(Grant::fromJson(unnamed, &error), std::nullopt);
    QCOMPARE(error, QStringLiteral("grant %1: Give the grant a name, for example the integration it serves.")
                        .arg(stored.keychainKey()));

    QJsonObject controlled = stored.toJson();
    controlled.insert(QStringLiteral("name"), QStringLiteral("Ledger\u202Esync"));
    QCOMPARE(Grant::fromJson(controlled, &error), std::nullopt);
    QCOMPARE(error,
             QStringLiteral("grant %1: The name contains a line break, tab or invisible control character: remove it.")
                 .arg(stored.keychainKey()));
}

QTEST_GUILESS_MAIN(TestGrantValidator)
#include "tst_grantvalidator.moc"
