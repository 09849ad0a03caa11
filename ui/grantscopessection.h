// "3. Scopes" of the grant dialog: Workiva's documented scopes as check boxes, any others as free text.
#pragma once

#include "ui/formsection.h"

class QCheckBox;
class QLineEdit;

namespace gk {

class FieldMessages;
struct Grant;

class GrantScopesSection : public FormSection
{
    Q_OBJECT

public:
    GrantScopesSection(FieldMessages& messages, QWidget* parent);

    void load(const Grant& grant);
    void applyTo(Grant& grant) const;
    QList<QWidget*> tabOrder() const;

    QLineEdit* otherScopesEdit() const { return m_otherScopesEdit; }

private:
    QList<QCheckBox*> m_scopeChecks;
    QLineEdit* m_otherScopesEdit = nullptr;
};

} // namespace gk
