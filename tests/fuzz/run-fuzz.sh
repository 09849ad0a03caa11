#!/usr/bin/env bash
# Fuzzes the token response parser for a bounded time: tests/fuzz/run-fuzz.sh [SECONDS] (default 60).
# Builds with clang in build/fuzz (separate from the other presets), starts from the seed corpus in
# tests/fuzz/corpus and keeps what it learns in build/fuzz/corpus. Exits non-zero if the fuzzer finds a crash,
# a sanitizer report or a broken invariant; the input that did it is saved in build/fuzz/artifacts/.
set -euo pipefail

seconds=${1:-60}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "usage: $0 [SECONDS]" >&2
    exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="$root/build/fuzz"

"$root/.ci/install-deps"
"$root/tests/fuzz/install-clang.sh"

cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ \
    -DGK_FUZZ=ON \
    -DGK_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target fuzz_tokenresponseparser

mkdir -p "$build/corpus" "$build/artifacts"
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# New inputs go to the first folder; the committed seeds are only read.
exec "$build/tests/fuzz/fuzz_tokenresponseparser" \
    -max_total_time="$seconds" \
    -max_len=16384 \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/" \
    "$build/corpus" "$root/tests/fuzz/corpus"
