#include "ui/fieldmessages.h"

#include <QLabel>
#include <QPalette>

namespace gk {

QLabel* FieldMessages::makeLabel(const QString& objectName, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText); // names and URLs the user typed are shown, never interpreted
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->hide();
    return label;
}

QLabel* FieldMessages::addFieldError(QWidget* input, const QString& objectName, QWidget* parent,
                                     const QString& description)
{
    QLabel* label = addError(objectName, parent);
    m_inputs.append(input);
    m_fieldErrors.insert(input, label);
    if (!description.isEmpty())
        m_descriptions.insert(input, description);
    return label;
}

QLabel* FieldMessages::addError(const QString& objectName, QWidget* parent)
{
    QLabel* label = makeLabel(objectName, parent);
    m_errors.append(label);
    return label;
}

QLabel* FieldMessages::addWarning(const QString& objectName, QWidget* parent)
{
    QLabel* label = makeLabel(objectName, parent);
    m_warnings.append(label);
    return label;
}

void FieldMessages::showError(QWidget* input, const QString& message)
{
    QLabel* label = m_fieldErrors.value(input);
    if (!label)
        return;
    label->setText(message);
    label->setVisible(!message.isEmpty());
    // Assistive technology reads the problem with the field; the hint comes back once it is fixed.
    input->setAccessibleDescription(message.isEmpty() ? m_descriptions.value(input) : message);
}

void FieldMessages::showWarning(QLabel* label, const QString& message)
{
    label->setText(message);
    label->setVisible(!message.isEmpty());
}

void FieldMessages::applyColours(const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    const QColor error = dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28);
    const QColor warning = dark ? QColor(0xff, 0xcc, 0x80) : QColor(0x8d, 0x5b, 0x00);
    const auto colour = [](QLabel* label, const QColor& color) {
        QPalette labelPalette = label->palette();
        labelPalette.setColor(QPalette::WindowText, color);
        label->setPalette(labelPalette);
    };
    for (QLabel* label : std::as_const(m_errors))
        colour(label, error);
    for (QLabel* label : std::as_const(m_warnings))
        colour(label, warning);
}

} // namespace gk
