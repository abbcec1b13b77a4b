#!/usr/bin/env python3
"""tools/bench/sense_parallel.py: how long `goap sense` takes to read N sensors of S seconds
each, concurrently (--sense-jobs 8, the default) beside one after another (--sense-jobs 1).

Real plugin sensors: the `command` plugin running `sleep S` once per object, each in its own
isolated child processes. A benchmark, not a test: it prints numbers and exits 0 (non-zero only
when goap fails or a reading is missing). The target of issue #16: 8 sensors of 0.5 s in
under 1.2 s.

  tools/bench/sense_parallel.py [--goap build/goap] [--sensors 8] [--seconds 0.5] [--repeat 3]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser()
    ap.add_argument("--goap", default=os.path.join(root, "build", "goap"))
    ap.add_argument("--sensors", type=int, default=8)
    ap.add_argument("--seconds", default="0.5")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    args.goap = os.path.abspath(args.goap)
    d = tempfile.mkdtemp(prefix="goap-bench-sense-")
    try:
        names = [f"h{i}" for i in range(args.sensors)]
        objects = ", ".join(f"{n}: {{type: host}}" for n in names)
        with open(os.path.join(d, "w.yaml"), "w") as f:
            f.write(f"kind: world\nname: bench\ntypes: {{host: {{}}}}\nobjects: {{{objects}}}\n"
                    "facts: {ok(host): bool}\ngoals:\n  all: {priority: 1, forall: {h: host}, want: [ok($h)]}\n")
        with open(os.path.join(d, "w.sensors.yaml"), "w") as f:
            f.write(f'kind: sensors\nsensors:\n  ok($h): {{plugin: command, with: {{argv: [sleep, "{args.seconds}"]}}}}\n')
        print(f"# load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
              f"{args.sensors} sensors of `sleep {args.seconds}` (command plugin), best and median of {args.repeat}")
        print(f"{'--sense-jobs':>12}  {'best s':>7}  {'median s':>8}")
        for jobs in (8, 1):
            times = []
            for _ in range(args.repeat):
                start = time.monotonic()
                p = subprocess.run([args.goap, "sense", "w.yaml", "--json", "--sense-jobs", str(jobs)], cwd=d,
                                   capture_output=True, text=True)
                times.append(time.monotonic() - start)
                if p.returncode != 0:
                    print(p.stdout, p.stderr, file=sys.stderr)
                    return 1
                out = json.loads(p.stdout)
                if [r["status"] for r in out["readings"]] != ["sensed"] * args.sensors:
                    print("a reading is missing:", out, file=sys.stderr)
                    return 1
            times.sort()
            print(f"{jobs:>12}  {times[0]:>7.3f}  {times[len(times) // 2]:>8.3f}")
        return 0
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
