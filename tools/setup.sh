#!/usr/bin/env bash
# tools/setup.sh: install what goap needs on Debian 12, then configure and build it.
#
#   tools/setup.sh              what building and running need, then build/ (release): build/goap
#   tools/setup.sh --test       also what the tests need (tools/test.sh passes it)
#   tools/setup.sh --lab        also what tools/lab.sh needs (Debian's OpenSSH server)
#   tools/setup.sh --sanitize   packages, then build-asan/ (debug, ASan + UBSan)
#   tools/setup.sh --tsan       packages, then build-tsan/ (debugoptimized, ThreadSanitizer)
#   tools/setup.sh --no-build   packages only
#   tools/setup.sh --dry-run    print what would be installed and run, change nothing
#
# Idempotent: a package already installed is not touched, and `apt-get update` runs only when
# something is missing. A configured build directory is reused; ninja itself re-runs meson when
# a meson.build changed. Needs root, or sudo, only when a package is missing.
#
# Environment: GOAP_BUILD_DIR (default build), GOAP_ASAN_BUILD_DIR (default build-asan),
# GOAP_TSAN_BUILD_DIR (default build-tsan), GOAP_JOBS (parallel compile jobs, default 2),
# GOAP_BUILD_TARGETS (ninja targets to build, space-separated; default everything).
set -euo pipefail

# What building and running goap need: the TOOLCHAIN.md install line without Graphviz and
# without libboost-graph-dev and libboost-filesystem-dev (goap uses only header-only Boost: the
# headers are libboost-dev's; those two add only the compiled libraries and ICU), plus
# SQLite (the run journal), libcurl (the plugins' HTTP(S) client, engine/plugin_api/http.h), the
# C++ compiler and python3 (the build embeds the schema and writes the man pages with it), and
# ca-certificates (HTTPS probes; only a Recommends of libcurl), and what the bundled plugins run
# (ssh for every step on a host, git for sync-repo).
# doctest-dev: the unit tests are part of the default build. Installed without recommends: the
# README's Run command may be typed on a machine whose disk just filled.
PACKAGES=(
  meson ninja-build pkg-config
  libboost-dev
  libyaml-cpp-dev libtbb-dev libspdlog-dev libfmt-dev
  doctest-dev libcli11-dev nlohmann-json3-dev
  libsqlite3-dev libcurl4-openssl-dev ca-certificates
  g++ python3
  openssh-client git
)
# What tools/lab.sh adds (--lab): the lab's hosts are real OpenSSH servers on 127.0.0.1.
LAB_PACKAGES=(openssh-server)
# What only the tests need (--test; tools/test.sh passes it), installed without recommends:
# Graphviz (`dot` renders the pictures the export tests check; at run time goap only suggests
# it: without it the HTML report says so in place of a picture), headless Chromium (the HTML
# report and Mermaid tests), OpenSSH (the plugins' ssh tests start their own sshd on 127.0.0.1),
# git (the sync-repo tests), clang and its fuzzer runtime (tools/fuzz: libFuzzer; the runtime
# is only a Recommends of clang's packages), and what `dpkg-buildpackage -b` needs for the
# package test (tests/package: debhelper, build-essential; systemd provides the unit folder's
# pkg-config file), and Node with npm (ajv-cli and mermaid, which those tests fetch with
# `npm ci` from committed lock files). Node counts as present when the `node` and `npm` commands
# exist: a NodeSource nodejs bundles npm and conflicts with Debian's npm package.
TEST_PACKAGES=(
  graphviz chromium openssh-server openssl
  clang libclang-rt-14-dev
  debhelper build-essential systemd
)
NODE_PACKAGES=(nodejs npm)

say() { printf 'setup: %s\n' "$*"; }
die() {
  printf 'setup: ERROR: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
}

sanitize=0
build=1
dry_run=0
with_tests=0
with_lab=0
for arg in "$@"; do
  case "$arg" in
    --test) with_tests=1 ;;
    --lab) with_lab=1 ;;
    --sanitize) sanitize=1 ;;
    --tsan) sanitize=2 ;;
    --no-build) build=0 ;;
    --dry-run) dry_run=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option '$arg' (see --help)" ;;
  esac
done

# Everything below reports on stderr, so `tools/setup.sh && build/goap next ... > answer.json`
# (or a command substitution around both) captures goap's JSON alone.
exec >&2

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="${GOAP_JOBS:-2}"

# Runs a command, or only shows it with --dry-run.
run() {
  if ((dry_run)); then
    printf 'setup: would run: %s\n' "$*"
  else
    "$@"
  fi
}

# ---- 1. Debian packages -------------------------------------------------------------------

installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

install_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    die "dpkg-query/apt-get not found: this script installs packages on Debian 12 only. Install by hand: ${PACKAGES[*]} (and for the tests: ${TEST_PACKAGES[*]} ${NODE_PACKAGES[*]})"
  fi
  if [[ -r /etc/os-release ]]; then
    # shellcheck disable=SC1091
    os_id="$(. /etc/os-release && echo "${ID:-}:${VERSION_ID:-}")"
    [[ "$os_id" == "debian:12" ]] || say "warning: this is '$os_id', not Debian 12; package names may differ"
  fi

  local missing=() p
  local wanted=("${PACKAGES[@]}")
  ((with_tests)) && wanted+=("${TEST_PACKAGES[@]}")
  ((with_lab)) && wanted+=("${LAB_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    installed "$p" || missing+=("$p")
  done
  if ((with_tests)) && { ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; }; then
    missing+=("${NODE_PACKAGES[@]}")
  fi
  local what="building and running"
  ((with_tests)) && what="building, running and testing"
  if ((${#missing[@]} == 0)); then
    say "packages: all installed ($what)"
    return
  fi
  local all=("${missing[@]}")
  local verb=installing
  ((dry_run)) && verb="would install"
  say "packages: $verb ${all[*]} ($what)"

  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null 2>&1 ||
      die "not root and sudo is not installed: run as root, or install by hand: apt-get install ${all[*]}"
    sudo=(sudo)
  fi
  # The lock timeout waits out a boot-time unattended-upgrades run instead of failing at once.
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300)
  run "${apt[@]}" update </dev/null || die "apt-get update failed (network? sources.list?)"
  run "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null ||
    die "apt-get install failed for: ${missing[*]}"
  if ((!dry_run)); then
    for p in "${all[@]}"; do
      installed "$p" || die "package '$p' is still not installed after apt-get install"
    done
  fi
  ((dry_run)) || say "packages: installed ${#all[@]}"
}

install_packages
((build)) || exit 0

# ---- 2. Configure -------------------------------------------------------------------------

if ((sanitize == 1)); then
  builddir="${GOAP_ASAN_BUILD_DIR:-build-asan}"
  options=(-Dbuildtype=debug "-Db_sanitize=address,undefined" -Db_lundef=false)
  want_sanitize="address,undefined"
elif ((sanitize == 2)); then
  # Optimized: TSan slows code down 5-15x, and the threaded tests run real searches.
  builddir="${GOAP_TSAN_BUILD_DIR:-build-tsan}"
  options=(-Dbuildtype=debugoptimized -Db_sanitize=thread -Db_lundef=false)
  want_sanitize="thread"
else
  builddir="${GOAP_BUILD_DIR:-build}"
  options=(-Dbuildtype=release)
  want_sanitize=""
fi

# The b_sanitize value an existing build directory was configured with.
configured_sanitize() {
  python3 - "$1/meson-info/intro-buildoptions.json" <<'EOF'
import json, sys
try:
    opts = json.load(open(sys.argv[1]))
except OSError:
    sys.exit(0)
print(next((str(o["value"]) for o in opts if o["name"] == "b_sanitize"), ""))
EOF
}

if [[ -f "$builddir/build.ninja" ]]; then
  if ((sanitize)) && [[ "$(configured_sanitize "$builddir")" != "$want_sanitize" ]]; then
    say "configure: $builddir/ lacks the sanitizers, reconfiguring"
    run meson configure "$builddir" "${options[@]}" || die "meson configure $builddir failed"
  else
    say "configure: $builddir/ already configured"
  fi
elif [[ -f "$builddir/meson-private/coredata.dat" ]]; then
  # An interrupted or failed configure leaves coredata behind and no build.ninja.
  say "configure: $builddir/ half configured, reconfiguring"
  run meson setup --reconfigure "$builddir" "${options[@]}" || die "meson setup --reconfigure $builddir failed (see $builddir/meson-logs/meson-log.txt)"
else
  say "configure: meson setup $builddir ${options[*]}"
  run meson setup "$builddir" "${options[@]}" || die "meson setup $builddir failed (see $builddir/meson-logs/meson-log.txt)"
fi

# ---- 3. Build -----------------------------------------------------------------------------

read -r -a targets <<<"${GOAP_BUILD_TARGETS:-}"
say "build: ninja -C $builddir -j$jobs ${targets[*]}"
start=$SECONDS
run ninja -C "$builddir" -j"$jobs" "${targets[@]}" || die "build failed in $builddir/ (the error is above)"
((dry_run)) || say "build: done in $((SECONDS - start)) s"
if ((!sanitize && !dry_run)) && [[ -x "$builddir/goap" ]]; then
  say "ready: $builddir/goap next worlds/timmy-ops.yaml"
fi
exit 0
