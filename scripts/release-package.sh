#!/usr/bin/env bash
# Builds the release binaries for one target and packs them for scripts/action-install.sh:
#
#   scripts/release-package.sh TARGET VERSION [OUT_DIR]
#
# writes OUT_DIR/pactline-VERSION-TARGET.tar.gz (OUT_DIR defaults to dist), holding the folder
# pactline-VERSION-TARGET/ with every action binary, pactline-broker and README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$#" -ge 2 ] || { echo "usage: $0 TARGET VERSION [OUT_DIR]" >&2; exit 2; }
target="$1"
version="$2"
out="${3:-dist}"
bins=(publish-pact can-i-deploy-gate record-results verify-on-change setup-webhook pactline-broker)

exe=""
case "$target" in *-windows-*) exe=.exe ;; esac
case "$target" in
  *-linux-musl)
    # musl-tools' gcc wrapper compiles the C in the tree (SQLite, ring) for the static binaries.
    if command -v musl-gcc >/dev/null 2>&1; then
      cc_var="CC_$(printf '%s' "$target" | tr '-' '_')"
      export "$cc_var=musl-gcc"
    fi
    ;;
esac

# Release archives carry no debug symbols.
export CARGO_PROFILE_RELEASE_STRIP="${CARGO_PROFILE_RELEASE_STRIP:-symbols}"

packages=()
for bin in "${bins[@]}"; do packages+=(-p "$bin"); done
cargo build --release --locked --target "$target" "${packages[@]}"

name="pactline-$version-$target"
stage="$(mktemp -d)"
mkdir "$stage/$name"
for bin in "${bins[@]}"; do
  cp "target/$target/release/$bin$exe" "$stage/$name/"
done
cp README.md "$stage/$name/"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
(cd "$stage" && tar -czf "$out/$name.tar.gz" "$name")
rm -rf "$stage"
echo "$out/$name.tar.gz"
