// One entry of a grant's test history: the server's answer to one test. It never holds a token, and never a sentence
// of ours: the verdict, codes and what the server or the network said; the text is built when shown.
#pragma once

#include "core/scope/scopeset.h"
#include "core/token/tokenerror.h"
#include "core/verdict/testverdict.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace gk {

struct ResponseInfo;

struct TestRecord
{
    QDateTime testedAt;
    Verdict verdict = Verdict::Passed; // never NotTested: a test that did not reach the server is not recorded
    int httpStatus = 0;
    ScopeSet requestedScope; // what the grant asked for at the time
    ScopeSet grantedScope;   // Passed and ScopeMissing: what the server granted
    TokenError error;        // Refused and Unreachable: the code and the server's or network's own words
    qint64 roundTripMs = -1;

    bool passed() const { return verdict == Verdict::Passed; }
    TestVerdict details() const { return TestVerdict::fromRecord(*this); }

    // The record of a test, or nullopt when the verdict is not the server's (nothing is then recorded).
    static std::optional<TestRecord> of(const TestVerdict& verdict, const TokenResult* token,
                                        const QDateTime& testedAt);

    QJsonObject toJson() const;
    // nullopt for an entry that is unreadable, or that an earlier version recorded although the server was never
    // asked (a locked keychain, a cancelled test): those were never the grant's result.
    static std::optional<TestRecord> fromJson(const QJsonObject& object);

    friend bool operator==(const TestRecord& a, const TestRecord& b);
};

} // namespace gk
