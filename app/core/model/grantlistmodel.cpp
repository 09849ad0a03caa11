#include "core/model/grantlistmodel.h"

#include "core/expiry/clock.h"
#include "core/expiry/expirystatus.h"
#include "core/text/durationtext.h"

#include <QLocale>

#include <algorithm>
#include <limits>

namespace gk {

GrantListModel::GrantListModel(const Clock& clock, QObject* parent)
    : QAbstractTableModel(parent)
    , m_clock(clock)
    , m_warningDays(ExpiryStatus::DefaultWarningDays)
{}

bool GrantListModel::sameRows(const QList<Grant>& grants) const
{
    if (grants.size() != m_grants.size())
        return false;
    for (qsizetype row = 0; row < grants.size(); ++row) {
        if (grants.at(row).id != m_grants.at(row).id)
            return false;
    }
    return true;
}

void GrantListModel::pruneLiveTokens()
{
    for (auto it = m_liveTokens.begin(); it != m_liveTokens.end();) {
        if (rowOf(it.key()) < 0)
            it = m_liveTokens.erase(it);
        else
            ++it;
    }
}

void GrantListModel::setGrants(const QList<Grant>& grants)
{
    if (sameRows(grants)) {
        // Consecutive changed rows share one signal: a batch's results usually change them all, or none.
        int firstChanged = -1;
        const auto flush = [this, &firstChanged](int endRow) {
            if (firstChanged >= 0)
                emit dataChanged(index(firstChanged, 0), index(endRow - 1, ColumnCount - 1));
            firstChanged = -1;
        };
        bool usersChanged = false;
        for (int row = 0; row < grants.size(); ++row) {
            if (grants.at(row) == m_grants.at(row)) {
                flush(row);
                continue;
            }
            usersChanged = usersChanged || grants.at(row).integrationUser != m_grants.at(row).integrationUser;
            m_grants[row] = grants.at(row);
            if (firstChanged < 0)
                firstChanged = row;
        }
        flush(int(grants.size()));
        // Whether a grant shares its integration user with another one depends on the other rows too.
        if (usersChanged)
            emit dataChanged(index(0, UserColumn), index(rowCount() - 1, UserColumn));
        return;
    }

    beginResetModel();
    m_grants = grants;
    m_rowById.clear();
    m_rowById.reserve(m_grants.size());
    for (int row = 0; row < m_grants.size(); ++row)
        m_rowById.insert(m_grants.at(row).id, row);
    pruneLiveTokens();
    endResetModel();
}

void GrantListModel::recordTest(const QUuid& id, const TestRecord& record)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    m_grants[row].appendTestRecord(record);
    emit dataChanged(index(row, LastTestColumn), index(row, LastTestColumn));
}

std::optional<Grant> GrantListModel::grantAt(int row) const
{
    if (row < 0 || row >= m_grants.size())
        return std::nullopt;
    return m_grants.at(row);
}

int GrantListModel::rowOf(const QUuid& id) const
{
    return m_rowById.value(id, -1);
}

void GrantListModel::setWarningDays(int days)
{
    if (days == m_warningDays)
        return;
    m_warningDays = days;
    if (!m_grants.isEmpty())
        emit dataChanged(index(0, ExpiryColumn), index(rowCount() - 1, ExpiryColumn));
}

void GrantListModel::setLiveTokenExpiry(const QUuid& id, const QDateTime& expiresAt)
{
    const auto known = m_liveTokens.constFind(id);
    if (known == m_liveTokens.constEnd() ? !expiresAt.isValid() : *known == expiresAt)
        return; // nothing to repaint
    if (expiresAt.isValid())
        m_liveTokens.insert(id, expiresAt);
    else
        m_liveTokens.remove(id);
    const int row = rowOf(id);
    if (row >= 0)
        emit dataChanged(index(row, TokenColumn), index(row, TokenColumn));
}

void GrantListModel::refreshTimes()
{
    // Called every second: touch only what changed, so a sorted list of thousands of grants stays cheap.
    const QDateTime now = m_clock.now();
    QList<QUuid> ticking;
    for (auto it = m_liveTokens.begin(); it != m_liveTokens.end();) {
        ticking.append(it.key());
        if (it.value() <= now)
            it = m_liveTokens.erase(it);
        else
            ++it;
    }
    for (const QUuid& id : std::as_const(ticking)) {
        const int row = rowOf(id);
        if (row >= 0)
            emit dataChanged(index(row, TokenColumn), index(row, TokenColumn));
    }
    if (m_grants.isEmpty())
        return;
    // Days left change at midnight; "passed 3 min ago" changes once a minute.
    if (now.toLocalTime().date() != m_lastRefreshDay) {
        m_lastRefreshDay = now.toLocalTime().date();
        emit dataChanged(index(0, ExpiryColumn), index(rowCount() - 1, ExpiryColumn));
    }
    const qint64 minute = now.toSecsSinceEpoch() / 60;
    if (minute != m_lastRefreshMinute) {
        m_lastRefreshMinute = minute;
        emit dataChanged(index(0, LastTestColumn), index(rowCount() - 1, LastTestColumn));
    }
}

int GrantListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_grants.size());
}

int GrantListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool GrantListModel::sharesUser(const Grant& grant) const
{
    return std::any_of(m_grants.cbegin(), m_grants.cend(),
                       [&grant](const Grant& other) { return sharesIntegrationUser(grant, other); });
}

QVariant GrantListModel::display(const Grant& grant, int column) const
{
    switch (column) {
    case NameColumn:
        return grant.name;
    case UserColumn:
        return grant.integrationUser;
    case EnvironmentColumn:
        return grant.environmentLabel();
    case ExpiryColumn:
        return ExpiryStatus::evaluate(grant.expiresOn, m_clock.today(), m_warningDays).describe();
    case LastTestColumn: {
        const TestRecord* record = grant.lastTest();
        if (!record)
            return tr("never tested");
        //: the verdict of the last test, then how long ago: "scope missing 3 min ago"
        return tr("%1 %2").arg(TestVerdict::label(record->verdict), describeAge(record->testedAt, m_clock.now()));
    }
    case TokenColumn: {
        const auto it = m_liveTokens.constFind(grant.id);
        if (it == m_liveTokens.constEnd())
            return QString();
        return tr("%1 left").arg(describeDuration(m_clock.now().secsTo(*it)));
    }
    }
    return {};
}

QVariant GrantListModel::sortValue(const Grant& grant, int column) const
{
    switch (column) {
    case ExpiryColumn: {
        // Soonest first when ascending; grants without a date last.
        const auto days = ExpiryStatus::evaluate(grant.expiresOn, m_clock.today(), m_warningDays).daysLeft();
        return days ? *days : std::numeric_limits<qint64>::max();
    }
    case LastTestColumn: {
        const TestRecord* record = grant.lastTest();
        return record ? record->testedAt.toSecsSinceEpoch() : qint64(0);
    }
    case TokenColumn: {
        const auto it = m_liveTokens.constFind(grant.id);
        return it == m_liveTokens.constEnd() ? qint64(-1) : m_clock.now().secsTo(*it);
    }
    default:
        return display(grant, column).toString().toLower();
    }
}

QString GrantListModel::toolTip(const Grant& grant, int column) const
{
    switch (column) {
    case NameColumn:
        return grant.name; // the whole name, when the column shows it elided
    case ExpiryColumn: {
        if (!grant.expiresOn)
            return tr("No expiration date was entered for this grant.");
        const QString day = grant.expiresOn->toString(Qt::ISODate);
        return *grant.expiresOn < m_clock.today() ? tr("The grant expired at the end of %1.").arg(day)
                                                  : tr("The grant expires at the end of %1.").arg(day);
    }
    case LastTestColumn: {
        const TestRecord* record = grant.lastTest();
        if (!record)
            return tr("This grant has not been tested yet.");
        const TestVerdict verdict = record->details();
        const QString when = QLocale().toString(record->testedAt.toLocalTime());
        return verdict.isPass() ? tr("Passed on %1").arg(when)
                                : tr("%1 on %2: %3").arg(verdict.label(), when, verdict.summary());
    }
    case UserColumn:
        return sharesUser(grant) ? tr("Another grant uses the same integration user. Workiva recommends one "
                                      "integration user per integration.")
                                 : QString();
    case EnvironmentColumn:
        return grant.tokenUrl().toString();
    default:
        return {};
    }
}

QVariant GrantListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_grants.size())
        return {};
    const Grant& grant = m_grants.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(grant, index.column());
    case Qt::ToolTipRole:
        return toolTip(grant, index.column());
    case GrantIdRole:
        return grant.id;
    case SortRole:
        return sortValue(grant, index.column());
    case ExpiryStateRole:
        return int(ExpiryStatus::evaluate(grant.expiresOn, m_clock.today(), m_warningDays).state());
    case LastVerdictRole: {
        const TestRecord* record = grant.lastTest();
        return record ? QVariant(int(record->verdict)) : QVariant();
    }
    case SharedUserRole:
        return sharesUser(grant);
    }
    return {};
}

QVariant GrantListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case UserColumn:
        return tr("Integration user");
    case EnvironmentColumn:
        return tr("Environment");
    case ExpiryColumn:
        return tr("Grant expires");
    case LastTestColumn:
        return tr("Last test");
    case TokenColumn:
        return tr("Live token");
    }
    return {};
}

} // namespace gk
