#!/usr/bin/env bash
# Build the Linux bundle: dist/loyalty-desk-<version>-linux-<arch>.tar.gz with a .desktop entry and an icon.
# Usage: installer/build_linux.sh   (uses the project's .venv; run `scripts/dev test` once first to create it)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PY=${PYTHON:-"$ROOT/.venv/bin/python"}
VERSION=$("$PY" -c "import tomllib,sys; print(tomllib.load(open(sys.argv[1],'rb'))['project']['version'])" "$ROOT/pyproject.toml")
ARCH=$(uname -m)
WORK="$ROOT/build/pyinstaller"
DIST="$ROOT/dist"
mkdir -p "$WORK" "$DIST"
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN --workpath "$WORK" --distpath "$WORK/dist" \
  "$HERE/loyalty-desk.spec"
BUNDLE="$WORK/dist/loyalty-desk"
cp "$HERE/loyalty-desk.desktop" "$HERE/loyalty-desk.png" "$BUNDLE/"
cat > "$BUNDLE/install-desktop-entry.sh" <<'INNER'
#!/bin/sh
# Adds Loyalty Desk to the desktop menu of the current user.
set -e
DIR=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$HOME/.local/share/applications" "$HOME/.local/share/icons/hicolor/256x256/apps"
cp "$DIR/loyalty-desk.png" "$HOME/.local/share/icons/hicolor/256x256/apps/"
sed "s|^Exec=.*|Exec=\"$DIR/loyalty-desk\"|" "$DIR/loyalty-desk.desktop" > "$HOME/.local/share/applications/loyalty-desk.desktop"
echo "Loyalty Desk added to the applications menu."
INNER
chmod +x "$BUNDLE/install-desktop-entry.sh"
echo "$VERSION" > "$BUNDLE/VERSION"
TARBALL="$DIST/loyalty-desk-$VERSION-linux-$ARCH.tar.gz"
tar -C "$WORK/dist" -czf "$TARBALL" loyalty-desk
end=$(date +%s)
echo "bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1)), archive: $TARBALL ($(du -sh "$TARBALL" | cut -f1)), built in $((end - start)) s"
