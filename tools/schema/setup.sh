#!/usr/bin/env bash
# tools/schema/setup.sh DEST: install the schema test's npm packages (ajv-cli, yaml) into DEST.
#
# Uses the committed package.json + package-lock.json in this folder and `npm ci`, so every run
# gets exactly the locked versions. DEST lies outside the source tree (the test passes a folder in
# the meson build directory). Idempotent: when DEST already holds an install made from the same
# lock file, nothing runs. Exit status: 0 ready; 1 npm failed (network? registry?); 77 node or npm
# is not installed (the test reports a skip).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="${1:?usage: setup.sh DEST}"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "schema setup: node/npm not found; install Debian's nodejs and npm packages to run the schema test" >&2
  exit 77
fi

mkdir -p "$dest"
stamp="$dest/.installed-from-lock"
if [[ -f "$stamp" && -d "$dest/node_modules/ajv-cli" && -d "$dest/node_modules/yaml" ]] &&
  cmp -s "$stamp" "$here/package-lock.json"; then
  exit 0
fi

cp "$here/package.json" "$here/package-lock.json" "$dest/"
echo "schema setup: npm ci in $dest" >&2
# A lock held by a concurrent run of the same test waits instead of racing it.
exec 9>"$dest/.lock"
flock 9
if [[ -f "$stamp" ]] && cmp -s "$stamp" "$here/package-lock.json"; then
  exit 0
fi
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error) >&2 || {
  echo "schema setup: npm ci failed in $dest (is the npm registry reachable?)" >&2
  exit 1
}
cp "$here/package-lock.json" "$stamp"
