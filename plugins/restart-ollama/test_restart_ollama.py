#!/usr/bin/env python3
"""restart-ollama against a real HTTP server on 127.0.0.1 that answers /api/tags the way Ollama
does; the restart command (re)starts that server.   usage: test_restart_ollama.py GOAP"""
import json
import os
import pwd
import shlex
import subprocess
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
    check(len(shown) == 2 and " -N " in shown[1] and " -L " in shown[1], "the dry run shows the ssh argv and the forward", dry)
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


SYSTEMCTL = """#!/bin/sh
# A stand-in for systemctl on the lab host: `systemctl restart -- ollama` (re)starts a stand-in
# Ollama API on the host's 127.0.0.1:{port}, as a real unit would.
echo "$@" >> {calls}
[ "$*" = "restart -- ollama" ] || exit 5
exec {python} {service} restart --port {port} --pidfile {pidfile} --route '{route}'
"""


def lab_ollama(env, lab, port, route=TAGS):
    """The lab host's systemctl stand-in: `systemctl restart -- ollama` starts the API stand-in."""
    p = os.path.join(lab.bin, "systemctl")
    with open(p, "w") as f:
        f.write(SYSTEMCTL.format(port=port, calls=env.path("systemctl.calls"), python="/usr/bin/python3",
                                 service=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                                                      "plugins", "service.py"),
                                 pidfile=env.path("ollama.pid"), route=route))
    os.chmod(p, 0o755)


def forward_world(env, lab, port, known_hosts=None):
    """The contract's shape: a host reached over ssh at 127.0.0.1 with an ssh_port (a lab's sshd),
    Ollama probed on the host's own loopback, sensors with the same ssh parameters."""
    ssh = (f'ssh_user: {json.dumps(lab.user)}, ssh_port: "{lab.port}", ssh_identity: {json.dumps(lab.key)}, '
           f'ssh_known_hosts: {json.dumps(known_hosts or lab.known_hosts)}, ssh_config: {json.dumps(lab.config)}')
    env.write("fleet.yaml", f"""kind: world
name: fleet
types: {{host: {{}}}}
objects:
  gpu-box: {{type: host, address: 127.0.0.1, ollama_port: "{port}"}}
facts:
  ollama_api_ok(host): bool
  model_present(host): bool
actions:
  restart-ollama:
    params: {{h: host}}
    eff: [ollama_api_ok($h), model_present($h)]
    run:
      plugin: restart-ollama
      with: {{host: "${{h.address}}", {ssh}, unit: ollama, model: "hermes3:8b",
             probe: "http://127.0.0.1:${{h.ollama_port}}/api/tags", timeout: 20s, interval: 50ms}}
goals:
  up: {{priority: 1, want: [ollama_api_ok(gpu-box), model_present(gpu-box)]}}
""")
    env.write("fleet.sensors.yaml", f"""kind: sensors
sensors:
  ollama_api_ok($h):
    plugin: restart-ollama
    sensor: api-ok
    with: {{host: "${{h.address}}", {ssh}, probe: "http://127.0.0.1:${{h.ollama_port}}/api/tags", timeout: 15s}}
  model_present($h):
    plugin: restart-ollama
    sensor: model-present
    with: {{host: "${{h.address}}", {ssh}, probe: "http://127.0.0.1:${{h.ollama_port}}/api/tags",
           model: "hermes3:8b", timeout: 15s}}
""")


def leftovers(env):
    """ssh forwards still running, and their socket folders still there: there must be none."""
    procs = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read().split(b"\0")
            except OSError:
                continue
            if cmd and cmd[0] == b"ssh" and b"-N" in cmd and any(env.dir.encode() in a for a in cmd):
                procs.append(pid)
    return procs + [d for d in os.listdir(env.path("tmp")) if d.startswith("goap-ssh-")]


def test_ssh_restart_then_probe_through_the_forward_on_the_hosts_loopback(env):
    lab = sshlab.SshLab(env, extra_config="LogLevel DEBUG1\n")  # sshd.log then names each forward's target
    port = free_port()
    lab_ollama(env, lab, port)
    forward_world(env, lab, port)
    os.makedirs(env.path("tmp"))
    env.env["TMPDIR"] = env.path("tmp")  # where the forwards' sockets go: checked empty afterwards
    env.goap_run("check", "fleet.yaml")
    out = env.goap_run("sense", "fleet.yaml").stdout
    check("not ollama_api_ok(gpu-box)" in out and "not model_present(gpu-box)" in out,
          "the host answers ssh but nothing listens on its loopback: down, not unknown", out)
    r = env.goap_run("run", "fleet.yaml", "--retries", "0")
    check("probed from the host through ssh" in r.stdout and "verified: ollama_api_ok(gpu-box), model_present(gpu-box)" in r.stdout,
          "restarted over ssh, probed through the forward, verified by the ssh sensors", r.stdout, r.stderr)
    check(env.read("systemctl.calls") == "restart -- ollama\n", "the remote systemctl ran once", env.read("systemctl.calls"))
    check(f"target 127.0.0.1 port {port}" in lab.log(), "sshd carried connections to the host's 127.0.0.1:%d" % port, lab.log())
    out = env.goap_run("sense", "fleet.yaml").stdout
    check("- ollama_api_ok(gpu-box)" in out and "- model_present(gpu-box)" in out, "healthy through the forward", out)
    check(leftovers(env) == [], "every forward was stopped and its socket folder removed", str(leftovers(env)))
    # The API still answers on 127.0.0.1, but without sshd goap cannot look: unknown, not true.
    lab.stop()
    check(env.wait_http(port, "/api/tags"), "the stand-in API still answers directly")
    s = env.goap_run("sense", "fleet.yaml", rc=None)
    check("- ollama_api_ok(gpu-box)" not in s.stdout and "cannot reach 127.0.0.1 over ssh" in s.stdout + s.stderr,
          "with sshd gone the probe fails: it went through ssh", s.stdout, s.stderr)
    check(leftovers(env) == [], "nothing left after failed forwards", str(leftovers(env)))


def test_ssh_an_unknown_host_key_is_refused_by_the_sensors_and_the_restart(env):
    lab = sshlab.SshLab(env)
    port = free_port()
    lab_ollama(env, lab, port)
    env.service("start", port, "ollama.pid", [TAGS])  # healthy: only the host key is wrong
    check(env.wait_http(port), "the API stand-in came up")
    other = env.path("other_key")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other], check=True)
    with open(other + ".pub") as f:
        env.write("wrong_known_hosts", f"[127.0.0.1]:{lab.port} " + " ".join(f.read().split()[:2]) + "\n")
    forward_world(env, lab, port, known_hosts=env.path("wrong_known_hosts"))
    s = env.goap_run("sense", "fleet.yaml", rc=None)
    check("- ollama_api_ok(gpu-box)" not in s.stdout and "Host key verification failed" in s.stdout + s.stderr,
          "strict checking: the sensor cannot look, so the fact is unknown", s.stdout, s.stderr)
    r = env.goap_run("run", "fleet.yaml", "--retries", "0", rc=None)
    check(r.returncode != 0 and "Host key verification failed" in r.stdout, "the restart is refused too", r.stdout)
    check(not os.path.exists(env.path("systemctl.calls")), "nothing ran on the host")
    check("Accepted publickey" not in lab.log(), "no session was opened", lab.log())


if __name__ == "__main__":
    sys.exit(main(sshlab.runnable([test_senses_down_then_restart_heals, test_restart_replaces_an_unhealthy_server,
                   test_a_model_that_never_appears_fails_and_is_given_up,
                   test_dry_run_shows_the_restart_argv_and_starts_nothing,
                   test_over_real_ssh_the_remote_shell_runs_exactly_the_argv,
                   test_a_user_or_host_that_would_be_an_option_runs_nothing,
                   test_ssh_restart_then_probe_through_the_forward_on_the_hosts_loopback,
                   test_ssh_an_unknown_host_key_is_refused_by_the_sensors_and_the_restart]), sys.argv[1]))
