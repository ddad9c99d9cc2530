# Sourced by the scripts: puts uv on PATH and makes it use this machine's Python 3.11.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export UV_PYTHON_DOWNLOADS=never UV_NO_MANAGED_PYTHON=1 UV_SYSTEM_CERTS=1 UV_PYTHON=python3.11
export PATH="$HOME/.local/bin:$PATH"
if ! command -v uv >/dev/null 2>&1; then
  echo "Installing uv (Python package manager)…"
  python3.11 -m pip install -q --user uv 2>/dev/null || python3.11 -m pip install -q uv
fi
uv_sync() { uv sync --locked --quiet "$@"; }
