#include "core/verdict/verdicttally.h"

#include <QStringList>

namespace gk {

void VerdictTally::add(const TestVerdict& verdict)
{
    ++m_total;
    if (verdict.localReason() == TestVerdict::LocalReason::Cancelled)
        ++m_cancelled;
    else
        ++m_counts[verdict.kind()];
}

QString VerdictTally::describe() const
{
    QStringList parts;
    if (const int passed = count(Verdict::Passed))
        parts.append(tr("%n passed", nullptr, passed));
    if (const int missing = count(Verdict::ScopeMissing))
        parts.append(tr("%n scope missing", nullptr, missing));
    if (const int refused = count(Verdict::Refused))
        parts.append(tr("%n refused", nullptr, refused));
    if (const int unreachable = count(Verdict::Unreachable))
        parts.append(tr("%n unreachable", nullptr, unreachable));
    if (const int notTested = count(Verdict::NotTested))
        parts.append(tr("%n not tested", nullptr, notTested));
    if (m_cancelled)
        parts.append(tr("%n cancelled", nullptr, m_cancelled));
    return parts.isEmpty() ? tr("nothing tested") : parts.join(QStringLiteral(", "));
}

} // namespace gk
