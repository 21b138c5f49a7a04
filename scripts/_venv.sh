# Sourced by the other scripts: make .venv hold the pinned azure-cli and the test tools, and build
# the egg-info that lets az load the extension from this source tree.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"
STAMP="$VENV/.requirements-dev.sha256"
want="$(sha256sum "$ROOT/requirements-dev.txt" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo ">> setting up $VENV (azure-cli and test tools; about a minute)" >&2
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/requirements-dev.txt" >&2
    echo "$want" > "$STAMP"
fi
(cd "$ROOT" && "$VENV/bin/python" setup.py --quiet egg_info >/dev/null 2>&1)
export PATH="$VENV/bin:$PATH"
