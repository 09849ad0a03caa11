// `grantkeeper test NAME... | --all`: fetches a token for each grant and reports what the server granted.
#pragma once

#include "cli/command.h"

#include <QHash>
#include <QUuid>

namespace gk {
class BatchTester;
struct GrantTestResult;
} // namespace gk

namespace gk::cli {

class TestCommand : public Command
{
    Q_OBJECT

public:
    using Command::Command;
    QString name() const override { return QStringLiteral("test"); }
    QString summary() const override;
    void addOptions(QCommandLineParser& parser) override;
    void run(const QCommandLineParser& parser) override;

protected:
    // Ends every grant not tested yet as cancelled; the results already in are reported and recorded as usual.
    void cancel() override;

private:
    void report(const GrantTestResult& result);
    // What a test that got a token found out, in one line: scopes, lifetime, round trip, what to look at.
    QString describeToken(const GrantTestResult& result, const Grant& grant) const;
    void complete(const QList<GrantTestResult>& results);

    bool m_json = false;
    QHash<QUuid, Grant> m_grants;
    BatchTester* m_tester = nullptr;
};

} // namespace gk::cli
