// "1. Integration" of the grant dialog: the grant's name, its integration user, and the notes kept with it.
#pragma once

#include "ui/formsection.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace gk {

class FieldMessages;
struct Grant;

class GrantIntegrationSection : public FormSection
{
    Q_OBJECT

public:
    GrantIntegrationSection(FieldMessages& messages, QWidget* parent);

    void load(const Grant& grant);
    // Writes the section's fields into grant, trimmed.
    void applyTo(Grant& grant) const;
    QList<QWidget*> tabOrder() const;

    QLineEdit* nameEdit() const { return m_nameEdit; }
    QLineEdit* integrationUserEdit() const { return m_integrationUserEdit; }
    QLabel* sharedUserWarning() const { return m_sharedUserWarning; }
    QPlainTextEdit* notesEdit() const { return m_notesEdit; }
    QLineEdit* ipAllowlistEdit() const { return m_ipAllowlistEdit; }

private:
    void addNameRow(FieldMessages& messages);
    void addIntegrationUserRow(FieldMessages& messages);
    void addNoteRows(FieldMessages& messages);

    QLineEdit* m_nameEdit = nullptr;
    QLineEdit* m_integrationUserEdit = nullptr;
    QLabel* m_sharedUserWarning = nullptr;
    QPlainTextEdit* m_notesEdit = nullptr;
    QLineEdit* m_ipAllowlistEdit = nullptr;
};

} // namespace gk
