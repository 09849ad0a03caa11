#include "core/batch/batchtester.h"

#include "core/expiry/clock.h"
#include "core/grant/grantstore.h"
#include "core/logging/logcategories.h"
#include "core/token/tokenclient.h"
#include "core/vault/credentialvault.h"

#include <QTimer>

namespace gk {

namespace {

// Failures that will repeat for every other grant: stop asking the keychain.
bool keychainIsDown(const VaultError& error)
{
    return error.code == VaultErrorCode::NoKeychain || error.code == VaultErrorCode::TimedOut ||
           error.code == VaultErrorCode::LockedOrDenied;
}

} // namespace

BatchTester::BatchTester(CredentialVault& vault, TokenClient& client, const Clock& clock, GrantStore* store,
                         QObject* parent)
    : QObject(parent)
    , m_vault(vault)
    , m_client(client)
    , m_clock(clock)
    , m_store(store)
    , m_timeout(TokenRequest::DefaultTimeout)
{}

BatchTester::~BatchTester()
{
    for (const auto& reply : std::as_const(m_inFlight)) {
        if (reply) {
            reply->disconnect(this);
            reply->cancel();
        }
    }
}

void BatchTester::setConcurrency(int concurrency)
{
    m_concurrency = std::max(1, concurrency);
}

void BatchTester::start(const QList<Grant>& grants)
{
    if (m_running)
        return;
    m_jobs.clear();
    for (const Grant& grant : grants)
        m_jobs.append(Job{grant, {}, false});
    m_results = QList<GrantTestResult>(m_jobs.size());
    m_inFlight.clear();
    m_nextSecret = 0;
    m_nextFetch = 0;
    m_secretsRead = 0;
    m_done = 0;
    m_cancelled = false;
    m_keychainDown = {};
    m_running = true;
    const quint64 generation = ++m_generation;
    qCDebug(lcBatch) << "testing" << m_jobs.size() << "grants," << m_concurrency << "at a time";
    // Start from the event loop so a caller that connects after start() still sees every signal.
    QTimer::singleShot(0, this, [this, generation] {
        if (generation != m_generation)
            return;
        emit progress(0, int(m_jobs.size()));
        if (m_jobs.isEmpty())
            finishIfDone();
        else
            readNextSecret();
    });
}

GrantTestResult BatchTester::resultFor(int index) const
{
    GrantTestResult result;
    result.grantId = m_jobs.at(index).grant.id;
    result.grantName = m_jobs.at(index).grant.name;
    return result;
}

void BatchTester::readNextSecret()
{
    if (m_cancelled)
        return;
    if (m_nextSecret >= m_jobs.size()) {
        startFetches();
        return;
    }
    const int index = m_nextSecret++;
    if (m_keychainDown.isError()) {
        GrantTestResult result = resultFor(index);
        result.vaultError = m_keychainDown;
        complete(index, result);
        m_secretsRead = index + 1;
        readNextSecret();
        return;
    }
    const quint64 generation = m_generation;
    m_vault.load(m_jobs.at(index).grant.keychainKey(), this, [this, index, generation](const VaultLoadResult& loaded) {
        if (generation != m_generation || m_cancelled)
            return;
        if (loaded.error.isError()) {
            if (keychainIsDown(loaded.error))
                m_keychainDown = loaded.error;
            GrantTestResult result = resultFor(index);
            result.vaultError = loaded.error;
            complete(index, result);
        } else {
            m_jobs[index].credentials = loaded.credentials;
        }
        // Requests start as soon as their secret is in, while the keychain reads the next ones.
        m_secretsRead = index + 1;
        startFetches();
        readNextSecret();
    });
}

void BatchTester::startFetches()
{
    while (!m_cancelled && m_inFlight.size() < m_concurrency && m_nextFetch < m_secretsRead) {
        const int index = m_nextFetch++;
        Job& job = m_jobs[index];
        if (job.done)
            continue; // its secret could not be read
        TokenReply* reply = m_client.fetch(job.grant.tokenRequest(job.credentials, m_timeout));
        job.credentials = {}; // the request holds its own copy for as long as it needs it
        m_inFlight.insert(index, reply);
        const quint64 generation = m_generation;
        connect(reply, &TokenReply::finished, this, [this, index, generation](const TokenResult& token) {
            if (generation != m_generation)
                return;
            m_inFlight.remove(index);
            GrantTestResult result = resultFor(index);
            result.token = token;
            complete(index, result);
            startFetches();
        });
    }
    finishIfDone();
}

void BatchTester::complete(int index, const GrantTestResult& result)
{
    Job& job = m_jobs[index];
    if (job.done)
        return;
    job.done = true;
    job.credentials = {};
    GrantTestResult stamped = result;
    stamped.testedAt = m_clock.now();
    m_results[index] = withoutToken(stamped);
    ++m_done;
    emit grantTested(stamped);
    emit progress(m_done, int(m_jobs.size()));
}

GrantTestResult BatchTester::withoutToken(const GrantTestResult& result)
{
    GrantTestResult stripped = result;
    if (stripped.token && stripped.token->isSuccess()) {
        IssuedToken token = stripped.token->token();
        token.accessToken.clear();
        stripped.token = TokenResult::success(stripped.token->response(), token);
    }
    return stripped;
}

void BatchTester::cancel()
{
    if (!m_running || m_cancelled)
        return;
    qCDebug(lcBatch) << "cancelling after" << m_done << "of" << m_jobs.size();
    m_cancelled = true;
    ++m_generation; // late answers of this batch (keychain reads, replies) are ignored from now on
    for (const auto& reply : std::as_const(m_inFlight)) {
        if (reply) {
            reply->disconnect(this);
            reply->cancel();
        }
    }
    m_inFlight.clear();
    // A receiver of the signals below may delete this tester.
    const QPointer<BatchTester> self(this);
    for (int index = 0; index < m_jobs.size() && self; ++index) {
        if (!m_jobs.at(index).done) {
            GrantTestResult result = resultFor(index);
            result.token = TokenResult::failure(TokenError::make(TokenErrorCode::Cancelled));
            complete(index, result);
        }
    }
    if (self)
        finishIfDone();
}

void BatchTester::finishIfDone()
{
    if (!m_running || m_done < m_jobs.size())
        return;
    m_running = false;

    if (m_store) {
        QList<QPair<QUuid, TestRecord>> records;
        for (const GrantTestResult& result : std::as_const(m_results)) {
            if (!result.wasCancelled())
                records.append({result.grantId, result.toTestRecord()});
        }
        if (!records.isEmpty()) {
            const StoreError error = m_store->appendTestRecords(records);
            if (error.isError())
                qCWarning(lcBatch) << "could not record the test results:" << error.summary();
        }
    }
    qCDebug(lcBatch) << "batch finished";
    emit finished(m_results);
}

} // namespace gk
