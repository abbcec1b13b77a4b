#!/usr/bin/env python3
"""rebuild-vps with a provisioning command that brings up a local health endpoint (127.0.0.1).
usage: test_rebuild_vps.py GOAP"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "plugins"))
from goaptest import check, free_port, main  # noqa: E402


def world(env, port, provision_argv, health_sensor, health_param):
    env.write("fleet.yaml", f"""kind: world
name: fleet
types: {{vps: {{}}}}
objects:
  web-1: {{type: vps, address: 127.0.0.1, port: "{port}"}}
facts:
  reachable(vps): bool
  backup_fresh(vps): bool
state: [backup_fresh(web-1)]
actions:
  rebuild-vps:
    params: {{v: vps}}
    pre: [not reachable($v), backup_fresh($v)]
    eff: [reachable($v)]
    cost: 30
    approval: true
    run:
      plugin: rebuild-vps
      with:
        provision: {provision_argv}
        address: "${{v.address}}"
        {health_param}
        timeout: 10s
        interval: 100ms
goals:
  hosts-up: {{priority: 100, want: [reachable(web-1)]}}
""")
    env.write("fleet.sensors.yaml", f"""kind: sensors
sensors:
  reachable($v): {{plugin: rebuild-vps, sensor: healthy, with: {{address: "${{v.address}}", {health_sensor}, timeout: 1s}}}}
""")


def test_rebuild_needs_approval_then_heals(env):
    port = free_port()
    # The "provider" brings the host up a moment after the command returns, as a real rebuild would.
    world(env, port, env.service_argv("start", port, "vps.pid", ["/health=200:ok"]),
          f'health: "http://127.0.0.1:{port}/health"', 'health: "http://${v.address}:${v.port}/health"')
    check("not reachable(web-1)" in env.goap_run("sense", "fleet.yaml").stdout, "down before")
    r = env.goap_run("run", "fleet.yaml", rc=21)
    check("waits for approval" in r.stdout and "--approve rebuild-vps" in r.stdout, "asks for approval", r.stdout)
    check(not os.path.exists(env.path("vps.pid")), "nothing provisioned without approval")
    r = env.goap_run("run", "fleet.yaml", "--resume", "--approve", "rebuild-vps")
    check("resuming run 1" in r.stdout and "verified: reachable(web-1)" in r.stdout, "rebuilt", r.stdout)
    check("- reachable(web-1)" in env.goap_run("sense", "fleet.yaml").stdout, "healthy after")


def test_default_health_check_is_the_ssh_port(env):
    port = free_port()  # stands in for the SSH port: anything accepting TCP connections
    world(env, port, env.service_argv("start", port, "vps.pid", ["/=200:ssh"]),
          f'ssh_port: "{port}"', 'ssh_port: "${v.port}"')
    r = env.goap_run("run", "fleet.yaml", "--approve", "rebuild-vps(web-1)")
    check("accepts connections" in r.stdout and "verified: reachable(web-1)" in r.stdout, "port check", r.stdout)


def test_failed_provisioning_is_reported(env):
    port = free_port()
    world(env, port, f'["{sys.executable}", "-c", "import sys; print(\'quota exceeded\'); sys.exit(4)"]',
          f'health: "http://127.0.0.1:{port}/health"', 'health: "http://${v.address}:${v.port}/health"')
    r = env.goap_run("run", "fleet.yaml", "--approve", "rebuild-vps", "--retries", "1", "--backoff-ms", "10", rc=20)
    check("provisioning failed: exit 4: quota exceeded" in r.stdout and "attempt 2" in r.stdout, "reported, retried", r.stdout)


# A provider CLI stand-in: records its argv; like a real CLI it reads options until "--", and one
# of its options runs a command (as `--ssh-command`, a `-c` config hook or a credentials helper would).
PROVIDER = """import json, subprocess, sys
args = sys.argv[1:]
with open(sys.argv[0] + ".calls", "a") as f:
    f.write(json.dumps(args) + "\\n")
for a in args:
    if a == "--":
        break
    if a.startswith("--hook="):
        subprocess.run(a[len("--hook="):], shell=True)
"""


def test_an_attribute_cannot_become_an_option_of_the_provider_cli(env):
    port = free_port()
    env.service("start", port, "health.pid", ["/health=200:ok"])
    check(env.wait_http(port, "/health"), "the health endpoint came up")
    cli = env.write("provider.py", PROVIDER)
    pwned = env.path("pwned")

    def fleet(droplet, image, address="127.0.0.1"):
        env.write("fleet.yaml", f"""kind: world
name: fleet
types: {{vps: {{}}}}
objects:
  web-1: {{type: vps, address: {json.dumps(address)}, droplet: {json.dumps(droplet)}, image: {json.dumps(image)}}}
facts:
  reachable(vps): bool
actions:
  rebuild-vps:
    params: {{v: vps}}
    pre: [not reachable($v)]
    eff: [reachable($v)]
    run:
      plugin: rebuild-vps
      with:
        provision: ["{sys.executable}", "{cli}", "rebuild", "${{v.droplet}}", "--image=${{v.image}}", "--", "${{v.image}}"]
        address: "${{v.address}}"
        health: "http://127.0.0.1:{port}/health"
        timeout: 10s
goals:
  up: {{priority: 1, want: [reachable(web-1)]}}
""")

    for droplet, image, address, param in [(f"--hook=touch {pwned}", "debian-12-x64", "127.0.0.1", "'provision' element 4"),
                                           (f"-hook=touch {pwned}", "debian-12-x64", "127.0.0.1", "'provision' element 4"),
                                           ("web-1", "debian-12-x64", f"-oProxyCommand=touch {pwned}", "'address' must be")]:
        fleet(droplet, image, address)
        c = env.goap_run("check", "fleet.yaml", rc=3)
        check("fleet.yaml:" in c.stderr and "would be '-" in c.stderr, "check flags it", c.stderr)
        r = env.goap_run("run", "fleet.yaml", "--retries", "0", rc=None)
        check(r.returncode != 0 and param in r.stdout, "refused", r.stdout)
    check(not os.path.exists(cli + ".calls") and not os.path.exists(pwned), "the provider CLI never ran")
    # Text before the template, or a literal "--" before it, keeps a dashed value an operand.
    fleet("web-1", f"--hook=touch {pwned}")
    env.goap_run("check", "fleet.yaml")
    r = env.goap_run("run", "fleet.yaml", "--retries", "0")
    check("provisioned" in r.stdout, "provisioned", r.stdout)
    with open(cli + ".calls") as f:
        calls = [json.loads(x) for x in f]
    check(calls == [["rebuild", "web-1", f"--image=--hook=touch {pwned}", "--", f"--hook=touch {pwned}"]], "exact argv", calls)
    check(not os.path.exists(pwned), "nothing ran through the hook")


if __name__ == "__main__":
    sys.exit(main([test_rebuild_needs_approval_then_heals, test_default_health_check_is_the_ssh_port,
                   test_failed_provisioning_is_reported,
                   test_an_attribute_cannot_become_an_option_of_the_provider_cli], sys.argv[1]))
