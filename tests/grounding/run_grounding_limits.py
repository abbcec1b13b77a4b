"""Grounding under the search's limits (issue #20, item 2), end to end.

Each case is a small input whose grounding explodes (explosive.py). goap runs it with small
limits and must stop with exit 11, status "limit" and a message naming the action or goal and
its estimated count, never hang, crash or get killed for memory. Every run has a generous
wall-clock guard, so a regression fails here instead of hanging CI; nothing asserts timings.

usage: run_grounding_limits.py GOAP
"""
import json
import os
import resource
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import explosive  # noqa: E402

GUARD_S = 60  # the "did not hang" guard: a limit of 2 s must end the run long before this
LIMITS = ["--max-ms", "2000", "--max-memory-mb", "256"]

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(goap, args, address_space_mb=None):
    """Runs goap; address_space_mb caps its virtual memory (RLIMIT_AS) so that the allocation fails."""
    def cap():
        if address_space_mb is not None:
            b = address_space_mb << 20
            resource.setrlimit(resource.RLIMIT_AS, (b, b))
    try:
        return subprocess.run([goap] + args, capture_output=True, text=True, timeout=GUARD_S, preexec_fn=cap)
    except subprocess.TimeoutExpired:  # run() has killed it
        return None


def sanitized(binary):
    """True when `binary` was built with a sanitizer (its runtime is linked in)."""
    r = subprocess.run(["ldd", binary], capture_output=True, text=True)
    return any(lib in r.stdout for lib in ("libasan", "libtsan", "libubsan"))


def expect_limit(goap, name, args, wants, address_space_mb=None, json_out=True):
    r = run(goap, args, address_space_mb)
    check(r is not None, f"{name}: still running after {GUARD_S} s")
    if r is None:
        return
    check(r.returncode == 11, f"{name}: exit {r.returncode}, want 11; stderr: {r.stderr[-2000:]}")
    for w in wants:
        check(w in r.stderr, f"{name}: stderr lacks {w!r}: {r.stderr[-2000:]}")
    check("bad_alloc" not in r.stderr and "internal error" not in r.stderr, f"{name}: {r.stderr[-2000:]}")
    if json_out:
        try:
            doc = json.loads(r.stdout)
        except json.JSONDecodeError:
            check(False, f"{name}: stdout is not JSON: {r.stdout[:500]!r}")
            return
        check(doc.get("status") == "limit", f"{name}: status {doc.get('status')!r}, want 'limit'")
        return doc


def yaml_cases(goap, tmp):
    wide = explosive.yaml_wide_action(tmp)
    # Exact estimate: refused before a single binding is built.
    doc = expect_limit(goap, "yaml wide action", ["next", wide] + LIMITS,
                       ["grounding action 'link($a, $b, $c, $d, $e, $f)' would create about 4.7e10 ground actions",
                        "60 x 60 x 60 x 60 x 60 x 60 bindings", "memory limit (256 MiB)"])
    if doc:
        g = doc["goals"][0]
        check(g["status"] == "limit" and "link(" in g.get("reason", ""), f"yaml wide action: goal {g}")
    # The same through `plan` in text: the message, and no crash drawing the plan view.
    r = run(goap, ["plan", wide] + LIMITS)
    check(r is not None and r.returncode == 11 and "grounding hit a limit" in r.stdout,
          f"yaml wide action, plan text: {r and (r.returncode, r.stdout, r.stderr)}")

    # `explain` says it was grounding, not the search, that stopped.
    r = run(goap, ["explain", wide] + LIMITS)
    check(r is not None and r.returncode == 11 and "a grounding limit was hit" in r.stdout
          and "grounding action 'link(" in r.stdout, f"explain: {r and (r.returncode, r.stdout, r.stderr)}")

    # `goap batch`: the request answers `limit` with the reason, and the batch goes on.
    reqs = tmp + "/requests.jsonl"
    with open(reqs, "w") as f:
        f.write(json.dumps({"id": "wide", "world": wide, "max-ms": 2000, "max-memory-mb": 256}) + "\n")
        f.write(json.dumps({"id": "bad"}) + "\n")
    r = run(goap, ["batch", reqs])
    answers = [json.loads(l) for l in r.stdout.splitlines()] if r is not None and r.returncode == 0 else []
    check(len(answers) == 2, f"batch, wide world: {r and (r.returncode, r.stdout, r.stderr)}")
    if len(answers) == 2:
        check(answers[0]["status"] == "limit" and "grounding action 'link(" in answers[0].get("reason", ""),
              f"batch, wide world: {answers[0]}")
        check(answers[1]["status"] == "error", f"batch, after the wide world: {answers[1]}")

    # A static condition checked only once all six parameters are bound: time, not memory.
    expect_limit(goap, "yaml static filter", ["next", explosive.yaml_static_filter(tmp)] + LIMITS,
                 ["grounding action 'finish($a, $b, $c, $d, $e, $f)' would create about 4.7e10",
                  "time limit (2,000 ms)"])

    # A forall goal over 60^4 bindings.
    forall = explosive.yaml_forall_goal(tmp)
    expect_limit(goap, "yaml forall goal", ["next", forall] + LIMITS,
                 ["grounding goal 'everything-ok' (forall over 60 x 60 x 60 x 60 objects) would create about 1.3e7 wanted facts",
                  "memory limit (256 MiB)"])
    # The other goals are still planned: `next` answers the small goal, the big one is `limit`.
    r = run(goap, ["next", explosive.yaml_forall_goal(tmp, with_small_goal=True)] + LIMITS)
    check(r is not None and r.returncode == 0, f"forall and a small goal: {r and (r.returncode, r.stderr)}")
    if r is not None and r.returncode == 0:
        doc = json.loads(r.stdout)
        check(doc["status"] == "plan" and doc["goal"] == "small", f"forall and a small goal: {doc['status']} {doc['goal']}")
        big = next(g for g in doc["goals"] if g["goal"] == "everything-ok")
        check(big["status"] == "limit" and "grounding goal 'everything-ok'" in big.get("reason", ""),
              f"forall and a small goal: {big}")
    # With a memory limit it fits, the time limit stops it while it is being built.
    expect_limit(goap, "yaml forall goal, time", ["next", forall, "--max-ms", "200", "--max-memory-mb", "65536"],
                 ["grounding goal 'everything-ok'", "time limit (200 ms)"])


def pddl_cases(goap, tmp):
    exact = os.path.join(tmp, "exact")
    os.mkdir(exact)
    domain, problem = explosive.pddl_wide(exact)
    expect_limit(goap, "pddl wide, exact estimate", ["pddl", domain, problem, "--json"] + LIMITS,
                 ["grounding action 'mark(?a ?b ?c ?d ?e)' would create about 7.8e8 ground actions",
                  "memory limit (256 MiB)"])
    fluent = os.path.join(tmp, "fluent")
    os.mkdir(fluent)
    domain, problem = explosive.pddl_wide(fluent, fluent=True)
    # Found through the lifted joins: counted as it goes, stopped at the count.
    expect_limit(goap, "pddl wide, counted", ["pddl", domain, problem, "--json", "--max-ms", "600000",
                                              "--max-memory-mb", "64"],
                 ["grounding action 'mark(?a ?b ?c ?d ?e)' would create about 7.8e8", "memory limit (64 MiB)"])
    expect_limit(goap, "pddl wide, time", ["pddl", domain, problem, "--json", "--max-ms", "500"],
                 ["grounding action 'mark(?a ?b ?c ?d ?e)'", "time limit (500 ms)"])
    # Under an address-space cap below the memory limit, the allocation fails: still a limit.
    # A sanitizer's runtime reserves terabytes of shadow address space and aborts instead of
    # failing an allocation, so this case runs on builds without one.
    if sanitized(goap):
        print("skip: pddl wide, bad_alloc (a sanitizer build cannot run under an address-space cap)")
    else:
        expect_limit(goap, "pddl wide, bad_alloc", ["pddl", domain, problem, "--json", "--max-ms", "600000",
                                                    "--max-memory-mb", "1000000"],
                     ["grounding action 'mark(?a ?b ?c ?d ?e)'", "the memory available (an allocation failed)"],
                     address_space_mb=384)


def check_warnings(goap, tmp):
    """`goap check` warns, at the action's or goal's line, about a grounding past 1,000,000."""
    wide, forall = explosive.yaml_wide_action(tmp), explosive.yaml_forall_goal(tmp)
    r = run(goap, ["check", wide, forall])
    check(r is not None and r.returncode == 0, f"check: {r and (r.returncode, r.stderr)}")
    if r is None:
        return
    line = lambda path, key: next(i + 1 for i, l in enumerate(open(path)) if l.strip() == key)
    check(f"wide.yaml:{line(wide, 'link:')}:3: warning: action 'link($a, $b, $c, $d, $e, $f)' has about 4.7e10 "
          "ground instances (60 x 60 x 60 x 60 x 60 x 60 bindings), more than 1,000,000" in r.stderr,
          f"check: no warning about link: {r.stderr}")
    check(f"forall.yaml:{line(forall, 'everything-ok:')}:3: warning: goal 'everything-ok' has about 1.3e7 ground "
          "instances (forall over 60 x 60 x 60 x 60 objects), more than 1,000,000" in r.stderr,
          f"check: no warning about everything-ok: {r.stderr}")
    r = run(goap, ["check", "--werror", wide])
    check(r is not None and r.returncode == 3, f"check --werror: {r and r.returncode}")
    # A world well under the threshold gets no such warning.
    small = os.path.join(tmp, "small")
    os.mkdir(small)
    r = run(goap, ["check", explosive.yaml_wide_action(small, n=10)])
    check(r is not None and "ground instances" not in r.stderr, f"check, 10^6 bindings: {r and r.stderr}")


def main():
    goap = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        yaml_cases(goap, tmp)
        pddl_cases(goap, tmp)
        check_warnings(goap, tmp)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
