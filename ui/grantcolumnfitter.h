// Sizes the grant list's columns to the width the list has, so nothing hides behind a horizontal scroll bar:
// the status columns (Grant expires, Last test, Live token) get the width of their text first, the name, user
// and environment share what is left (down to a readable minimum; longer text is elided, its tool tip has all of
// it), and the name takes any slack. Refits when the list is resized, its font changes or its text does.
#pragma once

#include <QList>
#include <QObject>
#include <QTimer>

class QAbstractItemModel;
class QTableView;

namespace gk {

class GrantColumnFitter : public QObject
{
    Q_OBJECT

public:
    // Watches the table (and the model it shows) from now on; the fitter belongs to the table.
    explicit GrantColumnFitter(QTableView* table);

    // The narrowest the list can be with every column at its minimum: below it a scroll bar is unavoidable.
    int minimumListWidth() const;

    // Fits now; normally it happens by itself.
    void fit();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct ColumnWidths
    {
        int minimum = 0;
        int ideal = 0;
    };

    void watchModel(QAbstractItemModel* model);
    void markDirty(int firstColumn, int lastColumn);
    void measureDirtyColumns();
    ColumnWidths measure(int column) const;
    int contentWidth(int column) const;
    int headerWidth(int column) const;
    int charWidths(int count) const;

    QTableView* m_table;
    QObject* m_viewport; // the table's viewport, as it was when watching began
    QList<ColumnWidths> m_widths;
    QList<bool> m_dirty;
    QTimer m_refit;
};

} // namespace gk
