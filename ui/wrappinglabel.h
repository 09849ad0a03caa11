// A read-only value in the details pane that wraps anywhere it must (URLs, paths, fingerprints, IDs have no spaces),
// so a narrow pane never scrolls sideways, and copies the value as it is, without the invisible break points.
#pragma once

#include <QLabel>

namespace gk {

class WrappingLabel : public QLabel
{
    Q_OBJECT

public:
    explicit WrappingLabel(QWidget* parent = nullptr);

    // Shows value as plain text with a zero-width space at each place it may break.
    void setValue(const QString& value);
    // The text without its break points.
    QString value() const;

    // value with a zero-width space after each separator (/ . : - _ ? & = @ ,) and within long runs without one.
    static QString breakable(const QString& value);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void copyValue() const;
};

} // namespace gk
