#!/usr/bin/env python3
"""Memory across runs, end to end: separate `goap run` invocations (as a cron job or a timer would
start them) share one journal. A stand-in service (a real HTTP server on 127.0.0.1) keeps dying;
the command plugin restarts it and the http-probe plugin senses it.
  - budgets: 6 runs carry out the restart at most budget.max times in the window, and the runs
    after that say the budget is used up and until when, and the operator is told once (the
    world's `escalate:` action, cause budget), not on every tick; `goap history` shows the budget;
  - durations: an action that asks `not up($s) for 2s` is not taken by the run that first sees
    the service down, and is taken by a later run once the journal's readings show 2 s.
usage: test_memory.py GOAP"""
import calendar
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plugins"))
from goaptest import PYTHON, check, free_port, main  # noqa: E402

GOAP = os.path.abspath(sys.argv[1])

# Appends one line to a log, then starts the service: the log counts the restarts carried out.
RESTART = """import subprocess, sys
with open(sys.argv[1], "a") as f:
    f.write("restart\\n")
subprocess.run(sys.argv[2:], check=True)
"""


# The escalation: one line per call in escalations.log (goal, cause, reason).
NOTIFY = """import sys
with open(sys.argv[1], "a") as f:
    f.write("\\t".join(sys.argv[2:]).replace("\\n", " ") + "\\n")
"""


def world(env, port, budget="", pre="not up($s)", extra_action=""):
    env.write("restart.py", RESTART)
    env.write("notify.py", NOTIFY)
    start = env.service_argv("start", port, "svc.pid", ["/health=200:ok"])
    env.write("svc.yaml", f"""kind: world
name: svc
escalate: notify-operator
types: {{service: {{}}}}
objects:
  web: {{type: service, port: "{port}"}}
facts:
  up(service): bool
actions:
  restart-svc:
    params: {{s: service}}
    pre: [{pre}]
    eff: [up($s)]
    {budget}
    run:
      plugin: command
      with:
        argv: {json.dumps([PYTHON, env.path("restart.py"), env.path("restarts.log")] + json.loads(start))}
        timeout: 10s
  notify-operator:
    run:
      plugin: command
      with:
        argv: {json.dumps([PYTHON, env.path("notify.py"), env.path("escalations.log")])[:-1]}, "${{goap.goal}}", "${{goap.cause}}", "${{goap.reason}}"]
        timeout: 10s
goals:
  service-up: {{priority: 10, want: [up(web)]}}
""")
    env.write("svc.sensors.yaml", """kind: sensors
sensors:
  up($s): {plugin: http-probe, with: {url: "http://127.0.0.1:${s.port}/health", timeout: 1s}}
""")


def restarts(env):
    return env.read("restarts.log").count("restart") if os.path.exists(env.path("restarts.log")) else 0


def kill_service(env):
    env.service("stop", 0, "svc.pid")


def test_budget_counts_restarts_across_six_runs(env):
    port = free_port()
    world(env, port, budget="budget: {max: 3, per: 1h}")
    outputs = []
    for tick in range(1, 7):
        kill_service(env)  # the service keeps dying between ticks
        r = env.goap_run("run", "svc.yaml", rc=None)
        outputs.append(r.stdout)
        if tick <= 3:
            check(r.returncode == 0 and "verified: up(web)" in r.stdout, f"tick {tick} restarts the service", r.stdout, r.stderr)
            check(restarts(env) == tick, f"tick {tick}: {tick} restarts so far", r.stdout)
        else:
            check(r.returncode == 20, f"tick {tick}: no plan, exit 20", r.stdout, r.stderr)
            m = re.search(r"restart-svc\(web\): budget 3 per 1h used up until (\d\d:\d\d:\d\dZ)", r.stdout)
            check(m is not None, f"tick {tick} says the budget is used up and until when", r.stdout)
            check(restarts(env) == 3, f"tick {tick} restarts nothing", r.stdout)
    # Ticks 4-6 are stuck on the budget: the operator is told once (cause budget), not every tick.
    notes = env.read("escalations.log").splitlines() if os.path.exists(env.path("escalations.log")) else []
    check(len(notes) == 1, "escalated exactly once over ticks 4-6", "\n".join(notes))
    if notes:
        goal, cause, reason = (notes[0].split("\t") + ["", "", ""])[:3]
        check(goal == "service-up" and cause == "budget" and "restart-svc(web): budget 3 per 1h used up until" in reason,
              "the escalation names the goal, the cause and the budget", notes[0])
    # The budget frees when the first restart leaves the window: one hour after it started.
    first = json.loads(env.goap_run("history", "1", "--json").stdout)["steps"][0]["started"]
    until = re.search(r"until (\d\d:\d\d:\d\dZ)", outputs[5]).group(1)
    t = calendar.timegm(time.strptime(first[:19], "%Y-%m-%dT%H:%M:%S"))
    check(until == time.strftime("%H:%M:%SZ", time.gmtime(t + 3600)), "until = first restart + 1h", first, until)
    # history shows the budget, as text and as JSON.
    h = env.goap_run("history")
    check(re.search(r"restart-svc\(web\)\s+3/3 per 1h", h.stdout) is not None, "history shows 3/3", h.stdout)
    doc = json.loads(env.goap_run("history", "--json").stdout)
    b = [x for x in doc["budgets"] if x["action"] == "restart-svc(web)"]
    check(len(b) == 1 and b[0]["used"] == 3 and b[0]["max"] == 3 and b[0]["per"] == "1h" and b[0]["exhausted"],
          "history --json has the budget", json.dumps(doc["budgets"]))


def test_a_duration_needs_readings_from_earlier_runs(env):
    port = free_port()
    world(env, port, pre="not up($s) for 2s")
    r = env.goap_run("run", "svc.yaml", rc=20)
    check(restarts(env) == 0 and "no recovery plan" in r.stdout, "the first run sees it down, not for 2 s", r.stdout)
    time.sleep(2.2)  # the one real wait: a duration is wall-clock time between two runs
    r = env.goap_run("run", "svc.yaml", rc=0)
    check(restarts(env) == 1 and "verified: up(web)" in r.stdout, "down for 2 s by the journal: restarted", r.stdout)
    # It came back: a new outage starts a new duration.
    kill_service(env)
    r = env.goap_run("run", "svc.yaml", rc=20)
    check(restarts(env) == 1, "a fresh outage has no evidence yet", r.stdout)


if __name__ == "__main__":
    sys.exit(main([test_budget_counts_restarts_across_six_runs, test_a_duration_needs_readings_from_earlier_runs], GOAP))
