#!/usr/bin/env bash
# Installs the Debian packages the project needs and that a fresh machine may lack:
# PostgreSQL and Redis (tests), Pango + HarfBuzz subsetting + CJK fonts (WeasyPrint PDFs),
# poppler-utils (PDF checks in tests), Chromium (browser tests), docker-compose (validating the compose file).
# A no-op when everything is present.
set -euo pipefail
# --runtime: only what the app itself needs (PDF rendering, translations); default: also the
# test tooling (databases, browser, PDF inspection, compose validation).
runtime=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext)
pkgs=("${runtime[@]}")
if [ "${1:-}" != "--runtime" ]; then
  pkgs+=(postgresql redis-server poppler-utils chromium docker-compose)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
