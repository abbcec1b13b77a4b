#!/usr/bin/env python3
"""goap run left alone, end to end with the real command plugin and real processes:
one run of a world at a time (20 at once: one acts, 19 exit 23; a kill -9'd holder's lock is
taken over), --watch (SIGTERM finishes the step and exits 0; SIGHUP reloads the world, and a
reload that fails keeps the old one), and the audit trail (each attempt's output in the journal,
history --format md).
usage: test_unattended.py GOAP"""
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plugins"))
from goaptest import PYTHON, check, main  # noqa: E402

GOAP = os.path.abspath(sys.argv[1])

# The action appends its tag to `log`, prints something, waits until `release` exists (so a test
# decides when the step ends, instead of guessing with sleeps), then creates `marker`. The
# sensor reads `marker`: a world that is done stays done.
SCRIPT = ("import os,sys,time; open(sys.argv[1],'a').write(sys.argv[2]+'\\\\n'); "
          "print('working on', sys.argv[2], flush=True); "
          "[time.sleep(0.02) for _ in range(3000) if not os.path.exists(sys.argv[3])]; "
          "open(sys.argv[4],'w').close(); print('finished', sys.argv[2])")


def world(env, tag="v1", broken=False):
    log, release, marker = env.path("log"), env.path("release"), env.path("marker")
    env.write("w.yaml", f"""kind: world
name: w
facts: {{fixed: bool}}
actions:
  fix:
    eff: [fixed]
    run: {{plugin: command, with: {{argv: ["{PYTHON}", "-c", "{SCRIPT}", "{log}", "{tag}", "{release}", "{marker}"], timeout: 120s}}}}
goals:
  g: {{priority: 1, want: [fixed]}}
""" + ("  oops: [\n" if broken else ""))
    env.write("w.sensors.yaml", f"""kind: sensors
sensors:
  fixed: {{plugin: command, with: {{argv: [test, -f, "{marker}"]}}}}
""")
    return log, release, marker


def start(env, *args, out=None):
    p = subprocess.Popen([GOAP, "run", env.path("w.yaml")] + list(args), env=env.env, cwd=env.dir,
                         stdout=out or subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    env.popen.append(p)
    return p


def wait_for(cond, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def lines(path):
    return open(path).read().splitlines() if os.path.exists(path) else []


def test_twenty_overlapping_runs_act_once_and_the_others_exit_23(env):
    log, release, marker = world(env)
    procs = [start(env) for _ in range(20)]
    # The 19 that lose exit at once, while the holder's step waits for `release`.
    check(wait_for(lambda: sum(p.poll() is not None for p in procs) >= 19), "19 runs ended while one held the lock")
    losers = [p for p in procs if p.poll() is not None]
    holders = [p for p in procs if p.poll() is None]
    check(len(holders) == 1, f"exactly one run holds the world: {len(holders)}")
    holder = holders[0]
    for p in losers:
        out, err = p.communicate()
        check(p.returncode == 23, f"exit {p.returncode}, wanted 23", out, err)
        check(re.search(rf"another goap run holds {re.escape(env.path('w.yaml'))} \(pid {holder.pid}, started "
                        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z; lock ", err), "names the holder's pid and start time", err)
        check(out == "", "a refused run prints no progress", out)
    open(release, "w").close()
    out, err = holder.communicate(timeout=60)
    check(holder.returncode == 0 and "verified: fixed" in out, "the holder finished", out, err)
    check(lines(log) == ["v1"], "the action ran exactly once", lines(log))
    runs = json.loads(env.goap_run("history", "--json").stdout)["runs"]
    check(len(runs) == 1, "one run journaled", runs)
    # The world is done and stays done: a later run senses that and does nothing.
    env.goap_run("run", "w.yaml")
    check(lines(log) == ["v1"], "a later run does not act again", lines(log))


def step_processes(release):
    """Pids of processes whose command line names `release` (the step's command)."""
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    if release.encode() in f.read():
                        pids.append(int(d))
            except OSError:
                pass
    return pids


def test_the_lock_of_a_kill_9_holder_is_taken_over(env):
    log, release, marker = world(env)
    holder = start(env)
    check(wait_for(lambda: lines(log) == ["v1"]), "the holder's step started")
    r = env.goap_run("run", "w.yaml", rc=23)
    check(f"(pid {holder.pid}, started" in r.stderr, "refused while the holder lives", r.stderr)
    os.kill(holder.pid, signal.SIGKILL)  # goap only: its step's supervisor outlives it for a moment
    holder.wait()
    # The supervisor kills the step once goap is gone; release the step only after that, or the
    # dying step could still finish the work and leave the next run nothing to do.
    check(wait_for(lambda: not step_processes(release)), "the killed run's step is gone")
    open(release, "w").close()
    r = env.goap_run("run", "w.yaml")
    check("another goap run" not in r.stderr and "verified: fixed" in r.stdout, "the next run took the lock over",
          r.stdout, r.stderr)
    runs = json.loads(env.goap_run("history", "--json").stdout)["runs"]
    check([x["status"] for x in runs] == ["done", "aborted"], "the killed run is superseded", runs)


def test_dry_runs_take_no_lock(env):
    log, release, marker = world(env)
    holder = start(env)
    check(wait_for(lambda: lines(log) == ["v1"]), "the holder's step started")
    r = env.goap_run("run", "w.yaml", "--dry-run")
    check("dry run: nothing was executed" in r.stdout, "a dry run works beside a run", r.stdout, r.stderr)
    open(release, "w").close()
    holder.communicate(timeout=60)
    check(holder.returncode == 0, "holder done")


def journal_rows(env, sql):
    db = sqlite3.connect(env.journal)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def test_watch_sigterm_finishes_the_step_then_exits_0(env):
    log, release, marker = world(env)
    p = start(env, "--watch", "--interval", "200ms")
    check(wait_for(lambda: lines(log) == ["v1"]), "the watcher's step started")
    p.send_signal(signal.SIGTERM)
    check(not wait_for(lambda: p.poll() is not None, 0.5), "goap waits for the step instead of dying")
    open(release, "w").close()
    out, err = p.communicate(timeout=60)
    check(p.returncode == 0, f"exit {p.returncode}", out, err)
    check("verified: fixed" in out and "stopping: asked to stop" in out, "the step finished, then goap stopped", out)
    check(journal_rows(env, "SELECT action, status FROM steps") == [("fix", "done")], "the step is journaled done",
          journal_rows(env, "SELECT * FROM steps"))
    check(journal_rows(env, "SELECT status FROM runs") == [("stopped",)], "the run says it was stopped")
    # A second watcher of the same world would be refused while one runs; this one is gone:
    env.goap_run("run", "w.yaml")


def test_watch_sighup_reloads_the_world(env):
    log, release, marker = world(env)
    open(release, "w").close()
    out_path = env.path("watch.out")
    with open(out_path, "w") as out:
        p = start(env, "--watch", "--interval", "200ms", out=out)
    try:
        check(wait_for(lambda: lines(log) == ["v1"] and os.path.exists(marker)), "first iteration fixed the world")
        check(wait_for(lambda: open(out_path).read().count("all relevant goals hold") >= 2), "later iterations do nothing",
              open(out_path).read())
        # The world changes: the action's tag is now v2.
        world(env, tag="v2")
        p.send_signal(signal.SIGHUP)
        check(wait_for(lambda: "watch: reloaded" in open(out_path).read()), "reloaded", open(out_path).read())
        os.unlink(marker)  # break it again: the reloaded world fixes it
        check(wait_for(lambda: lines(log) == ["v1", "v2"]), "the changed world is used", lines(log))
        # A world that no longer loads: the old one stays, the error names file:line.
        world(env, tag="v3", broken=True)
        p.send_signal(signal.SIGHUP)
        check(wait_for(lambda: "reload of" in open(out_path).read()), "the failed reload is said", open(out_path).read())
        check(wait_for(lambda: os.path.exists(marker)), "still fixed")
        os.unlink(marker)
        check(wait_for(lambda: lines(log) == ["v1", "v2", "v2"]), "the old world kept working", lines(log))
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    check(p.returncode == 0, f"exit {p.returncode}", err)
    check(re.search(re.escape(env.path("w.yaml")) + r":\d+:\d+: error", err), "the reload error has file:line:col", err)
    statuses = [r[0] for r in journal_rows(env, "SELECT status FROM runs ORDER BY id")]
    check(len(statuses) >= 4 and statuses.count("done") >= 3 and statuses[-1] in ("stopped", "done"),
          "one run per iteration", statuses)


def test_attempt_output_is_journaled_and_history_md_tells_the_story(env):
    log, release, marker = world(env)
    open(release, "w").close()
    env.goap_run("run", "w.yaml")
    doc = json.loads(env.goap_run("history", "1", "--json").stdout)
    outputs = doc["steps"][0]["outputs"]
    check(len(outputs) == 1 and outputs[0]["outcome"] == "ok", "one attempt", outputs)
    check("working on v1" in outputs[0]["output"] and "finished v1" in outputs[0]["output"],
          "what the command printed, kept on success", outputs)
    md = env.goap_run("history", "1", "--format", "md").stdout
    for want in ("# Run 1 of w", "## Degraded", "Relevant goals unmet: g (plan)", "Decided: goal **g**, plan: fix",
                 "step 1, `fix` (goal g)", "Attempt 1: ok", "working on v1", "Result: **done**: verified: fixed",
                 "Every relevant goal held again at", "**Degraded for ", "## Approvals",
                 "No step of this run needed an approval", "  - not fixed"):
        check(want in md, "md has: " + want, md)
    # The command's output is a fenced block, and the command itself is shown.
    check(re.search(r"```\n.*-c .*w.yaml|```\n.*python", md) or "Commands:" in md, "commands shown", md)
    env.goap_run("history", "--format", "md", rc=2)


def test_attempt_output_keeps_the_last_64_kib(env):
    big = env.path("big.py")
    env.write("big.py", "import sys\nfor i in range(20000): print('line %06d' % i)\nsys.exit(1)\n")
    env.write("b.yaml", f"""kind: world
name: b
facts: {{ok: bool}}
actions:
  noisy: {{eff: [ok], run: {{plugin: command, with: {{argv: ["{PYTHON}", "{big}"]}}}}}}
goals:
  g: {{priority: 1, want: [ok]}}
""")
    env.goap_run("run", "b.yaml", "--retries", "1", "--backoff-ms", "1", rc=20)
    doc = json.loads(env.goap_run("history", "1", "--json").stdout)
    outputs = [o for s in doc["steps"] for o in s["outputs"]]
    check(len(outputs) == 4 and all(o["outcome"] == "failed" for o in outputs), "each attempt kept", outputs)
    for o in outputs:
        out = o["output"].encode()
        check(len(out) <= 64 * 1024 + 100, f"bounded: {len(out)} bytes")
        check("line 019999" in o["output"] and "line 000000" not in o["output"] and "bytes dropped" in o["output"],
              "the last part, with a note of what was dropped", o["output"][:300])


if __name__ == "__main__":
    sys.exit(main([test_twenty_overlapping_runs_act_once_and_the_others_exit_23,
                   test_the_lock_of_a_kill_9_holder_is_taken_over, test_dry_runs_take_no_lock,
                   test_watch_sigterm_finishes_the_step_then_exits_0, test_watch_sighup_reloads_the_world,
                   test_attempt_output_is_journaled_and_history_md_tells_the_story,
                   test_attempt_output_keeps_the_last_64_kib], GOAP))
