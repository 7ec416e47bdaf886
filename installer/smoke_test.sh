#!/usr/bin/env bash
# Smoke test of the desktop bundle: build it, start it offscreen on a fresh demo shop, check the window appears.
# Usage: installer/smoke_test.sh     (README: "scripts/dev smoke")
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
"$HERE/build_linux.sh"
BUNDLE="$ROOT/build/pyinstaller/dist/loyalty-desk"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export QT_QPA_PLATFORM=offscreen HOME="$TMP/home"
mkdir -p "$HOME"
start=$(date +%s.%N)
"$BUNDLE/loyalty-desk" --db "$TMP/demo.sqlite" --demo --screenshot "$TMP/window.png"
end=$(date +%s.%N)
test -s "$TMP/window.png" || { echo "smoke test FAILED: no window screenshot"; exit 1; }
"$ROOT/.venv/bin/python" - "$TMP/window.png" <<'PY'
import sys
from PIL import Image
w, h = Image.open(sys.argv[1]).size
assert w >= 1280 and h >= 800, f"window is {w}x{h}, expected at least 1280x800"
print(f"window {w}x{h}")
PY
start2=$(date +%s.%N)
"$BUNDLE/loyalty-desk" --db "$TMP/demo.sqlite" --screenshot "$TMP/window2.png"
end2=$(date +%s.%N)
python3 -c 'import sys; a, b, c, d = map(float, sys.argv[1:]); print(f"smoke test passed: first start incl. demo build {b - a:.1f} s; start to a usable window on an existing shop {d - c:.1f} s")' \
  "$start" "$end" "$start2" "$end2"
