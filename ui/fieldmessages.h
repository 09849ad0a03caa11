// The error and warning labels of a form: which input each error belongs to, what assistive technology reads with
// the input, and the colours that tell errors from warnings on any palette.
#pragma once

#include <QHash>
#include <QList>
#include <QString>

class QLabel;
class QPalette;
class QWidget;

namespace gk {

// A problem with what was typed into one input.
struct FieldError
{
    QWidget* input = nullptr;
    QString message;
};

class FieldMessages
{
public:
    // A hidden label for input's errors. description: what assistive technology reads with the input while it
    // is valid (an error replaces it while shown).
    QLabel* addFieldError(QWidget* input, const QString& objectName, QWidget* parent, const QString& description = {});
    // A hidden error label that belongs to no input (a failed save).
    QLabel* addError(const QString& objectName, QWidget* parent);
    // A hidden label for a warning: something to know that does not stop a save.
    QLabel* addWarning(const QString& objectName, QWidget* parent);

    // The inputs that have an error label, in the order they were added.
    const QList<QWidget*>& inputs() const { return m_inputs; }
    const QList<QLabel*>& warnings() const { return m_warnings; }

    // Shows message under input, or hides its label when message is empty.
    void showError(QWidget* input, const QString& message);
    // Shows message in label, or hides it when message is empty.
    static void showWarning(QLabel* label, const QString& message);

    // No palette role means "error": picks a red and an amber that read well on the palette's background.
    void applyColours(const QPalette& palette);

private:
    static QLabel* makeLabel(const QString& objectName, QWidget* parent);

    QList<QWidget*> m_inputs;
    QHash<QWidget*, QLabel*> m_fieldErrors;
    QHash<QWidget*, QString> m_descriptions;
    QList<QLabel*> m_errors;
    QList<QLabel*> m_warnings;
};

} // namespace gk
