"""End-to-end tests of `goap pddl`: optimal costs, independently validated plans, IPC output,
exit codes, and located errors pinned word for word.

usage: run_pddl_tests.py GOAP TESTS_DIR [--update]   (--update rewrites the golden files)
"""
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from validate_ipc import PlanError, validate

# instance dir, problem file, optimal cost, cost kind
OPTIMAL = [
    ("gripper", "prob01.pddl", 11, "unit cost"),
    ("blocks", "probBLOCKS-4-0.pddl", 6, "unit cost"),
    ("satellite", "p01-pfile1.pddl", 9, "unit cost"),
    ("elevators", "p01.pddl", 42, "general cost"),
    ("courier", "problem.pddl", 36, "general cost"),
    ("add-wins", "problem.pddl", 1, "unit cost"),
]
HEURISTICS = ["lmcut", "hmax", "blind"]

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(goap, args, cwd=None):
    return subprocess.run([goap, "pddl"] + args, capture_output=True, text=True, cwd=cwd, timeout=60)


def optimal_costs(goap, tests):
    for inst, prob, cost, kind in OPTIMAL:
        d = os.path.join(tests, "instances", inst)
        domain, problem = os.path.join(d, "domain.pddl"), os.path.join(d, prob)
        texts = open(domain).read(), open(problem).read()
        for h in HEURISTICS:
            name = f"{inst}/{prob} --heuristic {h}"
            with tempfile.TemporaryDirectory() as tmp:
                plan_file = os.path.join(tmp, "plan")
                r = run(goap, [domain, problem, "--heuristic", h, "--plan-file", plan_file, "--json"])
                check(r.returncode == 0, f"{name}: exit {r.returncode}: {r.stderr}")
                if r.returncode != 0:
                    continue
                stats = json.loads(r.stdout)
                lines = open(plan_file).read().splitlines()
            check(stats["status"] == "plan" and stats["cost"] == cost, f"{name}: cost {stats['cost']}, want {cost}")
            check(lines[-1] == f"; cost = {cost} ({kind})", f"{name}: last line {lines[-1]!r}")
            steps = lines[:-1]
            check(stats["plan_length"] == len(steps) and stats["plan"] == steps, f"{name}: JSON plan differs from the file")
            check(all(s.startswith("(") and s.endswith(")") and s == s.lower() for s in steps), f"{name}: IPC lines {steps}")
            try:
                replayed = validate(texts[0], texts[1], steps)
                check(replayed == cost, f"{name}: the plan replays to cost {replayed}, want {cost}")
            except PlanError as e:
                check(False, f"{name}: the plan does not validate: {e}")


def search_modes(goap, tests):
    # A* evaluates states when it pops them unless --eager or blind (with LM-cut from the parent's
    # landmarks, checked from scratch where that may pay, unless --no-incremental), prunes with stubborn sets unless --pruning none or blind,
    # and searches over canonical states (object symmetries) unless --symmetry none or blind; the
    # cost never changes.
    modes = (([], "deferred", "stubborn-sets", "object"), (["--eager"], "eager", "stubborn-sets", "object"),
             (["--no-incremental"], "deferred", "stubborn-sets", "object"),
             (["--heuristic", "blind"], "eager", "none", "none"),
             (["--heuristic", "blind", "--pruning", "stubborn-sets"], "eager", "stubborn-sets", "none"),
             (["--heuristic", "blind", "--symmetry", "object"], "eager", "none", "object"),
             (["--pruning", "none"], "deferred", "none", "object"),
             (["--symmetry", "none"], "deferred", "stubborn-sets", "none"),
             (["--eager", "--pruning", "none", "--symmetry", "none"], "eager", "none", "none"),
             (["--search", "gbfs", "--heuristic", "hmax", "--symmetry", "object"], "eager", "none", "object"))
    pruned = symmetric = incremental = raised = 0
    for inst, prob, cost, _ in OPTIMAL:
        d = os.path.join(tests, "instances", inst)
        args = [os.path.join(d, "domain.pddl"), os.path.join(d, prob), "--json"]
        for extra, evaluation, pruning, symmetry in modes:
            name = f"{inst}/{prob} {' '.join(extra)}"
            r = run(goap, args + extra)
            check(r.returncode == 0, f"{name}: exit {r.returncode}: {r.stderr}")
            if r.returncode != 0:
                continue
            j = json.loads(r.stdout)
            if j["search"]["optimal"]:
                check(j["cost"] == cost, f"{name}: cost {j['cost']}, want {cost}")
            check(j["search"]["evaluation"] == evaluation, f"{name}: evaluation {j['search']['evaluation']}, want {evaluation}")
            check(j["search"]["pruning"] == pruning, f"{name}: pruning {j['search']['pruning']}, want {pruning}")
            check(j["search"]["symmetry"] == symmetry, f"{name}: symmetry {j['search']['symmetry']}, want {symmetry}")
            check(pruning == "stubborn-sets" or j["stats"]["pruned"] == 0, f"{name}: pruned without pruning")
            check(symmetry == "object" or j["stats"]["symmetry_generators"] == 0, f"{name}: symmetries without asking")
            inc = evaluation == "deferred" and "--no-incremental" not in extra and j["search"]["heuristic"] == "lmcut"
            check(j["search"]["incremental"] == inc, f"{name}: incremental {j['search']['incremental']}, want {inc}")
            check(inc or j["stats"]["evaluated_incremental"] == 0, f"{name}: incremental evaluations without asking")
            st = j["stats"]
            check(st["refresh_raised"] <= st["refreshed"] <= st["evaluated_incremental"],
                  f"{name}: refreshed {st['refreshed']}, raised {st['refresh_raised']}, incremental {st['evaluated_incremental']}")
            raised += st["refresh_raised"]
            pruned += j["stats"]["pruned"]
            symmetric += j["stats"]["symmetric_objects"]
            incremental += j["stats"]["evaluated_incremental"]
    check(pruned > 0, "stubborn sets pruned nothing on any test instance")
    check(incremental > 0, "no state was evaluated from its parent's landmarks on any test instance")
    check(raised > 0, "no check from scratch raised an incremental value on any test instance")
    check(symmetric > 0, "no symmetric objects found on any test instance")


def threads(goap, tests):
    # A helper thread evaluating states ahead (--threads 2) changes nothing but the times, the
    # memory and evaluated_ahead: the same plan and the same statistics as one thread.
    ahead = 0
    for inst, prob, cost, _ in OPTIMAL:
        d = os.path.join(tests, "instances", inst)
        args = [os.path.join(d, "domain.pddl"), os.path.join(d, prob), "--json"]
        out = {}
        for t in ("1", "2"):
            r = run(goap, args + ["--threads", t])
            check(r.returncode == 0, f"{inst}/{prob} --threads {t}: exit {r.returncode}: {r.stderr}")
            if r.returncode != 0:
                break
            out[t] = json.loads(r.stdout)
        if len(out) != 2:
            continue
        ahead += out["2"]["stats"]["evaluated_ahead"]
        check(out["1"]["stats"]["evaluated_ahead"] == 0, f"{inst}/{prob}: evaluated ahead with one thread")
        for j in out.values():
            for k in ("evaluated_ahead", "memory_bytes", "parse_ms", "ground_ms", "search_ms", "total_ms", "symmetry_ms"):
                j["stats"].pop(k, None)
        check(out["1"] == out["2"], f"{inst}/{prob}: --threads 2 answers differently from --threads 1")
    check(ahead > 0, "no state was evaluated ahead on any test instance")


def satisficing(goap, tests):
    d = os.path.join(tests, "instances", "courier")
    domain, problem = os.path.join(d, "domain.pddl"), os.path.join(d, "problem.pddl")
    for search in ["gbfs", "lazy-gbfs"]:
        r = run(goap, [domain, problem, "--search", search])
        check(r.returncode == 0, f"courier --search {search}: exit {r.returncode}: {r.stderr}")
        lines = r.stdout.splitlines()
        try:
            cost = validate(open(domain).read(), open(problem).read(), lines[:-1])
            check(lines[-1] == f"; cost = {cost} (general cost)", f"courier --search {search}: {lines[-1]!r} vs {cost}")
        except PlanError as e:
            check(False, f"courier --search {search}: {e}")


def exit_codes(goap, tests):
    d = os.path.join(tests, "instances", "add-wins")
    domain = os.path.join(d, "domain.pddl")
    with tempfile.TemporaryDirectory() as tmp:
        unsolvable = os.path.join(tmp, "p.pddl")
        with open(unsolvable, "w") as f:
            f.write("(define (problem x) (:domain add-wins) (:objects a b) (:init (at a)) (:goal (touched b)))")
        r = run(goap, [domain, unsolvable, "--json"])
        check(r.returncode == 10 and json.loads(r.stdout)["status"] == "unsolvable", f"unsolvable: exit {r.returncode}")
        r = run(goap, [os.path.join(tests, "instances", "gripper", "domain.pddl"),
                       os.path.join(tests, "instances", "gripper", "prob01.pddl"), "--max-expansions", "3", "--heuristic", "blind"])
        check(r.returncode == 11 and r.stdout == "", f"limit: exit {r.returncode}, stdout {r.stdout!r}")
        satisfied = os.path.join(tmp, "s.pddl")
        with open(satisfied, "w") as f:
            f.write("(define (problem x) (:domain add-wins) (:objects a) (:init (at a)) (:goal (at a)))")
        r = run(goap, [domain, satisfied])
        check(r.returncode == 0 and r.stdout == "; cost = 0 (unit cost)\n", f"satisfied: exit {r.returncode} {r.stdout!r}")
    r = run(goap, [domain, os.path.join(d, "problem.pddl"), "--search", "lazy-gbfs", "--symmetry", "object"])
    check(r.returncode == 2 and "lazy-gbfs" in r.stderr, f"symmetry with lazy-gbfs: exit {r.returncode} {r.stderr!r}")
    r = run(goap, [domain, os.path.join(tmp, "missing.pddl")])
    check(r.returncode == 3 and "cannot open" in r.stderr, f"missing file: exit {r.returncode} {r.stderr!r}")


def golden_errors(goap, tests, update):
    root = os.path.join(tests, "errors")
    cases = sorted(os.listdir(root))
    for case in cases:
        d = os.path.join(root, case)
        r = run(goap, ["domain.pddl", "problem.pddl"], cwd=d)
        check(r.returncode == 3, f"errors/{case}: exit {r.returncode}, want 3")
        check(r.stdout == "", f"errors/{case}: stdout {r.stdout!r}")
        expected_path = os.path.join(d, "expected.txt")
        if update:
            with open(expected_path, "w") as f:
                f.write(r.stderr)
            continue
        expected = open(expected_path).read()
        check(r.stderr == expected, f"errors/{case}: stderr differs:\n--- want\n{expected}--- got\n{r.stderr}")
    return len(cases)


def main():
    goap, tests = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv
    optimal_costs(goap, tests)
    search_modes(goap, tests)
    threads(goap, tests)
    satisficing(goap, tests)
    exit_codes(goap, tests)
    n = golden_errors(goap, tests, update)
    print(f"{len(OPTIMAL) * len(HEURISTICS)} optimal runs, {n} golden error cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
