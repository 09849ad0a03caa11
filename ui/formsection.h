// A titled section of a long form (the grant dialog's "1. Integration", "2. Token endpoint", …): a bold title, a
// dimmed hint, then label/field rows; subclasses add the rows of one part of a record.
#pragma once

#include <QGroupBox>
#include <QList>

class QFormLayout;
class QLabel;

namespace gk {

class FormSection : public QGroupBox
{
    Q_OBJECT

public:
    FormSection(const QString& title, const QString& hintText, QWidget* parent);

protected:
    // The widget the rows are laid out on: the parent for every field of the section.
    QWidget* body() const { return m_body; }
    QFormLayout* form() const { return m_form; }

    // A row whose label carries a mnemonic that moves the focus to buddy.
    void addRow(const QString& labelText, QWidget* buddy, QWidget* field);
    // A field with its messages and hints close below it, as one cell.
    QWidget* stacked(const QList<QWidget*>& widgets) const;
    // Explanatory text, dimmed like placeholder text.
    QLabel* hint(const QString& text) const;

private:
    QWidget* m_body = nullptr;
    QFormLayout* m_form = nullptr;
};

} // namespace gk
