#!/usr/bin/env bash
# tools/fuzz/run.sh: build the libFuzzer targets with clang and run them, one after the other.
#
#   tools/fuzz/run.sh [SECONDS] [TARGET...]   fuzz each TARGET for SECONDS (default 60), inputs up to 8 KiB
#   tools/fuzz/run.sh --smoke [TARGET...]     15 s each, inputs up to 4 KiB (for CI)
#
# TARGET: load pddl batch json sensors uses (default: all). Each target fuzz_<TARGET> is
# described at the top of tools/fuzz/fuzz_<TARGET>.cc.
#
# Sets up its own build dir (build-fuzz/, or $GOAP_FUZZ_BUILD_DIR) with clang, ASan + UBSan and
# coverage instrumentation in every translation unit, so it works from a clean clone; builds
# take the same lock as the other builds on the machine (/tmp/goap-build.lock). Before fuzzing,
# each target replays the reproducers of past findings in tools/fuzz/findings/<TARGET>/ once.
# Seeds come from tools/fuzz/corpus/<TARGET>/ (never written to); new inputs collect in
# build-fuzz/fuzz-corpus/<TARGET>/ and reproducers in build-fuzz/fuzz-artifacts/<TARGET>/.
# An input that runs longer than the timeout (5 s in a smoke run, else 10 s) is a finding:
# a read that blocks is a bug. Every run runs in the checkout's root (batch requests may name
# worlds/...). One line per target as it finishes; the last line is one result:
#   fuzz: OK: N targets, R runs in S s, no finding
#   fuzz: FAIL: <target>: <why> (reproducer: FILE; rerun: ...)[; <target>: ...]
# Exit status: 0 when nothing was found, 1 on a crash, a sanitizer report, a timeout or a
# broken contract, 2 when the build failed or an argument is wrong. Environment: GOAP_JOBS
# (default 2).
set -euo pipefail

all_targets=(load pddl batch json sensors uses)
seconds=60
timeout=10
extra=(-max_len=8192)
case "${1:-}" in
  --smoke) seconds=15; timeout=5; extra=(-max_len=4096 -rss_limit_mb=2048); shift ;;
  -h | --help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  '' | [a-z]*) ;;
  *)
    if [[ "$1" =~ ^[0-9]+$ ]]; then seconds="$1"; shift; else
      printf 'fuzz: FAIL: bad argument %s (want SECONDS or --smoke, then targets)\n' "$1"; exit 2
    fi ;;
esac
targets=("$@")
((${#targets[@]})) || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  if [[ " ${all_targets[*]} " != *" $t "* ]]; then
    printf 'fuzz: FAIL: unknown target %s (targets: %s)\n' "$t" "${all_targets[*]}"; exit 2
  fi
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
builddir="${GOAP_FUZZ_BUILD_DIR:-build-fuzz}"
jobs="${GOAP_JOBS:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log="$work/log"

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
ninja_targets=()
for t in "${targets[@]}"; do ninja_targets+=("tools/fuzz/fuzz_$t"); done
printf 'fuzz: building %s\n' "${ninja_targets[*]}"
lock=()
if command -v flock >/dev/null; then lock=(flock /tmp/goap-build.lock); fi
if ! "${lock[@]}" ninja -C "$builddir" -j "$jobs" "${ninja_targets[@]}" >"$log" 2>&1; then
  tail -30 "$log"; printf 'fuzz: FAIL: build failed\n'; exit 2
fi

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
total_runs=0
failures=()
start=$SECONDS
for t in "${targets[@]}"; do
  bin="$builddir/tools/fuzz/fuzz_$t"
  corpus="$builddir/fuzz-corpus/$t"
  artifacts="$builddir/fuzz-artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  # A target's dictionary; the YAML readers also get the loader's words.
  dict="$work/$t.dict"
  case "$t" in
    load) cp tools/fuzz/dict/load.dict "$dict" ;;
    json | sensors) cat tools/fuzz/dict/load.dict "tools/fuzz/dict/$t.dict" >"$dict" ;;
    *) cp "tools/fuzz/dict/$t.dict" "$dict" ;;
  esac
  # Targets whose code under test prints for every input run with stdout and stderr closed
  # (libFuzzer keeps its own report; the targets report a broken contract on the original stderr).
  quiet=()
  case "$t" in batch | json) quiet=(-close_fd_mask=3) ;; esac
  flags=(-timeout="$timeout" -artifact_prefix="$artifacts" "${quiet[@]}")

  status=0
  findings=()
  if [[ -d "tools/fuzz/findings/$t" ]]; then
    mapfile -t findings < <(find "tools/fuzz/findings/$t" -type f | sort)
  fi
  if ((${#findings[@]})); then
    "$bin" "${flags[@]}" "${findings[@]}" >"$log" 2>&1 || status=$?
  fi
  if ((status == 0)); then
    "$bin" -max_total_time="$seconds" -print_final_stats=1 -dict="$dict" "${flags[@]}" "${extra[@]}" \
      "$corpus" "tools/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  fi
  if ((status == 0)); then
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    total_runs=$((total_runs + ${runs:-0}))
    printf 'fuzz: %s: OK: %s runs in %s s (%s/s)\n' "$t" "${runs:-?}" "$seconds" "${rate:-?}"
    continue
  fi
  grep -E '^==[0-9]+==ERROR|runtime error|SUMMARY|contract broken|Test unit written|ALARM|out-of-memory|Running: ' "$log" | head -20 || true
  tail -5 "$log"
  repro="$(sed -n 's/.*Test unit written to \([^ ]*\).*/\1/p' "$log" | tail -1)"
  # A replayed finding that still fails names itself in "Running: FILE".
  [[ -n "$repro" ]] || repro="$(sed -n 's/^Running: //p' "$log" | tail -1)"
  why="the fuzzer stopped with status $status"
  kind="$(grep -m1 -o -E 'ERROR: [A-Za-z]+: [A-Za-z -]+|runtime error: .*' "$log" || true)"
  [[ -z "$kind" ]] || why="${kind#ERROR: }"
  grep -q 'ALARM: working on the last Unit for' "$log" && why="an input ran past the ${timeout} s timeout"
  grep -q 'contract broken' "$log" && why="$(grep -m1 -o 'contract broken: .*' "$log")"
  printf 'fuzz: %s: FAIL: %s\n' "$t" "$why"
  failures+=("$t: $why (reproducer: ${repro:-none}; rerun: $bin ${repro:-FILE})")
done

if ((${#failures[@]} == 0)); then
  printf 'fuzz: OK: %s targets, %s runs in %s s, no finding\n' "${#targets[@]}" "$total_runs" $((SECONDS - start))
  exit 0
fi
joined="$(printf '%s; ' "${failures[@]}")"
printf 'fuzz: FAIL: %s\n' "${joined%; }"
exit 1
