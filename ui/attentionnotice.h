// The one-line notice above the grant list when grants have expired or expire soon: how many of each, the most
// urgent one or two by name, and a button that shows only those grants in the list (and back). It stays two lines
// high at any count; the full list is the filter, not the notice.
#pragma once

#include "core/expiry/expiryattention.h"

#include <QFrame>
#include <QSet>
#include <QUuid>

class QLabel;
class QPushButton;

namespace gk {

class AttentionNotice : public QFrame
{
    Q_OBJECT

public:
    explicit AttentionNotice(QWidget* parent = nullptr);

    // Shows what needs attention now (hidden when nothing does or after Dismiss). While the list shows only the
    // grants in need, the filter follows the new set.
    void setAttention(const ExpiryAttention& attention);
    bool isShowingOnlyThese() const { return m_showingOnly; }

signals:
    void showOnlyRequested(const QSet<QUuid>& grantIds);
    void showAllRequested();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void setShowingOnly(bool only);
    void elideUrgentLine();
    static QString countsText(const ExpiryAttention& attention);
    static QString urgentText(const ExpiryAttention& attention);

    QLabel* m_countsLabel = nullptr;
    QLabel* m_urgentLabel = nullptr;
    QPushButton* m_showOnlyButton = nullptr;
    QString m_urgentText;
    QSet<QUuid> m_grantIds;
    bool m_showingOnly = false;
    bool m_dismissed = false;
};

} // namespace gk
