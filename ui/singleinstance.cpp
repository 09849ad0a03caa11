#include "ui/singleinstance.h"

#include "ui/uilogging.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusReply>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>

namespace gk {

namespace {

constexpr int AnswerTimeoutMs = 5000;
constexpr qint64 MaxRequestBytes = 1024;

} // namespace

SingleInstance::SingleInstance(const QString& applicationId, QObject* parent)
    : QObject(parent)
    , m_applicationId(applicationId)
{}

SingleInstance::~SingleInstance()
{
    if (!m_ownsBusName)
        return;
    QDBusConnection bus = QDBusConnection::sessionBus();
    bus.unregisterObject(objectPath());
    bus.unregisterService(m_applicationId);
}

SingleInstance::Claim SingleInstance::claim()
{
    if (const auto claimed = claimOnSessionBus())
        return *claimed;
    return claimLocalSocket();
}

// nullopt: no usable session bus, so the local socket decides.
std::optional<SingleInstance::Claim> SingleInstance::claimOnSessionBus()
{
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return std::nullopt;
    // The object first, so an Activate sent the moment the name is ours finds someone to answer it.
    if (!bus.registerObject(objectPath(), this, QDBusConnection::ExportScriptableSlots))
        return std::nullopt;
    const QDBusReply<QDBusConnectionInterface::RegisterServiceReply> reply = bus.interface()->registerService(
        m_applicationId, QDBusConnectionInterface::DontQueueService, QDBusConnectionInterface::DontAllowReplacement);
    if (reply.isValid() && reply.value() == QDBusConnectionInterface::ServiceRegistered) {
        m_ownsBusName = true;
        m_channel = QStringLiteral("D-Bus name %1").arg(m_applicationId);
        return Claim::First;
    }
    bus.unregisterObject(objectPath());
    if (!reply.isValid())
        return std::nullopt;

    QDBusMessage activate = QDBusMessage::createMethodCall(
        m_applicationId, objectPath(), QStringLiteral("org.freedesktop.Application"), QStringLiteral("Activate"));
    activate << ourPlatformData();
    const QDBusMessage answer = bus.call(activate, QDBus::Block, AnswerTimeoutMs);
    m_channel = QStringLiteral("D-Bus name %1").arg(m_applicationId);
    if (answer.type() == QDBusMessage::ReplyMessage)
        return Claim::ShownElsewhere;
    qCWarning(lcUi) << "The running instance did not answer Activate:" << answer.errorName();
    return Claim::OtherNotAnswering;
}

SingleInstance::Claim SingleInstance::claimLocalSocket()
{
    const QString name = socketName();
    m_channel = QStringLiteral("local socket %1").arg(name);
    {
        QLocalSocket socket;
        socket.connectToServer(name);
        if (socket.waitForConnected(AnswerTimeoutMs)) {
            const QByteArray token = ourPlatformData().value(QStringLiteral("activation-token")).toByteArray();
            socket.write("activate " + token.left(MaxRequestBytes / 2) + '\n');
            const bool answered = socket.waitForBytesWritten(AnswerTimeoutMs) &&
                                  socket.waitForReadyRead(AnswerTimeoutMs) && socket.readLine().trimmed() == "ok";
            return answered ? Claim::ShownElsewhere : Claim::OtherNotAnswering;
        }
    }
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::answerLocalConnection);
    if (!m_server->listen(name)) {
        // Nobody answered on it: a socket left by an instance that crashed.
        QLocalServer::removeServer(name);
        if (!m_server->listen(name))
            qCWarning(lcUi) << "Cannot listen on" << name << m_server->errorString()
                            << "- a second launch will open a second window";
    }
    return Claim::First;
}

void SingleInstance::answerLocalConnection()
{
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] {
            if (!socket->canReadLine()) {
                if (socket->bytesAvailable() > MaxRequestBytes)
                    socket->abort();
                return;
            }
            const QByteArray line = socket->readLine(MaxRequestBytes).trimmed();
            if (line != "activate" && !line.startsWith("activate ")) {
                socket->abort();
                return;
            }
            socket->write("ok\n");
            socket->disconnectFromServer();
            emit activationRequested(QString::fromUtf8(line.mid(9)));
        });
    }
}

void SingleInstance::Activate(const QVariantMap& platformData)
{
    const QString token = platformData.value(QStringLiteral("activation-token")).toString();
    emit activationRequested(token.isEmpty() ? platformData.value(QStringLiteral("desktop-startup-id")).toString()
                                             : token);
}

void SingleInstance::Open(const QStringList& uris, const QVariantMap& platformData)
{
    Q_UNUSED(uris) // Grant Keeper opens no files: showing the window is the answer
    Activate(platformData);
}

void SingleInstance::ActivateAction(const QString& actionName, const QVariantList& parameter,
                                    const QVariantMap& platformData)
{
    Q_UNUSED(actionName) // no desktop actions are declared
    Q_UNUSED(parameter)
    Activate(platformData);
}

// "/io/github/grantkeeper/GrantKeeper", as the freedesktop Desktop Entry specification derives it.
QString SingleInstance::objectPath() const
{
    QString path = QLatin1Char('/') + m_applicationId;
    path.replace(QLatin1Char('.'), QLatin1Char('/')).replace(QLatin1Char('-'), QLatin1Char('_'));
    return path;
}

// In the user's runtime folder (only the user can enter it); the socket itself is the user's alone as well.
QString SingleInstance::socketName() const
{
    const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    return QDir(runtime.isEmpty() ? QDir::tempPath() : runtime).filePath(m_applicationId + QStringLiteral(".socket"));
}

// What lets the running instance take focus: the launcher's activation token (Wayland) or startup id (X11).
QVariantMap SingleInstance::ourPlatformData()
{
    QVariantMap data;
    if (const QByteArray token = qgetenv("XDG_ACTIVATION_TOKEN"); !token.isEmpty())
        data.insert(QStringLiteral("activation-token"), QString::fromUtf8(token));
    if (const QByteArray id = qgetenv("DESKTOP_STARTUP_ID"); !id.isEmpty())
        data.insert(QStringLiteral("desktop-startup-id"), QString::fromUtf8(id));
    return data;
}

} // namespace gk
