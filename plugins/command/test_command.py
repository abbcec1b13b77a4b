#!/usr/bin/env python3
"""The command plugin: argv without a shell, templates fill single elements, timeouts kill the
process group, expected exit statuses, output sensors.   usage: test_command.py GOAP"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "plugins"))
from goaptest import PYTHON, check, main  # noqa: E402

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


if __name__ == "__main__":
    sys.exit(main([test_templates_fill_single_argv_elements_without_a_shell, test_timeout_kills_the_whole_process_group,
                   test_expected_exit_statuses, test_unexpected_exit_status_fails_with_the_last_output_line,
                   test_check_reports_parameters_the_plugin_does_not_take], sys.argv[1]))
