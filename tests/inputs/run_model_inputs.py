"""Hostile model and PDDL inputs (issue #20, item 6), end to end: each is a clear input error,
exit 3, naming what is wrong, never an internal error or raw control bytes on stdout.

  - `validate` with a bogus top-level `cost` ("lots", -1, 1.5, {}, 1e30) or one that does not
    even parse as a number (1e999);
  - PDDL with terminal control bytes (ESC, BEL) or non-ASCII bytes in names;
  - a PDDL file over the 4 MiB cap.

usage: run_model_inputs.py GOAP SOURCE_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

failures = []
GUARD_S = 60


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(goap, args, stdin=None):
    return subprocess.run([goap] + args, capture_output=True, timeout=GUARD_S, input=stdin)


def validate_costs(goap, root, tmp):
    world = os.path.join(root, "worlds", "timmy-ops.yaml")
    r = run(goap, ["next", world])
    check(r.returncode == 0, f"next: exit {r.returncode}")
    plan = json.loads(r.stdout)
    good = os.path.join(tmp, "good.json")
    with open(good, "w") as f:
        json.dump(plan, f)
    r = run(goap, ["validate", world, good])
    check(r.returncode == 0 and r.stdout.startswith(b"valid:"), f"validate, a good plan: {r.returncode} {r.stdout!r}")
    # "cost": null (as in a `satisfied` answer) states no cost: the plan is still checked.
    with open(os.path.join(tmp, "null.json"), "w") as f:
        json.dump(dict(plan, cost=None), f)
    r = run(goap, ["validate", world, os.path.join(tmp, "null.json")])
    check(r.returncode == 0, f"validate, cost null: {r.returncode} {r.stderr!r}")

    for name, value in [("string", '"lots"'), ("negative", "-1"), ("fraction", "1.5"), ("object", "{}"),
                        ("huge", "1e30"), ("control", '"\\u001b[31m"')]:
        path = os.path.join(tmp, f"{name}.json")
        text = json.dumps(plan).replace('"cost": %d,' % plan["cost"], '"cost": %s,' % value, 1)
        check(text != json.dumps(plan), f"{name}: the cost was not replaced")
        with open(path, "w") as f:
            f.write(text)
        r = run(goap, ["validate", world, path])
        err = r.stderr.decode()
        check(r.returncode == 3, f"validate, cost {value}: exit {r.returncode}, want 3; {err}")
        check(f"{path}: error: 'cost' must be the plan's total cost, a whole number from 0 to 2^63-1" in err,
              f"validate, cost {value}: {err}")
        check(b"\x1b" not in r.stdout + r.stderr, f"validate, cost {value}: a raw ESC in the output")

    # A step's cost that is no cost at all is a broken plan file too (found by the hostile-input probe).
    if plan["plan"]:
        for name, value in [("step-negative", -1), ("step-string", "1"), ("step-fraction", 0.5)]:
            bad = json.loads(json.dumps(plan))
            bad["plan"][0]["cost"] = value
            path = os.path.join(tmp, f"{name}.json")
            with open(path, "w") as f:
                json.dump(bad, f)
            r = run(goap, ["validate", world, path])
            err = r.stderr.decode()
            check(r.returncode == 3 and "step 1: 'cost' must be a whole number from 0 up" in err,
                  f"validate, step cost {value!r}: exit {r.returncode}; {err}")

    # 1e999 overflows while parsing: located, naming the field.
    text = json.dumps(plan).replace('"cost": %d,' % plan["cost"], '"cost": 1e999,', 1)
    path = os.path.join(tmp, "overflow.json")
    with open(path, "w") as f:
        f.write(text)
    col = text.index("1e999") + len("1e999")
    r = run(goap, ["validate", world, path])
    err = r.stderr.decode()
    check(r.returncode == 3, f"validate, cost 1e999: exit {r.returncode}, want 3; {err}")
    check(f"{path}:1:{col}: error: a number out of range (in 'cost')" in err, f"validate, cost 1e999: {err}")
    check("internal error" not in err, f"validate, cost 1e999: {err}")
    # The same through stdin.
    r = run(goap, ["validate", world, "-"], stdin=text.encode())
    check(r.returncode == 3 and b"<stdin>:1:" in r.stderr, f"validate -, cost 1e999: {r.returncode} {r.stderr!r}")


DOMAIN = """(define (domain d)
  (:requirements :strips)
  (:predicates (p) (q ?x))
  (:action %s :parameters () :precondition () :effect (p)))
"""
PROBLEM = "(define (problem q) (:domain d) (:objects %s) (:init) (:goal (p)))\n"


def pddl_names(goap, tmp):
    cases = [
        ("esc in an action name", DOMAIN % "pick\x1b[31mred\x07", PROBLEM % "a", "domain", 4, 16, "0x1b (a control character)"),
        ("csi in an object name", DOMAIN % "pick", PROBLEM % "a \x1b[2Jb", "problem", 1, 45, "0x1b (a control character)"),
        ("bel in an object name", DOMAIN % "pick", PROBLEM % "a\x07", "problem", 1, 44, "0x07 (a control character)"),
        ("non-ASCII name", DOMAIN % "pick", PROBLEM % "caf\u00e9", "problem", 1, 46, "0xc3 (not ASCII)"),
    ]
    for name, domain, problem, which, line, col, what in cases:
        d, p = os.path.join(tmp, "d.pddl"), os.path.join(tmp, "p.pddl")
        with open(d, "w") as f:
            f.write(domain)
        with open(p, "w") as f:
            f.write(problem)
        r = run(goap, ["pddl", d, p])
        err = r.stderr.decode(errors="replace")
        check(r.returncode == 3, f"pddl, {name}: exit {r.returncode}, want 3; {err}")
        where = d if which == "domain" else p
        check(f"{where}:{line}:{col}: error: byte {what} in a name: PDDL names are printable ASCII" in err,
              f"pddl, {name}: {err}")
        check(r.stdout == b"", f"pddl, {name}: stdout {r.stdout!r}")
    # Control bytes in comments are not names: the plan comes out, in plain ASCII.
    d, p = os.path.join(tmp, "d.pddl"), os.path.join(tmp, "p.pddl")
    with open(d, "w") as f:
        f.write("; \x1b[31m caf\u00e9\n" + DOMAIN % "pick")
    with open(p, "w") as f:
        f.write(PROBLEM % "a")
    r = run(goap, ["pddl", d, p])
    check(r.returncode == 0 and r.stdout == b"(pick)\n; cost = 1 (unit cost)\n", f"pddl, comments: {r.returncode} {r.stdout!r}")


def pddl_cap(goap, tmp):
    d, p = os.path.join(tmp, "d.pddl"), os.path.join(tmp, "big.pddl")
    with open(d, "w") as f:
        f.write(DOMAIN % "pick")
    objects = " ".join(f"o{i}" for i in range(600000))  # about 4.3 MB
    with open(p, "w") as f:
        f.write(PROBLEM % objects)
    check(os.path.getsize(p) > 4 << 20, "the big problem is not over 4 MiB")
    r = run(goap, ["pddl", d, p])
    err = r.stderr.decode()
    check(r.returncode == 3, f"pddl, 4.3 MB problem: exit {r.returncode}, want 3; {err[:500]}")
    check(f"{p}: error: the file is larger than the limit of 4194304 bytes (4 MiB)" in err, f"pddl, 4.3 MB problem: {err[:500]}")
    # Just under the cap it is read.
    objects = " ".join(f"o{i}" for i in range(500000))  # about 3.9 MB
    with open(p, "w") as f:
        f.write(PROBLEM % objects)
    check(os.path.getsize(p) < 4 << 20, "the problem under the cap is over 4 MiB")
    r = run(goap, ["pddl", d, p])
    check(r.returncode == 0, f"pddl, 3.9 MB problem: exit {r.returncode}; {r.stderr[:500]!r}")


def main():
    goap, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        validate_costs(goap, root, tmp)
        pddl_names(goap, tmp)
        pddl_cap(goap, tmp)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
