// Tests many grants: reads all their secrets in one keychain read, then fetches a token for each with bounded
// concurrency. The one engine behind `grantkeeper test` and the window's "Test all".
#pragma once

#include "core/batch/granttestresult.h"
#include "core/grant/grant.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <optional>

namespace gk {

class Clock;
class CredentialVault;
class GrantStore;
class TokenClient;
class TokenReply;

class BatchTester : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultConcurrency = 6; // Qt's HTTP/1 connections per host

    // How the batch answers rate limiting (HTTP 429): the grant is tried again after the server's Retry-After
    // (or after baseDelay, doubled on each further 429 of that grant), no new request starts before then, and
    // the number of requests at a time is halved; it grows back by one after that many successes in a row.
    struct RetryPolicy
    {
        int maxAttempts = 4;                        // per grant, the first request included
        std::chrono::milliseconds baseDelay{1'000}; // when the server gives no Retry-After
        std::chrono::milliseconds maxDelay{60'000}; // a longer wait fails the grant with the server's answer
    };

    // None of the parts is owned; all must outlive the tester. The store, if given, receives each grant's
    // test record when the batch ends (also when cancelled, for the grants the server answered).
    BatchTester(CredentialVault& vault, TokenClient& client, const Clock& clock, GrantStore* store = nullptr,
                QObject* parent = nullptr);
    ~BatchTester() override;

    void setConcurrency(int concurrency);
    int concurrency() const { return m_concurrency; }
    // The limit on each grant's whole test, from its first request to its answer, waits after HTTP 429 included:
    // a retry whose wait would pass it is not made, and the grant ends with the server's 429 answer.
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }
    void setRetryPolicy(const RetryPolicy& policy) { m_retryPolicy = policy; }
    // The requests allowed at once right now: concurrency(), or fewer while the server is rate limiting.
    int currentConcurrency() const { return m_currentConcurrency; }

    // Starts testing; returns at once. Ignored while a batch is running.
    void start(const QList<Grant>& grants);
    // Stops reading secrets, aborts the requests in flight; every untested grant ends as cancelled.
    void cancel();

    bool isRunning() const { return m_running; }
    const QList<GrantTestResult>& results() const { return m_results; }

    // The result as kept after grantTested(): the access token removed.
    static GrantTestResult withoutToken(const GrantTestResult& result);
    // What the history keeps of a batch: the server's answers only; a grant the server was never asked about (its
    // secret unreadable, the batch cancelled first) keeps its last real result.
    static QList<QPair<QUuid, TestRecord>> recordsOf(const QList<GrantTestResult>& results);
    // The one wording of slowedDown(), for the window's status bar and the command line's standard error.
    static QString describeSlowdown(std::chrono::milliseconds wait, int concurrency);

signals:
    // One per grant, in the order results arrive. This is the only signal that carries the access token:
    // results() and finished() hold everything else but not the token.
    void grantTested(const gk::GrantTestResult& result);
    void progress(int done, int total);
    // The server answered 429: the batch waits for `wait`, then goes on with `concurrency` requests at a time.
    void slowedDown(std::chrono::milliseconds wait, int concurrency);
    // Once per batch, after the last grantTested(); results in the order the grants were given.
    void finished(const QList<gk::GrantTestResult>& results);

private:
    struct Job
    {
        Grant grant;
        Credentials credentials; // kept until the grant is done, for a retry after 429
        int attempts = 0;
        bool done = false;
        QDeadlineTimer deadline;               // the end of this grant's time limit, from its first request
        std::optional<TokenResult> lastAnswer; // the 429 answer a retry is waiting on
    };

    void readSecrets();
    void startFetches();
    void fetch(int index);
    // True when the grant is to be tried again; otherwise token is its result (marked when the time limit decided).
    bool retryLater(int index, TokenResult& token);
    // A retry whose time ran out while it waited its turn: the grant ends with the 429 answer it was waiting on.
    void completeOutOfTime(int index);
    void complete(int index, const GrantTestResult& result);
    void finishIfDone();
    GrantTestResult resultFor(int index) const;

    CredentialVault& m_vault;
    TokenClient& m_client;
    const Clock& m_clock;
    GrantStore* m_store;
    int m_concurrency = DefaultConcurrency;
    int m_currentConcurrency = DefaultConcurrency;
    int m_successesInARow = 0;
    std::chrono::milliseconds m_timeout;
    RetryPolicy m_retryPolicy;
    QTimer* m_resumeTimer; // runs while the server asked us to wait

    QList<Job> m_jobs;
    QList<GrantTestResult> m_results; // indexed like m_jobs once finished
    QHash<int, QPointer<TokenReply>> m_inFlight;
    QList<int> m_retries; // jobs to request again, before any new one
    int m_nextFetch = 0;
    int m_secretsRead = 0; // 0 until the keychain read is in, then the number of jobs
    int m_done = 0;
    bool m_running = false;
    bool m_cancelled = false;
    quint64 m_generation = 0; // callbacks of an earlier (cancelled) batch check it and drop out
};

} // namespace gk
