#include "core/scope/scopeset.h"

#include <QRegularExpression>

namespace gk {

ScopeSet ScopeSet::parse(const QString& text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    return fromList(text.split(separators, Qt::SkipEmptyParts));
}

ScopeSet ScopeSet::fromList(const QStringList& scopes)
{
    ScopeSet set;
    for (const QString& raw : scopes) {
        const QString scope = raw.trimmed();
        if (!scope.isEmpty() && !set.m_scopes.contains(scope))
            set.m_scopes.append(scope);
    }
    return set;
}

ScopeSet ScopeSet::minus(const ScopeSet& other) const
{
    ScopeSet result;
    for (const QString& scope : m_scopes) {
        if (!other.contains(scope))
            result.m_scopes.append(scope);
    }
    return result;
}

bool ScopeSet::sameScopesAs(const ScopeSet& other) const
{
    return size() == other.size() && minus(other).isEmpty();
}

ScopeComparison ScopeComparison::compare(const ScopeSet& requested, const ScopeSet& granted)
{
    ScopeComparison comparison;
    comparison.requested = requested;
    comparison.granted = granted;
    comparison.missing = requested.minus(granted);
    comparison.extra = granted.minus(requested);
    return comparison;
}

ScopeComparison ScopeComparison::assumeGrantedAsRequested(const ScopeSet& requested)
{
    ScopeComparison comparison = compare(requested, requested);
    comparison.grantedAssumedFromRequest = true;
    return comparison;
}

} // namespace gk
