#include "core/grant/grant.h"

#include "core/grant/grantvalidator.h"

#include <QJsonArray>

namespace gk {

namespace {

const QStringList KnownFields = {
    QStringLiteral("id"),
    QStringLiteral("name"),
    QStringLiteral("integration_user"),
    QStringLiteral("region"),
    QStringLiteral("token_url"),
    QStringLiteral("api_version"),
    QStringLiteral("scopes"),
    QStringLiteral("client_auth"),
    QStringLiteral("expires_on"),
    QStringLiteral("notes"),
    QStringLiteral("ip_allowlist"),
    QStringLiteral("trust"),
    QStringLiteral("client_id_hint"),
    QStringLiteral("created_at"),
    QStringLiteral("updated_at"),
    QStringLiteral("history"),
    QStringLiteral("rotations"),
};

QString isoDateTime(const QDateTime& dateTime)
{
    return dateTime.isValid() ? dateTime.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace

bool sameGrantName(const QString& a, const QString& b)
{
    return a.trimmed().compare(b.trimmed(), Qt::CaseInsensitive) == 0;
}

bool sharesIntegrationUser(const Grant& a, const Grant& b)
{
    return a.id != b.id && !a.integrationUser.trimmed().isEmpty() &&
           sameGrantName(a.integrationUser, b.integrationUser);
}

Grant Grant::create(const QString& name, const QDateTime& now)
{
    Grant grant;
    grant.id = QUuid::createUuid();
    grant.name = name.trimmed();
    grant.createdAt = now;
    grant.updatedAt = now;
    return grant;
}

QUrl Grant::tokenUrl() const
{
    return region == Region::Custom ? customTokenUrl : Environment::tokenUrl(region, apiVersion);
}

QUrl Grant::apiBaseUrl() const
{
    if (region != Region::Custom)
        return Environment::apiBaseUrl(region);
    QUrl base;
    base.setScheme(customTokenUrl.scheme());
    base.setHost(customTokenUrl.host());
    base.setPort(customTokenUrl.port());
    return base;
}

QString Grant::environmentLabel() const
{
    return region == Region::Custom ? customTokenUrl.host() : Environment::regionDisplayName(region);
}

TokenRequest Grant::tokenRequest(const Credentials& credentials, std::chrono::milliseconds timeout) const
{
    TokenRequest request;
    request.tokenUrl = tokenUrl();
    request.apiVersion = apiVersion;
    request.scope = requestedScopes;
    request.authMethod = authMethod;
    request.credentials = credentials;
    request.trust = trust;
    request.timeout = timeout;
    return request;
}

void Grant::appendTestRecord(const TestRecord& record)
{
    history.append(record);
    if (history.size() > MaxHistory)
        history.remove(0, history.size() - MaxHistory);
}

void Grant::appendRotationRecord(const RotationRecord& record)
{
    rotations.append(record);
    if (rotations.size() > MaxRotations)
        rotations.remove(0, rotations.size() - MaxRotations);
}

QJsonObject Grant::toJson() const
{
    QJsonObject object = unknownFields;
    object.insert(QStringLiteral("id"), id.toString(QUuid::WithoutBraces));
    object.insert(QStringLiteral("name"), name);
    object.insert(QStringLiteral("integration_user"), integrationUser);
    object.insert(QStringLiteral("region"), Environment::regionKey(region));
    if (region == Region::Custom)
        object.insert(QStringLiteral("token_url"), customTokenUrl.toString());
    object.insert(QStringLiteral("api_version"), Environment::versionString(apiVersion));
    object.insert(QStringLiteral("scopes"), QJsonArray::fromStringList(requestedScopes.scopes()));
    object.insert(QStringLiteral("client_auth"), clientAuthMethodKey(authMethod));
    if (expiresOn)
        object.insert(QStringLiteral("expires_on"), expiresOn->toString(Qt::ISODate));
    if (!notes.isEmpty())
        object.insert(QStringLiteral("notes"), notes);
    if (!ipAllowlistNote.isEmpty())
        object.insert(QStringLiteral("ip_allowlist"), ipAllowlistNote);

    QJsonObject trustObject;
    trustObject.insert(QStringLiteral("mode"), TrustSettings::modeKey(trust.mode));
    if (!trust.caFilePath.isEmpty())
        trustObject.insert(QStringLiteral("ca_file"), trust.caFilePath);
    if (!trust.pinnedSha256.isEmpty())
        trustObject.insert(QStringLiteral("pinned_sha256"), trust.pinnedSha256);
    if (!trust.pinnedCertificatePem.isEmpty())
        trustObject.insert(QStringLiteral("pinned_certificate"), trust.pinnedCertificatePem);
    object.insert(QStringLiteral("trust"), trustObject);

    object.insert(QStringLiteral("client_id_hint"), clientIdHint);
    object.insert(QStringLiteral("created_at"), isoDateTime(createdAt));
    object.insert(QStringLiteral("updated_at"), isoDateTime(updatedAt));
    QJsonArray historyArray;
    for (const TestRecord& record : history)
        historyArray.append(record.toJson());
    object.insert(QStringLiteral("history"), historyArray);
    if (!rotations.isEmpty()) {
        QJsonArray rotationArray;
        for (const RotationRecord& record : rotations)
            rotationArray.append(record.toJson());
        object.insert(QStringLiteral("rotations"), rotationArray);
    }
    return object;
}

std::optional<Grant> Grant::fromJson(const QJsonObject& object, QString* error)
{
    const auto fail = [error](const QString& message) -> std::optional<Grant> {
        if (error)
            *error = message;
        return std::nullopt;
    };

    Grant grant;
    grant.id = QUuid::fromString(object.value(QStringLiteral("id")).toString());
    if (grant.id.isNull())
        return fail(QStringLiteral("a grant has no valid id"));
    grant.name = object.value(QStringLiteral("name")).toString();
    // The one name rule the dialog and `add` apply too; a name that breaks it cannot be shown or typed.
    if (const auto problem = GrantValidator::nameProblem(grant.name))
        return fail(QStringLiteral("grant %1: %2").arg(grant.keychainKey(), problem->message));

    const auto region = Environment::regionFromKey(object.value(QStringLiteral("region")).toString());
    if (!region)
        return fail(QStringLiteral("grant \"%1\" has an unknown region").arg(grant.name));
    grant.region = *region;
    grant.customTokenUrl = QUrl(object.value(QStringLiteral("token_url")).toString());
    const auto version = Environment::versionFromString(object.value(QStringLiteral("api_version")).toString());
    if (!version)
        return fail(QStringLiteral("grant \"%1\" has an unknown API version").arg(grant.name));
    grant.apiVersion = *version;
    const auto authMethod = clientAuthMethodFromKey(object.value(QStringLiteral("client_auth")).toString());
    if (!authMethod)
        return fail(QStringLiteral("grant \"%1\" has an unknown client authentication method").arg(grant.name));
    grant.authMethod = *authMethod;

    QStringList scopes;
    for (const QJsonValue& scope : object.value(QStringLiteral("scopes")).toArray())
        scopes.append(scope.toString());
    grant.requestedScopes = ScopeSet::fromList(scopes);

    grant.integrationUser = object.value(QStringLiteral("integration_user")).toString();
    if (object.contains(QStringLiteral("expires_on"))) {
        const QDate date = QDate::fromString(object.value(QStringLiteral("expires_on")).toString(), Qt::ISODate);
        if (!date.isValid())
            return fail(QStringLiteral("grant \"%1\" has a malformed expiration date").arg(grant.name));
        grant.expiresOn = date;
    }
    grant.notes = object.value(QStringLiteral("notes")).toString();
    grant.ipAllowlistNote = object.value(QStringLiteral("ip_allowlist")).toString();

    const QJsonObject trustObject = object.value(QStringLiteral("trust")).toObject();
    // An unknown trust mode (from a newer version) must not quietly become "system": that would drop a pin.
    const auto trustMode = TrustSettings::modeFromKey(trustObject.value(QStringLiteral("mode")).toString());
    if (!trustMode)
        return fail(QStringLiteral("grant \"%1\" has an unknown trust mode").arg(grant.name));
    grant.trust.mode = *trustMode;
    grant.trust.caFilePath = trustObject.value(QStringLiteral("ca_file")).toString();
    grant.trust.pinnedSha256 = trustObject.value(QStringLiteral("pinned_sha256")).toString();
    grant.trust.pinnedCertificatePem = trustObject.value(QStringLiteral("pinned_certificate")).toString();

    grant.clientIdHint = object.value(QStringLiteral("client_id_hint")).toString();
    grant.createdAt = QDateTime::fromString(object.value(QStringLiteral("created_at")).toString(), Qt::ISODateWithMs);
    grant.updatedAt = QDateTime::fromString(object.value(QStringLiteral("updated_at")).toString(), Qt::ISODateWithMs);

    for (const QJsonValue& value : object.value(QStringLiteral("history")).toArray()) {
        if (const auto record = TestRecord::fromJson(value.toObject()))
            grant.history.append(*record);
    }
    if (grant.history.size() > MaxHistory)
        grant.history.remove(0, grant.history.size() - MaxHistory);
    for (const QJsonValue& value : object.value(QStringLiteral("rotations")).toArray()) {
        if (const auto record = RotationRecord::fromJson(value.toObject()))
            grant.rotations.append(*record);
    }
    if (grant.rotations.size() > MaxRotations)
        grant.rotations.remove(0, grant.rotations.size() - MaxRotations);

    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!KnownFields.contains(it.key()))
            grant.unknownFields.insert(it.key(), it.value());
    }
    // Text Grant Keeper would never have written (a hand edit, a tampered file) is refused, not shown.
    if (const QList<GrantProblem> problems = GrantValidator::textProblems(grant); !problems.isEmpty())
        return fail(QStringLiteral("grant \"%1\": %2").arg(grant.name, problems.first().message));
    return grant;
}

} // namespace gk
