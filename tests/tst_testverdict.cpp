// The one verdict: how each outcome is judged, worded and remembered (TestVerdict, TestRecord, VerdictTally).
#include "core/grant/testrecord.h"
#include "core/token/tokenresult.h"
#include "core/verdict/testverdict.h"
#include "core/verdict/verdicttally.h"

#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace gk;

namespace {

const QDateTime Now(QDate(2026, 11, 23), QTime(10, 0), QTimeZone::utc());
const ScopeSet Requested = ScopeSet::parse(QStringLiteral("file:read file:write"));

TokenResult tokenGranting(const QString& granted)
{
    IssuedToken token;
    token.accessToken = QStringLiteral("secret-token");
    token.tokenType = QStringLiteral("Bearer");
    token.expiresInSeconds = 599;
    token.scope = ScopeComparison::compare(Requested, ScopeSet::parse(granted));
    ResponseInfo response;
    response.httpStatus = 200;
    response.roundTripMs = 12;
    return TokenResult::success(response, token);
}

TokenResult failure(TokenErrorCode code, int status = 0)
{
    TokenError error = TokenError::make(code, QStringLiteral("detail"));
    error.httpStatus = status;
    ResponseInfo response;
    response.httpStatus = status;
    return TokenResult::failure(response, error);
}

} // namespace

class TestTestVerdict : public QObject
{
    Q_OBJECT

private slots:
    void judgesEachOutcome_data();
    void judgesEachOutcome();
    void aScopeShortfallIsNotAPass();
    void localProblemsAreNotRecorded();
    void recordsRoundTripWithoutSentences();
    void legacyRecordsOfLocalProblemsAreDropped_data();
    void legacyRecordsOfLocalProblemsAreDropped();
    void tallyNamesEachVerdictOnce();
};

void TestTestVerdict::judgesEachOutcome_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("verdict");
    QTest::addColumn<int>("failureClass");
    QTest::newRow("invalid_client") << int(TokenErrorCode::InvalidClient) << int(Verdict::Refused)
                                    << int(FailureClass::CheckFailed);
    QTest::newRow("invalid_scope") << int(TokenErrorCode::InvalidScope) << int(Verdict::Refused)
                                   << int(FailureClass::CheckFailed);
    QTest::newRow("tls") << int(TokenErrorCode::TlsError) << int(Verdict::Unreachable) << int(FailureClass::Network);
    QTest::newRow("timeout") << int(TokenErrorCode::Timeout) << int(Verdict::Unreachable) << int(FailureClass::Network);
    QTest::newRow("rate limited") << int(TokenErrorCode::RateLimited) << int(Verdict::Unreachable)
                                  << int(FailureClass::Network);
    QTest::newRow("malformed") << int(TokenErrorCode::MalformedResponse) << int(Verdict::Unreachable)
                               << int(FailureClass::Network);
    QTest::newRow("cancelled") << int(TokenErrorCode::Cancelled) << int(Verdict::NotTested)
                               << int(FailureClass::Network);
    QTest::newRow("bad url") << int(TokenErrorCode::InvalidUrl) << int(Verdict::NotTested)
                             << int(FailureClass::BadInput);
}

void TestTestVerdict::judgesEachOutcome()
{
    QFETCH(int, code);
    QFETCH(int, verdict);
    QFETCH(int, failureClass);
    const TestVerdict judged = TestVerdict::fromToken(failure(TokenErrorCode(code), 400), Requested);
    QCOMPARE(int(judged.kind()), verdict);
    QCOMPARE(int(judged.failureClass()), failureClass);
    QCOMPARE(judged.errorCode(), TokenError::make(TokenErrorCode(code)).codeName());
    QCOMPARE(judged.isRecorded(), verdict != int(Verdict::NotTested));
}

void TestTestVerdict::aScopeShortfallIsNotAPass()
{
    const TokenResult result = tokenGranting(QStringLiteral("file:read"));
    const TestVerdict verdict = TestVerdict::fromToken(result, Requested);
    QCOMPARE(verdict.kind(), Verdict::ScopeMissing);
    QCOMPARE(verdict.name(), QStringLiteral("scope_missing"));
    QCOMPARE(verdict.label(), QStringLiteral("scope missing"));
    QCOMPARE(int(verdict.failureClass()), int(FailureClass::CheckFailed));
    QCOMPARE(verdict.missingScopes().toString(), QStringLiteral("file:write"));
    QCOMPARE(verdict.scopeOk(), std::optional<bool>(false));
    QCOMPARE(verdict.summary(), QStringLiteral("The server issued a token but did not grant file:write."));
    QCOMPARE(verdict.advice(), QStringLiteral("Add file:write to the grant in Workiva's API grant settings, or remove "
                                              "it from the scopes this grant requests here."));

    // The same, told from the history.
    const auto record = TestRecord::of(verdict, &result, Now);
    QVERIFY(record);
    const auto reread = TestRecord::fromJson(record->toJson());
    QVERIFY(reread);
    QCOMPARE(reread->details().kind(), Verdict::ScopeMissing);
    QCOMPARE(reread->details().summary(), verdict.summary());

    const TestVerdict full = TestVerdict::fromToken(tokenGranting(QStringLiteral("file:read file:write")), Requested);
    QCOMPARE(full.kind(), Verdict::Passed);
    QCOMPARE(full.scopeOk(), std::optional<bool>(true));
    QCOMPARE(full.summary(), QString());
}

void TestTestVerdict::localProblemsAreNotRecorded()
{
    const TestVerdict locked = TestVerdict::fromKeychain(VaultError::make(VaultErrorCode::LockedOrDenied), Requested);
    QCOMPARE(locked.kind(), Verdict::NotTested);
    QCOMPARE(locked.localReason(), TestVerdict::LocalReason::Keychain);
    QCOMPARE(int(locked.failureClass()), int(FailureClass::Keychain));
    QCOMPARE(locked.errorCode(), QStringLiteral("keychain_locked"));
    QCOMPARE(locked.summary(), QStringLiteral("The keychain is locked or refused access."));
    QVERIFY(!TestRecord::of(locked, nullptr, Now));

    // No keychain trouble ever advises regenerating the secret: nothing was refused.
    for (VaultErrorCode code : {VaultErrorCode::NotFound, VaultErrorCode::LockedOrDenied, VaultErrorCode::NoKeychain,
                                VaultErrorCode::TimedOut, VaultErrorCode::Other}) {
        const TestVerdict verdict = TestVerdict::fromKeychain(VaultError::make(code), Requested);
        QVERIFY2(!verdict.advice().contains(QStringLiteral("regenerate"), Qt::CaseInsensitive),
                 qPrintable(verdict.advice()));
    }
    const TokenResult cancelled = failure(TokenErrorCode::Cancelled);
    QVERIFY(!TestRecord::of(TestVerdict::fromToken(cancelled, Requested), &cancelled, Now));
}

void TestTestVerdict::recordsRoundTripWithoutSentences()
{
    TokenResult refused = failure(TokenErrorCode::InvalidScope, 400);
    TokenError error = refused.error();
    error.serverError = QStringLiteral("invalid_scope");
    error.serverMessage = QStringLiteral("file:write is not allowed");
    error.refusedScopes = ScopeSet::parse(QStringLiteral("file:write"));
    refused = TokenResult::failure(refused.response(), error);
    const TestVerdict verdict = TestVerdict::fromToken(refused, Requested);
    const auto record = TestRecord::of(verdict, &refused, Now);
    QVERIFY(record);

    const QJsonObject json = record->toJson();
    QCOMPARE(json.value(QStringLiteral("verdict")).toString(), QStringLiteral("refused"));
    QCOMPARE(json.value(QStringLiteral("error_code")).toString(), QStringLiteral("invalid_scope"));
    QCOMPARE(json.value(QStringLiteral("refused_scope")).toString(), QStringLiteral("file:write"));
    QCOMPARE(json.value(QStringLiteral("requested_scope")).toString(), QStringLiteral("file:read file:write"));
    QVERIFY(!json.contains(QStringLiteral("error"))); // no sentence of ours: it is built when shown

    const auto reread = TestRecord::fromJson(json);
    QVERIFY(reread);
    QCOMPARE(*reread, *record);
    QCOMPARE(reread->details().summary(), verdict.summary());
    QCOMPARE(reread->details().advice(), verdict.advice());
    QCOMPARE(reread->details().scopeOk(), std::optional<bool>(false));
}

void TestTestVerdict::legacyRecordsOfLocalProblemsAreDropped_data()
{
    QTest::addColumn<QString>("errorCode");
    QTest::addColumn<bool>("kept");
    QTest::addColumn<int>("verdict");
    QTest::newRow("keychain locked") << QStringLiteral("keychain_locked") << false << 0;
    QTest::newRow("keychain entry missing") << QStringLiteral("keychain_not_found") << false << 0;
    QTest::newRow("cancelled") << QStringLiteral("cancelled") << false << 0;
    QTest::newRow("bad url") << QStringLiteral("invalid_url") << false << 0;
    QTest::newRow("invalid_client") << QStringLiteral("invalid_client") << true << int(Verdict::Refused);
    QTest::newRow("timeout") << QStringLiteral("timeout") << true << int(Verdict::Unreachable);
}

void TestTestVerdict::legacyRecordsOfLocalProblemsAreDropped()
{
    QFETCH(QString, errorCode);
    QFETCH(bool, kept);
    QFETCH(int, verdict);
    // As versions before verdicts wrote them.
    const QJsonObject legacy{{QStringLiteral("tested_at"), QStringLiteral("2026-11-20T08:00:00.000Z")},
                             {QStringLiteral("passed"), false},
                             {QStringLiteral("error_code"), errorCode},
                             {QStringLiteral("error"), QStringLiteral("an old sentence")}};
    const auto record = TestRecord::fromJson(legacy);
    QCOMPARE(record.has_value(), kept);
    if (record)
        QCOMPARE(int(record->verdict), verdict);
    const QJsonObject passed{{QStringLiteral("tested_at"), QStringLiteral("2026-11-20T08:00:00.000Z")},
                             {QStringLiteral("passed"), true}};
    QCOMPARE(TestRecord::fromJson(passed)->verdict, Verdict::Passed);
}

void TestTestVerdict::tallyNamesEachVerdictOnce()
{
    VerdictTally tally;
    QCOMPARE(tally.describe(), QStringLiteral("nothing tested"));
    tally.add(TestVerdict::fromToken(tokenGranting(QStringLiteral("file:read file:write")), Requested));
    tally.add(TestVerdict::fromToken(tokenGranting(QStringLiteral("file:read file:write")), Requested));
    tally.add(TestVerdict::fromToken(tokenGranting(QStringLiteral("file:read")), Requested));
    tally.add(TestVerdict::fromToken(failure(TokenErrorCode::InvalidClient, 401), Requested));
    tally.add(TestVerdict::fromToken(failure(TokenErrorCode::Timeout), Requested));
    tally.add(TestVerdict::fromKeychain(VaultError::make(VaultErrorCode::LockedOrDenied), Requested));
    tally.add(TestVerdict::fromToken(failure(TokenErrorCode::Cancelled), Requested));
    QCOMPARE(tally.describe(),
             QStringLiteral("2 passed, 1 scope missing, 1 refused, 1 unreachable, 1 not tested, 1 cancelled"));
    QCOMPARE(tally.count(Verdict::Passed), 2);
    QCOMPARE(tally.total(), 7);
}

QTEST_GUILESS_MAIN(TestTestVerdict)
#include "tst_testverdict.moc"
