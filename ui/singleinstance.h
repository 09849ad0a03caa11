// One window per user session. The first launch owns the application's D-Bus name and answers the freedesktop
// org.freedesktop.Application interface (Activate); where there is no session bus it listens on a local socket
// only its user can reach. A later launch asks the first to show its window, and ends. The command line is not
// affected: `grantkeeper COMMAND` works while the window is open.
#pragma once

#include <QObject>
#include <QVariantMap>

#include <optional>

class QLocalServer;

namespace gk {

class SingleInstance : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Application")

public:
    enum class Claim {
        First,            // this process shows the window and answers later launches
        ShownElsewhere,   // another instance was asked to show its window: end this one
        OtherNotAnswering // another instance holds the name but did not answer in time
    };

    explicit SingleInstance(const QString& applicationId, QObject* parent = nullptr);
    ~SingleInstance() override;

    // Blocks for at most a few seconds, before any window exists.
    Claim claim();
    // How the claim was made, for the log: "D-Bus name io.github…", "local socket …".
    QString channel() const { return m_channel; }

public slots:
    // org.freedesktop.Application, as the desktop's launcher and a second `grantkeeper` call it.
    Q_SCRIPTABLE void Activate(const QVariantMap& platformData);
    Q_SCRIPTABLE void Open(const QStringList& uris, const QVariantMap& platformData);
    Q_SCRIPTABLE void ActivateAction(const QString& actionName, const QVariantList& parameter,
                                     const QVariantMap& platformData);

signals:
    // Show the window and bring it to the front; the token lets Wayland (xdg-activation) or X11 (startup
    // notification) move focus to it.
    void activationRequested(const QString& activationToken);

private:
    std::optional<Claim> claimOnSessionBus();
    Claim claimLocalSocket();
    void answerLocalConnection();
    QString objectPath() const;
    QString socketName() const;
    static QVariantMap ourPlatformData();

    QString m_applicationId;
    QString m_channel;
    QLocalServer* m_server = nullptr;
    bool m_ownsBusName = false;
};

} // namespace gk
