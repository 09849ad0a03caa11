// The grant list as a table model, for the window and anything else that shows grants. No widgets, no colours:
// the view decides how a state looks, from the roles below.
#pragma once

#include "core/grant/grant.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QUuid>

namespace gk {

class Clock;

class GrantListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, UserColumn, EnvironmentColumn, ExpiryColumn, LastTestColumn, TokenColumn, ColumnCount };

    enum Role {
        GrantIdRole = Qt::UserRole + 1, // QUuid
        SortRole,                       // a value that sorts as people expect (days left, test time, ...)
        ExpiryStateRole,                // int(ExpiryState)
        LastVerdictRole,                // int(Verdict) of the last recorded test; invalid when never tested
        SharedUserRole,                 // bool: another grant uses the same integration user
    };

    explicit GrantListModel(const Clock& clock, QObject* parent = nullptr);

    // Grants with the same ids in the same order as now (the usual case after a save or a reload) are updated
    // in place, each changed row with dataChanged(), so views keep their selection, scroll position and filter;
    // otherwise the model is reset.
    void setGrants(const QList<Grant>& grants);
    // Shows a test outcome at once, before the batch that produced it has written the history to the file.
    void recordTest(const QUuid& id, const TestRecord& record);
    const QList<Grant>& grants() const { return m_grants; }
    std::optional<Grant> grantAt(int row) const;
    int rowOf(const QUuid& id) const;

    void setWarningDays(int days);
    int warningDays() const { return m_warningDays; }

    // A live token's expiry, shown as a countdown; an invalid time removes it.
    void setLiveTokenExpiry(const QUuid& id, const QDateTime& expiresAt);
    // Moves the countdowns and day counts on; call it once a second while something is live.
    void refreshTimes();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool sameRows(const QList<Grant>& grants) const;
    void pruneLiveTokens();
    QVariant display(const Grant& grant, int column) const;
    QVariant sortValue(const Grant& grant, int column) const;
    QString toolTip(const Grant& grant, int column) const;
    bool sharesUser(const Grant& grant) const;

    const Clock& m_clock;
    QList<Grant> m_grants;
    QHash<QUuid, QDateTime> m_liveTokens;
    QHash<QUuid, int> m_rowById;
    int m_warningDays;
    QDate m_lastRefreshDay;
    qint64 m_lastRefreshMinute = 0;
};

} // namespace gk
