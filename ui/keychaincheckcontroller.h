// Grant → Check Keychain Entries…: the window's `grantkeeper doctor`. Lists the keychain's entries without reading
// a secret or asking anything, compares them with the grants (KeychainConsistency) and offers to remove the entries
// no grant uses.
#pragma once

#include "ui/uicontext.h"

#include <QObject>
#include <QStringList>

class QWidget;

namespace gk {

struct KeychainConsistency;

class KeychainCheckController : public QObject
{
    Q_OBJECT

public:
    KeychainCheckController(const UiContext& context, QWidget* window);

    void check();

signals:
    void statusMessage(const QString& text, int timeoutMs);

private:
    void showResult(const KeychainConsistency& consistency);
    void removeLeftOver(const QStringList& keys);

    UiContext m_context;
    QWidget* m_window;
};

} // namespace gk
