#include "core/scope/scopeset.h"

#include <QTest>

using namespace gk;

class TestScopeSet : public QObject
{
    Q_OBJECT

private slots:
    void parsesSpaceDelimitedScopes();
    void toleratesCommasNewlinesAndDuplicates();
    void emptyTextIsEmptySet();
    void comparisonListsMissingAndExtraScopes();
    void comparisonOfEqualSetsIgnoresOrder();
    void missingScopeInAnswerMeansGrantedAsRequested();
};

void TestScopeSet::parsesSpaceDelimitedScopes()
{
    const ScopeSet set = ScopeSet::parse(QStringLiteral("file:read file:write"));
    QCOMPARE(set.scopes(), QStringList({QStringLiteral("file:read"), QStringLiteral("file:write")}));
    QCOMPARE(set.toString(), QStringLiteral("file:read file:write"));
}

void TestScopeSet::toleratesCommasNewlinesAndDuplicates()
{
    const ScopeSet set = ScopeSet::parse(QStringLiteral(" file:read,\tgraph:read\nfile:read  data_tables|r "));
    QCOMPARE(set.scopes(),
             QStringList({QStringLiteral("file:read"), QStringLiteral("graph:read"), QStringLiteral("data_tables|r")}));
}

void TestScopeSet::emptyTextIsEmptySet()
{
    QVERIFY(ScopeSet::parse(QStringLiteral("  \n ")).isEmpty());
    QCOMPARE(ScopeSet::parse(QString()).toString(), QString());
}

void TestScopeSet::comparisonListsMissingAndExtraScopes()
{
    const auto comparison = ScopeComparison::compare(ScopeSet::parse(QStringLiteral("file:read file:write task:read")),
                                                     ScopeSet::parse(QStringLiteral("file:read graph:read")));
    QCOMPARE(comparison.missing.toString(), QStringLiteral("file:write task:read"));
    QCOMPARE(comparison.extra.toString(), QStringLiteral("graph:read"));
    QVERIFY(!comparison.grantedAsRequested());
    QVERIFY(!comparison.grantedAssumedFromRequest);
}

void TestScopeSet::comparisonOfEqualSetsIgnoresOrder()
{
    const auto comparison =
        ScopeComparison::compare(ScopeSet::parse(QStringLiteral("a b c")), ScopeSet::parse(QStringLiteral("c a b")));
    QVERIFY(comparison.grantedAsRequested());
    QVERIFY(comparison.missing.isEmpty());
    QVERIFY(comparison.extra.isEmpty());
    QVERIFY(ScopeSet::parse(QStringLiteral("a b")).sameScopesAs(ScopeSet::parse(QStringLiteral("b a"))));
    QVERIFY(!ScopeSet::parse(QStringLiteral("a b")).sameScopesAs(ScopeSet::parse(QStringLiteral("a"))));
}

void TestScopeSet::missingScopeInAnswerMeansGrantedAsRequested()
{
    const auto comparison = ScopeComparison::assumeGrantedAsRequested(ScopeSet::parse(QStringLiteral("file:read")));
    QVERIFY(comparison.grantedAssumedFromRequest);
    QVERIFY(comparison.grantedAsRequested());
    QCOMPARE(comparison.granted.toString(), QStringLiteral("file:read"));
}

QTEST_GUILESS_MAIN(TestScopeSet)
#include "tst_scopeset.moc"
