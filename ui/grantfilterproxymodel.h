// Filters the grant list by what the user types and sorts it by values that make sense (days, times).
#pragma once

#include <QSortFilterProxyModel>

namespace gk {

class GrantFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit GrantFilterProxyModel(QObject* parent = nullptr);

    void setFilterText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_filterText;
};

} // namespace gk
