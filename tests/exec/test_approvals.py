#!/usr/bin/env python3
"""Approvals for a whole plan, end to end with the real `command` plugin: a plan whose second
step needs approval runs nothing before approval while a lower-priority goal completes; the
inbox (goap approvals / approve / decline); an approved plan is carried out by the next run; a
declined step is planned around; a request expires; an approval is void once the world changes.
usage: test_approvals.py GOAP"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plugins"))
from goaptest import PYTHON, check, main  # noqa: E402

GOAP = os.path.abspath(sys.argv[1])
WRITE = "import sys; open(sys.argv[1], 'a').write(sys.argv[2] + chr(10)); open(sys.argv[3], 'w')"


def world(env):
    """fence then promote (approval: true) for `promoted`; promote-slowly is the way around;
    warm-cache is a lower-priority goal that needs no approval. Every step appends to log."""
    log = env.path("log")

    def act(name, marker):
        return f'{{plugin: command, with: {{argv: ["{PYTHON}", "-c", "{WRITE}", "{log}", "{name}", "${{b.dir}}/{marker}"]}}}}'
    env.write("ha.yaml", f"""kind: world
name: ha
types: {{box: {{}}}}
objects:
  db: {{type: box, dir: "{env.path()}"}}
facts:
  fenced(box): bool
  promoted(box): bool
  warm(box): bool
actions:
  fence:
    params: {{b: box}}
    eff: [fenced($b)]
    run: {act("fence", "fenced")}
  promote:
    params: {{b: box}}
    pre: [fenced($b)]
    eff: [promoted($b)]
    approval: true
    run: {act("promote", "promoted")}
  promote-slowly:
    params: {{b: box}}
    eff: [promoted($b)]
    cost: 9
    run: {act("promote-slowly", "promoted")}
  warm-cache:
    params: {{b: box}}
    eff: [warm($b)]
    run: {act("warm", "warm")}
goals:
  promoted: {{priority: 90, forall: {{b: box}}, want: [promoted($b)]}}
  caches-warm: {{priority: 10, forall: {{b: box}}, want: [warm($b)]}}
""")
    env.write("ha.sensors.yaml", """kind: sensors
sensors:
  fenced($b): {plugin: command, with: {argv: [test, -f, "${b.dir}/fenced"]}}
  promoted($b): {plugin: command, with: {argv: [test, -f, "${b.dir}/promoted"]}}
  warm($b): {plugin: command, with: {argv: [test, -f, "${b.dir}/warm"]}}
""")
    return log


def steps_run(env):
    return env.read("log").split() if os.path.exists(env.path("log")) else []


def inbox(env):
    return json.loads(env.goap_run("approvals", "ha.yaml", "--json").stdout)["approvals"]


def first_run_waits(env, *args):
    """The first run: the lower-priority goal completes, nothing of the gated plan runs, exit 21."""
    r = env.goap_run("run", "ha.yaml", *args, rc=21)
    check(steps_run(env) == ["warm"], "only the goal without approval was worked", r.stdout, steps_run(env))
    reqs = inbox(env)
    check(len(reqs) == 1 and reqs[0]["status"] == "pending" and reqs[0]["goal"] == "promoted", "one pending request", reqs)
    rid = reqs[0]["id"]
    check(f"goap approve {rid} --by NAME" in r.stdout, "the run says how to approve", r.stdout)
    return rid, reqs[0]


def test_nothing_runs_before_approval_then_the_next_run_carries_out_the_plan(env):
    world(env)
    rid, req = first_run_waits(env)
    plan = req["plan"]
    check([s["step"] for s in plan] == ["fence(db)", "promote(db)"] and [s["approval"] for s in plan] == [False, True],
          "the whole plan, with the step that needs approval", req)
    check(any("fence" in c and env.path("fenced") in c for c in plan[0]["commands"]), "the exact commands", req)
    text = env.goap_run("approvals", "ha.yaml").stdout
    check(rid in text and "pending" in text and "$ " in text and f"goap approve {rid} --by NAME" in text, "text inbox", text)
    # A timer tick before anyone decided: the same request, not a second one.
    env.goap_run("run", "ha.yaml", rc=21)
    check(len(inbox(env)) == 1 and steps_run(env) == ["warm"], "not filed twice, nothing ran", inbox(env))
    r = env.goap_run("approve", rid, "--by", "alice")
    check("approved by alice" in r.stdout, "approve says so", r.stdout)
    r = env.goap_run("run", "ha.yaml")
    check(steps_run(env) == ["warm", "fence", "promote"], "the approved plan, in order", r.stdout, steps_run(env))
    check("approved by alice" in r.stdout, "the run names who approved", r.stdout)
    req = inbox(env)[0]
    check(req["status"] == "used" and req["decided_by"] == "alice" and req["decided_at"], "the inbox records it", req)
    # The post-incident timeline of that run says who approved what, and when.
    run_id = re.search(r"^run (\d+):", r.stdout, re.M)
    md = env.goap_run("history", run_id.group(1), "--format", "md").stdout if run_id else ""
    check(f"Request {rid} (goal promoted): used" in md and "decided by alice at" in md, "history --format md: the approval",
          md[-2000:])
    r = env.goap_run("decline", rid, "--by", "bob", rc=3)
    check("already approved by alice" in r.stderr, "decided once", r.stderr)
    env.goap_run("approve", "a0000000", "--by", "alice", rc=2)


def test_declined_step_is_planned_around(env):
    world(env)
    rid, _ = first_run_waits(env)
    env.goap_run("decline", rid, "--by", "bob", "--reason", "not in business hours")
    r = env.goap_run("run", "ha.yaml")
    check("declined by bob" in r.stdout and steps_run(env) == ["warm", "promote-slowly"], "planned around", r.stdout,
          steps_run(env))
    req = inbox(env)[0]
    check(req["status"] == "declined" and req["reason"] == "not in business hours", "the decline is kept", req)


def test_request_expires(env):
    world(env)
    rid, _ = first_run_waits(env, "--approval-ttl", "1s")
    time.sleep(1.2)
    check(inbox(env)[0]["status"] == "expired", "shown as expired", inbox(env))
    r = env.goap_run("approve", rid, "--by", "alice", rc=3)
    check("expired" in r.stderr, "an expired request cannot be approved", r.stderr)
    env.goap_run("run", "ha.yaml", "--approval-ttl", "1s", rc=21)
    reqs = inbox(env)
    check(len(reqs) == 2 and reqs[0]["status"] == "pending" and reqs[0]["id"] != rid, "a new request", reqs)
    check(steps_run(env) == ["warm"], "still nothing of the plan ran", steps_run(env))
    env.goap_run("run", "ha.yaml", "--approval-ttl", "soon", rc=2)


def test_approval_is_void_once_the_world_changes(env):
    world(env)
    rid, _ = first_run_waits(env)
    env.goap_run("approve", rid, "--by", "alice")
    env.write("ha.yaml", env.read("ha.yaml") + "# edited after the approval\n")
    req = inbox(env)[0]
    check(req["status"] == "void" and "files changed" in req["void_because"], "void, and why", req)
    r = env.goap_run("run", "ha.yaml", rc=21)
    check(steps_run(env) == ["warm"], "a void approval is never used", r.stdout, steps_run(env))
    check(len(inbox(env)) == 2, "a new request for the changed world", inbox(env))


def test_next_and_plan_show_approval_effects_and_commands(env):
    world(env)
    nxt = json.loads(env.goap_run("next", "ha.yaml", "--commands").stdout)
    plan = nxt["plan"]
    check([s["approval"] for s in plan] == [False, True] and plan[1]["effects"] == ["promoted(db)"], "per step", nxt)
    check(env.path("fenced") in plan[0]["command"] and nxt["next"]["command"] == plan[0]["command"], "commands", nxt)
    p = json.loads(env.goap_run("plan", "ha.yaml", "--json").stdout)
    check(p["plan"][1]["approval"] is True and p["plan"][1]["command"] is None, "without --commands: null", p)
    b = json.loads(env.goap_run("batch", input=json.dumps({"world": "ha.yaml"}) + "\n").stdout)
    check(b["plan"] == ["fence(db)", "promote(db)"] and [s["approval"] for s in b["steps"]] == [False, True]
          and b["steps"][0]["effects"] == ["fenced(db)"] and b["steps"][0]["command"] is None, "batch steps", b)
    check(not os.path.exists(env.path("log")), "describing ran nothing")


if __name__ == "__main__":
    sys.exit(main([test_nothing_runs_before_approval_then_the_next_run_carries_out_the_plan,
                   test_declined_step_is_planned_around, test_request_expires,
                   test_approval_is_void_once_the_world_changes, test_next_and_plan_show_approval_effects_and_commands],
                  GOAP))
