#!/usr/bin/env bash
# Install (or remove) the Linux bundle for every user of this workstation.
#
#     uv run python packaging/build.py            # builds dist/consult
#     sudo packaging/linux/install.sh [BUNDLE]    # default BUNDLE: dist/consult
#     sudo packaging/linux/install.sh --uninstall
#
# The program goes to /opt/consult, the `consult` command to /usr/local/bin, the menu
# entry, AppStream metadata and icons under /usr/local/share. PREFIX (default /usr/local)
# and DESTDIR (for packagers) change where. Removing never touches the clinic's data:
# each user's ~/.local/share/Consult and ~/.config/Consult stay.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"
APP_ID="app.consult.Consult"
OPT="$DESTDIR/opt/consult"
BIN="$DESTDIR$PREFIX/bin"
SHARE="$DESTDIR$PREFIX/share"
SIZES="16 24 32 48 64 128 256 512"

refresh() {
    if [ -z "$DESTDIR" ]; then
        command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
        command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$OPT"
    rm -f "$BIN/consult" "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml"
    for size in $SIZES; do
        rm -f "$SHARE/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
    done
    rm -f "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
    refresh
    echo "Consult removed; the users' data and settings were left in place."
    exit 0
fi

BUNDLE="${1:-$ROOT/dist/consult}"
if [ ! -x "$BUNDLE/consult" ]; then
    echo "install.sh: no bundle at $BUNDLE (build it with: uv run python packaging/build.py)" >&2
    exit 2
fi

rm -rf "$OPT"
mkdir -p "$OPT" "$BIN" "$SHARE/applications" "$SHARE/metainfo" "$SHARE/icons/hicolor/scalable/apps"
cp -R "$BUNDLE/." "$OPT/"  # owned by root, symbolic links kept
ln -sf /opt/consult/consult "$BIN/consult"
install -m 644 "$HERE/$APP_ID.desktop" "$SHARE/applications/$APP_ID.desktop"
install -m 644 "$HERE/$APP_ID.metainfo.xml" "$SHARE/metainfo/$APP_ID.metainfo.xml"
for size in $SIZES; do
    install -D -m 644 "$ROOT/resources/icons/consult-$size.png" \
        "$SHARE/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
install -m 644 "$ROOT/resources/icons/consult.svg" "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
refresh
echo "Consult $("$OPT/consult" --version | cut -d' ' -f2) installed in /opt/consult; run it from the menu or as \`consult\`."
