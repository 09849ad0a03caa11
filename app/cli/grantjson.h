// The stable --json shapes of the command line (documented in the README).
#pragma once

#include <QDate>
#include <QDateTime>
#include <QJsonObject>

class QJsonArray;

namespace gk {
class VerdictTally;
struct Grant;
struct GrantTestResult;
struct TestRecord;
} // namespace gk

namespace gk::cli {

class GrantJson
{
public:
    static QJsonObject grant(const Grant& grant, const QDate& today, int warningDays);
    static QJsonObject testRecord(const TestRecord& record);
    static QJsonObject testResult(const GrantTestResult& result, const Grant& grant, const QDate& today,
                                  int warningDays);
    static QJsonObject expiry(const Grant& grant, const QDate& today, int warningDays);
    // `test --json`'s document: the results and how many ended with each verdict.
    static QJsonObject testSummary(const QJsonArray& results, const VerdictTally& tally);
};

} // namespace gk::cli
