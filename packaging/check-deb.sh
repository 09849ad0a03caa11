#!/usr/bin/env bash
# Checks a built .deb: its Depends and its file list, lintian --pedantic (no error or warning), the AppStream
# metadata (appstreamcli validate --pedantic) and the desktop entry (desktop-file-validate), a stripped binary
# with Debian's hardening. With --install (CI, as root) it also installs the package with apt, runs the installed
# binary, and removes the package again.
# Usage: packaging/check-deb.sh PATH/TO/grantkeeper_*.deb [--install]
set -euo pipefail
deb="$1"
install="${2:-}"

fail() { echo "FAIL: $*" >&2; exit 1; }

depends=$(dpkg-deb -f "$deb" Depends)
for required in libsecret-1-0 libqt6keychain1 libqt6network6 libqt6widgets6 ca-certificates libqt6svg6; do
    grep -qE "(^|, )$required( |,|$)" <<<"$depends" || fail "Depends lacks $required: $depends"
done
recommends=$(dpkg-deb -f "$deb" Recommends)
grep -q gnome-keyring <<<"$recommends" || fail "Recommends lacks gnome-keyring: $recommends"

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for expected in ./usr/bin/grantkeeper \
    ./usr/share/applications/io.github.grantkeeper.GrantKeeper.desktop \
    ./usr/share/metainfo/io.github.grantkeeper.GrantKeeper.metainfo.xml \
    ./usr/share/icons/hicolor/scalable/apps/io.github.grantkeeper.GrantKeeper.svg \
    ./usr/share/doc/grantkeeper/copyright \
    ./usr/share/doc/grantkeeper/changelog.gz \
    ./usr/share/man/man1/grantkeeper.1.gz \
    ./usr/share/bash-completion/completions/grantkeeper \
    ./usr/share/zsh/vendor-completions/_grantkeeper \
    ./usr/share/fish/vendor_completions.d/grantkeeper.fish; do
    grep -qxF "$expected" <<<"$files" || fail "the package lacks $expected"
done
echo "ok: $(basename "$deb"): Depends and file list are complete"

# Debian's own checks. Informational (I:) and pedantic (P:) tags are shown; an error or a warning fails.
# (lintian's hardening tags check PIE, bind-now and fortified calls too.)
lintian_out=$(lintian --pedantic --info --tag-display-limit 0 "$deb" 2>&1 || true)
[ -z "$lintian_out" ] || echo "$lintian_out"
if grep -qE '^[EW]: ' <<<"$lintian_out"; then
    fail "lintian reports errors or warnings"
fi
echo "ok: lintian --pedantic: no error or warning"

unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
appstreamcli validate --pedantic --no-net \
    "$unpacked/usr/share/metainfo/io.github.grantkeeper.GrantKeeper.metainfo.xml" ||
    fail "appstreamcli validate --pedantic rejects the AppStream metadata"
desktop-file-validate "$unpacked/usr/share/applications/io.github.grantkeeper.GrantKeeper.desktop" ||
    fail "desktop-file-validate rejects the desktop entry"
binary="$unpacked/usr/bin/grantkeeper"
# Captured first: grep -q ending a pipe early would fail it under pipefail.
file_type=$(file "$binary")
dynamic=$(readelf -d "$binary")
header=$(readelf -h "$binary")
segments=$(readelf -lW "$binary")
symbols=$(nm -D "$binary")
grep -q ", stripped" <<<"$file_type" || fail "usr/bin/grantkeeper is not stripped"
grep -qE 'BIND_NOW|FLAGS.*NOW' <<<"$dynamic" || fail "usr/bin/grantkeeper is not linked with -z now"
grep -q 'DYN (Position-Independent' <<<"$header" || fail "usr/bin/grantkeeper is not a PIE"
grep -q GNU_RELRO <<<"$segments" || fail "usr/bin/grantkeeper has no RELRO segment"
grep -q '__stack_chk_fail' <<<"$symbols" || fail "usr/bin/grantkeeper is not built with stack protection"
echo "ok: AppStream, desktop entry, stripped and hardened binary"

if [ "$install" = --install ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "$(realpath "$deb")" >/dev/null
    version=$(/usr/bin/grantkeeper --version)
    apt-get remove -y -qq grantkeeper >/dev/null
    [ -n "$version" ] || fail "the installed grantkeeper printed no version"
    echo "ok: installed with apt; /usr/bin/grantkeeper --version printed: $version"
fi
