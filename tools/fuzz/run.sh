#!/usr/bin/env bash
# tools/fuzz/run.sh: build the loader fuzz target with clang + libFuzzer and run it.
#
#   tools/fuzz/run.sh [SECONDS]   fuzz for SECONDS (default 60)
#   tools/fuzz/run.sh --smoke     20 s, inputs up to 4 KiB, 5 s per input, 2 GiB RSS (for CI)
#
# Sets up its own build dir (build-fuzz/, or $GOAP_FUZZ_BUILD_DIR) with clang, ASan + UBSan and
# coverage instrumentation in every translation unit, so it works from a clean clone. Seeds come
# from tools/fuzz/corpus/ (never written to); new inputs collect in build-fuzz/fuzz-corpus/ and
# crash reproducers in build-fuzz/fuzz-artifacts/. The last line is one result:
#   fuzz: OK: N runs in S s, no crash
#   fuzz: FAIL: <why> (reproducer: FILE)
# Exit status: 0 when no crash was found, 1 on a crash or a sanitizer report, 2 when the build
# failed. Environment: GOAP_JOBS (default 2).
set -euo pipefail

seconds=60
extra=()
case "${1:-}" in
  --smoke) seconds=20; extra=(-max_len=4096 -timeout=5 -rss_limit_mb=2048) ;;
  -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  '') ;;
  *)
    if [[ "$1" =~ ^[0-9]+$ ]]; then seconds="$1"; else
      printf 'fuzz: FAIL: bad argument %s (want SECONDS or --smoke)\n' "$1"; exit 2
    fi ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
builddir="${GOAP_FUZZ_BUILD_DIR:-build-fuzz}"
jobs="${GOAP_JOBS:-2}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

if ! command -v clang++ >/dev/null; then
  printf 'fuzz: FAIL: clang++ not found (libFuzzer needs clang; apt-get install clang)\n'; exit 2
fi
if [[ ! -f "$builddir/build.ninja" ]]; then
  printf 'fuzz: setting up %s/ (clang, ASan + UBSan, coverage)\n' "$builddir"
  if ! CXX=clang++ CC=clang meson setup "$builddir" -Dbuildtype=debugoptimized -Db_sanitize=address,undefined \
      -Db_lundef=false -Dcpp_args=-fsanitize=fuzzer-no-link >"$log" 2>&1; then
    tail -20 "$log"; printf 'fuzz: FAIL: meson setup failed\n'; exit 2
  fi
fi
printf 'fuzz: building fuzz_load\n'
if ! ninja -C "$builddir" -j "$jobs" tools/fuzz/fuzz_load >"$log" 2>&1; then
  tail -30 "$log"; printf 'fuzz: FAIL: build failed\n'; exit 2
fi

corpus="$builddir/fuzz-corpus"
artifacts="$builddir/fuzz-artifacts/"
mkdir -p "$corpus" "$artifacts"
printf 'fuzz: running for %s s\n' "$seconds"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
status=0
"$builddir/tools/fuzz/fuzz_load" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts" \
  -dict=tools/fuzz/goap.dict "${extra[@]}" "$corpus" tools/fuzz/corpus >"$log" 2>&1 || status=$?

runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
took="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
if [[ $status -eq 0 ]]; then
  printf 'fuzz: OK: %s runs in %s s (%s/s), no crash; corpus %s/\n' "${runs:-?}" "$seconds" "${took:-?}" "$corpus"
  exit 0
fi
grep -E '^==[0-9]+==ERROR|runtime error|SUMMARY|contract broken|Test unit written|ALARM|out-of-memory' "$log" | head -20 || true
tail -5 "$log"
repro="$(sed -n 's/.*Test unit written to \([^ ]*\).*/\1/p' "$log" | tail -1)"
printf 'fuzz: FAIL: the fuzzer stopped with status %s (reproducer: %s; rerun: %s/tools/fuzz/fuzz_load %s)\n' \
  "$status" "${repro:-none}" "$builddir" "${repro:-FILE}"
exit 1
