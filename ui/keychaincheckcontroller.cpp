#include "ui/keychaincheckcontroller.h"

#include "core/grant/grantstore.h"
#include "core/grant/keychainconsistency.h"
#include "core/text/printabletext.h"
#include "core/vault/credentialvault.h"

#include <QMessageBox>
#include <QPushButton>

#include <memory>

namespace gk {

namespace {

constexpr int NamesShown = 10;

} // namespace

KeychainCheckController::KeychainCheckController(const UiContext& context, QWidget* window)
    : QObject(window)
    , m_context(context)
    , m_window(window)
{}

void KeychainCheckController::check()
{
    emit statusMessage(tr("Listing the keychain's entries…"), 0);
    m_context.vault.listKeys(this, [this](const VaultError& error, const QStringList& keys, bool) {
        emit statusMessage(QString(), 0);
        if (error.isError()) {
            auto* box = new QMessageBox(QMessageBox::Warning, tr("Check keychain entries"),
                                        tr("Could not list the keychain's entries: %1").arg(error.summary()),
                                        QMessageBox::Ok, m_window);
            box->setObjectName(QStringLiteral("keychainCheckResult"));
            box->setInformativeText(error.advice());
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
            return;
        }
        showResult(KeychainConsistency::compare(m_context.store.grants(), keys));
    });
}

void KeychainCheckController::showResult(const KeychainConsistency& consistency)
{
    auto* box = new QMessageBox(consistency.isConsistent() ? QMessageBox::Information : QMessageBox::Warning,
                                tr("Check keychain entries"), consistency.summary(m_context.store.grants().size()),
                                QMessageBox::Close, m_window);
    box->setObjectName(QStringLiteral("keychainCheckResult"));
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QStringList details;
    for (qsizetype i = 0; i < consistency.missing.size() && i < NamesShown; ++i)
        details.append(tr("No entry: “%1”").arg(printableText(consistency.missing.at(i).name, 80)));
    if (consistency.missing.size() > NamesShown)
        details.append(tr("… and %1 more without an entry").arg(consistency.missing.size() - NamesShown));
    if (!consistency.isConsistent())
        box->setInformativeText(details.isEmpty()
                                    ? consistency.advice()
                                    : details.join(QLatin1Char('\n')) + QStringLiteral("\n\n") + consistency.advice());
    if (!consistency.leftOver.isEmpty()) {
        auto* remove = box->addButton(tr("&Remove %1 Left-over Entries").arg(consistency.leftOver.size()),
                                      QMessageBox::DestructiveRole);
        remove->setObjectName(QStringLiteral("removeLeftOverButton"));
        connect(remove, &QAbstractButton::clicked, this, [this, keys = consistency.leftOver] { removeLeftOver(keys); });
    }
    box->open();
}

void KeychainCheckController::removeLeftOver(const QStringList& keys)
{
    // One after the other, as the keychain takes them; the outcome is told once all have answered.
    struct Progress
    {
        qsizetype pending = 0;
        int removed = 0;
        QString firstError;
    };
    auto progress = std::make_shared<Progress>();
    progress->pending = keys.size();
    emit statusMessage(tr("Removing left-over keychain entries…"), 0);
    for (const QString& key : keys) {
        m_context.vault.remove(key, this, [this, progress](const VaultError& error) {
            if (error.isError() && progress->firstError.isEmpty())
                progress->firstError = error.summary();
            else if (!error.isError())
                ++progress->removed;
            if (--progress->pending > 0)
                return;
            emit statusMessage(progress->firstError.isEmpty()
                                   ? tr("Removed left-over keychain entries: %1.").arg(progress->removed)
                                   : tr("Removed left-over keychain entries: %1. The others could not be removed: %2")
                                         .arg(progress->removed)
                                         .arg(progress->firstError),
                               10'000);
        });
    }
}

} // namespace gk
