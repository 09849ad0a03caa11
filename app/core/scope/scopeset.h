// A set of OAuth2 scopes, normalised so that requested and granted scopes can be compared.
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace gk {

class ScopeSet
{
public:
    ScopeSet() = default;

    // Splits on spaces (the OAuth2 delimiter), also tolerating commas, tabs and newlines a person pastes;
    // drops empty and duplicate entries and keeps the first-seen order.
    static ScopeSet parse(const QString& text);
    static ScopeSet fromList(const QStringList& scopes);

    bool isEmpty() const { return m_scopes.isEmpty(); }
    qsizetype size() const { return m_scopes.size(); }
    bool contains(const QString& scope) const { return m_scopes.contains(scope); }
    const QStringList& scopes() const { return m_scopes; }

    // The wire form: space-delimited, in the order given.
    QString toString() const { return m_scopes.join(QLatin1Char(' ')); }

    // Scopes of this set that are not in other, in this set's order.
    ScopeSet minus(const ScopeSet& other) const;

    // Equal as sets: order does not matter.
    bool sameScopesAs(const ScopeSet& other) const;

    friend bool operator==(const ScopeSet&, const ScopeSet&) = default;

private:
    QStringList m_scopes;
};

// How what the server granted compares to what was asked for.
struct ScopeComparison
{
    ScopeSet requested;
    ScopeSet granted;
    ScopeSet missing; // requested but not granted
    ScopeSet extra;   // granted but not requested
    // The server's answer carried no scope: by RFC 6749 §5.1 it granted exactly what was requested.
    bool grantedAssumedFromRequest = false;

    bool grantedAsRequested() const { return missing.isEmpty() && extra.isEmpty(); }

    static ScopeComparison compare(const ScopeSet& requested, const ScopeSet& granted);
    static ScopeComparison assumeGrantedAsRequested(const ScopeSet& requested);
};

} // namespace gk

Q_DECLARE_METATYPE(gk::ScopeSet)
