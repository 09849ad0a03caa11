#include "ui/grantfilterproxymodel.h"

#include "core/model/grantlistmodel.h"

namespace gk {

GrantFilterProxyModel::GrantFilterProxyModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(GrantListModel::SortRole);
    setDynamicSortFilter(true);
}

void GrantFilterProxyModel::setFilterText(const QString& text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_filterText)
        return;
    m_filterText = trimmed;
    invalidateFilter();
}

void GrantFilterProxyModel::setOnlyGrants(const std::optional<QSet<QUuid>>& grantIds)
{
    if (grantIds == m_onlyGrants)
        return;
    m_onlyGrants = grantIds;
    invalidateFilter();
}

bool GrantFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_onlyGrants) {
        const QUuid id = sourceModel()->index(sourceRow, 0, sourceParent).data(GrantListModel::GrantIdRole).toUuid();
        if (!m_onlyGrants->contains(id))
            return false;
    }
    if (m_filterText.isEmpty())
        return true;
    // Name, user and environment are what people search by.
    for (const int column :
         {GrantListModel::NameColumn, GrantListModel::UserColumn, GrantListModel::EnvironmentColumn}) {
        const QString text = sourceModel()->index(sourceRow, column, sourceParent).data().toString();
        if (text.contains(m_filterText, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace gk
