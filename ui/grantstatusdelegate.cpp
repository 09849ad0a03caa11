#include "ui/grantstatusdelegate.h"

#include "core/model/grantlistmodel.h"
#include "ui/statuspalette.h"

namespace gk {

void GrantStatusDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);

    std::optional<StatusPalette::Tone> tone;
    if (index.column() == GrantListModel::ExpiryColumn) {
        tone = StatusPalette::toneFor(ExpiryState(index.data(GrantListModel::ExpiryStateRole).toInt()));
    } else if (index.column() == GrantListModel::LastTestColumn) {
        const QVariant verdict = index.data(GrantListModel::LastVerdictRole);
        tone = verdict.isValid() ? StatusPalette::toneFor(Verdict(verdict.toInt())) : StatusPalette::Tone::Neutral;
    } else if (index.column() == GrantListModel::UserColumn && index.data(GrantListModel::SharedUserRole).toBool()) {
        tone = StatusPalette::Tone::Warning;
    }
    if (!tone)
        return;

    option->icon = StatusPalette::icon(*tone, option->palette);
    option->features |= QStyleOptionViewItem::HasDecoration;
    option->decorationSize = QSize(16, 16);
    if (!(option->state & QStyle::State_Selected) && *tone != StatusPalette::Tone::Good)
        option->palette.setColor(QPalette::Text, StatusPalette::color(*tone, option->palette));
}

} // namespace gk
