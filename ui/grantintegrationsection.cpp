#include "ui/grantintegrationsection.h"

#include "core/grant/grant.h"
#include "ui/fieldmessages.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>

namespace gk {

GrantIntegrationSection::GrantIntegrationSection(FieldMessages& messages, QWidget* parent)
    : FormSection(tr("1. Integration"),
                  tr("Workiva acts as the grant's integration user: API calls respect that user's permissions, and "
                     "document history shows that user's name."),
                  parent)
{
    addNameRow(messages);
    addIntegrationUserRow(messages);
    addNoteRows(messages);
}

void GrantIntegrationSection::addNameRow(FieldMessages& messages)
{
    m_nameEdit = new QLineEdit(body());
    m_nameEdit->setObjectName(QStringLiteral("nameEdit"));
    m_nameEdit->setAccessibleName(tr("Name"));
    m_nameEdit->setPlaceholderText(tr("The system the grant authenticates, e.g. Payroll sync"));
    QLabel* error = messages.addFieldError(m_nameEdit, QStringLiteral("nameError"), body());
    addRow(tr("&Name:"), m_nameEdit, stacked({m_nameEdit, error}));
}

void GrantIntegrationSection::addIntegrationUserRow(FieldMessages& messages)
{
    m_integrationUserEdit = new QLineEdit(body());
    m_integrationUserEdit->setObjectName(QStringLiteral("integrationUserEdit"));
    m_integrationUserEdit->setAccessibleName(tr("Integration user"));
    m_integrationUserEdit->setPlaceholderText(tr("The Workiva username the grant acts as"));
    const QString userHint = tr("One unique integration user per integration; it needs the Creator or Manager "
                                "role to change documents.");
    QLabel* error =
        messages.addFieldError(m_integrationUserEdit, QStringLiteral("integrationUserError"), body(), userHint);
    m_sharedUserWarning = messages.addWarning(QStringLiteral("sharedUserWarning"), body());
    addRow(tr("Integration &user:"), m_integrationUserEdit,
           stacked({m_integrationUserEdit, error, m_sharedUserWarning, hint(userHint)}));
}

void GrantIntegrationSection::addNoteRows(FieldMessages& messages)
{
    m_notesEdit = new QPlainTextEdit(body());
    m_notesEdit->setObjectName(QStringLiteral("notesEdit"));
    m_notesEdit->setAccessibleName(tr("Notes"));
    m_notesEdit->setTabChangesFocus(true); // Tab moves on through the form, as everywhere else in the dialog
    m_notesEdit->setFixedHeight(m_notesEdit->fontMetrics().lineSpacing() * 3 + 14);
    QLabel* notesError = messages.addFieldError(m_notesEdit, QStringLiteral("notesError"), body());
    addRow(tr("N&otes:"), m_notesEdit, stacked({m_notesEdit, notesError}));

    m_ipAllowlistEdit = new QLineEdit(body());
    m_ipAllowlistEdit->setObjectName(QStringLiteral("ipAllowlistEdit"));
    m_ipAllowlistEdit->setAccessibleName(tr("IP allowlist"));
    m_ipAllowlistEdit->setPlaceholderText(tr("What the grant's IP allowlist permits, as a reminder"));
    const QString allowlistHint = tr("A 403 answer often means this computer's address is not on the allowlist.");
    m_ipAllowlistEdit->setAccessibleDescription(allowlistHint);
    QLabel* allowlistError =
        messages.addFieldError(m_ipAllowlistEdit, QStringLiteral("ipAllowlistError"), body(), allowlistHint);
    addRow(tr("IP allo&wlist:"), m_ipAllowlistEdit, stacked({m_ipAllowlistEdit, allowlistError, hint(allowlistHint)}));
}

void GrantIntegrationSection::load(const Grant& grant)
{
    m_nameEdit->setText(grant.name);
    m_integrationUserEdit->setText(grant.integrationUser);
    m_notesEdit->setPlainText(grant.notes);
    m_ipAllowlistEdit->setText(grant.ipAllowlistNote);
}

void GrantIntegrationSection::applyTo(Grant& grant) const
{
    grant.name = m_nameEdit->text().trimmed();
    grant.integrationUser = m_integrationUserEdit->text().trimmed();
    grant.notes = m_notesEdit->toPlainText().trimmed();
    grant.ipAllowlistNote = m_ipAllowlistEdit->text().trimmed();
}

QList<QWidget*> GrantIntegrationSection::tabOrder() const
{
    return {m_nameEdit, m_integrationUserEdit, m_notesEdit, m_ipAllowlistEdit};
}

} // namespace gk
