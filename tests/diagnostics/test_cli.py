#!/usr/bin/env python3
"""The command line helps: every option's default in --help, a did-you-mean for a mistyped
command or long option (exit 2, the usage-error code), and --version with the plugin API version
and the git commit the binary was built from.
usage: test_cli.py GOAP SOURCE_ROOT"""
import json
import os
import re
import subprocess
import sys

GOAP, ROOT = (os.path.abspath(a) for a in sys.argv[1:3])
COMMANDS = ["check", "plan", "next", "validate", "pddl", "batch", "explain", "graph", "schema", "plugins", "sense", "run",
            "history", "approvals", "approve", "decline"]
# Optional inputs that have no default value to show: without them nothing is left out or said.
NO_DEFAULT = {"--without", "--reason"}
failures = []


def goap(*args):
    return subprocess.run([GOAP, *args], capture_output=True, text=True, timeout=30)


def check(cond, msg, *outputs):
    if not cond:
        failures.append(msg + "".join(f"\n--- output\n{o}" for o in outputs))


def options(help_text):
    """(names, value label, description) of each option in a --help text."""
    out, cur = [], None
    for line in help_text.splitlines():
        m = re.match(r"^  (-\S+)(.*?)(?:\s{2,}(\S.*))?$", line)
        if m and line.startswith("  -"):
            cur = [m.group(1), m.group(2).strip(), m.group(3) or ""]
            out.append(cur)
        elif cur and line.startswith(" " * 20) and line.strip():
            cur[2] += " " + line.strip()
        else:
            cur = None
    return out


def test_help_shows_every_default():
    for cmd in COMMANDS:
        r = goap(cmd, "--help")
        check(r.returncode == 0, f"{cmd} --help exits 0", r.stderr)
        for names, label, desc in options(r.stdout):
            if not label or label.startswith("{"):
                check(not label, f"{cmd} {names}: a flag shows no default", label)
                continue  # a flag: off unless given
            long = names.split(",")[-1]
            shown = "=" in label or "default" in desc.lower() or "..." in label or "REQUIRED" in label or long in NO_DEFAULT
            check(shown, f"goap {cmd} --help: {names} {label} shows no default", desc)
    r = goap("run", "--help").stdout
    for want in ("--max-steps INT:NONNEGATIVE=20", "--interval TEXT=60s", "--approval-ttl TEXT=1h", "--retries INT:INT in [0 - 20]=2",
                 "default: $GOAP_JOURNAL or ~/.local/state/goap/journal.db", "default: <world>.sensors.yaml beside the world"):
        check(want in r, "run --help shows " + want, r)
    r = goap("plan", "--help").stdout
    for want in ("--search TEXT:{astar,wastar,gbfs}=astar", "--max-ms FLOAT:POSITIVE=60000", "--format TEXT:{text,json,dot,mermaid,html}=text",
                 "(0: all cores)", "default: the highest-priority relevant goal"):
        check(want in r, "plan --help shows " + want, r)
    check("=[]" not in goap("run", "--help").stdout, "an empty list shows no '=[]'")


def test_a_mistyped_command_gets_a_suggestion():
    for args, err in [(["nxt", "w.yaml"], "goap: error: no command 'nxt'; did you mean 'next'?\n"),
                      (["-v", "histroy"], "goap: error: no command 'histroy'; did you mean 'history'?\n"),
                      (["deploy"], "goap: error: no command 'deploy'; see 'goap --help'\n"),
                      (["run", "--dry-rn", "w.yaml"], "goap run: error: no option '--dry-rn'; did you mean '--dry-run'?\n"),
                      (["plan", "w.yaml", "--max-expansion=5"],
                       "goap plan: error: no option '--max-expansion'; did you mean '--max-expansions'?\n"),
                      (["sense", "w.yaml", "--verbos"], "goap sense: error: no option '--verbos'; did you mean '--verbose'?\n"),
                      (["--versoin"], "goap: error: no option '--versoin'; did you mean '--version'?\n"),
                      (["nxt\x1b[2J"], "goap: error: no command 'nxt\\x1b[2J'; see 'goap --help'\n")]:
        r = goap(*args)
        check(r.returncode == 2 and r.stderr == err and r.stdout == "", f"goap {' '.join(args)}: exit 2, {err!r}",
              r.returncode, r.stderr)
    # Nothing near: CLI11's own message, still the usage-error code.
    r = goap("run", "--frobnicate", "w.yaml")
    check(r.returncode == 2 and "--frobnicate" in r.stderr and "did you mean" not in r.stderr, "no guess", r.stderr)
    # A value that looks like a mistyped option after '--' is left alone; a right one is not flagged.
    r = goap("run", "--help")
    check(r.returncode == 0, "run --help", r.stderr)


def test_version_names_the_plugin_api_and_the_commit():
    r = goap("--version")
    lines = r.stdout.splitlines()
    version = re.search(r"version: '([^']+)'", open(os.path.join(ROOT, "meson.build")).read()).group(1)
    api = re.search(r"#define GOAP_PLUGIN_API_VERSION (\d+)u",
                    open(os.path.join(ROOT, "engine", "plugin_api", "goap_plugin.h")).read()).group(1)
    check(r.returncode == 0 and len(lines) == 3, "three lines, exit 0", r.stdout)
    check(lines[:2] == [f"goap {version}", f"plugin API {api}"], "version and plugin API version", r.stdout)
    commit = lines[2] if len(lines) == 3 else ""
    if os.path.exists(os.path.join(ROOT, ".git")):
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        m = re.fullmatch(r"commit ([0-9a-f]{12})(-dirty)?", commit)
        check(m is not None and head.startswith(m.group(1)), f"the built commit is HEAD ({head[:12]})", commit)
    else:
        check(commit == "commit unknown", "outside a git checkout: unknown", commit)
    for args in (["--version", "--json"], ["--json", "--version"]):
        r = goap(*args)
        doc = json.loads(r.stdout) if r.returncode == 0 else {}
        check(doc == {"format_version": 1, "version": version, "plugin_api": int(api), "commit": commit[len("commit "):]},
              "--version --json says the same", r.stdout, r.stderr)


passed = failed = 0
for t in (test_help_shows_every_default, test_a_mistyped_command_gets_a_suggestion, test_version_names_the_plugin_api_and_the_commit):
    before = len(failures)
    t()
    ok = len(failures) == before
    passed, failed = passed + ok, failed + (not ok)
    print(("ok   " if ok else "FAIL ") + t.__name__)
for f in failures:
    print(f)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
