// "3. Scopes" of the grant dialog: Workiva's documented scopes as check boxes, any others as free text.
#pragma once

#include "ui/formsection.h"

class QCheckBox;
class QLineEdit;

namespace gk {

struct Grant;

class GrantScopesSection : public FormSection
{
    Q_OBJECT

public:
    explicit GrantScopesSection(QWidget* parent);

    void load(const Grant& grant);
    void applyTo(Grant& grant) const;
    QList<QWidget*> tabOrder() const;

private:
    QList<QCheckBox*> m_scopeChecks;
    QLineEdit* m_otherScopesEdit = nullptr;
};

} // namespace gk
