// The administrator's main window. A placeholder until the window issue builds the grant list.
#pragma once

#include <QMainWindow>

namespace gk {

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace gk
