// What SecretServiceReader and SecretServiceRemover share of libsecret: QtKeychain's schema, the process's one
// connection and encrypted session, and how a GLib error maps to ours. Included only by their .cpp files, and only
// where Grant Keeper is built with libsecret.
#pragma once

#ifdef GK_HAVE_LIBSECRET

#include "core/vault/vaulterror.h"

// GLib names struct members "signals", which Qt defines as a keyword.
#pragma push_macro("signals")
#undef signals
// The D-Bus path functions (secret-paths.h) are marked unstable; they have not changed since libsecret 0.7.
#define SECRET_API_SUBJECT_TO_CHANGE 1
#include <libsecret/secret.h>
#pragma pop_macro("signals")

#include <QByteArray>
#include <QSet>

#include <memory>

namespace gk::libsecret {

template <typename T>
struct GObjectDeleter
{
    void operator()(T* object) const { g_object_unref(object); }
};
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectDeleter<T>>;

struct HashTableDeleter
{
    void operator()(GHashTable* table) const { g_hash_table_unref(table); }
};
using HashTablePtr = std::unique_ptr<GHashTable, HashTableDeleter>;

struct ErrorDeleter
{
    void operator()(GError* error) const { g_error_free(error); }
};
using ErrorPtr = std::unique_ptr<GError, ErrorDeleter>;

struct StrvDeleter
{
    void operator()(gchar** strings) const { g_strfreev(strings); }
};
using StrvPtr = std::unique_ptr<gchar*, StrvDeleter>;

// QtKeychain's schema: its libsecret backend stores every entry with these attributes.
const SecretSchema* qtKeychainSchema();

// The process's connection with one encrypted session, opened on first use and kept: opening a session costs a
// Diffie-Hellman exchange, and a session per call would pile up in the Secret Service.
GObjectPtr<SecretService> openService(GCancellable* cancellable, GError** error);
// After an error the session may be gone (the Secret Service restarted): the next call opens a new one.
void forgetService(SecretService* service);

VaultError toVaultError(const GError* error);
// Takes rawError (may be null). service: the session the failed call used, null if none was open. A service that is
// missing although a session was open stopped meanwhile (ServiceLost). A missing service or a broken connection may
// mean a restarted Secret Service: the next call opens a new session. A locked or refused call keeps the session.
VaultError failed(SecretService* service, GError* rawError);

// Whether a failed call on an item only says that the item is gone (deleted meanwhile), not that the keychain is.
bool itemVanished(const GError* error);

QSet<QByteArray> paths(gchar** strings);

} // namespace gk::libsecret

#endif
