// Tests many grants: reads their secrets one after another (the keychain runs one job at a time) and starts
// each grant's request, with bounded concurrency, as soon as its secret is in. The one engine behind
// `grantkeeper test` and the window's "Test all".
#pragma once

#include "core/batch/granttestresult.h"
#include "core/grant/grant.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

#include <chrono>

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

    // None of the parts is owned; all must outlive the tester. The store, if given, receives each grant's
    // test record when the batch ends (also when cancelled, for the grants that were tested).
    BatchTester(CredentialVault& vault, TokenClient& client, const Clock& clock, GrantStore* store = nullptr,
                QObject* parent = nullptr);
    ~BatchTester() override;

    void setConcurrency(int concurrency);
    int concurrency() const { return m_concurrency; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    // Starts testing; returns at once. Ignored while a batch is running.
    void start(const QList<Grant>& grants);
    // Stops reading secrets, aborts the requests in flight; every untested grant ends as cancelled.
    void cancel();

    bool isRunning() const { return m_running; }
    const QList<GrantTestResult>& results() const { return m_results; }

    // The result as kept after grantTested(): the access token removed.
    static GrantTestResult withoutToken(const GrantTestResult& result);

signals:
    // One per grant, in the order results arrive. This is the only signal that carries the access token:
    // results() and finished() hold everything else but not the token.
    void grantTested(const gk::GrantTestResult& result);
    void progress(int done, int total);
    // Once per batch, after the last grantTested(); results in the order the grants were given.
    void finished(const QList<gk::GrantTestResult>& results);

private:
    struct Job
    {
        Grant grant;
        Credentials credentials;
        bool done = false;
    };

    void readNextSecret();
    void startFetches();
    void complete(int index, const GrantTestResult& result);
    void finishIfDone();
    GrantTestResult resultFor(int index) const;

    CredentialVault& m_vault;
    TokenClient& m_client;
    const Clock& m_clock;
    GrantStore* m_store;
    int m_concurrency = DefaultConcurrency;
    std::chrono::milliseconds m_timeout;

    QList<Job> m_jobs;
    QList<GrantTestResult> m_results; // indexed like m_jobs once finished
    QHash<int, QPointer<TokenReply>> m_inFlight;
    int m_nextSecret = 0;
    int m_nextFetch = 0;
    int m_secretsRead = 0; // jobs [0, m_secretsRead) have had their secret read (or failed to)
    int m_done = 0;
    bool m_running = false;
    bool m_cancelled = false;
    quint64 m_generation = 0;  // callbacks of an earlier (cancelled) batch check it and drop out
    VaultError m_keychainDown; // once the keychain is unavailable, the remaining reads are not attempted
};

} // namespace gk
