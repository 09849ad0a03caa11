#!/usr/bin/env bash
# Proves the layering: every executable given links neither Qt Widgets nor Qt Gui, directly or through a library.
set -euo pipefail
status=0
for executable in "$@"; do
    if [ ! -x "$executable" ]; then
        echo "FAIL: $executable does not exist" >&2
        status=1
        continue
    fi
    libraries=$(ldd "$executable")
    if grep -qE 'libQt6(Widgets|Gui)\.so' <<<"$libraries"; then
        echo "FAIL: $(basename "$executable") links $(grep -oE 'libQt6(Widgets|Gui)\.so[^ ]*' <<<"$libraries" | sort -u | tr '\n' ' ')" >&2
        status=1
    else
        echo "ok: $(basename "$executable") links no Qt Widgets or Gui"
    fi
done
exit $status
