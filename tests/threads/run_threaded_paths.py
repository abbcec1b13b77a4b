#!/usr/bin/env python3
"""goap's threaded commands end to end: usage: run_threaded_paths.py GOAP SOURCE_ROOT.

`next` and `plan` plan every open goal on TBB workers; `batch` answers requests on a TBB pipeline
that shares loaded worlds between workers and nests those goal searches inside; `pddl --threads
2` runs an evaluation helper thread. This runs each of them with two threads on inputs that open
several goals at once, checks the answers, and fails on any ThreadSanitizer report.

In build-tsan/ (tools/test.sh --tsan) goap is built with -fsanitize=thread and this test is the
point: TSan reads tools/tsan.supp, which hides only what Debian's uninstrumented libtbb causes.
In a normal build the same commands run and their answers are checked; TSan is simply absent.
GOAP_TSAN_SUPP names another suppressions file (to try one out).
"""
import json
import os
import subprocess
import sys
import tempfile

goap, root = sys.argv[1], sys.argv[2]
timmy = os.path.join(root, "worlds", "timmy-ops.yaml")
soldier = os.path.join(root, "tests", "batch", "soldier", "world.yaml")
scenarios = os.path.join(root, "tests", "scenarios", "timmy-ops")
inst = os.path.join(root, "tests", "pddl", "instances")
with open(goap, "rb") as f:
    tsan = b"__tsan_init" in f.read()

env = dict(os.environ)
supp = os.environ.get("GOAP_TSAN_SUPP", os.path.join(root, "tools", "tsan.supp"))
env["TSAN_OPTIONS"] = ":".join([f"suppressions={supp}", "halt_on_error=1", "exitcode=66", "second_deadlock_stack=1",
                                "history_size=4"])
failures = []

# Many goals open at once: agents down, Gitea down, Ollama down, the heartbeat stale, orphans.
many_open = ["not agent_running(ezra)", "not agent_running(timmy)", "not gitea_healthy", "not repo_synced(timmy-config)",
             "not ollama_api_ok(hermes-vps)", "not ollama_running(hermes-vps)", "orphaned_children(allegro)"]


def run(args, expect_rc=0, stdin=None, timeout=600):
    p = subprocess.run([goap, *args], input=stdin, capture_output=True, text=True, env=env, timeout=timeout)
    what = "goap " + " ".join(os.path.relpath(a, root) if a.startswith(root) else a for a in args)
    if "ThreadSanitizer" in p.stderr or p.returncode == 66:
        failures.append(f"{what}: ThreadSanitizer report:\n{p.stderr[-6000:]}")
    elif p.returncode != expect_rc:
        failures.append(f"{what}: exit {p.returncode}, expected {expect_rc}: {p.stderr[-2000:]}")
    return p


sets = [a for s in many_open for a in ("--set", s)]
p = run(["next", timmy, "--threads", "2", *sets])
if p.returncode == 0:
    n = json.loads(p.stdout)
    if n.get("status") != "plan":
        failures.append(f"next: {p.stdout[:500]}")
p = run(["plan", timmy, "--threads", "2", "--json", *sets])
if p.returncode == 0:
    j = json.loads(p.stdout)
    open_goals = [g for g in j.get("goals", []) if g.get("status") in ("plan", "unsolvable", "limit")]
    if len(open_goals) < 3:
        failures.append(f"plan: expected several goals planned at once, got {[g.get('status') for g in j.get('goals', [])]}")
run(["plan", timmy, "--threads", "2", "--state", os.path.join(scenarios, "total-loss.yaml")])
run(["pddl", f"{inst}/blocks/domain.pddl", f"{inst}/blocks/probBLOCKS-4-0.pddl", "--threads", "2"])

# A batch: the same worlds from many requests at once (the shared cache), goals planned in
# parallel inside each request, PDDL beside them, and bad lines among them.
requests = []
for i in range(24):
    state = many_open[: (i % len(many_open)) + 1]
    requests.append({"id": f"timmy-{i}", "world": timmy, "state": state})
    if i % 4 == 0:
        requests.append({"id": f"soldier-{i}", "world": soldier})
    if i % 6 == 0:
        requests.append({"id": f"blocks-{i}", "domain": f"{inst}/blocks/domain.pddl",
                         "problem": f"{inst}/blocks/probBLOCKS-4-0.pddl"})
text = "".join(json.dumps(r) + "\n" for r in requests) + "not json\n"
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
    f.write(text)
    batch_file = f.name
try:
    p = run(["batch", "--threads", "2", batch_file])
finally:
    os.unlink(batch_file)
if p.returncode == 0:
    answers = [json.loads(l) for l in p.stdout.splitlines()]
    if [a["id"] for a in answers] != [r["id"] for r in requests] + [len(requests) + 1]:
        failures.append(f"batch: answers out of order or missing: {[a['id'] for a in answers]}")
    elif any(a["status"] == "error" for a in answers[:-1]) or answers[-1]["status"] != "error":
        failures.append(f"batch: unexpected statuses: {[a['status'] for a in answers]}")

# `sense` reads sensors on a pool of threads (exec/sensing.h), each invoke forking its own
# children: eight real `command` sensors, one of which fails, four at a time.
with tempfile.TemporaryDirectory() as d:
    names = [f"h{i}" for i in range(8)]
    with open(os.path.join(d, "w.yaml"), "w") as f:
        f.write("kind: world\nname: s\ntypes: {host: {}}\nobjects: {" + ", ".join(f"{n}: {{type: host}}" for n in names) +
                "}\nfacts: {ok(host): bool}\n")
    with open(os.path.join(d, "w.sensors.yaml"), "w") as f:
        f.write("kind: sensors\nsensors:\n  ok($h): {plugin: command, with: {argv: [sh, -c, 'sleep 0.1; test $$0 != h3', '${h}']}}\n")
    p = run(["sense", os.path.join(d, "w.yaml"), "--json", "--sense-jobs", "4"])
    if p.returncode == 0:
        got = [(r["fact"], r["value"]) for r in json.loads(p.stdout)["readings"]]
        want = [(f"ok({n})", "false" if n == "h3" else "true") for n in names]
        if got != want:
            failures.append(f"sense: {got}")

if failures:
    print("\n\n".join(failures))
    sys.exit(1)
print(f"threaded paths: next, plan, pddl, batch and sense at --threads 2 {'clean under ThreadSanitizer' if tsan else 'answered (no TSan in this build)'}")
