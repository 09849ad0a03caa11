#include "ui/grantexpirationsection.h"

#include "core/grant/grant.h"
#include "ui/fieldmessages.h"

#include <QCheckBox>
#include <QDateEdit>
#include <QFormLayout>
#include <QLabel>
#include <QLayout>

namespace gk {

GrantExpirationSection::GrantExpirationSection(FieldMessages& messages, QWidget* parent)
    : FormSection(tr("4. Expiration"), tr("The date set in Workiva; Grant Keeper warns ahead."), parent)
{
    m_expiresCheck = new QCheckBox(tr("The grant &expires on:"), body());
    m_expiresCheck->setObjectName(QStringLiteral("expiresCheck"));
    m_expiresCheck->setAccessibleName(tr("The grant expires"));
    m_dateEdit = new QDateEdit(body());
    m_dateEdit->setObjectName(QStringLiteral("expiresDateEdit"));
    m_dateEdit->setAccessibleName(tr("Expiration date"));
    m_dateEdit->setCalendarPopup(true);
    m_dateEdit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    m_dateEdit->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_pastDateWarning = messages.addWarning(QStringLiteral("expiryPastWarning"), body());
    QWidget* dateCell = stacked({m_dateEdit, m_pastDateWarning});
    dateCell->layout()->setAlignment(m_dateEdit, Qt::AlignLeft);
    form()->addRow(m_expiresCheck, dateCell);

    connect(m_expiresCheck, &QCheckBox::toggled, this, [this](bool expires) {
        m_dateEdit->setEnabled(expires);
        emit changed();
    });
    connect(m_dateEdit, &QDateEdit::dateChanged, this, &GrantExpirationSection::changed);
}

void GrantExpirationSection::load(const Grant& grant, const QDate& today)
{
    m_expiresCheck->setChecked(grant.expiresOn.has_value());
    // Without a date, offer a year from today: a common policy, and only used once the box is ticked.
    m_dateEdit->setDate(grant.expiresOn.value_or(today.addYears(1)));
    m_dateEdit->setEnabled(grant.expiresOn.has_value());
}

void GrantExpirationSection::applyTo(Grant& grant) const
{
    grant.expiresOn = m_expiresCheck->isChecked() ? std::optional<QDate>(m_dateEdit->date()) : std::nullopt;
}

QList<QWidget*> GrantExpirationSection::tabOrder() const
{
    return {m_expiresCheck, m_dateEdit};
}

} // namespace gk
