// A grant's metadata: everything Grant Keeper knows about it except the Client ID and Secret.
#pragma once

#include "core/grant/rotationrecord.h"
#include "core/grant/testrecord.h"
#include "core/scope/scopeset.h"
#include "core/token/environment.h"
#include "core/token/tokenrequest.h"
#include "core/token/trustsettings.h"

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QUuid>

#include <chrono>
#include <optional>

namespace gk {

struct Grant
{
    static constexpr qsizetype MaxHistory = 50;
    static constexpr qsizetype MaxRotations = 20;

    QUuid id;
    QString name;
    QString integrationUser; // the Workiva username the grant acts as
    Region region = Region::US;
    QUrl customTokenUrl; // Region::Custom only
    ApiVersion apiVersion = Environment::DefaultApiVersion;
    ScopeSet requestedScopes;
    ClientAuthMethod authMethod = ClientAuthMethod::FormBody;
    std::optional<QDate> expiresOn; // the grant's expiration date, as typed by the administrator
    QString notes;
    QString ipAllowlistNote; // what the grant's IP allowlist holds, as a reminder
    TrustSettings trust;
    QString clientIdHint; // "…a1b2": lets the list show which client without a keychain read
    QDateTime createdAt;
    QDateTime updatedAt;
    QList<TestRecord> history;       // the server's answers to tests, oldest first, at most MaxHistory
    QList<RotationRecord> rotations; // attempts to replace the secret, oldest first, at most MaxRotations
    QJsonObject unknownFields;       // fields written by a newer version of the same schema, kept on save

    static Grant create(const QString& name, const QDateTime& now);

    QString keychainKey() const { return id.toString(QUuid::WithoutBraces); }
    QUrl tokenUrl() const;
    // The API base for calls made with the token: the region's host, or the custom token URL's origin.
    QUrl apiBaseUrl() const;
    // How lists name the grant's environment: the region ("US", "EU", "APAC") or the custom token URL's host.
    QString environmentLabel() const;
    TokenRequest tokenRequest(const Credentials& credentials,
                              std::chrono::milliseconds timeout = TokenRequest::DefaultTimeout) const;

    void appendTestRecord(const TestRecord& record);
    void appendRotationRecord(const RotationRecord& record);
    const TestRecord* lastTest() const { return history.isEmpty() ? nullptr : &history.constLast(); }

    QJsonObject toJson() const;
    // Returns nullopt and sets *error when a required field is missing or malformed, or the name breaks
    // GrantValidator's name rule. Other problems (a bad URL, a missing CA file) are for a test to report.
    static std::optional<Grant> fromJson(const QJsonObject& object, QString* error);

    friend bool operator==(const Grant&, const Grant&) = default;
};

// Names are how people and the command line refer to grants: compared without case and surrounding spaces.
bool sameGrantName(const QString& a, const QString& b);
// Two different grants acting as the same integration user (compared like names; no user is never shared).
// Workiva recommends one integration user per integration, so the window and the dialog point this out.
bool sharesIntegrationUser(const Grant& a, const Grant& b);

} // namespace gk
