// A grant's Client ID and Client Secret: the one pair of values that only the keychain may hold.
#pragma once

#include <QMetaType>
#include <QString>

class QDebug;

namespace gk {

class Credentials
{
public:
    Credentials() = default;
    // Both values are trimmed: a pasted value often carries a trailing newline or space.
    Credentials(const QString& clientId, const QString& clientSecret);

    const QString& clientId() const { return m_clientId; }
    const QString& clientSecret() const { return m_clientSecret; }

    bool isComplete() const { return !m_clientId.isEmpty() && !m_clientSecret.isEmpty(); }

    // The last four characters of the Client ID behind an ellipsis, e.g. "…a1b2": safe to store and show.
    QString clientIdHint() const;
    static QString hintFor(const QString& clientId);

    friend bool operator==(const Credentials&, const Credentials&) = default;

private:
    QString m_clientId;
    QString m_clientSecret;
};

// Prints the Client ID hint and never the secret.
QDebug operator<<(QDebug debug, const Credentials& credentials);

} // namespace gk

Q_DECLARE_METATYPE(gk::Credentials)
