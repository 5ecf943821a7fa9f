#!/usr/bin/env bash
# Installs the official Pact CLIs the compatibility tests run against our broker, into
# target/tools (idempotent):
#   target/tools/pact-cli/bin/pact            consolidated Rust CLI: `pact broker …`, `pact verifier …`
#   target/tools/pact-ruby/…/pact-broker      the Ruby pact_broker-client CLI
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/tools
mkdir -p "$tools"
if [ ! -x "$tools/pact-cli/bin/pact" ]; then
  python3 -m venv "$tools/pact-cli"
  "$tools/pact-cli/bin/pip" install --quiet --disable-pip-version-check 'pact-python-cli==1!0.10.9'
fi
if [ ! -d "$tools/pact-ruby" ]; then
  python3 -m venv "$tools/pact-ruby.tmp"
  "$tools/pact-ruby.tmp/bin/pip" install --quiet --disable-pip-version-check 'pact-python-cli==2.6.4.0'
  mv "$tools/pact-ruby.tmp" "$tools/pact-ruby"
fi
"$tools/pact-cli/bin/pact" broker --version
