// "4. Expiration" of the grant dialog: the expiration date set in Workiva, if any.
#pragma once

#include "ui/formsection.h"

class QCheckBox;
class QDate;
class QDateEdit;
class QLabel;

namespace gk {

class FieldMessages;
struct Grant;

class GrantExpirationSection : public FormSection
{
    Q_OBJECT

public:
    GrantExpirationSection(FieldMessages& messages, QWidget* parent);

    // today: the date offered (a year later) when the grant has none yet.
    void load(const Grant& grant, const QDate& today);
    void applyTo(Grant& grant) const;
    QList<QWidget*> tabOrder() const;

    QDateEdit* dateEdit() const { return m_dateEdit; }
    QLabel* pastDateWarning() const { return m_pastDateWarning; }

signals:
    // The box was ticked or cleared, or the date changed.
    void changed();

private:
    QCheckBox* m_expiresCheck = nullptr;
    QDateEdit* m_dateEdit = nullptr;
    QLabel* m_pastDateWarning = nullptr;
};

} // namespace gk
