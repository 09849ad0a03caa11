#include "ui/wrappinglabel.h"

#include <QClipboard>
#include <QContextMenuEvent>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMenu>

namespace gk {

namespace {

constexpr QChar ZeroWidthSpace(0x200B);
constexpr int LongestRun = 12;

} // namespace

WrappingLabel::WrappingLabel(QWidget* parent)
    : QLabel(parent)
{
    setWordWrap(true);
    // Values come from files and servers: plain text, so a name like "<b>x" is shown, not rendered.
    setTextFormat(Qt::PlainText);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
}

void WrappingLabel::setValue(const QString& value)
{
    setText(breakable(value));
}

QString WrappingLabel::value() const
{
    return QString(text()).remove(ZeroWidthSpace);
}

QString WrappingLabel::breakable(const QString& value)
{
    static const QString separators = QStringLiteral("/.:-_?&=@,\\");
    QString result;
    result.reserve(value.size() + value.size() / 4);
    int run = 0;
    for (const QChar c : value) {
        result.append(c);
        if (c.isSpace()) {
            run = 0;
        } else if (separators.contains(c) || ++run >= LongestRun) {
            result.append(ZeroWidthSpace);
            run = 0;
        }
    }
    return result;
}

void WrappingLabel::keyPressEvent(QKeyEvent* event)
{
    if (event->matches(QKeySequence::Copy)) {
        copyValue();
        event->accept();
        return;
    }
    QLabel::keyPressEvent(event);
}

void WrappingLabel::contextMenuEvent(QContextMenuEvent* event)
{
    if (textInteractionFlags() == Qt::NoTextInteraction) {
        QLabel::contextMenuEvent(event);
        return;
    }
    QMenu menu(this);
    menu.addAction(hasSelectedText() ? tr("&Copy") : tr("&Copy All"), this, &WrappingLabel::copyValue);
    menu.exec(event->globalPos());
}

void WrappingLabel::copyValue() const
{
    // The selection holds the break points too: take them out again, so a copied URL works where it is pasted.
    QGuiApplication::clipboard()->setText(hasSelectedText() ? QString(selectedText()).remove(ZeroWidthSpace) : value());
}

} // namespace gk
