#!/usr/bin/env bash
# Vendor third-party front-end assets into static/vendor/ (served by the app; no CDN).
# Re-run to upgrade; commit the result. Needs npm (registry access) only when run.
set -euo pipefail
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "htmx.org@${HTMX_VERSION}" >/dev/null
tar -xzf htmx.org-*.tgz
DEST="$ROOT/static/vendor/htmx"
mkdir -p "$DEST"
cp package/dist/htmx.min.js "$DEST/htmx.min.js"
cp package/LICENSE "$DEST/LICENSE"
echo "$HTMX_VERSION" > "$DEST/VERSION"
echo "htmx ${HTMX_VERSION} -> $DEST"
