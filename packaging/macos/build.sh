#!/usr/bin/env bash
# Build Consult.app and a disk image for macOS. Run on a Mac, from anywhere:
#
#     packaging/macos/build.sh
#
# 1. builds dist/Consult.app (packaging/build.py with consult.spec: the Info.plist values,
#    version and bundle id app.consult.Consult are in the spec's BUNDLE);
# 2. signs it when CONSULT_CODESIGN_IDENTITY names a "Developer ID Application" identity
#    (hardened runtime, as notarisation requires); unsigned otherwise, for testing;
# 3. writes dist/Consult-<version>.dmg (the app and a link to /Applications);
# 4. notarises and staples the image when CONSULT_NOTARY_PROFILE names a notarytool
#    keychain profile (xcrun notarytool store-credentials).
#
# The app holds no data: each user's database, settings, audit key and backups are in
# ~/Library/Application Support/Consult (logs in ~/Library/Logs/Consult), untouched by
# replacing or deleting the app.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

if [ "$(uname -s)" != "Darwin" ]; then
    echo "build.sh: this builds the macOS app and runs on macOS only" >&2
    exit 2
fi

uv run python packaging/build.py "$@"
APP="$ROOT/dist/Consult.app"
VERSION="$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist")"
"$APP/Contents/MacOS/Consult" --version

if [ -n "${CONSULT_CODESIGN_IDENTITY:-}" ]; then
    codesign --force --deep --timestamp --options runtime \
        --sign "$CONSULT_CODESIGN_IDENTITY" "$APP"
    codesign --verify --strict --verbose=2 "$APP"
else
    echo "build.sh: CONSULT_CODESIGN_IDENTITY not set: the app is not signed" >&2
fi

DMG="$ROOT/dist/Consult-$VERSION.dmg"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
rm -f "$DMG"
hdiutil create -volname "Consult $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"

if [ -n "${CONSULT_CODESIGN_IDENTITY:-}" ]; then
    codesign --timestamp --sign "$CONSULT_CODESIGN_IDENTITY" "$DMG"
fi
if [ -n "${CONSULT_NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$DMG" --keychain-profile "$CONSULT_NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
fi

echo "disk image: $DMG ($(du -sh "$DMG" | cut -f1))"
