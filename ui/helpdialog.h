// F1: how to get a grant from Workiva, every shortcut of the window (read from its actions, so it never goes
// stale), what each test result means, and where the command line and the security rules are described.
#pragma once

#include <QDialog>
#include <QList>

class QAction;

namespace gk {

class HelpDialog : public QDialog
{
    Q_OBJECT

public:
    HelpDialog(const QList<QAction*>& actions, QWidget* parent = nullptr);

private:
    static QString html(const QList<QAction*>& actions);
    static QString shortcutRows(const QList<QAction*>& actions);
    static QString verdictRows();
};

} // namespace gk
