#!/usr/bin/env bash
# The lint step (CI runs it after the tests): ruff over the package, the tests and the benchmarks,
# with the rules of ruff.toml. Any arguments go to `ruff check`.
source "$(dirname "$0")/_venv.sh"
cd "$ROOT"
exec "$VENV/bin/ruff" check "$@"
