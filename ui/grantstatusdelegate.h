// Draws the expiry and last-test cells of the grant list: a status badge, the words, and a status colour.
#pragma once

#include <QStyledItemDelegate>

namespace gk {

class GrantStatusDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace gk
