#include "core/vault/secretservicereader.h"

#include "core/logging/logcategories.h"
#include "core/vault/credentialvault.h"

#include "core/vault/libsecretsession.h"

#include <QElapsedTimer>
#include <QSet>

#include <algorithm>
#include <optional>
#include <vector>

namespace gk {

#ifdef GK_HAVE_LIBSECRET

using namespace libsecret;

namespace {

SecretServiceReadResult failedRead(SecretService* service, GError* rawError)
{
    SecretServiceReadResult result;
    result.error = failed(service, rawError);
    return result;
}

struct ItemAttributes
{
    QString user;
    QString server;
    QString type;
};

// The Attributes property of every item, all asked for at once and then awaited on a private main context;
// nullopt for an item that vanished meanwhile or answered with something else. A call that failed for another
// reason (the Secret Service stopped or the connection broke mid-read) is kept in *failure: then nothing read here
// can be told as "no entry", which would send an administrator to replace intact credentials.
QList<std::optional<ItemAttributes>> itemAttributes(SecretService* service, const QList<QByteArray>& itemPaths,
                                                    GCancellable* cancellable, GError** failure)
{
    struct Pending
    {
        QList<std::optional<ItemAttributes>> answers;
        int outstanding = 0;
        GError* failure = nullptr;
    } pending;
    pending.answers.resize(itemPaths.size());
    pending.outstanding = int(itemPaths.size());
    if (itemPaths.isEmpty())
        return pending.answers;

    struct Call
    {
        Pending* pending;
        int index;
    };
    GMainContext* context = g_main_context_new();
    g_main_context_push_thread_default(context);
    GDBusProxy* proxy = G_DBUS_PROXY(service);
    GDBusConnection* connection = g_dbus_proxy_get_connection(proxy);
    const gchar* busName = g_dbus_proxy_get_name(proxy);
    for (int i = 0; i < itemPaths.size(); ++i) {
        g_dbus_connection_call(
            connection, busName, itemPaths.at(i).constData(), "org.freedesktop.DBus.Properties", "Get",
            g_variant_new("(ss)", "org.freedesktop.Secret.Item", "Attributes"), G_VARIANT_TYPE("(v)"),
            G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
            [](GObject* source, GAsyncResult* asyncResult, gpointer data) {
                std::unique_ptr<Call> call(static_cast<Call*>(data));
                --call->pending->outstanding;
                GError* error = nullptr;
                GVariant* reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), asyncResult, &error);
                if (!reply) {
                    if (!itemVanished(error) && !call->pending->failure)
                        call->pending->failure = error;
                    else
                        g_error_free(error);
                    return;
                }
                GVariant* boxed = nullptr;
                g_variant_get(reply, "(v)", &boxed);
                g_variant_unref(reply);
                if (!g_variant_is_of_type(boxed, G_VARIANT_TYPE("a{ss}"))) {
                    g_variant_unref(boxed);
                    return;
                }
                ItemAttributes attributes;
                GVariantIter iter;
                g_variant_iter_init(&iter, boxed);
                const gchar* name = nullptr;
                const gchar* value = nullptr;
                while (g_variant_iter_next(&iter, "{&s&s}", &name, &value)) {
                    if (qstrcmp(name, "user") == 0)
                        attributes.user = QString::fromUtf8(value);
                    else if (qstrcmp(name, "server") == 0)
                        attributes.server = QString::fromUtf8(value);
                    else if (qstrcmp(name, "type") == 0)
                        attributes.type = QString::fromUtf8(value);
                }
                g_variant_unref(boxed);
                call->pending->answers[call->index] = attributes;
            },
            new Call{&pending, i});
    }
    // Every call answers, with an error once cancelled, so this ends.
    while (pending.outstanding > 0)
        g_main_context_iteration(context, TRUE);
    g_main_context_pop_thread_default(context);
    g_main_context_unref(context);
    *failure = pending.failure;
    return pending.answers;
}

// Picks each asked-for key's entry by its attributes (the search found the service's entries, or one key's), then
// reads just those secrets in one GetSecrets call. An entry whose contents name another key is refused: a grant is
// never handed another grant's secret.
SecretServiceReadResult readPaths(SecretService* service, const QString& serviceName, const QStringList& keys,
                                  QList<QByteArray> unlocked, bool someStayedLocked, GCancellable* cancellable)
{
    SecretServiceReadResult result;
    std::sort(unlocked.begin(), unlocked.end()); // the same entry wins every time when a key has two
    GError* attributesFailure = nullptr;
    const QList<std::optional<ItemAttributes>> attributes =
        itemAttributes(service, unlocked, cancellable, &attributesFailure);
    if (g_cancellable_is_cancelled(cancellable)) {
        if (attributesFailure)
            g_error_free(attributesFailure);
        result.error = VaultError::make(VaultErrorCode::TimedOut, QStringLiteral("cancelled"));
        return result;
    }
    if (attributesFailure)
        return failedRead(service, attributesFailure);

    // QtKeychain writes text entries as "plaintext" and binary ones as "base64"; like QtKeychain, prefer text.
    struct Match
    {
        QByteArray path;
        bool base64 = false;
    };
    QHash<QString, Match> matches;
    for (const QString& key : keys)
        matches.insert(key, {});
    for (int i = 0; i < unlocked.size(); ++i) {
        const auto& item = attributes.at(i);
        if (!item || item->server != serviceName)
            continue;
        const auto match = matches.find(item->user);
        const bool text = item->type == QLatin1String("plaintext");
        if (match == matches.end() || (!text && item->type != QLatin1String("base64")))
            continue;
        if (!match->path.isEmpty() && (!match->base64 || !text))
            continue;
        *match = {unlocked.at(i), !text};
    }

    HashTablePtr secrets;
    std::vector<const gchar*> wanted;
    for (const Match& match : std::as_const(matches)) {
        if (!match.path.isEmpty())
            wanted.push_back(match.path.constData());
    }
    if (!wanted.empty()) {
        wanted.push_back(nullptr);
        GError* rawError = nullptr;
        secrets.reset(secret_service_get_secrets_for_dbus_paths_sync(service, wanted.data(), cancellable, &rawError));
        if (!secrets)
            return failedRead(service, rawError);
    }

    for (auto match = matches.cbegin(); match != matches.cend(); ++match) {
        VaultLoadResult entry;
        auto* value = match->path.isEmpty()
                          ? nullptr
                          : static_cast<SecretValue*>(g_hash_table_lookup(secrets.get(), match->path.constData()));
        if (!value) {
            entry.error =
                someStayedLocked
                    ? VaultError::make(VaultErrorCode::LockedOrDenied, QStringLiteral("the keychain stayed locked"))
                    : VaultError::make(VaultErrorCode::NotFound, QStringLiteral("no such keychain entry"));
        } else {
            gsize length = 0;
            const gchar* bytes = secret_value_get(value, &length);
            QByteArray stored(bytes, qsizetype(length));
            QByteArray data = match->base64 ? QByteArray::fromBase64(stored) : stored;
            QString namedKey;
            const auto credentials = CredentialVault::decode(data, &namedKey);
            stored.fill('\0');
            data.fill('\0');
            if (credentials && (namedKey.isEmpty() || namedKey == match.key()))
                entry.credentials = *credentials;
            else
                entry.error = VaultError::make(VaultErrorCode::Other,
                                               credentials ? QStringLiteral("the keychain entry names another grant")
                                                           : QStringLiteral("the keychain entry is not in Grant "
                                                                            "Keeper's format"));
        }
        result.entries.insert(match.key(), entry);
    }
    qCDebug(lcVault) << "read" << wanted.size() - (wanted.empty() ? 0 : 1) << "keychain entries of" << unlocked.size()
                     << "found";
    return result;
}

} // namespace

struct SecretServiceReader::Private
{
    QString service;
    GObjectPtr<GCancellable> cancellable{g_cancellable_new()};
};

bool SecretServiceReader::isAvailable()
{
    return true;
}

bool SecretServiceReader::readsMatchQtKeychain()
{
    // QtKeychain's detectDesktopEnvironment(): on KDE 4 it always uses KWallet, on Plasma 5 and 6 KWallet when
    // kwalletd answers. Where it might use KWallet, our reads go through QtKeychain too.
    static const bool matches = [] {
        const QByteArray version = qgetenv("KDE_SESSION_VERSION");
        const bool kdeVersion = version == "4" || version == "5" || version == "6";
        const QByteArray current = qgetenv("XDG_CURRENT_DESKTOP");
        if (current == "GNOME" || current == "Unity" || current == "XFCE")
            return true;
        if (current == "KDE")
            return !kdeVersion;
        const QByteArray session = qgetenv("DESKTOP_SESSION");
        if (session == "gnome" || session.contains("xfce") || session == "xubuntu")
            return true;
        if (session == "kde4")
            return false;
        if (session == "kde")
            return !kdeVersion;
        if (!qgetenv("GNOME_DESKTOP_SESSION_ID").isEmpty())
            return true;
        if (!qgetenv("KDE_FULL_SESSION").isEmpty())
            return !kdeVersion;
        return true;
    }();
    return matches;
}

SecretServiceReader::SecretServiceReader(const QString& service)
    : d(std::make_unique<Private>())
{
    d->service = service;
}

SecretServiceReader::~SecretServiceReader() = default;

void SecretServiceReader::cancel() const
{
    g_cancellable_cancel(d->cancellable.get());
}

void SecretServiceReader::openSession() const
{
    GError* rawError = nullptr;
    const GObjectPtr<SecretService> service = openService(d->cancellable.get(), &rawError);
    if (rawError) {
        // The read that follows opens it again and reports why it failed.
        qCDebug(lcVault) << "could not open a Secret Service session ahead of a read:" << rawError->message;
        g_error_free(rawError);
    }
}

SecretServiceReadResult SecretServiceReader::read(const QStringList& keys) const
{
    GCancellable* cancellable = d->cancellable.get();
    GError* rawError = nullptr;
    QElapsedTimer elapsed;
    elapsed.start();
    const GObjectPtr<SecretService> service = openService(cancellable, &rawError);
    qCDebug(lcVault) << "Secret Service session ready after" << elapsed.elapsed() << "ms";
    if (!service)
        return failedRead(nullptr, rawError);

    // One key: ask for it alone. Several: every entry of the service, and keep the ones asked for.
    const QByteArray serviceName = d->service.toUtf8();
    const QByteArray onlyKey = keys.size() == 1 ? keys.constFirst().toUtf8() : QByteArray();
    const HashTablePtr query(g_hash_table_new(g_str_hash, g_str_equal));
    g_hash_table_insert(query.get(), const_cast<char*>("server"), const_cast<char*>(serviceName.constData()));
    if (!onlyKey.isEmpty())
        g_hash_table_insert(query.get(), const_cast<char*>("user"), const_cast<char*>(onlyKey.constData()));

    // Paths only: libsecret's item objects would cost a property load and a signal subscription each (about
    // 1.5 ms per entry); the attributes are asked for below, all at once.
    gchar** unlockedPaths = nullptr;
    gchar** lockedPaths = nullptr;
    if (!secret_service_search_for_dbus_paths_sync(service.get(), qtKeychainSchema(), query.get(), cancellable,
                                                   &unlockedPaths, &lockedPaths, &rawError)) {
        return failedRead(service.get(), rawError);
    }
    qCDebug(lcVault) << "search done after" << elapsed.elapsed() << "ms";
    const StrvPtr unlocked(unlockedPaths);
    const StrvPtr locked(lockedPaths);

    // A locked collection is unlocked now; the Secret Service may ask the user (as QtKeychain's reads do).
    if (locked && *locked) {
        gchar** nowUnlocked = nullptr;
        secret_service_unlock_dbus_paths_sync(service.get(), const_cast<const gchar**>(locked.get()), cancellable,
                                              &nowUnlocked, &rawError);
        const StrvPtr unlockedNow(nowUnlocked);
        if (rawError) {
            const ErrorPtr error(rawError);
            if (g_error_matches(error.get(), G_IO_ERROR, G_IO_ERROR_CANCELLED))
                return failedRead(service.get(), g_error_copy(error.get()));
            qCDebug(lcVault) << "could not unlock the keychain:" << error->message;
        } else {
            const QList<QByteArray> stillLocked = paths(locked.get()).subtract(paths(unlockedNow.get())).values();
            const QList<QByteArray> all = paths(unlocked.get()).values() + paths(unlockedNow.get()).values();
            return readPaths(service.get(), d->service, keys, all, !stillLocked.isEmpty(), cancellable);
        }
    }
    return readPaths(service.get(), d->service, keys, paths(unlocked.get()).values(), locked && *locked, cancellable);
}

SecretServiceListResult SecretServiceReader::listKeys() const
{
    GCancellable* cancellable = d->cancellable.get();
    GError* rawError = nullptr;
    const GObjectPtr<SecretService> service = openService(cancellable, &rawError);
    SecretServiceListResult result;
    if (!service) {
        result.error = failed(nullptr, rawError);
        return result;
    }
    const QByteArray serviceName = d->service.toUtf8();
    const HashTablePtr query(g_hash_table_new(g_str_hash, g_str_equal));
    g_hash_table_insert(query.get(), const_cast<char*>("server"), const_cast<char*>(serviceName.constData()));
    gchar** unlockedPaths = nullptr;
    gchar** lockedPaths = nullptr;
    if (!secret_service_search_for_dbus_paths_sync(service.get(), qtKeychainSchema(), query.get(), cancellable,
                                                   &unlockedPaths, &lockedPaths, &rawError)) {
        result.error = failed(service.get(), rawError);
        return result;
    }
    const StrvPtr unlocked(unlockedPaths);
    const StrvPtr locked(lockedPaths);
    result.someLocked = locked && *locked;
    QList<QByteArray> all = paths(unlocked.get()).values() + paths(locked.get()).values();
    std::sort(all.begin(), all.end());
    GError* attributesFailure = nullptr;
    const QList<std::optional<ItemAttributes>> attributes =
        itemAttributes(service.get(), all, cancellable, &attributesFailure);
    if (attributesFailure || g_cancellable_is_cancelled(cancellable)) {
        result.error = attributesFailure ? failed(service.get(), attributesFailure)
                                         : VaultError::make(VaultErrorCode::TimedOut, QStringLiteral("cancelled"));
        return result;
    }
    for (const auto& item : attributes) {
        if (item && item->server == d->service && !item->user.isEmpty() && !result.keys.contains(item->user))
            result.keys.append(item->user);
    }
    return result;
}

#else // no libsecret: QtKeychain's jobs do every read

struct SecretServiceReader::Private
{};

bool SecretServiceReader::isAvailable()
{
    return false;
}

bool SecretServiceReader::readsMatchQtKeychain()
{
    return false;
}

SecretServiceReader::SecretServiceReader(const QString&)
    : d(std::make_unique<Private>())
{}

SecretServiceReader::~SecretServiceReader() = default;

void SecretServiceReader::openSession() const {}

void SecretServiceReader::cancel() const {}

SecretServiceListResult SecretServiceReader::listKeys() const
{
    SecretServiceListResult result;
    result.error = VaultError::make(VaultErrorCode::Other, QStringLiteral("built without libsecret"));
    return result;
}

SecretServiceReadResult SecretServiceReader::read(const QStringList&) const
{
    SecretServiceReadResult result;
    result.error = VaultError::make(VaultErrorCode::NoKeychain, QStringLiteral("built without libsecret"));
    return result;
}

#endif

} // namespace gk
