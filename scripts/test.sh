#!/usr/bin/env bash
# The README's second command: set up .venv if needed and run the whole test suite.
source "$(dirname "$0")/_venv.sh"
cd "$ROOT"
exec "$VENV/bin/python" -m pytest "$@"
