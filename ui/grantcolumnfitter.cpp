#include "ui/grantcolumnfitter.h"

#include "core/model/grantlistmodel.h"

#include <QAbstractItemDelegate>
#include <QEvent>
#include <QHeaderView>
#include <QScrollBar>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QTableView>

#include <algorithm>

namespace gk {

namespace {

bool isStatusColumn(int column)
{
    return column == GrantListModel::ExpiryColumn || column == GrantListModel::LastTestColumn ||
           column == GrantListModel::TokenColumn;
}

// The longest a flexible column asks for, in average characters, before its text is elided.
int idealCharacters(int column)
{
    switch (column) {
    case GrantListModel::NameColumn:
        return 40;
    case GrantListModel::UserColumn:
        return 24;
    default:
        return 20;
    }
}

} // namespace

GrantColumnFitter::GrantColumnFitter(QTableView* table)
    : QObject(table)
    , m_table(table)
    , m_viewport(table->viewport())
    , m_widths(GrantListModel::ColumnCount)
    , m_dirty(GrantListModel::ColumnCount, true)
{
    // Many changes arrive at once (a reset, a batch of results): measure and fit once, after them.
    m_refit.setSingleShot(true);
    m_refit.setInterval(0);
    connect(&m_refit, &QTimer::timeout, this, &GrantColumnFitter::fit);
    m_table->installEventFilter(this);
    m_viewport->installEventFilter(this);
    m_table->horizontalHeader()->setStretchLastSection(false);
    watchModel(m_table->model());
}

void GrantColumnFitter::watchModel(QAbstractItemModel* model)
{
    if (!model)
        return;
    const auto all = [this] { markDirty(0, GrantListModel::ColumnCount - 1); };
    connect(model, &QAbstractItemModel::modelReset, this, all);
    connect(model, &QAbstractItemModel::layoutChanged, this, all);
    connect(model, &QAbstractItemModel::rowsInserted, this, all);
    connect(model, &QAbstractItemModel::rowsRemoved, this, all);
    connect(model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& topLeft, const QModelIndex& bottomRight) {
                markDirty(topLeft.column(), bottomRight.column());
            });
}

void GrantColumnFitter::markDirty(int firstColumn, int lastColumn)
{
    for (int column = std::max(0, firstColumn); column <= std::min(lastColumn, int(m_dirty.size()) - 1); ++column)
        m_dirty[column] = true;
    m_refit.start();
}

bool GrantColumnFitter::eventFilter(QObject* watched, QEvent* event)
{
    // Compared by address only: events also arrive while the table is being destroyed.
    if (watched == m_viewport && event->type() == QEvent::Resize) {
        fit(); // at once, so a resized window never shows a frame with a scroll bar
    } else if (watched == m_table && (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)) {
        markDirty(0, GrantListModel::ColumnCount - 1);
    }
    return QObject::eventFilter(watched, event);
}

int GrantColumnFitter::minimumListWidth() const
{
    const_cast<GrantColumnFitter*>(this)->measureDirtyColumns();
    int width = 2 * m_table->frameWidth() + m_table->verticalScrollBar()->sizeHint().width();
    for (const ColumnWidths& widths : m_widths)
        width += widths.minimum;
    return width;
}

void GrantColumnFitter::fit()
{
    measureDirtyColumns();
    QHeaderView* header = m_table->horizontalHeader();
    QList<int> widths(GrantListModel::ColumnCount, 0);
    int rest = m_table->viewport()->width();
    for (int column = 0; column < GrantListModel::ColumnCount; ++column) {
        if (header->isSectionHidden(column))
            continue;
        widths[column] = m_widths[column].minimum;
        rest -= widths[column];
    }
    // What is left goes to the name, the user and the environment, in that order, up to what each asks for;
    // anything beyond that widens the name.
    for (const int column :
         {GrantListModel::NameColumn, GrantListModel::UserColumn, GrantListModel::EnvironmentColumn}) {
        if (header->isSectionHidden(column) || rest <= 0)
            continue;
        const int grow = std::min(rest, m_widths[column].ideal - widths[column]);
        widths[column] += grow;
        rest -= grow;
    }
    if (rest > 0 && !header->isSectionHidden(GrantListModel::NameColumn))
        widths[GrantListModel::NameColumn] += rest;
    for (int column = 0; column < GrantListModel::ColumnCount; ++column) {
        header->setSectionResizeMode(column, QHeaderView::Fixed);
        if (!header->isSectionHidden(column) && header->sectionSize(column) != widths[column])
            header->resizeSection(column, widths[column]);
    }
}

void GrantColumnFitter::measureDirtyColumns()
{
    for (int column = 0; column < GrantListModel::ColumnCount; ++column) {
        if (m_dirty[column])
            m_widths[column] = measure(column);
        m_dirty[column] = false;
    }
}

GrantColumnFitter::ColumnWidths GrantColumnFitter::measure(int column) const
{
    const int header = headerWidth(column);
    ColumnWidths widths;
    if (isStatusColumn(column)) {
        // Status text grows as time passes ("passed 3 min ago" becomes "passed 45 min ago"): room for two digits.
        widths.minimum = std::max(header, contentWidth(column) + charWidths(2));
        widths.ideal = widths.minimum;
        return widths;
    }
    // "Integration user" may be elided on a narrow screen (its cells say svc-…); the other headers are short.
    widths.minimum =
        std::max(charWidths(8), column == GrantListModel::UserColumn ? std::min(header, charWidths(12)) : header);
    widths.ideal =
        std::clamp(std::max(contentWidth(column), header), widths.minimum, charWidths(idealCharacters(column)));
    return widths;
}

int GrantColumnFitter::contentWidth(int column) const
{
    const QAbstractItemModel* model = m_table->model();
    if (!model)
        return 0;
    QStyleOptionViewItem option;
    option.initFrom(m_table);
    option.widget = m_table;
    option.font = m_table->font();
    option.fontMetrics = m_table->fontMetrics();
    int widest = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, column);
        widest = std::max(widest, m_table->itemDelegateForIndex(index)->sizeHint(option, index).width());
    }
    return widest + (m_table->showGrid() ? 1 : 0);
}

int GrantColumnFitter::headerWidth(int column) const
{
    return m_table->horizontalHeader()->sectionSizeHint(column);
}

int GrantColumnFitter::charWidths(int count) const
{
    return count * m_table->fontMetrics().averageCharWidth();
}

} // namespace gk
