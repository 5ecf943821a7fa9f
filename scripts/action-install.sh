#!/usr/bin/env bash
# Installs pactline's binaries for the actions under actions/ (and for `actions/install`).
#
#   scripts/action-install.sh [--add-path] [BINARY...]     (default: every binary)
#
# The release to use is the one pinned in actions/install/checksums.txt at this checkout: the
# release workflow writes the version, the download URL and one SHA-256 per archive there, on the
# commit its tag points at. With a pin, the archive for this runner's OS/arch is downloaded and
# its SHA-256 must equal the committed one, or the step fails: there is no fallback. Without a pin
# (a branch or a commit that is not a release), the binaries are built from this checkout with
# `cargo install --path`; so are they on a platform that has no prebuilt archive.
#
# Writes `bin-dir=<dir>` to $GITHUB_OUTPUT (prints the directory when that is unset) and, with
# --add-path, appends the directory to $GITHUB_PATH.
#
# Overrides (tests and mirrors; the SHA-256 check still applies): PACTLINE_CHECKSUMS_FILE,
# PACTLINE_DOWNLOAD_BASE_URL (https:// or file://).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

notice() { printf '::notice title=pactline install::%s\n' "$*"; }
fail() {
  printf '::error title=pactline install::%s\n' "$*"
  exit 1
}
# An environment path in this shell's form (Git Bash on Windows gets `D:\a\...` from the runner).
unix_path() {
  if command -v cygpath >/dev/null 2>&1; then cygpath -u "$1"; else printf '%s\n' "$1"; fi
}
native_path() {
  if command -v cygpath >/dev/null 2>&1; then cygpath -w "$1"; else printf '%s\n' "$1"; fi
}
sha256_of() {
  # Read from stdin: sha256sum escapes the output line for file names with a backslash.
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum <"$1" | awk '{ print $1 }'
  else
    shasum -a 256 <"$1" | awk '{ print $1 }'
  fi
}

add_path=false
bins=()
for arg in "$@"; do
  case "$arg" in
    --add-path) add_path=true ;;
    -*) fail "unknown option \`$arg\`" ;;
    *) bins+=("$arg") ;;
  esac
done
if [ "${#bins[@]}" -eq 0 ]; then
  bins=(publish-pact can-i-deploy-gate record-results verify-on-change setup-webhook pactline-broker)
fi
for bin in "${bins[@]}"; do
  case "$bin" in
    publish-pact | can-i-deploy-gate | record-results | verify-on-change | setup-webhook | pactline-broker) ;;
    *) fail "unknown binary \`$bin\` (known: publish-pact, can-i-deploy-gate, record-results, verify-on-change, setup-webhook, pactline-broker)" ;;
  esac
done

os="${RUNNER_OS:-$(uname -s)}"
arch="${RUNNER_ARCH:-$(uname -m)}"
exe=""
case "$os/$arch" in
  Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64 | Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
  macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
  macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
  Windows/X64 | MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) target=x86_64-pc-windows-msvc ;;
  *) target="" ;;
esac
case "$os" in Windows | MINGW* | MSYS* | CYGWIN*) exe=.exe ;; esac

checksums="${PACTLINE_CHECKSUMS_FILE:-$root/actions/install/checksums.txt}"
[ -f "$checksums" ] || fail "\`$checksums\` is missing"
version="$(awk '$1 == "version" { print $2 }' "$checksums")"
base_url="${PACTLINE_DOWNLOAD_BASE_URL:-$(awk '$1 == "base-url" { print $2 }' "$checksums")}"
tmp_root="$(unix_path "${RUNNER_TEMP:-${TMPDIR:-/tmp}}")"

install_release() {
  local archive expected cache_root cache actual missing=""
  archive="pactline-$version-$target.tar.gz"
  expected="$(awk -v a="$archive" 'NF == 2 && $2 == a { print $1 }' "$checksums")"
  [ -n "$expected" ] || fail "\`$checksums\` pins $version but has no SHA-256 for \`$archive\`"
  [[ "$expected" =~ ^[0-9a-f]{64}$ ]] || fail "\`$checksums\`: \`$expected\` is not a SHA-256"
  [ -n "$base_url" ] || fail "\`$checksums\` pins $version but has no \`base-url\` line"

  # The @actions/tool-cache layout: <tool>/<version>/<arch> plus a <arch>.complete marker.
  cache_root="$(unix_path "${RUNNER_TOOL_CACHE:-$tmp_root/pactline-tool-cache}")"
  cache="$cache_root/pactline/${version#v}/$(printf '%s' "$arch" | tr '[:upper:]' '[:lower:]')"
  if [ ! -f "$cache.complete" ]; then
    tmp="$(mktemp -d "$tmp_root/pactline-install.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    local proto='=https'
    case "$base_url" in file://*) proto='=file' ;; esac
    echo "Downloading $base_url/$archive"
    curl --proto "$proto" --proto-redir '=https' --tlsv1.2 -fsSL --retry 5 \
      -o "$tmp/$archive" "$base_url/$archive" ||
      fail "downloading \`$base_url/$archive\` failed"
    actual="$(sha256_of "$tmp/$archive")"
    if [ "$actual" != "$expected" ]; then
      fail "SHA-256 mismatch for \`$archive\`: expected $expected (\`$checksums\`), got $actual; not installing it"
    fi
    echo "SHA-256 verified: $actual  $archive"
    (cd "$tmp" && tar -xzf "$archive")
    [ -d "$tmp/pactline-$version-$target" ] || fail "\`$archive\` has no \`pactline-$version-$target/\` folder"
    mkdir -p "$cache"
    cp -R "$tmp/pactline-$version-$target/." "$cache/"
    touch "$cache.complete"
  fi
  for bin in "${bins[@]}"; do
    [ -x "$cache/$bin$exe" ] || missing="$missing $bin$exe"
  done
  [ -z "$missing" ] || fail "the $version archive for $target lacks:$missing"
  bin_dir="$cache"
}

install_from_source() {
  command -v cargo >/dev/null 2>&1 ||
    fail "$1, so the binaries are built from source, but \`cargo\` is not on PATH: use a released ref (\`@vX.Y.Z\`) or install Rust first"
  notice "$1: building ${bins[*]} from source with cargo"
  local key dest
  key="$(printf '%s' "$root" | cksum | awk '{ print $1 }')"
  dest="$tmp_root/pactline-source-$key"
  for bin in "${bins[@]}"; do
    CARGO_TARGET_DIR="$dest/target" cargo install --locked \
      --path "$root/crates/$bin" --root "$dest" --bin "$bin" --force ||
      fail "\`cargo install --path crates/$bin\` failed"
  done
  bin_dir="$dest/bin"
}

bin_dir=""
tmp=""
if [ -z "$version" ]; then
  install_from_source "no release is pinned in actions/install/checksums.txt at this ref"
elif [ -z "$target" ]; then
  install_from_source "no prebuilt $version archive for $os/$arch"
else
  install_release
fi

echo "pactline binaries: $bin_dir"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  printf 'bin-dir=%s\n' "$(native_path "$bin_dir")" >>"$GITHUB_OUTPUT"
else
  printf '%s\n' "$bin_dir"
fi
if $add_path; then
  [ -n "${GITHUB_PATH:-}" ] || fail "--add-path needs \$GITHUB_PATH (run it as an Actions step)"
  native_path "$bin_dir" >>"$GITHUB_PATH"
fi
