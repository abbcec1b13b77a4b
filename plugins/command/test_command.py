#!/usr/bin/env python3
"""The command plugin: argv without a shell, templates fill single elements, timeouts kill the
process group, expected exit statuses, output sensors.   usage: test_command.py GOAP"""
import json
import os
import shlex
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "plugins"))
from goaptest import PYTHON, check, main  # noqa: E402
import sshlab  # noqa: E402

WRITE = "import sys; open(sys.argv[1], 'w').write('|'.join(sys.argv[2:]))"


def world(env, argv, extra="", sensors=True, timeout="5s"):
    env.write("box.yaml", f"""kind: world
name: box
types: {{thing: {{}}}}
objects:
  odd: {{type: thing, label: "a b; $(touch {env.path('pwned')}) *", file: "{env.path('marker')}"}}
facts:
  made(thing): bool
  level: int[0..5]
actions:
  make:
    params: {{t: thing}}
    eff: [made($t)]
    run:
      plugin: command
      with:
        argv: {argv}
        timeout: {timeout}
{extra}
goals:
  made: {{priority: 1, want: [made(odd)]}}
""")
    if sensors:
        env.write("box.sensors.yaml", f"""kind: sensors
sensors:
  made($t): {{plugin: command, with: {{argv: [test, -f, "${{t.file}}"]}}}}
  level: {{plugin: command, with: {{argv: [cat, "{env.path('level')}"], report: output}}}}
""")


def test_templates_fill_single_argv_elements_without_a_shell(env):
    world(env, f'["{PYTHON}", "-c", "{WRITE}", "${{t.file}}", "${{t.label}}", "${{t}}", "$$HOME"]')
    env.write("level", "3\n")
    out = env.goap_run("sense", "box.yaml").stdout
    check("not made(odd)" in out and "level = 3" in out, "senses bool and int", out)
    env.goap_run("run", "box.yaml")
    check(env.read("marker") == f"a b; $(touch {env.path('pwned')}) *|odd|$HOME", "exact argv", env.read("marker"))
    check(not os.path.exists(env.path("pwned")), "no shell ran")


def test_timeout_kills_the_whole_process_group(env):
    pidfile = env.path("helper.pid")
    world(env, f'[sh, -c, "sleep 30 & echo $$! > {pidfile}; wait"]', timeout="300ms")
    start = time.time()
    r = env.goap_run("run", "box.yaml", "--retries", "0", "--kill-grace-ms", "500", rc=20)
    check("timed out after" in r.stdout, "timeout reported", r.stdout)
    check(time.time() - start < 8, "bounded by the timeout")
    helper = int(open(pidfile).read())
    gone = False
    for _ in range(100):
        try:
            with open(f"/proc/{helper}/stat") as f:
                gone = f.read().rsplit(")", 1)[1].split()[0] == "Z"
        except OSError:
            gone = True
        if gone:
            break
        time.sleep(0.02)
    check(gone, "the background helper died with its group")


def test_expected_exit_statuses(env):
    world(env, f'["{PYTHON}", "-c", "import sys; open(sys.argv[1], \'w\'); sys.exit(3)", "${{t.file}}"]',
          extra="        expect_exit: [0, 3]")
    r = env.goap_run("run", "box.yaml")
    check("exit 3" in r.stdout and "verified: made(odd)" in r.stdout, "3 accepted", r.stdout)


def test_unexpected_exit_status_fails_with_the_last_output_line(env):
    world(env, f'["{PYTHON}", "-c", "print(\'permission denied\'); raise SystemExit(1)"]')
    r = env.goap_run("run", "box.yaml", "--retries", "0", rc=20)
    check("exit 1: permission denied" in r.stdout, "message", r.stdout)


def test_check_reports_parameters_the_plugin_does_not_take(env):
    world(env, "[true]", extra="        retries: 3")
    r = env.goap_run("check", "box.yaml", rc=3)
    check("plugin 'command' takes no parameter 'retries'" in r.stderr and "box.yaml:" in r.stderr, "located error", r.stderr)


def hostile_label(env):
    return "a b; touch " + env.path("pwned") + " $(touch " + env.path("pwned") + ") `id` 'q' \"dq\" *"


def ssh_with(lab):
    return '        host: "${h.address}"\n        ssh_user: "${h.user}"\n' + lab.params()


def ssh_world(env, lab, user, argv, host="127.0.0.1", other="", ssh_params=True):
    label = json.dumps(hostile_label(env))
    lines = json.dumps("one\ntouch " + env.path("pwned"))
    env.write("fleet.yaml", f"""kind: world
name: fleet
types: {{host: {{}}}}
objects:
  box:
    type: host
    user: {json.dumps(user)}
    address: {json.dumps(host)}
    other: {json.dumps(other)}
    label: {label}
    lines: {lines}
    dash: "--not-an-option"
facts:
  done(host): bool
actions:
  act:
    params: {{h: host}}
    eff: [done($h)]
    run:
      plugin: command
      with:
{ssh_with(lab) if ssh_params else ""}        argv: {argv}
        timeout: 20s
goals:
  done: {{priority: 1, want: [done(box)]}}
""")


def test_over_ssh_the_remote_side_gets_exactly_the_argv(env):
    lab = sshlab.SshLab(env)
    lab.recorder("record")
    ssh_world(env, lab, lab.user, '[record, "${h.label}", "${h.lines}", "", " sp ", "--", "${h.dash}", "$$HOME"]')
    env.goap_run("check", "fleet.yaml")
    dry = env.goap_run("run", "fleet.yaml", "--dry-run").stdout
    want = ["record", hostile_label(env), "one\ntouch " + env.path("pwned"), "", " sp ", "--", "--not-an-option", "$HOME"]
    shown = shlex.split(dry[dry.index("$ ssh ") + 2:dry.index("\ndry run: nothing")])  # a value spans two lines
    check(shown[-3:-1] == ["--", f"{lab.user}@127.0.0.1"], "options, --, the destination", dry)
    check(shlex.split(shown[-1]) == want, "the dry run shows the one quoted remote command", dry)
    check(lab.calls() == [], "a dry run runs nothing")
    env.goap_run("run", "fleet.yaml")
    check(lab.calls() == [want], "the remote program got exactly the argv", json.dumps(lab.calls()), lab.log())
    check(not os.path.exists(env.path("pwned")), "no remote shell parsed a value")


def test_a_value_that_would_be_an_ssh_option_runs_nothing(env):
    lab = sshlab.SshLab(env)
    lab.recorder("record")
    pwned = env.path("pwned")
    hostile = f"-oProxyCommand=touch {pwned};"
    # Through the plugin's own ssh (host: / ssh_user:) and through a hand-written ssh argv, as
    # the bundled actions used to do: a template starting an argv element.
    ssh_argv = json.dumps(["ssh", "-o", "BatchMode=yes", "-p", str(lab.port), "-i", lab.key, "-o",
                           "UserKnownHostsFile=" + lab.known_hosts, "-F", lab.config, "${h.other}@127.0.0.1", "record"])
    # The hand-written one first, with no new parameter: today's goap runs its ProxyCommand.
    for user, other, argv, host, param, ssh_params in [
            (lab.user, hostile, ssh_argv, "", "'argv' element 12", False),
            (hostile, "", "[record]", "127.0.0.1", "'ssh_user' must be", True),
            (lab.user, "", "[record]", f"-oProxyCommand=touch {pwned}", "'host' must be", True)]:
        ssh_world(env, lab, user, argv, host=host, other=other, ssh_params=ssh_params)
        r = env.goap_run("run", "fleet.yaml", "--retries", "0", rc=None)
        check(not os.path.exists(pwned), "a ProxyCommand ran on the goap host", r.stdout)
        check(r.returncode != 0 and "cannot carry out act(box)" in r.stdout and param in r.stdout, "refused", r.stdout)
        c = env.goap_run("check", "fleet.yaml", rc=3)
        check("fleet.yaml:" in c.stderr and "would be '-oProxyCommand" in c.stderr, "check flags it", c.stderr)
    check(lab.calls() == [], "nothing ran remotely", json.dumps(lab.calls()))
    # The same hand-written argv with an ordinary user does reach the server: the refusal above
    # is what stopped it. check warns that its remote words would be parsed by a shell.
    ssh_world(env, lab, lab.user, ssh_argv, host="", other=lab.user, ssh_params=False)
    c = env.goap_run("check", "fleet.yaml")
    check("warning: action 'act': 'argv' runs ssh with templates" in c.stderr, "a hand-written ssh is warned about", c.stderr)
    env.goap_run("run", "fleet.yaml")
    check(lab.calls() == [["record"]], "the control case ran", json.dumps(lab.calls()), lab.log())


def test_ssh_failure_is_unknown_except_where_it_is_the_answer(env):
    """Over ssh, exit 255 is ssh's own failure: the command never ran. A sensor then fails (the
    fact is unknown, never false on a guess), unless `ssh_failure: false` says that no answer is
    the answer (whether the host is reachable)."""
    lab = sshlab.SshLab(env)
    ssh_world(env, lab, lab.user, "[true]")
    marker = env.path("marker")
    env.write("fleet.sensors.yaml", f"""kind: sensors
sensors:
  done($h):
    plugin: command
    with:
{ssh_with(lab)}        argv: [test, -f, "{marker}"]
        timeout: 20s
""")
    def reading():
        doc = json.loads(env.goap_run("sense", "fleet.yaml", "--json").stdout)
        return next(r for r in doc["readings"] if r["fact"] == "done(box)")
    r = reading()
    check(r["status"] != "unknown" and r["value"] == "false", "with sshd up the fact is read: false (no marker)", r)
    open(marker, "w").close()
    r = reading()
    check(r["value"] == "true", "and true once the marker is there", r)
    lab.stop()
    r = reading()
    check(r["status"] == "unknown" and r["value"] is None and "exit 255" in r.get("error", ""),
          "ssh failing makes the fact unknown, not false", r)
    # The same sensor with ssh_failure: false reads false: the question was whether it answers.
    text = open(env.path("fleet.sensors.yaml")).read().replace("        timeout: 20s", "        ssh_failure: false\n        timeout: 20s")
    env.write("fleet.sensors.yaml", text)
    r = reading()
    check(r["status"] != "unknown" and r["value"] == "false", "ssh_failure: false: it reads false", r)

if __name__ == "__main__":
    sys.exit(main(sshlab.runnable([test_templates_fill_single_argv_elements_without_a_shell, test_timeout_kills_the_whole_process_group,
                   test_expected_exit_statuses, test_unexpected_exit_status_fails_with_the_last_output_line,
                   test_check_reports_parameters_the_plugin_does_not_take, test_over_ssh_the_remote_side_gets_exactly_the_argv,
                   test_a_value_that_would_be_an_ssh_option_runs_nothing,
                   test_ssh_failure_is_unknown_except_where_it_is_the_answer]), sys.argv[1]))
