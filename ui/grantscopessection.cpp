#include "ui/grantscopessection.h"

#include "core/grant/grant.h"
#include "ui/fieldmessages.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>

#include <algorithm>

namespace gk {

namespace {

// The scopes Workiva's documentation shows (shared/reference/WORKIVA_API_NOTES.md), as read/write pairs so the
// grid reads like the admin UI; an empty entry leaves a cell free.
const QStringList KnownScopes = {
    QStringLiteral("file:read"),         QStringLiteral("file:write"),
    QStringLiteral("activity:read"),     QString(),
    QStringLiteral("graph:read"),        QStringLiteral("graph:write"),
    QStringLiteral("organization:read"), QStringLiteral("organization:write"),
    QStringLiteral("task:read"),         QStringLiteral("task:write"),
    QStringLiteral("data_tables|r"),     QStringLiteral("data_tables|w"),
};

QString scopeCheckName(const QString& scope)
{
    QString name = scope;
    name.replace(QLatin1Char(':'), QLatin1Char('_'));
    name.replace(QLatin1Char('|'), QLatin1Char('_'));
    return QStringLiteral("scopeCheck_") + name;
}

} // namespace

GrantScopesSection::GrantScopesSection(FieldMessages& messages, QWidget* parent)
    : FormSection(tr("3. Scopes"),
                  tr("What the grant lets the integration do, as chosen when it was created. A test shows what the "
                     "server actually granted."),
                  parent)
{
    auto* grid = new QWidget(body());
    grid->setObjectName(QStringLiteral("knownScopes"));
    auto* gridLayout = new QGridLayout(grid);
    gridLayout->setContentsMargins(0, 0, 0, 0);
    for (qsizetype i = 0; i < KnownScopes.size(); ++i) {
        const QString& scope = KnownScopes.at(i);
        if (scope.isEmpty())
            continue;
        auto* check = new QCheckBox(scope, grid); // the wire name: what the admin UI and the test result show
        check->setObjectName(scopeCheckName(scope));
        check->setAccessibleName(tr("Scope %1").arg(scope));
        check->setProperty("scope", scope);
        gridLayout->addWidget(check, int(i / 2), int(i % 2));
        m_scopeChecks.append(check);
    }
    form()->addRow(tr("Known scopes:"), grid);

    m_otherScopesEdit = new QLineEdit(body());
    m_otherScopesEdit->setObjectName(QStringLiteral("otherScopesEdit"));
    m_otherScopesEdit->setAccessibleName(tr("Other scopes"));
    m_otherScopesEdit->setPlaceholderText(tr("Separated by spaces"));
    QLabel* error = messages.addFieldError(m_otherScopesEdit, QStringLiteral("scopesError"), body());
    addRow(tr("Other sco&pes:"), m_otherScopesEdit, stacked({m_otherScopesEdit, error}));
}

void GrantScopesSection::load(const Grant& grant)
{
    QStringList other;
    for (const QString& scope : grant.requestedScopes.scopes()) {
        const auto known = std::find_if(m_scopeChecks.cbegin(), m_scopeChecks.cend(), [&](const QCheckBox* check) {
            return check->property("scope").toString() == scope;
        });
        if (known != m_scopeChecks.cend())
            (*known)->setChecked(true);
        else
            other.append(scope);
    }
    m_otherScopesEdit->setText(other.join(QLatin1Char(' ')));
}

void GrantScopesSection::applyTo(Grant& grant) const
{
    QStringList scopes;
    for (const QCheckBox* check : m_scopeChecks) {
        if (check->isChecked())
            scopes.append(check->property("scope").toString());
    }
    scopes += ScopeSet::parse(m_otherScopesEdit->text()).scopes();
    grant.requestedScopes = ScopeSet::fromList(scopes);
}

QList<QWidget*> GrantScopesSection::tabOrder() const
{
    QList<QWidget*> order;
    for (QCheckBox* check : m_scopeChecks)
        order.append(check);
    order.append(m_otherScopesEdit);
    return order;
}

} // namespace gk
