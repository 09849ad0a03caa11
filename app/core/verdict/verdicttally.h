// How many tests of a batch ended with each verdict, in the one wording the window and the command line share.
#pragma once

#include "core/verdict/testverdict.h"

#include <QCoreApplication>
#include <QHash>
#include <QString>

namespace gk {

class VerdictTally
{
    Q_DECLARE_TR_FUNCTIONS(VerdictTally)

public:
    void add(const TestVerdict& verdict);

    int count(Verdict kind) const { return m_counts.value(kind, 0); }
    int cancelled() const { return m_cancelled; }
    int total() const { return m_total; }

    // "6 passed, 1 scope missing, 1 refused, 1 unreachable, 2 not tested, 3 cancelled": the verdicts that occurred,
    // in that order; "nothing tested" for an empty batch.
    QString describe() const;

private:
    QHash<Verdict, int> m_counts;
    int m_cancelled = 0; // of the NotTested ones
    int m_total = 0;
};

} // namespace gk
