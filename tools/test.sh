#!/usr/bin/env bash
# tools/test.sh: run every test, then print one last line `N passed, N failed`.
#
#   tools/test.sh               meson test on build/ (run tools/setup.sh first)
#   tools/test.sh --sanitize    builds build-asan/ (tools/setup.sh --sanitize), tests there with
#                               ASan + UBSan, any report fatal
#   tools/test.sh --tsan        builds build-tsan/ (tools/setup.sh --tsan), runs the tests of
#                               goap's own threads (search, heuristics) and the threaded paths of
#                               `next`, `plan`, `pddl`, `batch` and `sense` (threaded_paths) with
#                               ThreadSanitizer; tools/tsan.supp covers Debian's uninstrumented libtbb
#   tools/test.sh [--sanitize|--tsan] NAME...   only the named meson tests (e.g. core search)
#
# Exit status: 0 when nothing failed, 1 otherwise (a build failure counts as one failed test).
# Environment: GOAP_BUILD_DIR, GOAP_ASAN_BUILD_DIR, GOAP_TSAN_BUILD_DIR, GOAP_JOBS as for
# tools/setup.sh.
set -euo pipefail

say() { printf 'test: %s\n' "$*"; }

sanitize=0
names=()
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    --tsan) sanitize=2 ;;
    -h | --help)
      sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      printf 'test: ERROR: unknown option %s\n' "$arg" >&2
      exit 2
      ;;
    *) names+=("$arg") ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="${GOAP_JOBS:-2}"

# The summary line is the contract; print it even when the build fails.
summary() { printf '%d passed, %d failed\n' "$1" "$2"; }

# What only the tests need (Graphviz, Chromium, OpenSSH, Node, debhelper...): the README's Run
# command leaves it out, so the Test command (`tools/setup.sh && tools/test.sh`) gets it here.
if ! "$root/tools/setup.sh" --test --no-build; then
  say "installing the test packages failed"
  summary 0 1
  exit 1
fi

meson_args=(--print-errorlogs --num-processes "$jobs")
if ((sanitize == 2)); then
  builddir="${GOAP_TSAN_BUILD_DIR:-build-tsan}"
  # The threaded code: search and heuristics own threads, and the goap binary's TBB paths
  # (tests/threads/run_threaded_paths.py sets TSAN_OPTIONS with tools/tsan.supp for goap).
  ((${#names[@]})) || names=(search heuristics threaded_paths)
  export GOAP_BUILD_TARGETS="${GOAP_BUILD_TARGETS:-engine/search/search_test engine/heuristics/heuristics_test goap plugins/command/goap-plugin-command.so}"
  say "ThreadSanitizer: building $GOAP_BUILD_TARGETS in $builddir/"
  "$root/tools/setup.sh" --tsan || {
    say "the ThreadSanitizer build failed"
    summary 0 1
    exit 1
  }
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
  meson_args+=(--timeout-multiplier 4)
elif ((sanitize)); then
  builddir="${GOAP_ASAN_BUILD_DIR:-build-asan}"
  say "sanitizers: building $builddir/"
  "$root/tools/setup.sh" --sanitize || {
    say "the sanitizer build failed"
    summary 0 1
    exit 1
  }
  # Make every report fatal and loud. meson.build's default test setup sets both as well, and
  # under `meson test` its values win; these cover a build without that setup.
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1:check_initialization_order=1"
  # Debug code under ASan runs several times slower than release.
  meson_args+=(--timeout-multiplier 4)
else
  builddir="${GOAP_BUILD_DIR:-build}"
  if [[ ! -f "$builddir/build.ninja" ]]; then
    say "$builddir/ is not configured; running tools/setup.sh"
    "$root/tools/setup.sh" || {
      say "the build failed"
      summary 0 1
      exit 1
    }
  fi
fi

# Bring the build up to date ourselves: `meson test` would rebuild with ninja's default of
# cores + 2 jobs, and a compile error is clearer on its own than inside the test run.
read -r -a targets <<<"${GOAP_BUILD_TARGETS:-}"
if ! ninja -C "$builddir" -j"$jobs" "${targets[@]}"; then
  say "the build failed in $builddir/ (the error is above)"
  summary 0 1
  exit 1
fi

# testlog.json is rewritten by every `meson test`; a stale one must not be counted.
log="$builddir/meson-logs/testlog.json"
rm -f "$log"

meson_args+=(--no-rebuild)
say "meson test -C $builddir ${meson_args[*]} ${names[*]}"
rc=0
meson test -C "$builddir" "${meson_args[@]}" "${names[@]}" || rc=$?

if [[ ! -s "$log" ]]; then
  say "no test ran (meson test exited $rc; did a test name match nothing?)"
  summary 0 1
  exit 1
fi

# One JSON object per line, one per test; results: OK, FAIL, SKIP, EXPECTEDFAIL,
# UNEXPECTEDPASS, TIMEOUT, ERROR.
read -r passed failed skipped < <(python3 - "$log" <<'EOF'
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line:
        continue
    result = json.loads(line).get("result", "ERROR")
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result == "SKIP":
        skipped += 1
    else:
        failed += 1
print(passed, failed, skipped)
EOF
)

if ((rc != 0 && failed == 0)); then
  say "meson test exited $rc although every test passed; counting that as a failure"
  failed=1
fi
((skipped == 0)) || say "$skipped skipped (not counted)"
summary "$passed" "$failed"
((failed == 0))
