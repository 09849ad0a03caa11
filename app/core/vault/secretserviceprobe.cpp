#include "core/vault/secretserviceprobe.h"

#include <QPointer>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#endif

namespace gk {

void SecretServiceProbe::isDefaultCollectionLocked(QObject* context, std::function<void(std::optional<bool>)> done)
{
#ifdef Q_OS_LINUX
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        QTimer::singleShot(0, context, [done] { done(std::nullopt); });
        return;
    }
    QDBusMessage message = QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.secrets"), QStringLiteral("/org/freedesktop/secrets/aliases/default"),
        QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"));
    message << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    // Asynchronous, with a short timeout: the caller may be the UI thread.
    auto* watcher = new QDBusPendingCallWatcher(bus.asyncCall(message, 1000), context);
    QObject::connect(watcher, &QDBusPendingCallWatcher::finished, context, [done](QDBusPendingCallWatcher* finished) {
        const QDBusPendingReply<QDBusVariant> reply = *finished;
        finished->deleteLater();
        if (reply.isError())
            done(std::nullopt);
        else
            done(reply.value().variant().toBool());
    });
#else
    QTimer::singleShot(0, context, [done] { done(std::nullopt); });
#endif
}

} // namespace gk
