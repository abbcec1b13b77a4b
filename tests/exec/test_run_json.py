#!/usr/bin/env python3
"""`goap run --json`, `goap sense --json` and `goap validate --json` end to end, with real plugins
and processes on this machine:
  - every line `run --json` prints on stdout is one complete JSON object with a `type` and a
    `time`, and nothing else reaches stdout;
  - each kind of event appears where the human text says the same thing: run started, sensed,
    sensor failed, planned, step started / attempt / retrying / step finished (with the effects
    checked by sensing), given up, escalating / escalated, goal waits for approval, waiting for
    approval, approved, budget exhausted, no recovery plan, done, dry run, stopping, nothing to
    resume, the watch loop's sleep and stop, and run ended with its status and exit code;
  - with WORK_DIR, every line is valid under schemas/run-events.schema.json (ajv-cli, strict
    draft-07, as tests/schema does; tools/schema/setup.sh installs it there);
  - `sense --json` and `validate --json` print one document each.
usage: test_run_json.py GOAP SOURCE_ROOT [WORK_DIR]"""
import json
import os
import re
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plugins"))
from goaptest import PYTHON, check, main  # noqa: E402

GOAP = os.path.abspath(sys.argv[1])
ROOT = os.path.abspath(sys.argv[2])
WORK = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else ""
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
SEEN = []  # every event line of every run, for the schema check at the end

# Fails on its first call, succeeds on the next (a counter file): a retry.
FLAKY = """import sys
n = open(sys.argv[1]).read().count("x") if __import__("os").path.exists(sys.argv[1]) else 0
open(sys.argv[1], "a").write("x")
if n == 0:
    sys.exit(1)
open(sys.argv[2], "w").close()
"""
NOTIFY = """import sys
open(sys.argv[1], "a").write(" ".join(sys.argv[2:]) + "\\n")
"""


def world(env):
    env.write("flaky.py", FLAKY)
    env.write("notify.py", NOTIFY)
    a, b, g = env.path("a"), env.path("b"), env.path("g")
    env.write("w.yaml", f"""kind: world
name: j
escalate: notify
facts: {{a_done: bool, b_done: bool, gated_done: bool, weird: bool}}
actions:
  make-a:
    eff: [a_done]
    run: {{plugin: command, with: {{argv: ["{PYTHON}", "{env.path('flaky.py')}", "{env.path('calls')}", "{a}"]}}}}
  make-b:
    eff: [b_done]
    budget: {{max: 2, per: 1h}}
    run: {{plugin: command, with: {{argv: ["true"]}}}}
  make-g:
    approval: true
    eff: [gated_done]
    run: {{plugin: command, with: {{argv: [touch, "{g}"]}}}}
  notify:
    run: {{plugin: command, with: {{argv: ["{PYTHON}", "{env.path('notify.py')}", "{env.path('notified')}", "${{goap.goal}}", "${{goap.cause}}"]}}}}
goals:
  a: {{priority: 30, want: [a_done]}}
  b: {{priority: 20, want: [b_done]}}
  g: {{priority: 10, want: [gated_done]}}
""")
    env.write("w.sensors.yaml", f"""kind: sensors
sensors:
  a_done: {{plugin: command, with: {{argv: [test, -f, "{a}"]}}}}
  b_done: {{plugin: command, with: {{argv: [test, -f, "{b}"]}}}}
  gated_done: {{plugin: command, with: {{argv: [test, -f, "{g}"]}}}}
  weird: {{plugin: command, with: {{argv: [echo, maybe], report: output}}}}
""")


def events(r):
    """The JSON lines of a run: each parses, is an object with a type and a time, one a line."""
    out = []
    for n, line in enumerate(r.stdout.splitlines(), 1):
        try:
            e = json.loads(line)
        except ValueError:
            raise AssertionError(f"stdout line {n} is not JSON: {line!r}\n--- stdout\n{r.stdout}")
        check(isinstance(e, dict) and isinstance(e.get("type"), str) and TIME.match(e.get("time", "")),
              f"line {n}: an object with a type and a time", line)
        out.append(e)
    check(r.stdout.endswith("\n") or not r.stdout, "every line ends", r.stdout)
    SEEN.extend(r.stdout.splitlines())
    return out


def of(evs, kind):
    return [e for e in evs if e["type"] == kind]


def ended(evs, status, code):
    last = evs[-1]
    check(last["type"] == "run_ended" and last["status"] == status and last["exit_code"] == code,
          f"ends with run_ended {status} {code}", json.dumps(evs, indent=1))
    check(len(of(evs, "run_ended")) == 1, "one run_ended", evs)


def test_a_run_tells_each_step_as_json(env):
    world(env)
    r = env.goap_run("run", "w.yaml", "--json", "--retries", "1", "--backoff-ms", "10", "--verify-ms", "0", rc=21)
    evs = events(r)
    check(evs[0]["type"] == "run_started" and evs[0]["run_id"] == 1 and evs[0]["world"] == "j"
          and evs[0]["journal"] == env.journal and evs[0]["resumed"] is False, "run started", evs[0])
    sensed = of(evs, "sensed")
    check(sensed[0]["after_step"] is False and sensed[0]["facts"] == 3 and sensed[0]["failed"] == 1
          and sensed[0]["values"] == {"a_done": "false", "b_done": "false", "gated_done": "false"}, "sensed", sensed[0])
    check(any(e["fact"] == "weird" and e["plugin"] == "command" and e["error"] for e in of(evs, "sensor_failed")),
          "sensor failed", evs)
    planned = of(evs, "planned")
    check(planned[0]["goal"] == "a" and planned[0]["dry_run"] is False
          and planned[0]["steps"] == [{"step": "make-a", "action": "make-a", "needs_approval": False}], "planned", planned)
    started = of(evs, "step_started")
    check(started[0]["seq"] == 1 and started[0]["step"] == "make-a" and started[0]["goal"] == "a"
          and "flaky.py" in started[0]["commands"][0], "step started with its command", started)
    attempts = [e for e in of(evs, "attempt") if e["step"] == "make-a"]
    check([(e["attempt"], e["outcome"]) for e in attempts] == [(1, "failed"), (2, "ok")], "attempts", attempts)
    retry = of(evs, "retrying")
    check(retry and retry[0]["attempt"] == 2 and retry[0]["wait_ms"] == 10, "retrying", retry)
    finished = of(evs, "step_finished")
    check(finished[0]["step"] == "make-a" and finished[0]["status"] == "done" and finished[0]["attempts"] == 2
          and finished[0]["effects"] == ["a_done"] and finished[0]["verified"] == ["a_done"] and finished[0]["missing"] == [],
          "the step's effects checked by sensing", finished[0])
    missing = [e for e in finished if e["step"] == "make-b"]
    check(len(missing) == 2 and all(e["status"] == "effects-missing" and e["missing"] == ["b_done (sensed: not b_done)"]
                                    for e in missing), "effects missing, twice", missing)
    check(of(evs, "given_up")[0]["step"] == "make-b" and of(evs, "given_up")[0]["failures"] == 2, "given up", evs)
    esc = of(evs, "escalating")
    check(esc and esc[0]["goal"] == "b" and esc[0]["cause"] == "given-up" and esc[0]["action"] == "notify", "escalating", esc)
    check(of(evs, "escalated")[0]["status"] == "sent", "escalated", evs)
    check(env.read("notified") == "b given-up\n", "the escalation ran", env.read("notified"))
    waits = of(evs, "goal_waits_for_approval")
    check(waits and waits[0]["goal"] == "g" and waits[0]["filed"] is True and waits[0]["needs"] == ["make-g"]
          and waits[0]["actions"] == ["make-g"], "goal waits for approval", waits)
    req = of(evs, "waiting_for_approval")[0]["requests"]
    check(req[0]["goal"] == "g" and req[0]["request"] == waits[0]["request"]
          and req[0]["approve"].startswith("goap approve " + req[0]["request"]), "waiting for approval", req)
    ended(evs, "needs-approval", 21)
    check(evs[-1]["steps"] == 3 and evs[-1]["failed_steps"] == 2 and evs[-1]["waiting"] == [req[0]["request"]],
          "run ended", evs[-1])
    for e in evs:
        check("message" not in e or (e["message"] and not e["message"].startswith(" ")), "message: the human text", e)

    # The human text says the same (the default is unchanged).
    human = [e["message"] for e in evs if "message" in e]
    check(any(m.startswith("step 1: make-a (goal 'a')") for m in human) and "sensed 3 facts, 1 sensor failed" in human,
          "messages are the human lines", human)

    # Approved in the inbox: the next run says by whom; the budget of make-b is used up.
    env.goap_run("approve", req[0]["request"], "--by", "ops")
    r = env.goap_run("run", "w.yaml", "--json", "--verify-ms", "0", rc=20)
    evs = events(r)
    check(of(evs, "approved") == [] or of(evs, "approved")[0]["by"] == "ops", "approved", evs)
    check(of(evs, "approved") and of(evs, "approved")[0]["request"] == req[0]["request"], "approved by the inbox", evs)
    budget = of(evs, "budget_exhausted")
    check(budget and budget[0]["action"] == "make-b" and budget[0]["used"] == 2 and budget[0]["max"] == 2
          and TIME.match(budget[0]["frees_at"]), "budget exhausted", budget)
    check([e["step"] for e in of(evs, "step_finished")] == ["make-g"], "only the approved step ran", evs)
    after = [e for e in of(evs, "sensed") if e["after_step"]]
    check(after and after[0]["values"]["gated_done"] == "true" and "message" not in after[0], "sensed after the step", after)
    nrp = of(evs, "no_recovery_plan")
    check(nrp and nrp[0]["goals"][0]["goal"] == "b" and nrp[0]["budgets_exhausted"] == ["make-b"], "no recovery plan", nrp)
    check(of(evs, "escalating")[0]["cause"] == "budget", "escalates for the budget", evs)
    ended(evs, "no-plan", 20)


def test_dry_run_done_stopping_and_resume(env):
    world(env)
    r = env.goap_run("run", "w.yaml", "--json", "--dry-run")
    evs = events(r)
    check(evs[0]["type"] == "run_started" and evs[0]["run_id"] is None and evs[0]["dry_run"] is True, "dry run start", evs)
    p = of(evs, "planned")[0]
    check(p["dry_run"] is True and p["steps"][0]["step"] == "make-a" and "flaky.py" in p["steps"][0]["commands"][0]
          and p["message"].startswith("dry run: goal 'a'"), "dry-run plan with commands", p)
    check(of(evs, "dry_run_done") and not os.path.exists(env.path("calls")), "nothing executed", evs)
    ended(evs, "dry-run", 0)

    evs = events(env.goap_run("run", "w.yaml", "--json", "--max-steps", "0", rc=22))
    s = of(evs, "stopping")
    check(s and s[0]["reason"] == "max_steps" and s[0]["next"] == "make-a", "stopping", s)
    ended(evs, "step-limit", 22)

    evs = events(env.goap_run("run", "w.yaml", "--json", "--resume", "--max-steps", "0", rc=22))
    check(evs[0]["type"] == "run_started" and evs[0]["resumed"] is True and evs[0]["run_id"] == 1, "resumed", evs[0])

    env.write("ok.yaml", "kind: world\nname: ok\nfacts: {fine: bool}\nstate: [fine]\ngoals:\n  fine: {priority: 1, want: [fine]}\n")
    evs = events(env.goap_run("run", "ok.yaml", "--json"))
    check(of(evs, "done") and of(evs, "done")[0]["steps"] == 0, "done", evs)
    ended(evs, "done", 0)
    evs = events(env.goap_run("run", "ok.yaml", "--json", "--resume"))
    check(of(evs, "nothing_to_resume") and of(evs, "nothing_to_resume")[0]["world"] == "ok", "nothing to resume", evs)
    ended(evs, "nothing-to-resume", 0)


def test_watch_tells_its_sleeps_and_its_stop(env):
    env.write("ok.yaml", "kind: world\nname: ok\nfacts: {fine: bool}\nstate: [fine]\ngoals:\n  fine: {priority: 1, want: [fine]}\n")
    p = subprocess.Popen([GOAP, "run", env.path("ok.yaml"), "--json", "--watch", "--interval", "50ms", "--watch-seed", "1"],
                         env=env.env, cwd=env.dir, stdout=subprocess.PIPE, text=True, start_new_session=True)
    env.popen.append(p)
    lines = []
    for line in p.stdout:
        lines.append(line)
        if sum('"type":"watch_sleep"' in x for x in lines) >= 2:
            break
    p.send_signal(signal.SIGTERM)
    rest, _ = p.communicate(timeout=30)
    check(p.returncode == 0, "a signal ends the watch with 0", p.returncode)

    class R:
        stdout = "".join(lines) + rest
    evs = events(R)
    sleeps = of(evs, "watch_sleep")
    check(len(sleeps) >= 2 and sleeps[0]["good"] is True and sleeps[0]["runs"] == 1, "watch sleeps", sleeps)
    check(len(of(evs, "run_ended")) >= 2 and all(e["status"] == "done" for e in of(evs, "run_ended")), "each run ends", evs)
    check(evs[-1]["type"] == "watch_stopped" and evs[-1]["runs"] >= 2, "watch stopped", evs[-1])


def test_sense_and_validate_print_one_document(env):
    world(env)
    r = env.goap_run("sense", "w.yaml", "--json")
    doc = json.loads(r.stdout)
    facts = {x["fact"]: x for x in doc["readings"]}
    check(facts["a_done"]["status"] == "sensed" and facts["a_done"]["value"] == "false"
          and facts["weird"]["status"] == "unknown" and doc["unknown"][0]["fact"] == "weird", "sense --json", doc)
    plan = env.goap_run("plan", "w.yaml", "--json", "--goal", "a").stdout
    env.write("plan.json", plan)
    doc = json.loads(env.goap_run("validate", "w.yaml", "plan.json", "--json").stdout)
    check(doc == {"format_version": 1, "valid": True, "steps": 1, "goal": "a", "cost": 1, "error": None}, "valid", doc)
    env.write("bad.json", plan.replace('"cost": 1', '"cost": 5', 1))
    doc = json.loads(env.goap_run("validate", "w.yaml", "bad.json", "--json", rc=10).stdout)
    check(doc["valid"] is False and "the plan says cost 5" in doc["error"], "invalid", doc)
    env.write("b.json", json.dumps({"plan": [{"action": "make-b"}]}))
    doc = json.loads(env.goap_run("validate", "w.yaml", "b.json", "--json", "--goal", "a", rc=10).stdout)
    check(doc["valid"] is False and doc["goal"] == "a" and "goal 'a' is not met" in doc["error"], "goal not met", doc)


def test_every_line_is_valid_under_the_schema(env):
    check(SEEN, "the tests above ran")
    if not WORK:
        print("(no WORK_DIR: the schema check is left to tests/schema)")
        return
    setup = subprocess.run(["bash", os.path.join(ROOT, "tools", "schema", "setup.sh"), WORK], capture_output=True, text=True)
    check(setup.returncode == 0, "tools/schema/setup.sh", setup.stdout, setup.stderr)
    schema = os.path.join(ROOT, "schemas", "run-events.schema.json")
    kinds = sorted({json.loads(x)["type"] for x in SEEN})
    os.makedirs(env.path("events"))
    for n, line in enumerate(SEEN):
        env.write(f"events/e{n:04}.json", line)
    ajv = [os.path.join(WORK, "node_modules", ".bin", "ajv"), "validate", "-s", schema, "--spec=draft7", "--strict=true",
           "--all-errors", "--errors=json"]
    p = subprocess.run(ajv + ["-d", env.path("events", "e*.json")], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0 and p.stdout.count(" valid") + p.stderr.count(" valid") >= len(SEEN),
          f"all {len(SEEN)} lines valid under the schema", p.stdout, p.stderr)
    # A line the schema must refuse: an event with a field of the wrong type.
    bad = env.write("bad.json", json.dumps({"type": "done", "time": "2026-01-01T00:00:00.000Z", "steps": "two"}))
    p = subprocess.run([os.path.join(WORK, "node_modules", ".bin", "ajv"), "validate", "-s", schema, "-d", bad,
                        "--spec=draft7", "--strict=true"], capture_output=True, text=True, timeout=120)
    check(p.returncode != 0, "the schema refuses a wrong event", p.stdout)
    print("event kinds checked:", " ".join(kinds))


if __name__ == "__main__":
    sys.exit(main([test_a_run_tells_each_step_as_json, test_dry_run_done_stopping_and_resume,
                   test_watch_tells_its_sleeps_and_its_stop, test_sense_and_validate_print_one_document,
                   test_every_line_is_valid_under_the_schema], GOAP))
