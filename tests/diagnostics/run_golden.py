#!/usr/bin/env python3
"""Golden diagnostics: run `goap check` on every malformed input under cases/ and compare.

Each case is a folder cases/<name>/ holding:
  world.yaml      the input (plus any file it uses);
  args            optional: the arguments after `goap check`, one per line (default: world.yaml);
  generate.py     optional: run first (python3, cwd = the case copy) to write inputs too large to
                  commit, such as a file over the 4 MiB limit;
  expected.txt    the exact stderr of `goap check`, then a last line `exit: N`.

Every case runs in a fresh copy of its folder in a temporary directory, with that copy as the
working directory, so the paths printed are short and nothing is written into the source tree.
A mismatch prints a unified diff; a crash (death by signal) or a hang (the timeout) fails the case
whatever expected.txt says.

  run_golden.py GOAP CASES_DIR [--update] [NAME...]

--update rewrites expected.txt from what goap prints now. It is for humans: read every changed
expectation before committing it (the point of each case is a helpful, located message).
Python 3 standard library only.
"""
import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
import time

# A hang guard, not a speed test: each case takes milliseconds, even under ASan.
TIMEOUT_S = 30


def run_case(goap, case_dir, work_root):
    case_dir = os.path.abspath(case_dir)
    name = os.path.basename(case_dir)
    work = os.path.join(work_root, name)
    shutil.copytree(case_dir, work, ignore=shutil.ignore_patterns("expected.txt", "generate.py"))
    gen = os.path.join(case_dir, "generate.py")
    if os.path.exists(gen):
        subprocess.run([sys.executable, gen], cwd=work, check=True, timeout=TIMEOUT_S)
    args = ["world.yaml"]
    args_file = os.path.join(case_dir, "args")
    if os.path.exists(args_file):
        with open(args_file, encoding="utf-8") as f:
            args = [line.rstrip("\n") for line in f if line.strip()]
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
    start = time.monotonic()
    try:
        p = subprocess.run([goap, "check", *args], cwd=work, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, f"hung: no answer after {TIMEOUT_S} s", 0.0
    elapsed = time.monotonic() - start
    stderr = p.stderr.decode("utf-8", errors="backslashreplace")
    if p.returncode < 0:
        return None, f"crashed: killed by signal {-p.returncode}\n{stderr}", elapsed
    return stderr + f"exit: {p.returncode}\n", None, elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("goap", help="the goap executable")
    ap.add_argument("cases", help="the cases/ folder")
    ap.add_argument("names", nargs="*", help="run only these cases")
    ap.add_argument("--update", action="store_true", help="rewrite expected.txt from the current output")
    o = ap.parse_intermixed_args()

    goap = os.path.abspath(o.goap)
    names = sorted(d for d in os.listdir(o.cases) if os.path.isdir(os.path.join(o.cases, d)))
    if o.names:
        unknown = sorted(set(o.names) - set(names))
        if unknown:
            print("no such case: " + ", ".join(unknown), file=sys.stderr)
            return 2
        names = [n for n in names if n in o.names]

    failed, updated, slowest = [], [], (0.0, "")
    with tempfile.TemporaryDirectory(prefix="goap-golden-") as work_root:
        for name in names:
            case_dir = os.path.join(o.cases, name)
            actual, problem, elapsed = run_case(goap, case_dir, work_root)
            slowest = max(slowest, (elapsed, name))
            if problem is not None:
                print(f"FAIL {name}: {problem}")
                failed.append(name)
                continue
            exp_path = os.path.join(case_dir, "expected.txt")
            expected = None
            if os.path.exists(exp_path):
                with open(exp_path, encoding="utf-8") as f:
                    expected = f.read()
            if actual == expected:
                continue
            if o.update:
                with open(exp_path, "w", encoding="utf-8") as f:
                    f.write(actual)
                updated.append(name)
                print(f"updated {name}")
                continue
            print(f"FAIL {name}: stderr + exit code differ from expected.txt")
            diff = difflib.unified_diff((expected or "").splitlines(keepends=True), actual.splitlines(keepends=True),
                                        fromfile=f"{name}/expected.txt", tofile=f"{name} (actual)")
            sys.stdout.writelines(diff)
            failed.append(name)

    summary = f"{len(names) - len(failed)} of {len(names)} golden diagnostic cases pass"
    if updated:
        summary += f", {len(updated)} expectation(s) rewritten: review them before committing"
    print(summary + f" (slowest: {slowest[1]}, {slowest[0] * 1000:.0f} ms)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
