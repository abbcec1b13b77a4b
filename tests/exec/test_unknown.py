#!/usr/bin/env python3
"""Sensing that fails closed, end to end with real plugins: a sensor that crashes, hangs, exits
or reports a value of no fact makes its fact unknown. `sense` shows it as such (and in --json
with the sensor's error), `next --sense` and `run` never choose an action that reads it and exit
12 when that leaves nothing to do; eight sensors read concurrently all arrive, in the order of
the sensors file, whatever order they finish in.
usage: test_unknown.py GOAP FAULTY_SO"""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plugins"))
from goaptest import check, main  # noqa: E402

GOAP, FAULTY = (os.path.abspath(a) for a in sys.argv[1:3])
FACTS_UNKNOWN = 12


def world(env, ssh_sensor):
    """A host whose ssh_ok sensor is the faulty plugin's `ssh_sensor`; the world file claims
    ssh_ok, and the only way to bring Ollama up (restart) reads ssh_ok."""
    d = env.path("plugins")
    os.makedirs(d, exist_ok=True)
    shutil.copy(FAULTY, os.path.join(d, "goap-plugin-faulty.so"))
    marker = env.path("restarted")
    env.write("w.yaml", f"""kind: world
name: fleet
types: {{host: {{}}}}
objects: {{gpu: {{type: host}}}}
facts:
  ssh_ok(host): bool
  ollama_ok(host): bool
state: [ssh_ok(gpu)]
actions:
  restart-ollama:
    params: {{h: host}}
    pre: [ssh_ok($h)]
    eff: [ollama_ok($h)]
    run: {{plugin: command, with: {{argv: [touch, "{marker}"]}}}}
goals:
  ollama-up: {{priority: 10, forall: {{h: host}}, want: [ollama_ok($h)]}}
""")
    env.write("w.sensors.yaml", f"""kind: sensors
sensors:
  ssh_ok($h): {{plugin: faulty, sensor: {ssh_sensor}, with: {{timeout: 300ms}}}}
  ollama_ok($h): {{plugin: command, with: {{argv: [test, -f, "{marker}"]}}}}
""")
    return marker


# A segfault is "crashed: ... Segmentation fault"; under UBSan the null access is caught first and
# the plugin exits without answering, still "crashed".
FAILURES = {"segfault": "crashed: ", "hang": "no answer within", "exit": "without answering",
            "garbage": "'maybe', which is not a value of ssh_ok(gpu)"}


def test_a_failing_sensor_never_yields_an_action_that_reads_its_fact(env):
    for kind, error in FAILURES.items():
        marker = world(env, kind)
        args = ["--plugin-dir", env.path("plugins")]
        # sense: the fact is unknown, not the world file's ssh_ok; the error is the sensor's.
        s = env.goap_run("sense", "w.yaml", *args, "--json")
        out = json.loads(s.stdout)
        ssh = [r for r in out["readings"] if r["fact"] == "ssh_ok(gpu)"][0]
        check(ssh["status"] == "unknown" and ssh["value"] is None and error in ssh["error"], f"{kind}: sense --json", out)
        check([u["fact"] for u in out["unknown"]] == ["ssh_ok(gpu)"] and error in out["unknown"][0]["error"],
              f"{kind}: listed as unknown with the error", out)
        text = env.goap_run("sense", "w.yaml", *args).stdout
        check("# unknown: ssh_ok(gpu)" in text and "- ssh_ok(gpu)" not in text, f"{kind}: sense text", text)
        env.goap_run("sense", "w.yaml", *args, "--strict", rc=FACTS_UNKNOWN)

        # next --sense: restart-ollama reads ssh_ok: not recommended; exit 12 with the reason.
        n = env.goap_run("next", "w.yaml", "--sense", *args, rc=FACTS_UNKNOWN)
        nxt = json.loads(n.stdout)
        check(nxt["next"] is None and nxt["status"] == "unknown", f"{kind}: next recommends nothing", nxt)
        check([u["fact"] for u in nxt["unknown"]] == ["ssh_ok(gpu)"] and error in nxt["unknown"][0]["error"],
              f"{kind}: next lists the unknown fact with its error", nxt)
        # Without --sense the world file is believed, as before: the action is recommended.
        plain = json.loads(env.goap_run("next", "w.yaml").stdout)
        check(plain["next"]["action"] == "restart-ollama", "the world file alone", plain)

        # run: nothing is carried out; the run ends 12, naming the fact and the error.
        r = env.goap_run("run", "w.yaml", *args, rc=FACTS_UNKNOWN)
        check("facts unknown" in r.stdout and "ssh_ok(gpu): sensor ssh_ok($h) (faulty)" in r.stdout and error in r.stdout,
              f"{kind}: run says why", r.stdout)
        check(not os.path.exists(marker), f"{kind}: restart-ollama never ran", r.stdout)
        hist = json.loads(env.goap_run("history", "--json").stdout)
        check(hist["runs"][0]["status"] == "facts-unknown", "journaled as facts-unknown", hist)


def test_a_known_fact_still_gets_its_action(env):
    # The same world with a sensor that works: the action runs (the test above can fail).
    marker = world(env, "sleep")
    r = env.goap_run("run", "w.yaml", "--plugin-dir", env.path("plugins"))
    check(os.path.exists(marker) and "restart-ollama(gpu)" in r.stdout, "restarted", r.stdout)


def test_eight_sensors_in_parallel_all_arrive_in_order(env):
    d = env.path("plugins")
    os.makedirs(d, exist_ok=True)
    shutil.copy(FAULTY, os.path.join(d, "goap-plugin-faulty.so"))
    names = [f"h{i}" for i in range(8)]
    objects = ", ".join(f"{n}: {{type: host}}" for n in names)
    env.write("p.yaml", f"""kind: world
name: parallel
types: {{host: {{}}}}
objects: {{{objects}}}
facts: {{ok(host): bool}}
goals:
  all-ok: {{priority: 1, forall: {{h: host}}, want: [ok($h)]}}
""")
    # Each sensor sleeps a different time, so they finish in another order than they start:
    # h0 sleeps longest. A failing one in the middle stays in its place.
    lines = [f'  ok({n}): {{plugin: faulty, sensor: sleep, with: {{bytes: "{(8 - i) * 60}"}}}}' for i, n in enumerate(names)]
    lines[3] = '  ok(h3): {plugin: faulty, sensor: garbage}'
    env.write("p.sensors.yaml", "kind: sensors\nsensors:\n" + "\n".join(lines) + "\n")
    for jobs in ("8", "1", "3"):
        out = json.loads(env.goap_run("sense", "p.yaml", "--plugin-dir", d, "--json", "--sense-jobs", jobs).stdout)
        check([r["fact"] for r in out["readings"]] == [f"ok({n})" for n in names], f"--sense-jobs {jobs}: in order", out)
        check([r["status"] for r in out["readings"]] == ["sensed"] * 3 + ["unknown"] + ["sensed"] * 4,
              f"--sense-jobs {jobs}: every reading arrived", out)
        check(all(r["value"] == "true" for i, r in enumerate(out["readings"]) if i != 3), "values", out)


if __name__ == "__main__":
    sys.exit(main([test_a_failing_sensor_never_yields_an_action_that_reads_its_fact, test_a_known_fact_still_gets_its_action,
                   test_eight_sensors_in_parallel_all_arrive_in_order], sys.argv[1]))
