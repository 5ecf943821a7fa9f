#!/usr/bin/env bash
# Writes the checksums file of a release, from its archives:
#
#   scripts/release-checksums.sh VERSION BASE_URL DIST_DIR > actions/install/checksums.txt
#
# BASE_URL is where the archives are downloaded from (the release's download URL). The same file
# is committed on the release tag's commit and attached to the release.
set -euo pipefail

[ "$#" -eq 3 ] || { echo "usage: $0 VERSION BASE_URL DIST_DIR" >&2; exit 2; }
version="$1"
base_url="$2"
dist="$3"

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum <"$1" | awk '{ print $1 }'
  else
    shasum -a 256 <"$1" | awk '{ print $1 }'
  fi
}

shopt -s nullglob
archives=("$dist"/pactline-"$version"-*.tar.gz)
[ "${#archives[@]}" -gt 0 ] || { echo "no pactline-$version-*.tar.gz in $dist" >&2; exit 1; }

cat <<HEADER
# SHA-256 of the release archives that scripts/action-install.sh may install, one
# \`<sha256>  <archive>\` line each, plus the release's \`version\` and \`base-url\` lines.
# Written by .github/workflows/release.yml for $version; a downloaded archive whose SHA-256
# differs from its line here is never installed.
version $version
base-url $base_url
HEADER
for archive in "${archives[@]}"; do
  printf '%s  %s\n' "$(sha256_of "$archive")" "$(basename "$archive")"
done
