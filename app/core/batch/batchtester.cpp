#include "core/batch/batchtester.h"

#include "core/expiry/clock.h"
#include "core/grant/grantstore.h"
#include "core/logging/logcategories.h"
#include "core/text/durationtext.h"
#include "core/token/tokenclient.h"
#include "core/vault/credentialvault.h"

#include <QSet>
#include <QTimer>

namespace gk {

BatchTester::BatchTester(CredentialVault& vault, TokenClient& client, const Clock& clock, GrantStore* store,
                         QObject* parent)
    : QObject(parent)
    , m_vault(vault)
    , m_client(client)
    , m_clock(clock)
    , m_store(store)
    , m_timeout(TokenRequest::DefaultTimeout)
    , m_resumeTimer(new QTimer(this))
{
    m_resumeTimer->setSingleShot(true);
    connect(m_resumeTimer, &QTimer::timeout, this, &BatchTester::startFetches);
}

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
    if (!m_running)
        m_currentConcurrency = m_concurrency;
}

void BatchTester::start(const QList<Grant>& grants)
{
    if (m_running)
        return;
    m_jobs.clear();
    for (const Grant& grant : grants)
        m_jobs.append(Job{grant, {}, 0, false, {}, std::nullopt});
    m_results = QList<GrantTestResult>(m_jobs.size());
    m_inFlight.clear();
    m_retries.clear();
    m_resumeTimer->stop();
    m_currentConcurrency = std::min(m_concurrency, std::max(1, int(m_jobs.size())));
    m_successesInARow = 0;
    m_nextFetch = 0;
    m_secretsRead = 0;
    m_done = 0;
    m_cancelled = false;
    m_running = true;
    const quint64 generation = ++m_generation;
    qCDebug(lcBatch) << "testing" << m_jobs.size() << "grants," << m_concurrency << "at a time";
    // Start from the event loop so a caller that connects after start() still sees every signal.
    QTimer::singleShot(0, this, [this, generation] {
        if (generation != m_generation)
            return;
        const QPointer<BatchTester> self(this); // a receiver may delete this tester, or cancel and restart it
        emit progress(0, int(m_jobs.size()));
        if (!self || generation != m_generation)
            return;
        if (m_jobs.isEmpty())
            finishIfDone();
        else
            readSecrets();
    });
}

GrantTestResult BatchTester::resultFor(int index) const
{
    GrantTestResult result;
    result.grantId = m_jobs.at(index).grant.id;
    result.grantName = m_jobs.at(index).grant.name;
    result.requestedScopes = m_jobs.at(index).grant.requestedScopes;
    result.attempts = m_jobs.at(index).attempts;
    return result;
}

void BatchTester::readSecrets()
{
    QStringList keys;
    keys.reserve(m_jobs.size());
    for (const Job& job : std::as_const(m_jobs))
        keys.append(job.grant.keychainKey());
    const quint64 generation = m_generation;
    // All secrets in one read: the Secret Service answers 500 keys about as fast as QtKeychain reads two.
    m_vault.loadMany(keys, this, [this, generation](const QHash<QString, VaultLoadResult>& loaded) {
        if (generation != m_generation || m_cancelled)
            return;
        const QPointer<BatchTester> self(this);
        // A receiver of grantTested() may delete this tester, or cancel it (and start another batch).
        for (int index = 0; self && generation == m_generation && !m_cancelled && index < m_jobs.size(); ++index) {
            const VaultLoadResult result =
                loaded.value(m_jobs.at(index).grant.keychainKey(), {VaultError::make(VaultErrorCode::NotFound), {}});
            if (result.error.isError()) {
                GrantTestResult failed = resultFor(index);
                failed.vaultError = result.error;
                complete(index, failed);
            } else {
                m_jobs[index].credentials = result.credentials;
            }
        }
        if (!self || generation != m_generation || m_cancelled)
            return;
        m_secretsRead = int(m_jobs.size());
        startFetches();
    });
    // While the keychain answers (on its worker thread), open a connection to each server the first requests
    // go to. One per server: Qt pairs a waiting request with a connection still being opened, and opens more
    // only as requests need them, so there are never more connections than requests allowed at once.
    QSet<QString> servers;
    const int ahead = std::min(m_concurrency, int(m_jobs.size()));
    for (int index = 0; index < ahead; ++index) {
        const Grant& grant = m_jobs.at(index).grant;
        const QString server = grant.tokenUrl().toString(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment) +
                               QLatin1Char('\n') + grant.trust.poolKey();
        if (!servers.contains(server)) {
            servers.insert(server);
            m_client.preconnect(grant.tokenUrl(), grant.trust);
        }
    }
}

void BatchTester::startFetches()
{
    while (!m_cancelled && !m_resumeTimer->isActive() && m_inFlight.size() < m_currentConcurrency) {
        int index = -1;
        if (!m_retries.isEmpty())
            index = m_retries.takeFirst();
        else if (m_nextFetch < m_secretsRead)
            index = m_nextFetch++;
        else
            break;
        if (m_jobs.at(index).done) // its secret could not be read
            continue;
        if (m_jobs.at(index).attempts > 0 && m_jobs.at(index).deadline.hasExpired()) {
            const QPointer<BatchTester> self(this); // a receiver of the signals may delete this tester
            completeOutOfTime(index);
            if (!self)
                return;
            continue;
        }
        fetch(index);
    }
    finishIfDone();
}

void BatchTester::fetch(int index)
{
    using namespace std::chrono;
    Job& job = m_jobs[index];
    if (job.attempts == 0)
        job.deadline = QDeadlineTimer(m_timeout);
    ++job.attempts;
    // A retry gets what is left of the grant's time limit, so the whole test stays within it.
    const milliseconds timeout =
        job.attempts == 1
            ? m_timeout
            : std::max(milliseconds(1), duration_cast<milliseconds>(job.deadline.remainingTimeAsDuration()));
    TokenReply* reply = m_client.fetch(job.grant.tokenRequest(job.credentials, timeout));
    m_inFlight.insert(index, reply);
    const quint64 generation = m_generation;
    connect(reply, &TokenReply::finished, this, [this, index, generation](TokenResult token) {
        if (generation != m_generation)
            return;
        m_inFlight.remove(index);
        const QPointer<BatchTester> self(this); // a receiver of the signals below may delete this tester
        if (!retryLater(index, token)) {
            GrantTestResult result = resultFor(index);
            result.token = token;
            complete(index, result);
        }
        if (self && generation == m_generation)
            startFetches();
    });
}

bool BatchTester::retryLater(int index, TokenResult& token)
{
    using namespace std::chrono;
    if (token.isSuccess()) {
        // The server keeps up again: one more request at a time after as many successes as run at once.
        if (m_currentConcurrency < m_concurrency && ++m_successesInARow >= m_currentConcurrency) {
            ++m_currentConcurrency;
            m_successesInARow = 0;
        }
        return false;
    }
    m_successesInARow = 0;
    const TokenError& error = token.error();
    const Job& job = m_jobs.at(index);
    if (error.code != TokenErrorCode::RateLimited || job.attempts >= m_retryPolicy.maxAttempts)
        return false;
    // Compared in seconds first: a huge Retry-After would overflow as milliseconds.
    if (error.retryAfterSeconds && *error.retryAfterSeconds > duration_cast<seconds>(m_retryPolicy.maxDelay).count())
        return false; // the answer says when to come back; the user decides, not a batch that waits minutes
    const milliseconds wait = error.retryAfterSeconds
                                  ? milliseconds(seconds(std::max<qint64>(0, *error.retryAfterSeconds)))
                                  : m_retryPolicy.baseDelay * (1 << std::min(job.attempts - 1, 16));
    if (wait > m_retryPolicy.maxDelay)
        return false;
    // The time limit is on the whole test: a wait that would pass it is not waited out. The batch's own wait counts
    // too: no request starts before it ends.
    const milliseconds remaining(m_resumeTimer->isActive() ? m_resumeTimer->remainingTime() : 0);
    if (std::max(wait, remaining) >= job.deadline.remainingTimeAsDuration()) {
        qCInfo(lcBatch) << "the server is rate limiting (HTTP 429); a wait of" << std::max(wait, remaining).count()
                        << "ms would pass the time limit of" << m_timeout.count() << "ms: not trying again";
        TokenError limited = error;
        limited.timeLimit = m_timeout;
        token = TokenResult::failure(token.response(), limited);
        return false;
    }

    // Several 429s answering requests sent together are one signal to slow down, not one each.
    if (!m_resumeTimer->isActive())
        m_currentConcurrency = std::max(1, m_currentConcurrency / 2);
    m_retries.append(index);
    m_jobs[index].lastAnswer = token;
    if (wait > remaining)
        m_resumeTimer->start(wait);
    qCInfo(lcBatch) << "the server is rate limiting (HTTP 429); waiting" << wait.count() << "ms, then"
                    << m_currentConcurrency << "at a time";
    emit slowedDown(std::max(wait, remaining), m_currentConcurrency);
    return true;
}

void BatchTester::completeOutOfTime(int index)
{
    TokenResult token =
        m_jobs.at(index).lastAnswer.value_or(TokenResult::failure(TokenError::make(TokenErrorCode::RateLimited)));
    if (!token.isSuccess()) {
        TokenError limited = token.error();
        limited.timeLimit = m_timeout;
        token = TokenResult::failure(token.response(), limited);
    }
    GrantTestResult result = resultFor(index);
    result.token = token;
    complete(index, result);
}

void BatchTester::complete(int index, const GrantTestResult& result)
{
    Job& job = m_jobs[index];
    if (job.done)
        return;
    job.done = true;
    job.credentials = {};
    job.lastAnswer.reset();
    GrantTestResult stamped = result;
    stamped.testedAt = m_clock.now();
    m_results[index] = withoutToken(stamped);
    ++m_done;
    const QPointer<BatchTester> self(this); // a receiver may delete this tester
    emit grantTested(stamped);
    if (self)
        emit progress(m_done, int(m_jobs.size()));
}

QList<QPair<QUuid, TestRecord>> BatchTester::recordsOf(const QList<GrantTestResult>& results)
{
    QList<QPair<QUuid, TestRecord>> records;
    for (const GrantTestResult& result : results) {
        if (const auto record = result.toTestRecord())
            records.append({result.grantId, *record});
    }
    return records;
}

QString BatchTester::describeSlowdown(std::chrono::milliseconds wait, int concurrency)
{
    const qint64 seconds = (wait.count() + 999) / 1000;
    const QString pace = concurrency == 1 ? tr("one grant at a time") : tr("%1 grants at a time").arg(concurrency);
    return tr("The server is rate limiting (HTTP 429): waiting %1, then testing %2.")
        .arg(describeDuration(seconds), pace);
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
    m_retries.clear();
    m_resumeTimer->stop();
    // A receiver of the signals below may delete this tester.
    const QPointer<BatchTester> self(this);
    for (int index = 0; self && index < m_jobs.size(); ++index) {
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
        const QList<QPair<QUuid, TestRecord>> records = recordsOf(m_results);
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
