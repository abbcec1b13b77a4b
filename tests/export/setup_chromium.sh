#!/usr/bin/env bash
# tests/export/setup_chromium.sh: make sure Debian's headless-capable `chromium` is installed, for
# the HTML report test. Idempotent: does nothing when chromium is already on PATH; otherwise
# installs the `chromium` package with apt-get (root, or sudo without a password).
# Exit status: 0 ready; 1 the install failed; 77 this machine cannot install it (no apt-get, or
# not root and no sudo): the test reports a skip and says why.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup_chromium: chromium is not installed and there is no apt-get to install it" >&2
  exit 77
fi
sudo=()
if [[ "$(id -u)" != 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
    echo "setup_chromium: chromium is not installed; run as root (or with passwordless sudo): apt-get install chromium" >&2
    exit 77
  fi
  sudo=(sudo -n)
fi
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300)
echo "setup_chromium: installing chromium with apt-get" >&2
# `update` only when the package is unknown to the local index (a fresh container).
if ! apt-cache show chromium >/dev/null 2>&1; then
  "${apt[@]}" update </dev/null >&2 || { echo "setup_chromium: apt-get update failed" >&2; exit 1; }
fi
"${apt[@]}" install --no-install-recommends chromium </dev/null >&2 || {
  "${apt[@]}" update </dev/null >&2 && "${apt[@]}" install --no-install-recommends chromium </dev/null >&2
} || { echo "setup_chromium: apt-get install chromium failed" >&2; exit 1; }
command -v chromium >/dev/null 2>&1 || { echo "setup_chromium: chromium is still not on PATH" >&2; exit 1; }
