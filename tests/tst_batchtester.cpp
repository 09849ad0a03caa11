// BatchTester with the real keychain and a real HTTPS token server.
#include "core/batch/batchtester.h"
#include "core/grant/grantstore.h"
#include "core/token/tokenclient.h"
#include "core/vault/credentialvault.h"
#include "support/httpstokenserver.h"
#include "support/manualclock.h"

#include <QNetworkAccessManager>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace gk;
using namespace gk::test;

namespace {

const QDateTime Now(QDate(2026, 11, 23), QTime(8, 0), QTimeZone::utc());

Credentials credentialsFor(int index)
{
    return Credentials(QStringLiteral("client-%1-abcd").arg(index), QStringLiteral("secret-%1").arg(index));
}

// Every grant's credentials are valid: client-N-abcd / secret-N.
Response answerValidCredentials(const RecordedRequest& request)
{
    const auto form = request.form();
    const QString id = form.value(QStringLiteral("client_id"));
    const QString index = id.section(QLatin1Char('-'), 1, 1);
    if (form.value(QStringLiteral("client_secret")) != QStringLiteral("secret-") + index)
        return Response::oauthError(401, QStringLiteral("invalid_client"), QStringLiteral("bad secret"));
    return Response::tokenSuccess(QStringLiteral("token-") + index, QStringLiteral("file:read"));
}

Response tooManyRequests(const QByteArray& retryAfter = {})
{
    Response response = Response::oauthError(429, QStringLiteral("slow_down"));
    return retryAfter.isEmpty() ? response : response.withHeader("Retry-After", retryAfter);
}

} // namespace

class TestBatchTester : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void testsEveryGrantWithBoundedConcurrency();
    void missingSecretFailsOnlyThatGrant();
    void wrongSecretIsReportedPerGrant();
    void cancelEndsEveryUntestedGrant();
    void emptyBatchFinishesAtOnce();
    void rateLimitingSlowsTheBatchDownInsteadOfFailingIt();
    void rateLimitingThatOutlastsTheRetriesFailsTheGrant();
    void aRetryAfterBeyondTheLimitFailsTheGrantAtOnce_data();
    void aRetryAfterBeyondTheLimitFailsTheGrantAtOnce();
    void aReceiverMayDeleteTheTester_data();
    void aReceiverMayDeleteTheTester();
    void cancelDuringARateLimitWaitEndsTheBatch();
    void aRetryAfterBeyondTheTimeLimitIsNotWaitedFor();

private:
    QList<Grant> addGrants(int count);
    void storeSecret(const Grant& grant, const Credentials& credentials);

    QTemporaryDir m_dir;
    std::optional<TestCertificate> m_certificate;
    std::unique_ptr<HttpsTokenServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<TokenClient> m_client;
    std::unique_ptr<CredentialVault> m_vault;
    std::unique_ptr<GrantStore> m_store;
    std::unique_ptr<BatchTester> m_tester;
    int m_maxOpenConnections = 0;
};

void TestBatchTester::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_certificate = TestCertificate::generate(m_dir.path(), QStringLiteral("127.0.0.1"), 2, &error);
    QVERIFY2(m_certificate, qPrintable(error));
}

void TestBatchTester::init()
{
    m_server = std::make_unique<HttpsTokenServer>(*m_certificate);
    QVERIFY(m_server->listen());
    // Every grant's credentials are valid: client-N-abcd / secret-N is checked by the handler below.
    m_server->setHandler(answerValidCredentials);
    m_maxOpenConnections = 0;
    connect(m_server.get(), &HttpsTokenServer::requestReceived, this,
            [this] { m_maxOpenConnections = std::max(m_maxOpenConnections, m_server->openConnectionCount()); });

    m_network = std::make_unique<QNetworkAccessManager>();
    m_clock = std::make_unique<ManualClock>(Now);
    m_client = std::make_unique<TokenClient>(m_network.get(), m_clock.get());
    m_vault = std::make_unique<CredentialVault>(QStringLiteral("grantkeeper-test-") +
                                                QUuid::createUuid().toString(QUuid::WithoutBraces));
    m_store = std::make_unique<GrantStore>(m_dir.filePath(QUuid::createUuid().toString(QUuid::WithoutBraces)));
    QCOMPARE(m_store->load().code, StoreErrorCode::None);
    m_tester = std::make_unique<BatchTester>(*m_vault, *m_client, *m_clock, m_store.get());
}

void TestBatchTester::cleanup()
{
    m_tester.reset();
    m_client.reset();
    m_network.reset();
    m_server.reset();
    m_vault.reset();
    m_store.reset();
}

void TestBatchTester::storeSecret(const Grant& grant, const Credentials& credentials)
{
    bool stored = false;
    m_vault->store(grant.keychainKey(), credentials, this, [&stored](const VaultError& error) {
        QVERIFY2(!error.isError(), qPrintable(error.summary()));
        stored = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(stored, 30'000);
}

QList<Grant> TestBatchTester::addGrants(int count)
{
    QList<Grant> grants;
    for (int i = 0; i < count; ++i) {
        Grant grant = Grant::create(QStringLiteral("grant %1").arg(i), Now);
        grant.region = Region::Custom;
        grant.customTokenUrl = m_server->url();
        grant.requestedScopes = ScopeSet::parse(QStringLiteral("file:read"));
        grant.trust.mode = TrustMode::SystemPlusCaFile;
        grant.trust.caFilePath = m_certificate->certificatePath();
        [&] { QCOMPARE(m_store->upsert(grant).code, StoreErrorCode::None); }();
        storeSecret(grant, credentialsFor(i));
        grants.append(grant);
    }
    return grants;
}

void TestBatchTester::testsEveryGrantWithBoundedConcurrency()
{
    const QList<Grant> grants = addGrants(9);
    m_tester->setConcurrency(3);
    QSignalSpy tested(m_tester.get(), &BatchTester::grantTested);
    QSignalSpy progress(m_tester.get(), &BatchTester::progress);
    QStringList tokensSeen;
    connect(m_tester.get(), &BatchTester::grantTested, this,
            [&tokensSeen](const GrantTestResult& result) { tokensSeen.append(result.token->token().accessToken); });
    QSignalSpy finished(m_tester.get(), &BatchTester::finished);
    m_tester->start(grants);
    QVERIFY(m_tester->isRunning());
    QVERIFY(finished.wait(30'000));

    QCOMPARE(finished.size(), 1);
    QCOMPARE(tested.size(), 9);
    QCOMPARE(progress.size(), 10); // 0 of 9, then one per grant
    QCOMPARE(progress.last().at(0).toInt(), 9);
    QCOMPARE(progress.last().at(1).toInt(), 9);
    const auto results = finished.first().first().value<QList<GrantTestResult>>();
    QCOMPARE(results.size(), 9);
    for (int i = 0; i < 9; ++i) {
        QCOMPARE(results.at(i).grantId, grants.at(i).id); // in the order given
        QVERIFY2(results.at(i).verdict().isPass(), qPrintable(results.at(i).verdict().summary()));
        QCOMPARE(results.at(i).testedAt, Now);
        // Only grantTested carries the token; what the tester keeps afterwards does not.
        QVERIFY(results.at(i).token->token().accessToken.isEmpty());
        QVERIFY(tokensSeen.contains(QStringLiteral("token-%1").arg(i)));
    }
    QCOMPARE(tokensSeen.size(), 9);
    QCOMPARE(m_server->requestCount(), 9);
    QVERIFY2(m_maxOpenConnections <= 3, qPrintable(QString::number(m_maxOpenConnections)));
    QVERIFY(!m_tester->isRunning());

    GrantStore reread(m_store->filePath());
    QCOMPARE(reread.load().code, StoreErrorCode::None);
    for (const Grant& grant : reread.grants()) {
        QCOMPARE(grant.history.size(), 1);
        QCOMPARE(grant.history.first().verdict, Verdict::Passed);
        QCOMPARE(grant.history.first().grantedScope.toString(), QStringLiteral("file:read"));
        QCOMPARE(grant.history.first().testedAt, Now);
    }
}

void TestBatchTester::missingSecretFailsOnlyThatGrant()
{
    QList<Grant> grants = addGrants(2);
    Grant orphan = Grant::create(QStringLiteral("orphan"), Now);
    QCOMPARE(m_store->upsert(orphan).code, StoreErrorCode::None);
    grants.insert(1, orphan);

    QSignalSpy finished(m_tester.get(), &BatchTester::finished);
    m_tester->start(grants);
    QVERIFY(finished.wait(30'000));
    const auto results = finished.first().first().value<QList<GrantTestResult>>();
    QCOMPARE(results.at(0).verdict().kind(), Verdict::Passed);
    QCOMPARE(results.at(1).vaultError.code, VaultErrorCode::NotFound);
    QCOMPARE(results.at(1).verdict().kind(), Verdict::NotTested);
    QCOMPARE(int(results.at(1).verdict().failureClass()), int(FailureClass::Keychain));
    QCOMPARE(results.at(1).verdict().errorCode(), QStringLiteral("keychain_not_found"));
    QVERIFY(!results.at(1).token.has_value());
    QCOMPARE(results.at(2).verdict().kind(), Verdict::Passed);
    QCOMPARE(m_server->requestCount(), 2);
    // The server was never asked about the orphan: its history says nothing, rather than "failed".
    QVERIFY(m_store->find(orphan.id)->history.isEmpty());
    QCOMPARE(m_store->find(grants.at(0).id)->history.size(), 1);
}

void TestBatchTester::wrongSecretIsReportedPerGrant()
{
    const QList<Grant> grants = addGrants(2);
    storeSecret(grants.at(1), Credentials(QStringLiteral("client-1-abcd"), QStringLiteral("stale-secret")));
    QSignalSpy finished(m_tester.get(), &BatchTester::finished);
    m_tester->start(grants);
    QVERIFY(finished.wait(30'000));
    const auto results = finished.first().first().value<QList<GrantTestResult>>();
    QCOMPARE(results.at(0).verdict().kind(), Verdict::Passed);
    QCOMPARE(results.at(1).token->error().code, TokenErrorCode::InvalidClient);
    QCOMPARE(results.at(1).verdict().kind(), Verdict::Refused);
    QCOMPARE(int(results.at(1).verdict().failureClass()), int(FailureClass::CheckFailed));
    QCOMPARE(m_store->find(grants.at(1).id)->history.first().verdict, Verdict::Refused);
}

void TestBatchTester::cancelEndsEveryUntestedGrant()
{
    const QList<Grant> grants = addGrants(4);
    m_server->setHandler([](const RecordedRequest&) { return Response::neverAnswer(); });
    m_tester->setConcurrency(2);
    QSignalSpy received(m_server.get(), &HttpsTokenServer::requestReceived);
    QSignalSpy finished(m_tester.get(), &BatchTester::finished);
    m_tester->start(grants);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 30'000);
    m_tester->cancel();
    QCOMPARE(finished.size(), 1);
    const auto results = finished.first().first().value<QList<GrantTestResult>>();
    QCOMPARE(results.size(), 4);
    for (const GrantTestResult& result : results) {
        QVERIFY(result.wasCancelled());
        QCOMPARE(result.verdict().kind(), Verdict::NotTested);
        QCOMPARE(int(result.verdict().failureClass()), int(FailureClass::Network)); // not verified is not a pass
    }
    QCOMPARE(m_server->requestCount(), 2); // the other two were never sent
    for (const Grant& grant : m_store->grants())
        QVERIFY(grant.history.isEmpty()); // a cancelled test says nothing about the grant
}

void TestBatchTester::emptyBatchFinishesAtOnce()
{
    QSignalSpy finished(m_tester.get(), &BatchTester::finished);
    m_tester->start({});
    QVERIFY(finished.wait(1'000));
    QCOMPARE(finished.first().first().value<QList<GrantTestResult>>().size(), 0);
}

void TestBatchTester::rateLimitingSlowsTheBatchDownInsteadOfFailingIt()
{
    const QList<Grant> grants = addGrants(6);
    // Grant 0's first request is refused with "Retry-After: 0", grant 3's without Retry-After; all others pass.
    QSet<QString> refused;
    m_server->setHandler([&refused](const RecordedRequest& request) {
        const QString id = request.form().value(QStringLiteral("client_id"));
        if (!refused.contains(id) && (id == credentialsFor(0).clientId() || id == credentialsFor(3).clientId())) {
            refused.insert(id);
            return id == credentialsFor(0).clientId() ? tooManyRequests("0") : tooManyRequests();
        }
        return answerValidCredentials(request);
    });
    m_tester->setConcurrency(4);
    m_tester->setRetryPolicy({4, std::chrono::milliseconds(20), std::chrono::seconds(60)});
    QSignalSpy slowedDown(m_tester.get(), &BatchTester::slowedDown);
    QSignalSpy finished(m_tester.get(), &BatchTester::finished);
    m_tester->start(grants);
    QVERIFY(finished.wait(30'000));

    const auto results = finished.first().first().value<QList<GrantTestResult>>();
    QCOMPARE(results.size(), 6);
    for (int i = 0; i < results.size(); ++i) {
        QVERIFY2(results.at(i).verdict().isPass(), qPrintable(results.at(i).verdict().summary()));
        QCOMPARE(results.at(i).attempts, (i == 0 || i == 3) ? 2 : 1);
    }
    QCOMPARE(m_server->requestCount(), 8);
    // The first 429 halved the requests at a time from 4 to 2 (how the second one changed it depends on the order
    // in which the other answers arrived, which the test does not control).
    QCOMPARE(slowedDown.size(), 2);
    QCOMPARE(slowedDown.at(0).at(1).toInt(), 2);
    QList<std::chrono::milliseconds> waits{slowedDown.at(0).at(0).value<std::chrono::milliseconds>(),
                                           slowedDown.at(1).at(0).value<std::chrono::milliseconds>()};
    std::sort(waits.begin(), waits.end());
    // Grant 3's wait is the base delay; grant 0's is its 0 s, or what is left of grant 3's wait if that came first.
    QCOMPARE(waits.at(1), std::chrono::milliseconds(20));
    QCOMPARE_LE(waits.at(0), std::chrono::milliseconds(20));
    // Each 429 leaves at least one request at a time; the retry after the last one succeeded and allowed one more.
    QCOMPARE_GE(m_tester->currentConcurrency(), 2);
    QCOMPARE_LE(m_tester->currentConcurrency(), 4);
    for (const Grant& grant : m_store->grants()) {
        QCOMPARE(grant.history.size(), 1);
        QCOMPARE(grant.history.first().verdict, Verdict::Passed);
    }
}

void TestBatchTester::rateLimitingThatOutlastsTheRetriesFailsTheGrant()
{
    const QList<Grant> grants = addGrants(1);
    m_server->setHandler([](const RecordedRequest&) { return tooManyRequests(); });
    m_tester->setRetryPolicy({3, std::chrono::milliseconds(10), std::chrono::seconds(60)});
    QSignalSpy slowedDown(m_tester.get(), &BatchTester::slowedDown);
    QSignalSpy finished(m_tester.get(), &BatchTester::finished);
    m_tester->start(grants);
    QVERIFY(finished.wait(30'000));

    const auto results = finished.first().first().value<QList<GrantTestResult>>();
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.first().token->error().code, TokenErrorCode::RateLimited);
    QCOMPARE(results.first().attempts, 3);
    QCOMPARE(m_server->requestCount(), 3);
    // Waits of 10 ms, then 20 ms: doubled for the same grant.
    QCOMPARE(slowedDown.size(), 2);
    QCOMPARE(slowedDown.at(0).at(0).value<std::chrono::milliseconds>(), std::chrono::milliseconds(10));
    QCOMPARE(slowedDown.at(1).at(0).value<std::chrono::milliseconds>(), std::chrono::milliseconds(20));
    QCOMPARE(m_store->find(grants.first().id)->history.first().verdict, Verdict::Unreachable);
    QCOMPARE(m_store->find(grants.first().id)->history.first().details().errorCode(),
             results.first().verdict().errorCode());
}

void TestBatchTester::aRetryAfterBeyondTheLimitFailsTheGrantAtOnce_data()
{
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<qint64>("seconds");
    QTest::newRow("two minutes") << QByteArray("120") << qint64(120);
    QTest::newRow("too large for milliseconds") << QByteArray("9223372036854775807") << qint64(9223372036854775807);
}

void TestBatchTester::aRetryAfterBeyondTheLimitFailsTheGrantAtOnce()
{
    QFETCH(QByteArray, retryAfter);
    QFETCH(qint64, seconds);
    const QList<Grant> grants = addGrants(1);
    m_server->setHandler([retryAfter](const RecordedRequest&) { return tooManyRequests(retryAfter); });
    QSignalSpy slowedDown(m_tester.get(), &BatchTester::slowedDown);
    QSignalSpy finished(m_tester.get(), &BatchTester::finished);
    m_tester->start(grants);
    QVERIFY(finished.wait(30'000));

    const auto results = finished.first().first().value<QList<GrantTestResult>>();
    QCOMPARE(results.first().token->error().code, TokenErrorCode::RateLimited);
    QCOMPARE(results.first().token->error().retryAfterSeconds, std::optional<qint64>(seconds));
    QCOMPARE(results.first().attempts, 1);
    QCOMPARE(slowedDown.size(), 0);
    QCOMPARE(m_server->requestCount(), 1);
}

void TestBatchTester::cancelDuringARateLimitWaitEndsTheBatch()
{
    const QList<Grant> grants = addGrants(3);
    m_server->setHandler([](const RecordedRequest&) { return tooManyRequests("30"); });
    m_tester->setConcurrency(1);
    m_tester->setTimeout(std::chrono::seconds(120)); // room for the wait: the time limit covers the retries too
    QSignalSpy slowedDown(m_tester.get(), &BatchTester::slowedDown);
    QSignalSpy finished(m_tester.get(), &BatchTester::finished);
    m_tester->start(grants);
    QVERIFY(slowedDown.wait(30'000));
    QCOMPARE(slowedDown.first().at(0).value<std::chrono::milliseconds>(), std::chrono::milliseconds(30'000));
    m_tester->cancel();
    QCOMPARE(finished.size(), 1);
    const auto results = finished.first().first().value<QList<GrantTestResult>>();
    QCOMPARE(results.size(), 3);
    for (const GrantTestResult& result : results)
        QVERIFY(result.wasCancelled());
    QCOMPARE(m_server->requestCount(), 1); // nothing was sent during the wait
    QVERIFY(!m_tester->isRunning());
}

void TestBatchTester::aRetryAfterBeyondTheTimeLimitIsNotWaitedFor()
{
    // The time limit is on the whole test of a grant: a server asking for a wait longer than it gets no retry.
    const QList<Grant> grants = addGrants(1);
    m_server->setHandler([](const RecordedRequest&) { return tooManyRequests("7"); });
    m_tester->setTimeout(std::chrono::seconds(5));
    QSignalSpy slowedDown(m_tester.get(), &BatchTester::slowedDown);
    QSignalSpy finished(m_tester.get(), &BatchTester::finished);
    m_tester->start(grants);
    QVERIFY(finished.wait(30'000));

    const auto results = finished.first().first().value<QList<GrantTestResult>>();
    QCOMPARE(results.size(), 1);
    QCOMPARE(results.first().token->error().code, TokenErrorCode::RateLimited);
    QCOMPARE(results.first().token->error().retryAfterSeconds, std::optional<qint64>(7));
    QCOMPARE(results.first().attempts, 1);
    QCOMPARE(m_server->requestCount(), 1);
    QCOMPARE(slowedDown.size(), 0);
    const TestVerdict verdict = results.first().verdict();
    QCOMPARE(verdict.kind(), Verdict::Unreachable);
    QCOMPARE(verdict.summary(),
             QStringLiteral("The server is rate limiting requests (HTTP 429); it asks to retry after 7 s. Waiting for "
                            "that would pass this test's time limit of 5 s, so it was not tried again."));
    // The server's answer is the grant's result: recorded, as any other.
    QCOMPARE(m_store->find(grants.first().id)->history.size(), 1);
    QCOMPARE(m_store->find(grants.first().id)->history.first().verdict, Verdict::Unreachable);
}

void TestBatchTester::aReceiverMayDeleteTheTester_data()
{
    QTest::addColumn<bool>("keychainFailsFirst");
    QTest::newRow("after a keychain failure") << true;
    QTest::newRow("after a fetched token") << false;
}

void TestBatchTester::aReceiverMayDeleteTheTester()
{
    // The signals' documentation allows it; the asan preset sees any use of the tester afterwards.
    QFETCH(bool, keychainFailsFirst);
    QList<Grant> grants = addGrants(2);
    if (keychainFailsFirst) {
        const Grant orphan = Grant::create(QStringLiteral("orphan"), Now);
        QCOMPARE(m_store->upsert(orphan).code, StoreErrorCode::None);
        grants.prepend(orphan);
    }
    int tested = 0;
    connect(m_tester.get(), &BatchTester::grantTested, this, [this, &tested](const GrantTestResult&) {
        ++tested;
        m_tester.reset();
    });
    m_tester->start(grants);
    QTRY_COMPARE_WITH_TIMEOUT(tested, 1, 30'000);
    QVERIFY(!m_tester);
    // The other requests were cancelled with it: nothing answers later.
    QCOMPARE(tested, 1);
}

QTEST_GUILESS_MAIN(TestBatchTester)
#include "tst_batchtester.moc"
