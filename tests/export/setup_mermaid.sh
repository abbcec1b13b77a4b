#!/usr/bin/env bash
# tests/export/setup_mermaid.sh DEST: put Mermaid's self-contained browser bundle at
# DEST/mermaid.min.js, for the test that renders goap's Mermaid output with the real thing.
#
# Fetches the pinned release tarball with `npm pack` (the registry's ordinary client; no
# dependencies are installed: the bundle needs none), checks it against the pinned sha512, and
# extracts package/dist/mermaid.min.js. Idempotent: nothing happens when DEST already holds it.
# Exit status: 0 ready; 1 download or check failed; 77 npm is not installed (the test skips).
set -euo pipefail

version=11.12.0
integrity="sha512-ZudVx73BwrMJfCFmSSJT84y6u5brEoV8DOItdHomNLz32uBjNrelm7mg95X7g+C6UoQH/W6mBLGDEDv73JdxBg=="
dest="${1:?usage: setup_mermaid.sh DEST}"
stamp="$dest/mermaid.min.js.version"

if [[ -f "$dest/mermaid.min.js" && "$(cat "$stamp" 2>/dev/null)" == "$version" ]]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "setup_mermaid: npm not found; install Debian's npm package to run the Mermaid test" >&2
  exit 77
fi
mkdir -p "$dest"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "setup_mermaid: npm pack mermaid@$version" >&2
(cd "$tmp" && npm pack "mermaid@$version" --loglevel=error >/dev/null) || {
  echo "setup_mermaid: npm pack mermaid@$version failed (is the npm registry reachable?)" >&2
  exit 1
}
tarball="$tmp/mermaid-$version.tgz"
got="$(python3 -c 'import base64, hashlib, sys; print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tarball")"
if [[ "$got" != "$integrity" ]]; then
  echo "setup_mermaid: mermaid-$version.tgz has $got, expected $integrity" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$tmp" package/dist/mermaid.min.js
mv "$tmp/package/dist/mermaid.min.js" "$dest/mermaid.min.js"
echo "$version" >"$stamp"
