// The grant list model: in-place updates when the same grants come back (a save, a reload), so the window keeps
// its selection and scroll position; a reset only when grants were added, removed or reordered.
#include "core/model/grantlistmodel.h"
#include "support/manualclock.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimeZone>

using namespace gk;
using gk::test::ManualClock;

namespace {

const QDateTime Now(QDate(2026, 11, 23), QTime(9, 30), QTimeZone::utc());

QList<Grant> threeGrants()
{
    QList<Grant> grants;
    for (const char* name : {"Payroll", "Export", "Audit"}) {
        Grant grant = Grant::create(QString::fromLatin1(name), Now);
        grant.integrationUser = QStringLiteral("svc-") + grant.name.toLower();
        grants.append(grant);
    }
    return grants;
}

TestRecord passedAt(const QDateTime& when)
{
    TestRecord record;
    record.testedAt = when;
    record.verdict = Verdict::Passed;
    record.httpStatus = 200;
    return record;
}

} // namespace

class TestGrantListModel : public QObject
{
    Q_OBJECT

private slots:
    void sameGrantsAgainChangeNothing();
    void changedGrantsAreUpdatedInPlace();
    void addedGrantResetsTheModel();
    void changedUserRepaintsWhoSharesIt();
    void unchangedLiveTokenRepaintsNothing();
    void toolTipsSayExpiredOrExpiresAndGiveTheWholeName();
};

void TestGrantListModel::toolTipsSayExpiredOrExpiresAndGiveTheWholeName()
{
    ManualClock clock(Now);
    GrantListModel model(clock);
    QList<Grant> grants = threeGrants();
    grants[0].expiresOn = QDate(2026, 11, 20);
    grants[1].expiresOn = QDate(2026, 11, 23);
    grants[2].name = QString(120, QLatin1Char('n'));
    model.setGrants(grants);
    const auto tip = [&model](int row, int column) {
        return model.index(row, column).data(Qt::ToolTipRole).toString();
    };
    QCOMPARE(tip(0, GrantListModel::ExpiryColumn), QStringLiteral("The grant expired at the end of 2026-11-20."));
    QCOMPARE(tip(1, GrantListModel::ExpiryColumn), QStringLiteral("The grant expires at the end of 2026-11-23."));
    QCOMPARE(tip(2, GrantListModel::ExpiryColumn), QStringLiteral("No expiration date was entered for this grant."));
    QCOMPARE(tip(2, GrantListModel::NameColumn), QString(120, QLatin1Char('n')));
}

void TestGrantListModel::sameGrantsAgainChangeNothing()
{
    ManualClock clock(Now);
    GrantListModel model(clock);
    const QList<Grant> grants = threeGrants();
    model.setGrants(grants);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setGrants(grants);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(changed.size(), 0);
}

void TestGrantListModel::changedGrantsAreUpdatedInPlace()
{
    ManualClock clock(Now);
    GrantListModel model(clock);
    QList<Grant> grants = threeGrants();
    model.setGrants(grants);
    QSignalSpy reset(&model, &QAbstractItemModel::modelAboutToBeReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // A batch wrote the history of the last two grants.
    grants[1].appendTestRecord(passedAt(Now));
    grants[2].appendTestRecord(passedAt(Now));
    model.setGrants(grants);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(changed.size(), 1); // consecutive rows in one signal
    QCOMPARE(changed.first().at(0).toModelIndex(), model.index(1, 0));
    QCOMPARE(changed.first().at(1).toModelIndex(), model.index(2, GrantListModel::ColumnCount - 1));
    QCOMPARE(model.grants(), grants);
    QCOMPARE(model.index(2, GrantListModel::LastTestColumn).data().toString(), QStringLiteral("passed just now"));
    QCOMPARE(model.index(0, GrantListModel::LastTestColumn).data().toString(), QStringLiteral("never tested"));
    QCOMPARE(model.rowOf(grants[2].id), 2);
}

void TestGrantListModel::addedGrantResetsTheModel()
{
    ManualClock clock(Now);
    GrantListModel model(clock);
    QList<Grant> grants = threeGrants();
    model.setGrants(grants);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    grants.append(Grant::create(QStringLiteral("Added elsewhere"), Now));
    model.setGrants(grants);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowOf(grants[3].id), 3);
}

void TestGrantListModel::changedUserRepaintsWhoSharesIt()
{
    ManualClock clock(Now);
    GrantListModel model(clock);
    QList<Grant> grants = threeGrants();
    model.setGrants(grants);
    QCOMPARE(model.index(2, GrantListModel::UserColumn).data(GrantListModel::SharedUserRole).toBool(), false);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    grants[0].integrationUser = grants[2].integrationUser;
    model.setGrants(grants);
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(1).at(0).toModelIndex(), model.index(0, GrantListModel::UserColumn));
    QCOMPARE(changed.at(1).at(1).toModelIndex(), model.index(2, GrantListModel::UserColumn));
    QCOMPARE(model.index(2, GrantListModel::UserColumn).data(GrantListModel::SharedUserRole).toBool(), true);
}

void TestGrantListModel::unchangedLiveTokenRepaintsNothing()
{
    ManualClock clock(Now);
    GrantListModel model(clock);
    const QList<Grant> grants = threeGrants();
    model.setGrants(grants);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setLiveTokenExpiry(grants[0].id, Now.addSecs(3600));
    QCOMPARE(changed.size(), 1);
    model.setLiveTokenExpiry(grants[0].id, Now.addSecs(3600));
    model.setLiveTokenExpiry(grants[1].id, {});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(0, GrantListModel::TokenColumn).data().toString(), QStringLiteral("1 h left"));
}

QTEST_GUILESS_MAIN(TestGrantListModel)
#include "tst_grantlistmodel.moc"
