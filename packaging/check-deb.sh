#!/usr/bin/env bash
# Checks a built .deb: its Depends and its file list. With --install (CI, as root) it also installs the
# package with apt, runs the installed binary, and removes the package again.
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
    ./usr/share/icons/hicolor/scalable/apps/io.github.grantkeeper.GrantKeeper.svg; do
    grep -qxF "$expected" <<<"$files" || fail "the package lacks $expected"
done
echo "ok: $(basename "$deb"): Depends and file list are complete"

if [ "$install" = --install ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "$(realpath "$deb")" >/dev/null
    version=$(/usr/bin/grantkeeper --version)
    apt-get remove -y -qq grantkeeper >/dev/null
    [ -n "$version" ] || fail "the installed grantkeeper printed no version"
    echo "ok: installed with apt; /usr/bin/grantkeeper --version printed: $version"
fi
