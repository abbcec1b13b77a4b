#!/usr/bin/env python3
"""restart-ollama against a real HTTP server on 127.0.0.1 that answers /api/tags the way Ollama
does; the restart command (re)starts that server.   usage: test_restart_ollama.py GOAP"""
import json
import os
import pwd
import shlex
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "plugins"))
from goaptest import check, free_port, main  # noqa: E402
import sshlab  # noqa: E402

TAGS = '/api/tags=200:{"models": [{"name": "hermes3:8b", "size": 4661224676}]}'
TAGS_NO_MODEL = '/api/tags=200:{"models": []}'


def world(env, port, restart_argv, timeout="5s"):
    env.write("lab.yaml", f"""kind: world
name: ollama-lab
types: {{host: {{}}}}
objects:
  gpu-box: {{type: host, address: 127.0.0.1, port: "{port}"}}
facts:
  ollama_api_ok(host): bool
  model_present(host): bool
actions:
  restart-ollama:
    params: {{h: host}}
    eff: [ollama_api_ok($h), model_present($h)]
    run:
      plugin: restart-ollama
      with:
        host: "${{h.address}}"
        restart: {restart_argv}
        probe: "http://${{h.address}}:${{h.port}}/api/tags"
        model: "hermes3:8b"
        timeout: {timeout}
        interval: 50ms
goals:
  ollama-up: {{priority: 10, want: [ollama_api_ok(gpu-box), model_present(gpu-box)]}}
""")
    env.write("lab.sensors.yaml", """kind: sensors
sensors:
  ollama_api_ok($h):
    plugin: restart-ollama
    sensor: api-ok
    with: {probe: "http://${h.address}:${h.port}/api/tags", timeout: 1s}
  model_present($h):
    plugin: restart-ollama
    sensor: model-present
    with: {probe: "http://${h.address}:${h.port}/api/tags", model: "hermes3:8b", timeout: 1s}
""")


def test_senses_down_then_restart_heals(env):
    port = free_port()
    world(env, port, env.service_argv("restart", port, "ollama.pid", [TAGS]))
    out = env.goap_run("sense", "lab.yaml").stdout
    check("not ollama_api_ok(gpu-box)" in out and "not model_present(gpu-box)" in out, "down before", out)
    r = env.goap_run("run", "lab.yaml", "--retries", "0")
    check("restart-ollama(gpu-box)" in r.stdout and "verified: ollama_api_ok(gpu-box), model_present(gpu-box)" in r.stdout,
          "restarted and verified", r.stdout)
    out = env.goap_run("sense", "lab.yaml").stdout
    check("- ollama_api_ok(gpu-box)" in out and "- model_present(gpu-box)" in out, "up after", out)


def test_restart_replaces_an_unhealthy_server(env):
    port = free_port()
    env.service("start", port, "ollama.pid", ["/api/tags=503:{\"error\": \"loading\"}"])
    check(env.wait_http(port), "the unhealthy server came up")
    old_pid = env.read("ollama.pid")
    world(env, port, env.service_argv("restart", port, "ollama.pid", [TAGS]))
    check("not ollama_api_ok(gpu-box)" in env.goap_run("sense", "lab.yaml").stdout, "503 reads as not ok")
    env.goap_run("run", "lab.yaml", "--retries", "0")
    check(env.read("ollama.pid") != old_pid, "a new server process answers")
    check("- ollama_api_ok(gpu-box)" in env.goap_run("sense", "lab.yaml").stdout, "healthy after the restart")


def test_a_model_that_never_appears_fails_and_is_given_up(env):
    port = free_port()
    world(env, port, env.service_argv("restart", port, "ollama.pid", [TAGS_NO_MODEL]), timeout="1s")
    r = env.goap_run("run", "lab.yaml", "--retries", "0", rc=20)
    check("model 'hermes3:8b' is not pulled" in r.stdout, "says why", r.stdout)
    check("failed 2 times: not choosing it again" in r.stdout and "no recovery plan" in r.stdout, "gives up", r.stdout)


def test_dry_run_shows_the_restart_argv_and_starts_nothing(env):
    port = free_port()
    world(env, port, env.service_argv("restart", port, "ollama.pid", [TAGS]))
    r = env.goap_run("run", "lab.yaml", "--dry-run")
    check("service.py restart --port %d" % port in r.stdout and "nothing was executed" in r.stdout, "argv shown", r.stdout)
    check(not os.path.exists(env.path("ollama.pid")), "nothing started")
    check(not os.path.exists(env.journal), "a dry run writes no journal")


def ssh_world(env, lab, port, user, unit, host="lab"):
    """restart-ollama's default restart over ssh to the lab's sshd; the host's attributes are
    whatever the test hands in (hostile ones included)."""
    env.write("fleet.yaml", f"""kind: world
name: fleet
types: {{host: {{}}}}
objects:
  gpu-box: {{type: host, address: {json.dumps(host)}, ssh_user: {json.dumps(user)}, unit: {json.dumps(unit)}}}
facts:
  ollama_api_ok(host): bool
actions:
  restart-ollama:
    params: {{h: host}}
    eff: [ollama_api_ok($h)]
    run:
      plugin: restart-ollama
      with:
        host: "${{h.address}}"
        ssh_user: "${{h.ssh_user}}"
        unit: "${{h.unit}}"
{lab.params() if lab else ""}        probe: "http://127.0.0.1:{port}/api/tags"
        timeout: 20s
        interval: 50ms
goals:
  up: {{priority: 1, want: [ollama_api_ok(gpu-box)]}}
""")


HOSTILE_UNIT = "ollama; touch {m} $(touch {m}) `touch {m}` | touch {m} && 'q' \"dq\" *"


def test_over_real_ssh_the_remote_shell_runs_exactly_the_argv(env):
    lab = sshlab.SshLab(env)
    lab.recorder("systemctl")
    marker = env.path("pwned")
    unit = HOSTILE_UNIT.format(m=marker)
    port = free_port()
    env.service("start", port, "ollama.pid", [TAGS])
    check(env.wait_http(port), "the API stand-in came up")
    ssh_world(env, lab, port, lab.user, unit)
    env.goap_run("check", "fleet.yaml")
    dry = env.goap_run("run", "fleet.yaml", "--dry-run").stdout
    shown = [ln.strip()[2:] for ln in dry.splitlines() if ln.strip().startswith("$ ssh ")]
    check(len(shown) == 1, "the dry run shows the ssh argv", dry)
    argv = shlex.split(shown[0])
    check(argv[-3:-1] == ["--", f"{lab.user}@lab"] and "-oProxyCommand" not in shown[0], "options, --, destination", dry)
    check(shlex.split(argv[-1]) == ["systemctl", "restart", "--", unit], "one quoted remote command", argv[-1])
    check(lab.calls() == [], "a dry run runs nothing")
    r = env.goap_run("run", "fleet.yaml", "--retries", "0")
    check("attempt 1: ok" in r.stdout and "Ollama answers" in r.stdout, "restarted over ssh, then probed", r.stdout, r.stderr)
    check(lab.calls() == [["systemctl", "restart", "--", unit]], "the remote side got exactly the argv the dry run showed",
          json.dumps(lab.calls()), lab.log())
    check(not os.path.exists(marker), "nothing in the unit name ran on the remote host")


def test_a_user_or_host_that_would_be_an_option_runs_nothing(env):
    # No ssh parameters and no server: a ProxyCommand that got through would run here, at once,
    # before any connection (that is the hole this reproduces).
    marker = env.path("pwned")
    me = pwd.getpwuid(os.geteuid()).pw_name
    for user, host, param in [(f"-oProxyCommand=touch {marker};", "lab", "ssh_user"),
                              (me, f"-oProxyCommand=touch {marker}", "host"),
                              (f"root@lab -oProxyCommand=touch {marker}", "lab", "ssh_user"),
                              (me, f"lab\n-oProxyCommand=touch {marker}", "host")]:
        ssh_world(env, None, free_port(), user, "ollama", host=host)
        r = env.goap_run("run", "fleet.yaml", "--retries", "0", rc=None)
        check(not os.path.exists(marker), f"the ProxyCommand in {param} ran on the goap host", r.stdout)
        check(r.returncode != 0 and f"'{param}' must be" in r.stdout, "the step is refused, saying why", r.stdout)
        c = env.goap_run("check", "fleet.yaml", rc=3)
        check(f"'{param}' would be" in c.stderr and "fleet.yaml:" in c.stderr, "check flags it at the with: line", c.stderr)
        dry = env.goap_run("run", "fleet.yaml", "--dry-run").stdout
        check(f"cannot run: plugin 'restart-ollama': '{param}' must be" in dry, "the dry run says why", dry)

if __name__ == "__main__":
    sys.exit(main(sshlab.runnable([test_senses_down_then_restart_heals, test_restart_replaces_an_unhealthy_server,
                   test_a_model_that_never_appears_fails_and_is_given_up,
                   test_dry_run_shows_the_restart_argv_and_starts_nothing,
                   test_over_real_ssh_the_remote_shell_runs_exactly_the_argv,
                   test_a_user_or_host_that_would_be_an_option_runs_nothing]), sys.argv[1]))
