// Filters the grant list by what the user types (and, on request, to a set of grants) and sorts it by values that make
// sense (days, times).
#pragma once

#include <QSet>
#include <QSortFilterProxyModel>
#include <QUuid>

#include <optional>

namespace gk {

class GrantFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit GrantFilterProxyModel(QObject* parent = nullptr);

    void setFilterText(const QString& text);
    // Shows only these grants (the typed filter still applies within them); nullopt shows every grant.
    void setOnlyGrants(const std::optional<QSet<QUuid>>& grantIds);
    bool isLimitedToGrants() const { return m_onlyGrants.has_value(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_filterText;
    std::optional<QSet<QUuid>> m_onlyGrants;
};

} // namespace gk
