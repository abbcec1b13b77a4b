#!/usr/bin/env python3
"""The lab end to end: tools/lab.sh up, each break scenario healed by `goap run` of the lab's
world, checked by sensing afterwards, and `tools/lab.sh down` leaving no process behind.

    test_lab.py GOAP SRC

Real components only: Debian's sshd per fleet host on 127.0.0.1, git over that ssh, the lab's
stand-ins for the host programs and the provider (tools/lab/lab.py), the real plugins.

Time, honestly: power-cycle-vps needs `not reachable($v) for 5m` and rebuild-vps `for 15m`, by
the journal's sensed readings. The test does not wait 15 minutes; after a first run that sensed
the host down (and could do nothing for it), it moves EVERY timestamp in the journal back by
the same amount (runs, steps, attempts, decisions, approvals, readings, escalations), as if
that first run had happened that long ago. The world is not changed.

Each scenario prints its transcript's length (lines of the healing runs' output) and time.
"""
import datetime
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plugins"))
from goaptest import Env, check  # noqa: E402
import sshlab  # noqa: E402

GOAP = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
LAB = os.path.join(SRC, "tools", "lab.sh")
TIMES = {"runs": ["started", "finished"], "steps": ["started", "finished"], "attempts": ["finished"],
         "decisions": ["at"], "approvals": ["requested", "expires", "decided_at"],
         "readings": ["first_seen", "last_seen"]}


def free_base():
    """A base port whose lab ports (base+1..2, +11..12, +21..22) are all free."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1] - 1
        if base + 22 >= 65535:
            continue
        ok = True
        for p in (1, 2, 11, 12, 21, 22):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", base + p))
                except OSError:
                    ok = False
        if ok:
            return base
    raise AssertionError("no free ports for the lab")


def shift_journal(path, seconds):
    """Every timestamp in the journal `seconds` earlier: the runs so far happened that long ago."""
    def back(v):
        if not v:  # not set (NULL or empty)
            return v
        t = datetime.datetime.strptime(v, "%Y-%m-%dT%H:%M:%S.%fZ" if "." in v else "%Y-%m-%dT%H:%M:%SZ")
        t -= datetime.timedelta(seconds=seconds)
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z" if "." in v else t.strftime("%Y-%m-%dT%H:%M:%SZ")

    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    n = 0
    for table, cols in TIMES.items():
        if table not in tables:
            continue
        for rowid, *vals in db.execute(f"SELECT rowid, {', '.join(cols)} FROM {table}").fetchall():
            db.execute(f"UPDATE {table} SET {', '.join(c + ' = ?' for c in cols)} WHERE rowid = ?",
                       [back(v) for v in vals] + [rowid])
            n += 1
    if "escalations" in tables:
        db.execute("UPDATE escalations SET at_ms = at_ms - ?", (seconds * 1000,))
    db.commit()
    db.close()
    check(n > 0, "the journal had timestamps to move")


class Lab:
    def __init__(self, env):
        self.env = env
        self.dir = env.path("lab")
        self.base = free_base()
        self.world = env.path("timmy-lab.yaml")
        self.runenv = dict(env.env)
        self.runenv["PATH"] = os.path.join(self.dir, "bin") + ":" + env.env["PATH"]  # goap-escalate
        self.runenv["GOAP_ESCALATION_FILE"] = env.path("escalations.log")

    def sh(self, *args, rc=0):
        p = subprocess.run([LAB, "--dir", self.dir, "--port", str(self.base)] + list(args), capture_output=True,
                           text=True, timeout=120)
        check(p.returncode == rc, f"lab.sh {' '.join(args)}: exit {p.returncode}, wanted {rc}", p.stdout, p.stderr)
        return p.stdout

    def goap(self, *args, journal, rc=0, timeout=240):
        p = subprocess.run([GOAP] + list(args) + ["--journal", journal, "--allow-outside", SRC], capture_output=True, text=True,
                           timeout=timeout, env=self.runenv, cwd=self.env.dir)
        if rc is not None:
            check(p.returncode == rc, f"goap {' '.join(args)}: exit {p.returncode}, wanted {rc}", p.stdout, p.stderr)
        return p

    def sense_holds(self, journal):
        """`goap next --sense`: every relevant goal holds, by what the sensors read now."""
        p = subprocess.run([GOAP, "next", self.world, "--sense", "--allow-outside", SRC], capture_output=True, text=True,
                           timeout=120, env=self.runenv, cwd=self.env.dir)
        check(p.stdout.startswith("{"), "goap next --sense answers", p.stdout, p.stderr)
        doc = json.loads(p.stdout)
        check(p.returncode == 0 and doc.get("status") == "satisfied",
              "after healing, goap next --sense finds every goal met", p.stdout, p.stderr)
        s = subprocess.run([GOAP, "sense", self.world, "--sensed-only", "--json", "--allow-outside", SRC], capture_output=True, text=True,
                           timeout=120, env=self.runenv, cwd=self.env.dir)
        readings = json.loads(s.stdout)["readings"]
        return {r["fact"]: r["value"] for r in readings if r["status"] == "sensed"}

    def processes(self):
        out = []
        for e in os.listdir("/proc"):
            if not e.isdigit():
                continue
            try:
                with open(f"/proc/{e}/cmdline") as f:
                    cmd = f.read().replace("\0", " ")
                cwd = os.readlink(f"/proc/{e}/cwd")
            except OSError:
                continue
            if (self.dir + "/") in cmd or cwd.startswith(self.dir):
                with open(f"/proc/{e}/stat") as f:
                    if f.read().rsplit(")", 1)[-1].split()[0] != "Z":
                        out.append(f"{e} {cmd}")
        return out


def heal(lab, journal, *extra):
    start = time.time()
    p = lab.goap("run", lab.world, "--approve", "rebuild-vps", *extra, journal=journal)
    return p.stdout, time.time() - start


def report(name, out, secs):
    print(f"scenario {name}: transcript {len(out.splitlines())} lines, {secs:.1f} s", flush=True)


def scenario_ollama_down(lab):
    lab.sh("break", "ollama-down")
    j = lab.env.path("j-ollama.db")
    out, secs = heal(lab, j)
    check("restart-ollama(hermes-vps)" in out and "verified" in out, "Ollama restarted over ssh, verified", out)
    facts = lab.sense_holds(j)
    check(facts["ollama_api_ok(hermes-vps)"] == "true" and facts["model_present(hermes-vps)"] == "true",
          "the API answers through ssh with the model", json.dumps(facts))
    report("ollama-down", out, secs)


def scenario_gitea_down(lab):
    lab.sh("break", "gitea-down")
    j = lab.env.path("j-gitea.db")
    out, secs = heal(lab, j)
    check("restart-gitea(hermes-vps)" in out and "sync-repo(timmy-config, hermes-vps)" in out,
          "Gitea restarted, then the working copy pushed to it over ssh", out)
    work = os.path.join(lab.dir, "work", "timmy-config")
    head = subprocess.run(["git", "-C", work, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    bare = os.path.join(lab.dir, "hosts", "hermes", "root", "srv", "gitea", "repositories", "timmy", "timmy-config.git")
    forge = subprocess.run(["git", "-C", bare, "rev-parse", "main"], capture_output=True, text=True).stdout.strip()
    check(head and head == forge, "the forge has the working copy's commit", head, forge)
    facts = lab.sense_holds(j)
    check(facts["gitea_healthy"] == "true" and facts["repo_synced(timmy-config)"] == "true", "sensed healed",
          json.dumps(facts))
    report("gitea-down", out, secs)


def scenario_host_unreachable(lab):
    lab.sh("break", "host-unreachable")
    j = lab.env.path("j-unreachable.db")
    first = lab.goap("run", lab.world, journal=j, rc=None)
    check(first.returncode != 0 and "power-cycle-vps" not in first.stdout,
          "a host down for a moment is not power-cycled", first.stdout, first.stderr)
    shift_journal(j, 6 * 60)  # that first run was 6 minutes ago: down for 5 minutes by the readings
    out, secs = heal(lab, j)
    check("power-cycle-vps(hermes-vps)" in out and "rebuild-vps" not in out, "power-cycled, not rebuilt", out)
    facts = lab.sense_holds(j)
    check(facts["reachable(hermes-vps)"] == "true" and facts["data_present(hermes-vps)"] == "true",
          "back with its data", json.dumps(facts))
    report("host-unreachable", first.stdout + out, secs)


def scenario_host_lost(lab):
    kh = os.path.join(lab.dir, "keys", "known_hosts")
    with open(kh) as f:
        before = f.read()
    lab.sh("break", "host-lost")
    j = lab.env.path("j-lost.db")
    first = lab.goap("run", lab.world, "--approve", "rebuild-vps", journal=j, rc=None)
    check(first.returncode != 0 and "rebuild-vps" not in first.stdout, "not rebuilt after one look", first.stdout)
    shift_journal(j, 16 * 60)  # the first run was 16 minutes ago: down for 15 minutes
    out, secs = heal(lab, j)
    for step in ("rebuild-vps(hermes-vps)", "reconnect-tailscale(hermes-vps)", "restore-from-backup(hermes-vps)",
                 "notify-operator", "restart-gitea(hermes-vps)", "restart-ollama(hermes-vps)", "pull-model(hermes-vps)"):
        check(step in out, f"the run took {step}", out)
    with open(kh) as f:
        after = f.read()
    line = lambda text, port: [x for x in text.splitlines() if x.startswith(f"[127.0.0.1]:{port} ")]
    check(line(before, lab.base + 1) != line(after, lab.base + 1) and len(line(after, lab.base + 1)) == 1,
          "hermes-vps's known-hosts entry replaced by the new host key", before, after)
    check(line(before, lab.base + 2) == line(after, lab.base + 2), "allegro-vps's entry untouched", before, after)
    with open(lab.runenv["GOAP_ESCALATION_FILE"]) as f:
        log = f.read()
    check("\tnotified\t" in log, "the operator was notified through goap-escalate --notify", log)
    facts = lab.sense_holds(j)
    check(facts["provisioned(hermes-vps)"] == "true" and facts["data_present(hermes-vps)"] == "true"
          and facts["model_present(hermes-vps)"] == "true", "re-created, restored, model pulled", json.dumps(facts))
    report("host-lost", first.stdout + out, secs)


def test_lab_heals_every_scenario(env):
    lab = Lab(env)
    lab.sh("world", "--out", lab.world)
    try:
        out = lab.sh("up")
        check("lab up" in out, "lab.sh up", out)
        check(len(lab.processes()) >= 4, "sshd, Ollama and Gitea run", "\n".join(lab.processes()))
        # A healthy lab: nothing to do, by the sensors.
        facts = lab.sense_holds(env.path("j-healthy.db"))
        check(facts["reachable(allegro-vps)"] == "true" and facts["agent_running(ezra)"] == "true", "sensed healthy",
              json.dumps(facts))
        c = subprocess.run([GOAP, "check", lab.world, "--allow-outside", SRC], capture_output=True, text=True, timeout=60, env=lab.runenv)
        check(c.returncode == 0, "goap check passes on the lab's world and sensors", c.stdout, c.stderr)
        for s in (scenario_ollama_down, scenario_gitea_down, scenario_host_unreachable, scenario_host_lost):
            s(lab)
    finally:
        down = subprocess.run([LAB, "--dir", lab.dir, "down"], capture_output=True, text=True, timeout=120)
    check(down.returncode == 0 and "no process" in down.stdout, "lab.sh down", down.stdout, down.stderr)
    left = lab.processes()
    check(not left, "no process of the lab is left", "\n".join(left))
    check(not os.path.exists(lab.dir), "the lab's directory is gone")


def test_committed_lab_world_is_the_rendered_one(env):
    """worlds/timmy-lab.yaml and its sensors are what `tools/lab.sh world` renders for the
    default lab: only the objects and the sensors' literal values differ from timmy-ops."""
    out = env.path("w", "timmy-lab.yaml")
    subprocess.run([LAB, "--dir", "/tmp/goap-lab", "--port", "42200", "world", "--out", out], check=True,
                   capture_output=True, env=dict(os.environ, USER="root"))
    for name in ("timmy-lab.yaml", "timmy-lab.sensors.yaml"):
        with open(os.path.join(SRC, "worlds", name)) as f:
            committed = f.read()
        with open(env.path("w", name)) as f:
            rendered = f.read()
        if name == "timmy-lab.yaml":  # the rendered copy's `uses:` points back at the source tree
            rendered = re.sub(r"uses: \[[^\]]*\]", "uses: [../plugins/*/actions.yaml, ../goals/timmy-ops/*.yaml]",
                              rendered)
        if os.geteuid() != 0:  # rendered for the user running it; the committed file is root's
            continue
        check(committed == rendered, f"worlds/{name} is `tools/lab.sh world`'s output (regenerate it)", committed,
              rendered)


def test_run_kind_names_the_plugins_action_kind(env):
    """`run: kind:` picks one of a plugin's action kinds (fence-primary runs rebuild-vps's
    power-off-vps); a kind the plugin lacks is a located error of `goap check`."""
    env.write("k.yaml", """kind: world
name: k
types: {host: {}}
objects: {web: {type: host}}
facts: {up(host): bool}
state: []
actions:
  good:
    params: {h: host}
    eff: [up($h)]
    run: {plugin: command, kind: command, with: {argv: ["true"]}}
  bad:
    params: {h: host}
    eff: [up($h)]
    run: {plugin: command, kind: comand, with: {argv: ["true"]}}
goals:
  g: {want: [up(web)]}
""")
    p = env.goap_run("check", "k.yaml", rc=None)
    check(p.returncode != 0 and "k.yaml:15:10: error: action 'bad': plugin 'command' has no action kind 'comand'" in p.stderr
          and "did you mean 'command'?" in p.stderr and "action 'good'" not in p.stderr,
          "an unknown kind is located, with a hint; a known one passes", p.stdout, p.stderr)


if __name__ == "__main__":
    from goaptest import main
    if not sshlab.available():
        print("skip: the lab needs openssh-server and openssh-client (tools/setup.sh installs them)")
        sys.exit(77)
    sys.exit(main([test_run_kind_names_the_plugins_action_kind, test_committed_lab_world_is_the_rendered_one,
                  test_lab_heals_every_scenario], GOAP))
