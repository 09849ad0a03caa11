#!/usr/bin/env bash
# Runs one command inside a fresh, unlocked gnome-keyring on a private D-Bus session, so keychain tests (and a
# developer run of the app) never touch the user's real keyring, grants or settings.
#
#   with-private-keyring.sh COMMAND [ARG...]
#
# Everything lives in one new folder (mode 700) that is removed afterwards: XDG_RUNTIME_DIR, XDG_DATA_HOME (where
# gnome-keyring keeps its keyrings), XDG_CONFIG_HOME, XDG_CACHE_HOME and HOME. Each run is independent of every
# other, so `ctest -j` is safe. The exit status is the command's. Set GK_KEYRING_VERBOSE=1 for one line on stderr
# naming the keyring's folder. See /work/shared/ENVIRONMENT.md, "A real keychain, headless".
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $(basename "$0") COMMAND [ARG...]" >&2
    exit 2
fi

for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null; then
        echo "with-private-keyring: $tool is not installed (Debian packages: dbus, gnome-keyring)" >&2
        exit 2
    fi
done

root=$(mktemp -d "${TMPDIR:-/tmp}/gk-keyring.XXXXXXXX")
chmod 700 "$root"
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
    rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

mkdir -m 700 "$root/runtime" "$root/data" "$root/config" "$root/cache" "$root/home"
log="$root/setup.log"
: >"$log"

# The inner half runs on the private bus. Its arguments are the command, passed as "$@" so spaces survive.
# dbus-daemon and gnome-keyring-daemon write their chatter (e.g. "Failed to set fd limit" as root) to the log,
# which is shown only when the setup fails; the command gets the caller's stderr back on GK_KEYRING_STDERR_FD.
inner=$(
    cat <<'INNER'
set -euo pipefail
caller_stderr_fd=$GK_KEYRING_STDERR_FD
exec 2>&"$caller_stderr_fd"
eval "exec $caller_stderr_fd>&-"
exec {log_fd}>>"$GK_KEYRING_LOG"
unset GK_KEYRING_STDERR_FD caller_stderr_fd

fail() {
    echo "with-private-keyring: $*" >&2
    if [ -s "$GK_KEYRING_LOG" ]; then
        echo "with-private-keyring: daemon output follows" >&2
        sed 's/^/    /' "$GK_KEYRING_LOG" >&2
    fi
    exit 70
}

name_has_owner() {
    dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>&"$log_fd" | grep -q true
}

# A password made for this run only; printf %s because a trailing newline would become part of it.
password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
# No display: the daemon must never be able to show a prompt.
exports=$(printf %s "$password" |
    env -u DISPLAY -u WAYLAND_DISPLAY gnome-keyring-daemon --unlock --components=secrets 2>&"$log_fd") ||
    fail "gnome-keyring-daemon --unlock failed"
unset password
while IFS= read -r line; do
    case $line in
    GNOME_KEYRING_CONTROL=* | GNOME_KEYRING_PID=* | SSH_AUTH_SOCK=*) export "${line?}" ;;
    esac
done <<<"$exports"

# --unlock returns before the daemon owns its bus name.
owned=false
for _ in $(seq 200); do
    if name_has_owner; then
        owned=true
        break
    fi
    sleep 0.02
done
$owned || fail "gnome-keyring-daemon did not claim org.freedesktop.secrets (polled 200 times, 20 ms apart)"

daemon_pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>&"$log_fd" |
    awk '{ print $2 }') || true

stop_daemon() {
    [ -n "${daemon_pid:-}" ] || return 0
    kill "$daemon_pid" 2>/dev/null || return 0
    # Gone from the bus means it has stopped writing under XDG_DATA_HOME, which is removed next.
    for _ in $(seq 100); do
        name_has_owner || return 0
        sleep 0.02
    done
    kill -KILL "$daemon_pid" 2>/dev/null || true
}
trap stop_daemon EXIT

locked=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.secrets \
    /org/freedesktop/secrets/collection/login org.freedesktop.DBus.Properties.Get \
    string:org.freedesktop.Secret.Collection string:Locked 2>&"$log_fd") ||
    fail "the login collection does not exist (the keyring was not created)"
case $locked in
*false*) ;;
*) fail "the login collection is still locked after --unlock (Locked: ${locked//[$'\n']/ })" ;;
esac

if [ "${GK_KEYRING_VERBOSE:-0}" = 1 ]; then
    echo "with-private-keyring: unlocked private keyring in $XDG_DATA_HOME/keyrings (daemon pid ${daemon_pid:-?})" >&2
fi

: >"$GK_KEYRING_LOG.started"
unset GK_KEYRING_LOG
if [ -n "${GK_KEYRING_SAVED_DISPLAY+set}" ]; then
    export DISPLAY=$GK_KEYRING_SAVED_DISPLAY
fi
if [ -n "${GK_KEYRING_SAVED_WAYLAND_DISPLAY+set}" ]; then
    export WAYLAND_DISPLAY=$GK_KEYRING_SAVED_WAYLAND_DISPLAY
fi
unset GK_KEYRING_SAVED_DISPLAY GK_KEYRING_SAVED_WAYLAND_DISPLAY
# Tests that would harm a real keyring (one locks it) check this before they start.
export GK_PRIVATE_KEYRING=1

status=0
"$@" {log_fd}>&- || status=$?
exit "$status"
INNER
)

exec {stderr_fd}>&2
status=0
# The bus itself gets no display either (a service it activates inherits its environment); the command gets the
# caller's back. GNOME_KEYRING_CONTROL from a desktop session would point the daemon at the real keyring.
env -u DISPLAY -u WAYLAND_DISPLAY -u GNOME_KEYRING_CONTROL -u GNOME_KEYRING_PID -u DBUS_SESSION_BUS_ADDRESS \
    ${DISPLAY+"GK_KEYRING_SAVED_DISPLAY=$DISPLAY"} \
    ${WAYLAND_DISPLAY+"GK_KEYRING_SAVED_WAYLAND_DISPLAY=$WAYLAND_DISPLAY"} \
    GK_KEYRING_STDERR_FD="$stderr_fd" GK_KEYRING_LOG="$log" \
    XDG_RUNTIME_DIR="$root/runtime" XDG_DATA_HOME="$root/data" XDG_CONFIG_HOME="$root/config" \
    XDG_CACHE_HOME="$root/cache" HOME="$root/home" \
    dbus-run-session -- bash -c "$inner" with-private-keyring "$@" 2>>"$log" || status=$?
exec {stderr_fd}>&-
if [ "$status" -ne 0 ] && [ "$status" -ne 70 ] && [ ! -e "$log.started" ]; then
    # dbus-run-session itself failed before the setup could report anything.
    echo "with-private-keyring: dbus-run-session failed (exit $status)" >&2
    sed 's/^/    /' "$log" >&2
fi
exit "$status"
