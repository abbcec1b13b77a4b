#!/usr/bin/env python3
"""`goap batch` end to end: usage: run_batch_tests.py GOAP SOURCE_ROOT.

Checks what a user of the batch would notice: one answer per request in input order, ids echoed,
YAML and PDDL requests answered as `goap plan` / `goap pddl` would (optimal costs, plans replayed
by the independent validator tests/pddl/validate_ipc.py), a bad request answered as an error on
its own line without stopping the rest, and identical answers at --threads 1 and 2 (ms aside).
"""
import json
import os
import subprocess
import sys

goap, root = sys.argv[1], sys.argv[2]
here = os.path.join(root, "tests", "batch")
inst = os.path.join(root, "tests", "pddl", "instances")
sys.path.insert(0, os.path.join(root, "tests", "pddl"))
import validate_ipc  # noqa: E402

soldier = os.path.join(here, "soldier", "world.yaml")
timmy = os.path.join(root, "worlds", "timmy-ops.yaml")
requests = [
    {"id": "soldier", "world": soldier},
    {"id": "gripper", "domain": f"{inst}/gripper/domain.pddl", "problem": f"{inst}/gripper/prob01.pddl"},
    {"id": "missing-world", "world": os.path.join(here, "no-such-world.yaml")},
    {"id": "blocks-blind", "domain": f"{inst}/blocks/domain.pddl", "problem": f"{inst}/blocks/probBLOCKS-4-0.pddl",
     "heuristic": "blind"},
    {"id": "timmy-disk", "world": timmy, "state": ["not disk_ok(hermes-vps)"]},
    {"id": "bad-goal", "world": soldier, "goal": "win-the-war"},
    "this line is not JSON",
    {"id": 7, "world": timmy, "state": ["no_such_fact(x)"]},
    {"domain": f"{inst}/blocks/domain.pddl", "problem": f"{inst}/blocks/probBLOCKS-4-0.pddl"},
]
text = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in requests) + "\n"

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(threads):
    p = subprocess.run([goap, "batch", "--threads", str(threads), "-"], input=text, capture_output=True, text=True,
                       timeout=100)
    check(p.returncode == 0, f"--threads {threads}: exit {p.returncode}, stderr {p.stderr!r}")
    out = [json.loads(l) for l in p.stdout.splitlines()]
    for o in out:
        check(isinstance(o.get("ms"), (int, float)), f"no ms in {o}")
        o.pop("ms", None)
    return out


one, two = run(1), run(2)
check(one == two, f"--threads 1 and 2 differ:\n{one}\n{two}")
check(len(one) == len(requests), f"{len(one)} answers for {len(requests)} requests")
check([o["id"] for o in one] == ["soldier", "gripper", "missing-world", "blocks-blind", "timmy-disk", "bad-goal",
                                 7, 7, 9],
      f"ids out of order: {[o['id'] for o in one]}")
by = {i: o for i, o in enumerate(one)}

check(by[0]["status"] == "plan" and by[0]["cost"] == 4, f"soldier: {by[0]}")


def validated(i, domain, problem, cost):
    o = by[i]
    check(o["status"] == "plan" and o["cost"] == cost, f"{o.get('id')}: expected a plan of cost {cost}: {o}")
    try:
        got = validate_ipc.validate(open(domain).read(), open(problem).read(), o.get("plan", []))
        check(got == cost, f"{o.get('id')}: the validator's cost is {got}")
    except Exception as e:  # the validator's PlanError and parse errors alike
        failures.append(f"{o.get('id')}: the plan does not validate: {e}")


validated(1, f"{inst}/gripper/domain.pddl", f"{inst}/gripper/prob01.pddl", 11)
validated(3, f"{inst}/blocks/domain.pddl", f"{inst}/blocks/probBLOCKS-4-0.pddl", 6)
validated(8, f"{inst}/blocks/domain.pddl", f"{inst}/blocks/probBLOCKS-4-0.pddl", 6)
check(by[4]["status"] == "plan" and by[4]["plan"] and by[4]["goal"], f"timmy with a full disk: {by[4]}")

for i, words in [(2, ["no-such-world.yaml"]), (5, ["win-the-war"]), (6, []), (7, ["no_such_fact"])]:
    o = by[i]
    check(o["status"] == "error" and isinstance(o.get("error"), str) and o["error"], f"line {i + 1}: {o}")
    for w in words:
        check(w in o.get("error", ""), f"line {i + 1}: '{w}' not in the error: {o.get('error')!r}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"batch: {len(requests)} requests, all answered in order, same at 1 and 2 threads")
