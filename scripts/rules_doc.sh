#!/usr/bin/env bash
# Regenerate docs/rules.md from the rule registries (tests/test_rules_doc.py fails when it is out of date).
source "$(dirname "$0")/_venv.sh"
cd "$ROOT"
exec "$VENV/bin/python" -c "from azext_sig_doctor import rule_catalog; rule_catalog.write_markdown()"
