#!/usr/bin/env bash
# Takes the README's screenshots from the real window in a real X11 window under Xvfb, in a private keyring with
# sample grants against local demo token servers (nothing of yours is read or touched).
#
#   tests/support/take-screenshots.sh BUILD_DIR OUTPUT_DIR [WIDTHxHEIGHT] [GRANTS]
#
# With GRANTS (for example 1000) the list holds that many generated grants with no keychain entries, and the tour
# shows the list and the message a test that never reached the server gives. Without it: six sample grants, each
# test outcome (passed, scope missing, refused, unreachable, an expired and an expiring grant).
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $(basename "$0") BUILD_DIR OUTPUT_DIR [WIDTHxHEIGHT] [GRANTS]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
size=${3:-1280x760}
many=${4:-0}
here=$(cd "$(dirname "$0")" && pwd)

export GK_SHOT_BUILD=$build GK_SHOT_OUT=$out GK_SHOT_SIZE=$size GK_SHOT_MANY=$many
exec "$here/with-private-keyring.sh" bash -c '
set -euo pipefail
gk="$GK_SHOT_BUILD/app/grantkeeper"
demo="$HOME/demo"
mkdir -p "$demo"
port=$((20000 + RANDOM % 20000))
# Known clients: the last one is told less than it asks for (a scope shortfall).
printf "%s\n" "client-nightly secret-n1" "client-payroll secret-p2" "client-legacy secret-current" \
    "client-ledger secret-l3 file:read" "client-staging secret-s4" |
    "$GK_SHOT_BUILD/tests/support/gk-demo-token-server" --port "$port" --dir "$demo" >"$demo/server.log" 2>&1 &
server=$!
trap "kill $server 2>/dev/null || true" EXIT
for _ in $(seq 100); do
    grep -q "CA file" "$demo/server.log" 2>/dev/null && break
    sleep 0.1
done
url="https://127.0.0.1:$port/oauth2/token"
ca="$demo/ca.pem"

if [ "$GK_SHOT_MANY" -gt 0 ]; then
    mkdir -p "$XDG_DATA_HOME/grantkeeper"
    "$GK_SHOT_BUILD/tests/bench/gk-startup-bench" generate "$GK_SHOT_MANY" "$XDG_DATA_HOME/grantkeeper/grants.json" "$url" >/dev/null
    tour_args=(--one-untested --check-keychain --prefix "many-$GK_SHOT_SIZE-")
else
    day() { date -d "$1" +%F; }
    add() { # NAME USER SCOPES EXPIRES CLIENT SECRET [TOKEN_URL]
        printf "%s\n%s\n" "$5" "$6" | "$gk" add --name "$1" --user "$2" --scope "$3" --expires "$4" \
            --token-url "${7:-$url}" --ca-file "$ca" >/dev/null
    }
    add "Nightly export" svc-export "file:read file:write" "$(day "+200 days")" client-nightly secret-n1
    add "Payroll sync" svc-payroll "file:read" "$(day "+5 days")" client-payroll secret-p2
    add "Legacy reporting" svc-reports "file:read graph:read" "$(day "+90 days")" client-legacy secret-before-rotation
    add "Ledger sync" svc-ledger "file:read file:write" "$(day "+300 days")" client-ledger secret-l3
    add "Old staging" svc-staging "file:read" "$(day "-3 days")" client-staging secret-s4 2>/dev/null
    add "Edge" svc-edge "file:read" "$(day "+40 days")" client-edge secret-e5 "https://127.0.0.1:1/oauth2/token"
    tour_args=(--prefix "$GK_SHOT_SIZE-")
fi
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1200x24" \
    "$GK_SHOT_BUILD/tests/support/gk-screenshot-tour" "$GK_SHOT_OUT" --size "$GK_SHOT_SIZE" "${tour_args[@]}"
'
