#!/usr/bin/env bash
# Grant Keeper's benchmarks (not tests: run on demand, never by ctest). Prints figures; see README "Benchmarks".
#
#   bash tests/bench/run-benchmarks.sh [BUILD_DIR]      (default build/ci; configured with the ci preset if new)
#
# Installs what `.ci/install-deps` installs plus curl and hyperfine when missing (apt). Everything runs on a
# private development keyring with temporary XDG data/config/cache folders: the user's grants, settings and
# keychain are never touched. A gk-demo-token-server on a free loopback port plays the token endpoint.
#
# Environment: GK_BENCH_GRANTS (default 500), GK_BENCH_RUNS (default 15), GK_BENCH_JOBS (default "6 12"),
# GK_BENCH_ONLY (the sections to run, default "a b c d k"; the grants that b and d test are added either way).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
grants=${GK_BENCH_GRANTS:-500}
runs=${GK_BENCH_RUNS:-15}
jobs_list=${GK_BENCH_JOBS:-6 12}
only=" ${GK_BENCH_ONLY:-a b c d k} "
want() { [[ $only == *" $1 "* ]]; }

if [ -z "${GK_BENCH_INNER:-}" ]; then
    bash "$root/.ci/install-deps"
    missing=()
    command -v curl >/dev/null || missing+=(curl)
    command -v hyperfine >/dev/null || missing+=(hyperfine)
    command -v jq >/dev/null || missing+=(jq)
    if [ ${#missing[@]} -gt 0 ]; then
        sudo=()
        [ "$(id -u)" -eq 0 ] || sudo=(sudo)
        echo "Installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
            >/dev/null
    fi

    build=${1:-$root/build/ci}
    if [ ! -f "$build/CMakeCache.txt" ]; then
        (cd "$root" && cmake --preset ci -B "$build" >/dev/null)
    fi
    cmake --build "$build" --target grantkeeper gk-demo-token-server gk-startup-bench gk-keychain-bench >/dev/null
    build=$(cd "$build" && pwd)

    work=$(mktemp -d "${TMPDIR:-/tmp}/gk-bench.XXXXXXXX")
    chmod 700 "$work"
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/data" "$work/config" "$work/cache"
    XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" \
        GK_BENCH_INNER=1 GK_BENCH_WORK="$work" GK_BENCH_BUILD="$build" \
        "$root/.ci/with-dev-keyring" "$work/keyring" bash "${BASH_SOURCE[0]}"
    exit $?
fi

# ---- Inside the private keyring session from here on. ----
work=$GK_BENCH_WORK
build=$GK_BENCH_BUILD
gk=$build/app/grantkeeper
server_bin=$build/tests/support/gk-demo-token-server
bench_bin=$build/tests/bench/gk-startup-bench
keychain_bin=$build/tests/bench/gk-keychain-bench
bench() { "$bench_bin" "$@" 2> >(grep -v 'propagateSizeHints' >&2); }
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR=$work/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
umask 077

# Median of a hyperfine export, in ms, for command number $2 (0-based).
median_ms() { jq -r ".results[$2].median * 1000 | . * 10 | round / 10" "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
now_ns() { date +%s%N; }
ms_since() { awk -v s="$1" -v e="$(now_ns)" 'BEGIN { printf "%.0f", (e - s) / 1e6 }'; }
met() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { ok = (dir == "<=") ? v <= t : (dir == ">=") ? v >= t : v < t;
                                                   print ok ? "met" : "MISSED" }'; }

echo "== Machine"
echo "date:   $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:    $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "os:     $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
echo "qt:     $(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null || qtpaths6 --qt-version 2>/dev/null)"
echo "build:  $build ($(grep -m1 CMAKE_BUILD_TYPE: "$build/CMakeCache.txt" | cut -d= -f2))"
echo "grantkeeper $("$gk" --version | head -1)"

# The token server: one client per grant, credentials on its standard input from a private file.
clients=$work/clients.txt
for i in $(seq -f '%04g' 1 "$grants"); do
    printf 'bench-client-%s %s\n' "$i" "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
done >"$clients"
"$server_bin" --port 0 --dir "$work/server" <"$clients" >"$work/server.out" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q '^CA file:' "$work/server.out" 2>/dev/null && break
    sleep 0.05
done
url=$(sed -n 's/^Token URL: *//p' "$work/server.out")
ca=$work/server/ca.pem
[ -n "$url" ] && [ -f "$ca" ] || {
    echo "the token server did not start:" >&2
    cat "$work/server.out" >&2
    exit 1
}
echo "server: $url"

add_grant() { # add_grant NUMBER
    local id secret
    read -r id secret < <(sed -n "$((10#$1))p" "$clients")
    printf '%s\n%s\n' "$id" "$secret" | "$gk" add --name "bench-$1" --user "svc-bench-$1" --token-url "$url" \
        --ca-file "$ca" --scope "file:read file:write" --expires 2099-12-31 >/dev/null
}

# ---- a. One grant: grantkeeper test vs curl ----
add_grant 0001
if want a; then
    echo
    echo "== a. One test: grantkeeper test vs curl (median of $runs runs, 2 warm-ups, store holds 1 grant)"
    read -r id1 secret1 < <(head -1 "$clients")
    body=$work/body.txt # the same form body the app sends; curl reads it from this file, never from argv
    printf 'grant_type=client_credentials&scope=file%%3Aread%%20file%%3Awrite&client_id=%s&client_secret=%s' \
        "$id1" "$secret1" >"$body"
    unset id1 secret1
    curl -sS --fail --cacert "$ca" --data "@$body" -o /dev/null "$url" || {
        echo "curl could not get a token from the demo server" >&2
        exit 1
    }
    hyperfine -N --style none --warmup 2 --runs "$runs" --export-json "$work/a.json" \
        "$gk test bench-0001" \
        "curl -sS --fail --cacert $ca -H 'Accept: application/json' -H 'X-Version: 2026-01-01' --data @$body -o /dev/null $url" \
        "$gk --version" \
        "$gk list" >/dev/null
    rm -f "$body"
    ours=$(median_ms "$work/a.json" 0)
    theirs=$(median_ms "$work/a.json" 1)
    start=$(median_ms "$work/a.json" 2)
    list=$(median_ms "$work/a.json" 3)
    rtts=()
    for _ in $(seq "$runs"); do
        rtts+=("$("$gk" test bench-0001 --json | jq '.results[0].round_trip_ms')")
    done
    rtt=$(printf '%s\n' "${rtts[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    r=$(ratio "$ours" "$theirs")
    printf 'grantkeeper test:        %8.1f ms\n' "$ours"
    printf 'curl (same POST):        %8.1f ms\n' "$theirs"
    printf 'ratio:                   %8s x   (target <= 1.5x: %s)\n' "$r" "$(met "$r" 1.5 '<=')"
    echo "breakdown of grantkeeper test (medians):"
    printf '  process start (--version):                 %6.1f ms\n' "$start"
    printf '  + read the store (list - --version):       %6.1f ms\n' "$(awk -v a="$list" -v b="$start" 'BEGIN { print a - b }')"
    printf '  TLS + request (round_trip_ms of test --json): %3s ms\n' "$rtt"
    printf '  keychain read + output + rest (test - list - round trip): %6.1f ms\n' \
        "$(awk -v t="$ours" -v l="$list" -v r="$rtt" 'BEGIN { print t - l - r }')"
    echo "  one run's timeline (--verbose, ms since process start):"
    QT_MESSAGE_PATTERN='%{time process}s %{category}: %{message}' "$gk" --verbose test bench-0001 2>&1 >/dev/null |
        grep -E 'running|loading|session ready|search done|keychain read of|opening a connection|sending|finished:' |
        sed 's/^/    /' | cut -c1-150 || true
fi

# ---- b. All grants: test --all vs one curl per grant ----
if want b || want d; then
    t0=$(now_ns)
    for i in $(seq -f '%04g' 2 "$grants"); do
        add_grant "$i"
    done
    echo
    echo "(adding $((grants - 1)) grants with grantkeeper add took $(ms_since "$t0") ms)"
fi
if want b; then
    echo
    echo "== b. test --all of $grants grants vs one curl process per grant in sequence"
    t0=$(now_ns)
    while read -r id secret; do
        printf 'grant_type=client_credentials&scope=file%%3Aread%%20file%%3Awrite&client_id=%s&client_secret=%s' \
            "$id" "$secret" | curl -sS --fail --cacert "$ca" -H 'Accept: application/json' -H 'X-Version: 2026-01-01' --data @- -o /dev/null "$url"
    done <"$clients"
    curl_all=$(ms_since "$t0")
    printf 'curl, %d processes in sequence: %8s ms\n' "$grants" "$curl_all"
    for jobs in $jobs_list; do
        best=
        for _ in 1 2 3; do
            t0=$(now_ns)
            "$gk" test --all --jobs "$jobs" --json >"$work/all.json" || true
            t=$(ms_since "$t0")
            [ -z "$best" ] || [ "$t" -lt "$best" ] || continue
            best=$t
        done
        passed=$(jq .passed "$work/all.json")
        rtt_all=$(jq '[.results[].round_trip_ms] | sort | .[length / 2 | floor]' "$work/all.json")
        s=$(ratio "$curl_all" "$best")
        printf 'test --all --jobs %-3s     %8s ms (best of 3; %s/%s passed; median round trip %s ms)  speed-up %sx (target >= 10x: %s)\n' \
            "$jobs" "$best" "$passed" "$grants" "$rtt_all" "$s" "$(met "$s" 10 '>=')"
    done
    echo "  one run's timeline (--verbose, --jobs 6; the keychain read, first and last request, exit):"
    QT_MESSAGE_PATTERN='%{time process}s %{category}: %{message}' "$gk" --verbose test --all >/dev/null 2>"$work/all.log" || true
    {
        grep -m1 'loading' "$work/all.log" | cut -c1-80
        grep -m1 'session ready' "$work/all.log"
        grep -m1 'keychain read of' "$work/all.log"
        grep -m1 'sending' "$work/all.log" | cut -c1-80
        grep 'finished:' "$work/all.log" | tail -1 | cut -c1-80
        tail -1 "$work/all.log" | cut -c1-80
    } | sed 's/^/    /' || true
fi

# ---- d. Event-loop stall in the window during a batch ----
if want d; then
    echo
    echo "== d. Longest event-loop stall (10 ms watchdog) while the window tests all $grants grants"
    for jobs in $jobs_list; do
        line=$(bench stall "$jobs")
        echo "$line"
        stall=$(sed -n 's/.*max_stall_ms=\([0-9.]*\).*/\1/p' <<<"$line")
        printf '  max stall %s ms (target < 50 ms: %s)\n' "$stall" "$(met "$stall" 50 '<')"
    done
fi

# ---- c. Start-up to the first painted window ----
if want c; then
    echo
    echo "== c. Start-up to the first painted window (offscreen), median of 5 runs each; scrolling the list"
    for count in 0 1000 10000; do
        file=$work/startup-$count.json
        bench generate "$count" "$file" "$url"
        for _ in 1 2 3 4 5; do
            t0=$(now_ns)
            line=$(bench startup "$file")
            echo "$line process_wall_ms=$(ms_since "$t0")"
        done >"$work/startup-$count.txt"
        # The run with the median first frame.
        line=$(awk -F' first_frame_ms=' '{ split($2, a, " "); print a[1] "\t" $0 }' "$work/startup-$count.txt" |
            sort -n | sed -n 3p | cut -f2-)
        echo "$line"
        frame=$(sed -n 's/.* first_frame_ms=\([0-9.]*\).*/\1/p' <<<"$line")
        rss=$(sed -n 's/.*peak_rss_mb=\([0-9.]*\).*/\1/p' <<<"$line")
        if [ "$count" -gt 0 ]; then
            line=$(bench scroll "$file")
            echo "$line"
            printf '  %5d grants: longest paint while scrolling %s ms (one frame at 60 Hz: 16.7 ms)\n' "$count" \
                "$(sed -n 's/.*max_frame_ms=\([0-9.]*\).*/\1/p' <<<"$line")"
        fi
        if [ "$count" -eq 1000 ]; then
            printf '  %5d grants: first frame %s ms (target < 250 ms: %s), peak RSS %s MB (target < 60 MB: %s)\n' \
                "$count" "$frame" "$(met "$frame" 250 '<')" "$rss" "$(met "$rss" 60 '<')"
        else
            printf '  %5d grants: first frame %s ms, peak RSS %s MB (the budget is for 1,000 grants)\n' \
                "$count" "$frame" "$rss"
        fi
    done
fi

# ---- k. Keychain reads: one bulk read vs one read per entry ----
if want k; then
    echo
    echo "== k. Reading $grants keychain entries: one CredentialVault::loadMany vs one load per entry"
    "$keychain_bin" "$grants"
fi
