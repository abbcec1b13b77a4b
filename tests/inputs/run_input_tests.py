#!/usr/bin/env python3
"""Reading files safely, end to end: usage: run_input_tests.py GOAP.

Each case is one reproduction of issue #20 item 4 (and the diagnostics parts of item 6), run
against the real goap in a temporary directory that is removed afterwards:
  - `uses:` naming a secret outside the world's tree (a stand-in for /etc/shadow, written here so
    the test does not need root), /proc/self/environ, `/*/*` and /proc/kmsg: a prompt located
    error that prints nothing of the target;
  - `--allow-outside DIR` lets that tree in, and still no non-goap file is quoted;
  - a FIFO as --state, as a PDDL domain or problem, as a world, a plan file or a batch file: a
    prompt error, never a hang;
  - a glob over the cap of 1,000 files is a located error;
  - a 2 MB bad line and 200,000 errors give bounded stderr;
  - ESC, OSC and BEL bytes from input files reach stderr only as visible escapes.
Every goap call has a wall-clock guard (GUARD_S): a regression that blocks fails the case, it
does not hang the suite. The guard is not a speed test. Python 3 standard library only.
"""
import os
import shutil
import subprocess
import sys
import tempfile

GUARD_S = 20
goap = os.path.abspath(sys.argv[1])
failures = []
SECRET = "s3cr3t-hash-do-not-print"


def check(cond, what, detail=""):
    if not cond:
        failures.append(f"{what}\n{detail}"[:4000])


def run(args, cwd, env_extra=None, stdin=subprocess.DEVNULL, guard=GUARD_S):
    env = dict(os.environ, NO_COLOR="1")
    env.update(env_extra or {})
    try:
        p = subprocess.run([goap, *args], cwd=cwd, env=env, stdin=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=guard)
    except subprocess.TimeoutExpired:
        return None
    return p


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


SMALL_WORLD = "kind: world\nfacts: {up: bool}\nactions: {boot: {eff: [up]}}\ngoals: {g: {want: [up]}}\n"


def case_secrets_outside_the_tree(d):
    write(f"{d}/out/shadow", f"root:$6${SECRET}:19000:0:99999:7:::\n")
    write(f"{d}/w/world.yaml",
          "kind: world\nuses: [../out/shadow, /proc/self/environ, /proc/1/cmdline]\nfacts: {up: bool}\n")
    env = {"GOAP_TEST_MARKER": SECRET}
    for extra in ([], ["--allow-outside", "out", "--allow-outside", "/proc"]):
        p = run(["check", "w/world.yaml", *extra], d, env)
        check(p is not None, f"check {extra}: hung")
        if p is None:
            continue
        err = p.stderr.decode(errors="replace")
        check(p.returncode == 3, f"check {extra}: exit {p.returncode}", err)
        check(SECRET not in err and "root:" not in err, f"check {extra}: a secret reached stderr", err)
        if extra:
            check("'out/shadow' is not a goap file" in err, "allowed in, a non-goap file is refused unquoted", err)
            check("'/proc/self/environ' is on /proc, which goap never reads" in err, "/proc refused by path", err)
        else:
            check("world.yaml:2:8: error: 'out/shadow' is outside the world's folder; goap does not read it" in err,
                  "outside the tree: located error", err)
    # The same through a symbolic link inside the tree, and the secret given as the world itself.
    os.symlink(f"{d}/out/shadow", f"{d}/w/inner.yaml")
    os.symlink("/proc/self/environ", f"{d}/w/env.yaml")
    write(f"{d}/w/links.yaml", "kind: world\nuses: [inner.yaml, env.yaml]\nfacts: {up: bool}\n")
    p = run(["check", "w/links.yaml"], d, env)
    err = p.stderr.decode(errors="replace") if p else ""
    check(p is not None and p.returncode == 3 and SECRET not in err and err.count("is outside the world's folder") == 2,
          "symbolic links out of the tree are refused", err)
    # Named directly, a file that is no goap input is located but never quoted, YAML or PDDL.
    for args in (["check", "out/shadow"], ["plan", "w/env.yaml"], ["plan", "w/world.yaml", "--state", "w/env.yaml"],
                 ["pddl", "out/shadow", "out/shadow"]):
        p = run(args, d, env)
        err = p.stderr.decode(errors="replace") if p else ""
        check(p is not None and p.returncode == 3 and SECRET not in err, f"{args}: no secret, exit 3", err)


def case_globs_and_kmsg_return_promptly(d):
    write(f"{d}/w/world.yaml", 'kind: world\nuses: ["/*/*", /proc/kmsg, "../*/*/*"]\nfacts: {up: bool}\n')
    p = run(["check", "w/world.yaml"], d)
    check(p is not None, "uses: /*/* and /proc/kmsg: hung")
    if p:
        err = p.stderr.decode(errors="replace")
        check(p.returncode == 3 and err.count("is outside the world's folder") == 3, "outside: 3 located errors", err)
    # Even with the whole machine let in, nothing blocks: /proc is refused, and the glob is capped.
    p = run(["check", "w/world.yaml", "--allow-outside", "/"], d)
    check(p is not None, "--allow-outside /: hung")
    if p:
        err = p.stderr.decode(errors="replace")
        check(p.returncode == 3 and "'/proc/kmsg' is on /proc, which goap never reads" in err, "kmsg refused", err)
        check("more than the limit of 1000" in err or "directory entries" in err, "/*/* over the glob cap", err)


def case_fifos_are_refused(d):
    write(f"{d}/w.yaml", SMALL_WORLD)
    write(f"{d}/d.pddl", "(define (domain d) (:predicates (p)) (:action a :parameters () :effect (p)))\n")
    fifo = f"{d}/fifo"
    os.mkfifo(fifo)
    for args in (["plan", "w.yaml", "--state", "fifo"], ["next", "w.yaml", "--state", "fifo"],
                 ["pddl", "fifo", "d.pddl"], ["pddl", "d.pddl", "fifo"], ["plan", "fifo"], ["check", "fifo"],
                 ["validate", "w.yaml", "fifo"], ["batch", "fifo"], ["sense", "w.yaml", "--sensors", "fifo"]):
        p = run(args, d)
        check(p is not None, f"{args}: blocked on the FIFO")
        if p:
            err = p.stderr.decode(errors="replace")
            check(p.returncode in (2, 3) and "is a FIFO (named pipe); goap reads only regular files" in err,
                  f"{args}: exit {p.returncode}", err)
    # Standard input stays allowed where it was.
    sp = subprocess.run([goap, "plan", "w.yaml", "--state", "-", "-q"], cwd=d, input=b"kind: state\nstate: [up]\n",
                        capture_output=True, timeout=GUARD_S)
    check(sp.returncode == 0, "--state - still reads stdin", sp.stderr.decode(errors="replace"))


def case_allow_outside_lets_a_tree_in(d):
    write(f"{d}/shared/acts.yaml", "kind: actions\nactions:\n  boot: {eff: [up]}\n")
    write(f"{d}/w/world.yaml", "kind: world\nuses: [../shared/acts.yaml]\nfacts: {up: bool}\ngoals: {g: {want: [up]}}\n")
    p = run(["plan", "w/world.yaml", "-q"], d)
    check(p is not None and p.returncode == 3 and b"outside the world's folder" in p.stderr, "refused by default",
          p.stderr.decode(errors="replace") if p else "")
    for args in (["plan", "w/world.yaml", "-q", "--allow-outside", "shared"],
                 ["plan", "--allow-outside", f"{d}/shared", "w/world.yaml", "-q"],
                 ["check", "w/world.yaml", "--allow-outside", "shared"]):
        p = run(args, d)
        check(p is not None and p.returncode == 0, f"{args}: allowed in", (p.stderr + p.stdout).decode() if p else "")
        if p and args[0] == "plan":
            check(p.stdout.decode().strip() == "boot", f"{args}: the plan uses the allowed actions", p.stdout.decode())
    # The bundled layout: a world in worlds/ uses ../plugins and ../goals without any option.
    write(f"{d}/proj/plugins/p/actions.yaml", "kind: actions\nactions:\n  boot: {eff: [up]}\n")
    write(f"{d}/proj/worlds/w.yaml", "kind: world\nuses: [../plugins/*/actions.yaml]\nfacts: {up: bool}\n"
                                     "goals: {g: {want: [up]}}\n")
    p = run(["plan", "proj/worlds/w.yaml", "-q"], d)
    check(p is not None and p.returncode == 0, "worlds/ layout", p.stderr.decode(errors="replace") if p else "")


def case_glob_cap(d):
    for i in range(1001):
        write(f"{d}/many/g{i:04}.yaml", "kind: goals\ngoals: {}\n")
    write(f"{d}/world.yaml", 'kind: world\nuses: ["many/*.yaml"]\nfacts: {up: bool}\n')
    p = run(["check", "world.yaml"], d)
    err = p.stderr.decode(errors="replace") if p else ""
    check(p is not None and p.returncode == 3 and
          "world.yaml:2:8: error: 'many/*.yaml' matches 1001 files, more than the limit of 1000" in err,
          "1001 files: over the cap", err)
    os.remove(f"{d}/many/g1000.yaml")
    p = run(["check", "world.yaml"], d)
    err = p.stderr.decode(errors="replace") if p else ""
    check(p is not None and "limit of 1000" not in err, "1000 files: within the cap", err)


def case_bounded_stderr(d):
    write(f"{d}/long.yaml", "kind: world\nfacts: {up: bool}\nstate: [" + "x" * 2_000_000 + "{]\n")
    write(f"{d}/long2.yaml", "kind: world\nfacts: {up: bool}\nstate: [up(" + "x" * 2_000_000 + ")]\n")
    write(f"{d}/many.yaml", "kind: world\nfacts: {up: bool}\nstate: [" + ", ".join(["nope"] * 200_000) + "]\n")
    # Parsing 200,000 bad items takes ~2 s in release and ~18 s under ASan on a loaded machine;
    # the guard is against hanging, so these calls get a wider one.
    for f in ("long.yaml", "long2.yaml", "many.yaml"):
        p = run(["check", f], d, guard=6 * GUARD_S)
        check(p is not None and p.returncode == 3, f"{f}: exit 3")
        if p:
            check(len(p.stderr) < 64 * 1024, f"{f}: {len(p.stderr)} bytes of stderr", p.stderr[:2000].decode())
            check(b"\n" + b" 3 | " in p.stderr or f == "many.yaml", f"{f}: still shows the cut line")
    err = p.stderr.decode() if p else ""
    check("goap: note: 199900 more diagnostics not shown (the first 100 are above)\n200000 errors, 0 warnings\n" in err,
          "many errors: counted, not printed", err[-500:])


def case_control_bytes_are_escaped(d):
    write(f"{d}/esc.yaml", 'kind: world\nfacts: {up: bool}\nstate: ["\x1b]0;pwned\x07\x1b[2Jup", "\u009b31m"]\n')
    write(f"{d}/d.pddl", "(define (domain d)\n  (:requirements :strips \x1b[2J\x07)\n  (:predicates (p)))\n")
    write(f"{d}/p.pddl", "(define (problem q) (:domain d) (:init) (:goal (p)))\n")
    write(f"{d}/key.yaml", 'kind: world\nfacts: {up: bool}\n"\x1b[31mbad\x07": 1\n')
    for args in (["check", "esc.yaml"], ["plan", "esc.yaml"], ["pddl", "d.pddl", "p.pddl"], ["check", "key.yaml"]):
        p = run(args, d)
        check(p is not None and p.returncode == 3, f"{args}: exit 3", p.stderr.decode(errors="replace") if p else "")
        if p:
            for raw in (b"\x1b", b"\x07", b"\xc2\x9b"):
                check(raw not in p.stderr, f"{args}: raw {raw!r} on stderr", p.stderr.decode(errors="replace"))
            check(b"\\x1b" in p.stderr, f"{args}: ESC shown as \\x1b", p.stderr.decode(errors="replace"))


def main():
    cases = [v for k, v in sorted(globals().items()) if k.startswith("case_")]
    for c in cases:
        d = tempfile.mkdtemp(prefix="goap-inputs-")
        try:
            c(d)
        except Exception as e:  # a broken case is a failure, and the next case still runs
            failures.append(f"{c.__name__}: {type(e).__name__}: {e}")
        finally:
            shutil.rmtree(d, ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    print(f"{len(cases)} input-safety cases, {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
