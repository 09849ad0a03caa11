#include "ui/formsection.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace gk {

FormSection::FormSection(const QString& title, const QString& hintText, QWidget* parent)
    : QGroupBox(title, parent)
{
    QFont titleFont = font();
    titleFont.setBold(true);
    setFont(titleFont);
    auto* boxLayout = new QVBoxLayout(this);
    // The rows sit on a body widget that keeps the normal font under the bold title.
    m_body = new QWidget(this);
    QFont bodyFont = parent ? parent->font() : QFont();
    bodyFont.setBold(false); // explicitly, or the body would inherit the title's weight
    m_body->setFont(bodyFont);
    boxLayout->addWidget(m_body);
    m_form = new QFormLayout(m_body);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_form->addRow(hint(hintText));
}

void FormSection::addRow(const QString& labelText, QWidget* buddy, QWidget* field)
{
    auto* label = new QLabel(labelText, m_body);
    label->setBuddy(buddy);
    m_form->addRow(label, field);
}

QWidget* FormSection::stacked(const QList<QWidget*>& widgets) const
{
    // QFormLayout sizes word-wrapped labels in the field column for a far narrower width than they get, which
    // leaves gaps around them; a box layout in the cell sizes them right.
    auto* cell = new QWidget(m_body);
    auto* layout = new QVBoxLayout(cell);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    for (QWidget* widget : widgets)
        layout->addWidget(widget);
    return cell;
}

QLabel* FormSection::hint(const QString& text) const
{
    auto* label = new QLabel(text, m_body);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    // Dimmed from the palette, so it stays readable on light and dark themes alike.
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

} // namespace gk
