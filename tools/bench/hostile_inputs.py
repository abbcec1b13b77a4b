#!/usr/bin/env python3
"""Hostile inputs against one goap binary (issue #20's closing table).

usage: hostile_inputs.py GOAP_BINARY [--json] [--only CATEGORY] [--guard SECONDS] [--verbose]
CATEGORY: inject, ground, batch, files, journal, lower. With --json, stdout is one JSON document
and the summary line goes to stderr.

Every input is created here, in a temporary directory removed at the end. goap runs once at a
time, in its own session, with a wall-clock guard (default 10 s; the whole process group is
killed when it is hit) and RLIMIT_AS of 4 GiB, so a memory blow-up ends as a crash instead of
swapping the machine. Plugins run `ssh` from PATH: a stand-in put first on PATH does what real
ssh would do with an injected option (it runs ProxyCommand/LocalCommand through /bin/sh) and
what a remote shell would do with the joined remote words (it runs them through `sh -c` with a
PATH holding only `touch`), so a marker file created means a value became code; nothing goes
over the network.

Each outcome is one of:
  clear error  refused with a documented exit code (2, 3, 10, 11, 20, 21) and a bounded message
               (< 64 KiB) that names the file or request when the case says what to name
  ok           accepted and handled correctly where acceptance is right
  crash        a signal, exit 1 (internal error), sanitizer text, bad_alloc, std::terminate
  hang         the guard was hit
  wrong        exit 0 where it should refuse, a marker file created, a secret on stdout/stderr,
               a raw ESC/BEL byte in the output, unbounded stderr, a lost batch answer, ...
The last line is `N inputs: A clear error, B ok, C crash, D hang, E wrong`; the exit status is 0
only when crash + hang + wrong == 0. Python 3 standard library only.
"""
import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

OUTCOMES = ["clear error", "ok", "crash", "hang", "wrong"]
DOC_CODES = {2, 3, 10, 11, 20, 21}
SECRET = "s3cr3t-Hostile-Marker-7f3a"
STDERR_CAP = 64 * 1024
CATEGORIES = ["inject", "ground", "batch", "files", "journal", "lower"]

SSH_STANDIN = r'''#!/usr/bin/env python3
# A stand-in for ssh: records argv; runs ProxyCommand/LocalCommand through /bin/sh as ssh would;
# runs the remote words joined by spaces through sh -c (as sshd's login shell would), with a
# PATH holding only `touch`, so only an injected `touch MARKER` can have an effect.
import os, subprocess, sys
log = os.environ.get("HOSTILE_SSH_LOG")
if log:
    with open(log, "a") as f:
        f.write(repr(sys.argv) + "\n")
args = sys.argv[1:]
takes = set("BbcDEeFIiJLlmOoPpQRSWw")
opts, i = [], 0
while i < len(args):
    a = args[i]
    if a == "--":
        i += 1
        break
    if not a.startswith("-") or a == "-":
        break
    if a[1] in takes:
        if len(a) > 2:
            opts.append((a[1], a[2:])); i += 1
        else:
            opts.append((a[1], args[i + 1] if i + 1 < len(args) else "")); i += 2
    else:
        i += 1
for k, v in opts:
    if k == "o":
        v = v.strip()
        cut = min([i for i in (v.find("="), v.find(" "), v.find("\t")) if i >= 0] or [len(v)])
        key, val = v[:cut], v[cut + 1:].lstrip(" =\t")
        if key.lower() in ("proxycommand", "localcommand") and val:
            subprocess.run(["/bin/sh", "-c", val])
rest = args[i:]
if not rest:
    sys.exit(255)
dest, words = rest[0], rest[1:]
if any(c in dest for c in " \n\t'\"`;$|&<>") or dest.startswith("-"):
    sys.stderr.write("ssh: hostname contains invalid characters\n"); sys.exit(255)
if words:
    env = {"PATH": os.environ["HOSTILE_REMOTE_PATH"]}
    sys.exit(subprocess.run(["/bin/sh", "-c", " ".join(words)], env=env).returncode)
sys.exit(0)
'''


class Case:
    def __init__(self, cat, name, args, expect="error", stdin=b"", names=(), marker=None, batch_lines=None,
                 pre=(), check=None, guard=None, env=None, setup=None):
        self.cat, self.name, self.args, self.expect = cat, name, args, expect
        self.stdin, self.names, self.marker = stdin, names, marker
        self.batch_lines = batch_lines      # number of request lines a batch must answer
        self.pre = pre                       # goap argument lists run first (their outcome is not counted)
        self.check = check                   # extra check(result) -> None or (outcome, reason)
        self.guard, self.env, self.setup = guard, env or {}, setup


class Result:
    pass


class Probe:
    def __init__(self, goap, tmp, guard, verbose):
        self.goap, self.tmp, self.guard, self.verbose = goap, tmp, guard, verbose
        self.bin = os.path.join(tmp, "bin")
        self.remote = os.path.join(tmp, "remote-bin")
        os.makedirs(self.bin)
        os.makedirs(self.remote)
        write(os.path.join(self.bin, "ssh"), SSH_STANDIN)
        os.chmod(os.path.join(self.bin, "ssh"), 0o755)
        os.symlink(shutil.which("touch") or "/usr/bin/touch", os.path.join(self.remote, "touch"))

    def run(self, args, cwd, stdin=b"", guard=None, env_extra=None):
        env = dict(os.environ, NO_COLOR="1", HOME=os.path.join(self.tmp, "home"),
                   GOAP_JOURNAL=os.path.join(cwd, "journal.db"), PATH=self.bin + ":" + os.environ.get("PATH", ""),
                   HOSTILE_SSH_LOG=os.path.join(self.tmp, "ssh.log"), HOSTILE_REMOTE_PATH=self.remote,
                   GOAP_PROBE_SECRET=SECRET, XDG_STATE_HOME=os.path.join(self.tmp, "state"))
        env.update(env_extra or {})

        def limits():
            resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        r = Result()
        t0 = time.monotonic()
        p = subprocess.Popen([self.goap, *args], cwd=cwd, env=env, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limits, start_new_session=True)
        try:
            r.out, r.err = p.communicate(stdin or None, timeout=guard or self.guard)
            r.hung = False
        except BaseException as e:
            if isinstance(e, subprocess.TimeoutExpired):
                pass
            else:  # interrupted: goap must not outlive the probe
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait()
                raise
            r.hung = True
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                r.out, r.err = p.communicate(timeout=5)
            except subprocess.TimeoutExpired:  # a descendant in another session holds the pipes
                r.out, r.err = b"", b""
                p.wait()
        finally:
            try:
                os.killpg(p.pid, signal.SIGKILL)  # anything of this run still in its group
            except (ProcessLookupError, PermissionError):
                pass
        r.rc = p.returncode
        r.secs = time.monotonic() - t0
        return r

    def classify(self, c, r, d):
        text = r.out + r.err
        if r.hung:
            return "hang", f"no exit within {c.guard or self.guard} s"
        if r.rc < 0:
            return "crash", f"signal {-r.rc}"
        for w in (b"AddressSanitizer", b"runtime error:", b"bad_alloc", b"terminate called", b"internal error",
                  b"LeakSanitizer", b"Segmentation fault"):
            if w in r.err:
                return "crash", f"exit {r.rc}: {w.decode()} on stderr"
        if r.rc == 1:
            return "crash", f"exit 1: {tail(r.err)}"
        made = [f for f in os.listdir(d) if c.marker and f.startswith(c.marker)]
        if made:  # ssh appends '@host' to an injected user, so the file may be 'PWNED@gpu.example'
            return "wrong", f"exit {r.rc}: the marker file '{made[0]}' was created (a value ran as code)"
        if SECRET.encode() in text:
            return "wrong", f"exit {r.rc}: the secret's text was printed"
        for raw in (b"\x1b", b"\x07"):
            if raw in r.err or (raw in r.out and "--json" not in c.args):
                return "wrong", f"exit {r.rc}: a raw {raw!r} byte reached the terminal"
        if len(r.err) > STDERR_CAP:
            return "wrong", f"exit {r.rc}: {len(r.err)} bytes of stderr"
        if c.check:
            v = c.check(r, d)
            if v:
                return v
        if c.batch_lines is not None:
            return self.classify_batch(c, r)
        if r.rc == 0:
            if c.expect == "error":
                return "wrong", "exit 0 where it should refuse"
            return "ok", "exit 0"
        if r.rc not in DOC_CODES:
            return "wrong", f"undocumented exit {r.rc}: {tail(r.err)}"
        if c.expect == "ok":
            return "wrong", f"refused a valid input: exit {r.rc}: {tail(text)}"
        if not text.strip():
            return "wrong", f"exit {r.rc} with no message"
        if c.names and not any(n.encode() in text for n in c.names):
            return "wrong", f"exit {r.rc}, but the message does not name {c.names[0]!r}: {tail(text)}"
        return "clear error", f"exit {r.rc}: {tail(text)}"

    def classify_batch(self, c, r):
        try:
            lines = r.out.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            return "wrong", "the answers are not valid UTF-8"
        answers = []
        for l in lines:
            try:
                answers.append(json.loads(l))
            except ValueError:
                return "wrong", f"an answer is not JSON: {l[:100]!r}"
        if r.rc != 0 and not (c.expect != "ok" and r.rc in DOC_CODES and c.batch_lines == 0):
            return "wrong", f"exit {r.rc}, {len(answers)} answers of {c.batch_lines}: {tail(r.err)}"
        if len(answers) != c.batch_lines:
            return "wrong", f"{len(answers)} answers for {c.batch_lines} request lines"
        errs = [a for a in answers if a.get("status") == "error"]
        if c.expect == "error":
            if not errs:
                return "wrong", "no error answer for the bad line"
            return "clear error", f"{len(answers)} answers, {len(errs)} errors: {str(errs[0].get('error'))[:150]}"
        if errs and c.expect == "ok":
            return "wrong", f"an error answer for a good line: {errs[0]}"
        if errs:
            return "clear error", f"{len(answers)} answers, {len(errs)} errors: {str(errs[0].get('error'))[:150]}"
        return "ok", f"{len(answers)} answers"

    def do(self, c):
        d = tempfile.mkdtemp(prefix=f"{c.cat}-", dir=self.tmp)
        try:
            if c.setup:
                c.setup(d)
            for pre in c.pre:
                self.run(pre, d, guard=c.guard)
            stdin = c.stdin(d) if callable(c.stdin) else c.stdin
            r = self.run(c.args, d, stdin=stdin, guard=c.guard, env_extra=c.env)
            outcome, why = self.classify(c, r, d)
        except Exception as e:  # a broken case is reported, the next one still runs
            outcome, why, r = "crash", f"probe error: {type(e).__name__}: {e}", None
        finally:
            shutil.rmtree(d, ignore_errors=True)
        return {"category": c.cat, "name": c.name, "args": c.args, "outcome": outcome, "detail": why,
                "rc": r.rc if r else None, "secs": round(r.secs, 2) if r else None}


def write(path, data, mode=None):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)


def tail(b, n=160):
    s = b.decode("utf-8", "replace").strip().replace("\n", " | ")
    return s[:n] + ("..." if len(s) > n else "")


def files(**kw):
    """setup: write each name=content (names with __ for /, _dot_ for .)."""
    def setup(d):
        for k, v in kw.items():
            if callable(v):
                v(os.path.join(d, k))
            else:
                write(os.path.join(d, k), v)
    return setup


def fifo(p):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    os.mkfifo(p)


def symlink_to(target):
    def f(p):
        os.makedirs(os.path.dirname(p), exist_ok=True)
        os.symlink(target if target.startswith("/") else os.path.join(os.path.dirname(p), target), p)
    return f


def mkdir(p):
    os.makedirs(p, exist_ok=True)


def both(*setups):
    def s(d):
        for x in setups:
            x(d)
    return s


SMALL = "kind: world\nfacts: {up: bool, on: bool}\nactions: {boot: {eff: [up]}, light: {pre: [up], eff: [on]}}\ngoals: {g: {want: [on]}}\n"
DOMAIN = "(define (domain d) (:requirements :strips) (:predicates (p) (q))\n (:action a :parameters () :effect (p))\n (:action b :precondition (p) :effect (q)))\n"
PROBLEM = "(define (problem q1) (:domain d) (:init) (:goal (q)))\n"
PLAN = json.dumps({"format_version": 1, "status": "plan", "goal": "g", "cost": 2,
                   "plan": [{"action": "boot", "args": {}, "cost": 1}, {"action": "light", "args": {}, "cost": 1}]})


# ---------------------------------------------------------------- 1. option and shell injection

def inject_cases():
    cs = []
    M = "PWNED"

    def ollama_world(user, host, unit):
        return f"""kind: world
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
        probe: "http://127.0.0.1:9/api/tags"
        timeout: 1s
        interval: 50ms
goals:
  up: {{priority: 1, want: [ollama_api_ok(gpu-box)]}}
"""

    def command_world(user, host, argv):
        return f"""kind: world
name: fleet
types: {{host: {{}}}}
objects:
  box: {{type: host, address: {json.dumps(host)}, ssh_user: {json.dumps(user)}}}
facts:
  done(host): bool
actions:
  fix:
    params: {{h: host}}
    eff: [done($h)]
    run:
      plugin: command
      with:
        host: "${{h.address}}"
        ssh_user: "${{h.ssh_user}}"
        argv: {json.dumps(argv)}
        timeout: 5s
goals:
  g: {{want: [done(box)]}}
"""

    def handssh_world(user, host, prog="ssh"):
        return f"""kind: world
name: fleet
types: {{host: {{}}}}
objects:
  box: {{type: host, address: {json.dumps(host)}, ssh_user: {json.dumps(user)}}}
facts:
  done(host): bool
actions:
  fix:
    params: {{h: host}}
    eff: [done($h)]
    run:
      plugin: command
      with:
        argv: ["{prog}", "${{h.ssh_user}}@${{h.address}}", "true"]
        timeout: 5s
goals:
  g: {{want: [done(box)]}}
"""

    def git_setup(remote, branch, mirror=None):
        def s(d):
            repo = os.path.join(d, "work")
            subprocess.run(["git", "init", "-q", repo], check=True)
            subprocess.run(["git", "-C", repo, "-c", "user.name=p", "-c", "user.email=p@p", "commit", "-q",
                            "--allow-empty", "-m", "one"], check=True)
            forge = os.path.join(d, "forge.git")
            subprocess.run(["git", "init", "-q", "--bare", forge], check=True)
            r = remote.replace("FORGE", forge)
            mline = f"\n        mirror: {json.dumps(mirror.replace('FORGE', forge))}" if mirror else ""
            write(os.path.join(d, "repos.yaml"), f"""kind: world
name: repos
types: {{repo: {{}}}}
objects:
  config: {{type: repo, path: {json.dumps(repo)}, remote: {json.dumps(r)}, branch: {json.dumps(branch)}}}
facts:
  repo_synced(repo): bool
actions:
  sync-repo:
    params: {{r: repo}}
    eff: [repo_synced($r)]
    run:
      plugin: sync-repo
      with:
        repo: "${{r}}"
        path: "${{r.path}}"
        remote: "${{r.remote}}"{mline}
        branch: "${{r.branch}}"
        timeout: 5s
goals:
  synced: {{want: [repo_synced(config)]}}
""")
        return s

    def vps_world(addr, droplet, user):
        return f"""kind: world
name: vpsfleet
types: {{vps: {{}}}}
objects:
  web-1: {{type: vps, address: {json.dumps(addr)}, droplet: {json.dumps(droplet)}, ssh_user: {json.dumps(user)}}}
facts:
  rebuilt(vps): bool
actions:
  rebuild-vps:
    params: {{v: vps}}
    eff: [rebuilt($v)]
    approval: true
    run:
      plugin: rebuild-vps
      with:
        droplet: "${{v.droplet}}"
        image: debian-12-x64
        address: "${{v.address}}"
        ssh_user: "${{v.ssh_user}}"
        ssh_known_hosts: /dev/null
        timeout: 2s
        interval: 100ms
goals:
  g: {{want: [rebuilt(web-1)]}}
"""

    P = f"-oProxyCommand=touch {M}"
    runs = [(["run", "w.yaml", "--retries", "0"], "run"), (["run", "w.yaml", "--dry-run"], "dry-run"),
            (["check", "w.yaml"], "check")]
    # option position: the value must be refused (check: flagged; run: refused; nothing runs)
    for label, user, host in [("ssh_user -oProxyCommand", P, "gpu.example"),
                              ("ssh_user -oProxyCommand;", P + ";", "gpu.example"),
                              ("ssh_user '-o ProxyCommand'", f"-o ProxyCommand=touch {M}", "gpu.example"),
                              ("ssh_user -oLocalCommand", f"-oPermitLocalCommand=yes -oLocalCommand=touch {M}", "gpu.example"),
                              ("ssh_user root@x -oProxyCommand", f"root@x {P}", "gpu.example"),
                              ("ssh_user with newline", f"root\n{P}", "gpu.example"),
                              ("host -oProxyCommand", "root", P),
                              ("host newline -o", "root", f"lab\n{P}"),
                              ("host -oProxyCommand@", "root", P + "@x")]:
        for args, how in runs:
            expect = "either" if how == "dry-run" else "error"
            cs.append(Case("inject", f"restart-ollama {label}: {how}", args, expect=expect, marker=M,
                           setup=files(**{"w.yaml": ollama_world(user, host, "ollama")})))
            cs.append(Case("inject", f"command host/ssh_user {label}: {how}", args, expect=expect, marker=M,
                           setup=files(**{"w.yaml": command_world(user, host, ["systemctl", "restart", "x"])})))
    # shell text in an operand: must reach the remote side as one word (nothing extra runs)
    for label, unit in [("unit ;", f"ollama; touch {M}"), ("unit $()", f"$(touch {M})"), ("unit backticks", f"`touch {M}`"),
                        ("unit |", f"x | touch {M}"), ("unit &&", f"x && touch {M}"), ("unit newline", f"x\ntouch {M}"),
                        ("unit quotes", f"'; touch {M}; '"), ("unit dquotes", f"\"; touch {M}; \""),
                        ("unit -- option", f"--now; touch {M}")]:
        cs.append(Case("inject", f"restart-ollama {label}: run", ["run", "w.yaml", "--retries", "0"], expect="either",
                       marker=M, setup=files(**{"w.yaml": ollama_world("root", "gpu.example", unit)})))
        cs.append(Case("inject", f"command argv {label}: run over ssh", ["run", "w.yaml", "--retries", "0"],
                       expect="either", marker=M,
                       setup=files(**{"w.yaml": command_world("root", "gpu.example", ["echo", unit])})))
    # a hand-written ssh argv whose destination starts with a template
    for args, how in runs:
        cs.append(Case("inject", f"command hand-written ssh, user -oProxyCommand: {how}", args,
                       expect="either" if how == "dry-run" else "error", marker=M,
                       setup=files(**{"w.yaml": handssh_world(P, "gpu.example")})))
    # sync-repo: git options through remote, branch and mirror
    for label, remote, branch, mirror in [("remote --upload-pack", f"--upload-pack=touch {M};", "main", None),
                                          ("remote ext::", f"ext::sh -c touch% {M}", "main", None),
                                          ("remote ssh://-oProxyCommand", f"ssh://-oProxyCommand=touch%20{M}/r.git", "main", None),
                                          ("remote newline --upload-pack", f"FORGE\n--upload-pack=touch {M}", "main", None),
                                          ("branch --upload-pack", "FORGE", f"--upload-pack=touch {M}", None),
                                          ("branch two refspecs", "FORGE", "main:refs/heads/hijack", None),
                                          ("mirror --receive-pack", "FORGE", "main", f"--receive-pack=touch {M}")]:
        for args, how in [(["run", "repos.yaml", "--retries", "0"], "run"), (["check", "repos.yaml"], "check")]:
            cs.append(Case("inject", f"sync-repo {label}: {how}", args, expect="error", marker=M,
                           setup=git_setup(remote, branch, mirror)))
    # rebuild-vps: address, ssh_user and droplet (the name doctl gets) from the world
    for label, addr, droplet, user in [("address -oProxyCommand", P, "web-1", "root"),
                                       ("ssh_user -oProxyCommand", "gpu.example", "web-1", P),
                                       ("droplet --hook", "gpu.example", f"--hook=touch {M}", "root"),
                                       ("droplet shell text", "gpu.example", f"x; touch {M}", "root")]:
        expect_run = "either" if "shell" in label else "error"
        for args, how in [(["run", "w.yaml", "--retries", "0", "--approve", "rebuild-vps"], "run"),
                          (["check", "w.yaml"], "check")]:
            cs.append(Case("inject", f"rebuild-vps {label}: {how}", args,
                           expect=expect_run if how == "run" else ("either" if "shell" in label else "error"),
                           marker=M, setup=files(**{"w.yaml": vps_world(addr, droplet, user)})))
    return cs


# ---------------------------------------------------------------- 2. grounding explosions

def ground_cases():
    cs = []
    L = ["--max-ms", "3000", "--max-memory-mb", "512"]

    def objs(n, t="t"):
        return "\n".join(f"  o{i}: {{type: {t}}}" for i in range(n))

    def world(n, k, forall=0):
        ps = ", ".join(f"x{i}: t" for i in range(k))
        args = ", ".join(f"$x{i}" for i in range(k))
        fa = ", ".join(f"a{i}: t" for i in range(forall))
        fargs = ", ".join(f"$a{i}" for i in range(forall))
        goal = (f"  big: {{forall: {{{fa}}}, want: [r{forall}({fargs})]}}\n" if forall else "  g: {want: [done]}\n")
        rfacts = f"  r{forall}({', '.join(['t'] * forall)}): bool\n" if forall else ""
        racts = (f"  mk:\n    params: {{{fa}}}\n    eff: [r{forall}({fargs})]\n" if forall else "")
        return (f"kind: world\ntypes: {{t: {{}}}}\nobjects:\n{objs(n)}\nfacts:\n  p({', '.join(['t'] * k)}): bool\n"
                f"  done: bool\n{rfacts}actions:\n  act:\n    params: {{{ps}}}\n    eff: [p({args})]\n"
                f"  fin:\n    params: {{{ps}}}\n    pre: [p({args})]\n    eff: [done]\n{racts}goals:\n{goal}")

    for n, k in [(40, 4), (60, 4), (30, 5), (200, 3), (12, 8)]:
        cs.append(Case("ground", f"YAML {n} objects x {k} params: plan", ["plan", "w.yaml", *L], expect="either",
                       setup=files(**{"w.yaml": world(n, k)})))
    for n, k in [(60, 4), (12, 8)]:
        cs.append(Case("ground", f"YAML {n} objects x {k} params: check", ["check", "w.yaml"], expect="either",
                       setup=files(**{"w.yaml": world(n, k)})))
    cs.append(Case("ground", "YAML 60x4 params: next", ["next", "w.yaml", *L], expect="either",
                   setup=files(**{"w.yaml": world(60, 4)})))
    for n, f in [(200, 3), (40, 5)]:
        cs.append(Case("ground", f"YAML forall over {n}^{f}: plan", ["plan", "w.yaml", *L], expect="either",
                       setup=files(**{"w.yaml": world(3, 1, forall=f).replace(objs(3), objs(n))})))
    cs.append(Case("ground", "YAML forall over 200^3: check", ["check", "w.yaml"], expect="either",
                   setup=files(**{"w.yaml": world(3, 1, forall=3).replace(objs(3), objs(200))})))
    cs.append(Case("ground", "YAML small world under the limits: plan", ["plan", "w.yaml", *L], expect="ok",
                   setup=files(**{"w.yaml": world(5, 2)})))

    def pddl(n, k):
        ps = " ".join(f"?x{i}" for i in range(k))
        dom = (f"(define (domain big) (:requirements :strips :typing) (:types t) (:predicates (p {ps} - t) (done))\n"
               f" (:action a :parameters ({ps} - t) :effect (p {ps}))\n"
               f" (:action f :parameters ({ps} - t) :precondition (p {ps}) :effect (done)))\n")
        prob = (f"(define (problem bigp) (:domain big) (:objects {' '.join(f'o{i}' for i in range(n))} - t)"
                f" (:init) (:goal (done)))\n")
        return dom, prob

    for n, k in [(100, 4), (300, 3), (20, 6)]:
        dom, prob = pddl(n, k)
        cs.append(Case("ground", f"PDDL {n} objects x {k} params", ["pddl", "d.pddl", "p.pddl", *L], expect="either",
                       setup=files(**{"d.pddl": dom, "p.pddl": prob})))
    dom, prob = pddl(5, 2)
    cs.append(Case("ground", "PDDL small under the limits", ["pddl", "d.pddl", "p.pddl", *L], expect="ok",
                   setup=files(**{"d.pddl": dom, "p.pddl": prob})))

    def limit_is_error(r, d):  # a grounding that stops at a limit must say so, with exit 11
        if r.rc == 0 and r.secs > 6:
            return "wrong", f"exit 0 but took {r.secs:.1f} s under --max-ms 3000"
        return None
    def check_warns(r, d):  # the issue: `goap check` said these worlds are fine; it must warn
        if r.rc == 0 and b"warning" not in r.err + r.out:
            return "wrong", "exit 0 and no warning: check says a world whose grounding explodes is fine"
        return None
    for c in cs:
        if "--max-ms" in c.args:
            c.check = limit_is_error
        elif c.args[0] == "check":
            c.check = check_warns
    return cs


# ---------------------------------------------------------------- 3. batch

def batch_cases():
    cs = []
    good_w = {"id": "good", "world": "w.yaml"}
    good_p = {"id": "pddl", "domain": "d.pddl", "problem": "p.pddl"}
    base = files(**{"w.yaml": SMALL, "d.pddl": DOMAIN, "p.pddl": PROBLEM})

    def L(o):
        return (json.dumps(o) + "\n").encode()

    def add(name, data, n, expect="error", extra_setup=None, args=("-",), guard=None):
        setup = both(base, extra_setup) if extra_setup else base
        cs.append(Case("batch", name, ["batch", *args], stdin=data if args == ("-",) else b"", expect=expect,
                       batch_lines=n, setup=setup, guard=guard))

    G = L(good_w)
    add("good lines only (world and PDDL)", G + L(good_p) + G, 3, expect="ok")
    add("line starting with 0xff", b'\xff{"world": "w.yaml"}\n' + G, 2)
    add("invalid UTF-8 inside a string", b'{"id": "caf\xc3", "world": "w.yaml"}\n' + G, 2)
    add("overlong UTF-8 encoding", b'{"id": "\xc0\xaf", "world": "w.yaml"}\n' + G, 2)
    add("UTF-16 surrogate escape alone", b'{"id": "\\ud800", "world": "w.yaml"}\n' + G, 2, expect="either")
    add("not JSON", b"this is not json\n" + G, 2)
    add("JSON array", b"[1, 2]\n" + G, 2)
    add("JSON string", b'"w.yaml"\n' + G, 2)
    add("JSON null", b"null\n" + G, 2)
    add("truncated object", b'{"world": "w.yaml"\n' + G, 2)
    add("NUL bytes in a line", b'{"world": "w.y\x00aml"}\n' + G, 2)
    add("NUL escape in the path", b'{"world": "w.yaml\\u0000x"}\n' + G, 2)
    add("missing world and domain", L({"id": 1}) + G, 2)
    add("unknown field only", L({"wurld": "w.yaml"}) + G, 2)
    add("world is a number", L({"world": 7}) + G, 2)
    add("nonexistent world", L({"world": "nope.yaml"}) + G, 2)
    add("world is a directory", L({"world": "."}) + G, 2)
    add("world is a FIFO", L({"world": "f"}) + G, 2, extra_setup=files(f=fifo))
    add("domain is a FIFO", L({"domain": "f", "problem": "p.pddl"}) + G, 2, extra_setup=files(f=fifo))
    add("problem is a FIFO", L({"domain": "d.pddl", "problem": "f"}) + G, 2, extra_setup=files(f=fifo))
    add("world /dev/zero", L({"world": "/dev/zero"}) + G, 2)
    add("world /dev/urandom", L({"world": "/dev/urandom"}) + G, 2)
    add("domain /dev/zero", L({"domain": "/dev/zero", "problem": "p.pddl"}) + G, 2)
    add("world /proc/self/environ", L({"world": "/proc/self/environ"}) + G, 2)
    add("state is a FIFO", L({"world": "w.yaml", "state": "f"}) + G, 2, extra_setup=files(f=fifo))
    add("2 MB line", b'{"world": "' + b"a" * (2 << 20) + b'"}\n' + G, 2)
    add("20 MB line", b'{"world": "' + b"b" * (20 << 20) + b'"}\n' + G, 2)
    add("46 MB line", b'{"world": "' + b"c" * (46 << 20) + b'"}\n' + G, 2)
    add("20 MB line without a newline at the end", G + b'{"world": "' + b"d" * (20 << 20), 2)
    add("deeply nested JSON array (200k)", b"[" * 200000 + b"]" * 200000 + b"\n" + G, 2)
    add("deeply nested JSON object (100k)", b'{"a":' * 100000 + b"1" + b"}" * 100000 + b"\n" + G, 2)
    add("max-ms 1e999", L({"world": "w.yaml"})[:-2] + b', "max-ms": 1e999}\n' + G, 2)
    add("max-ms negative", L({"world": "w.yaml", "max-ms": -5}) + G, 2)
    add("max-expansions huge", L({"world": "w.yaml", "max-expansions": 10 ** 30}) + G, 2)
    add("max-memory-mb string", L({"world": "w.yaml", "max-memory-mb": "lots"}) + G, 2)
    add("goal unknown", L({"world": "w.yaml", "goal": "nope"}) + G, 2)
    add("ESC in the id", L({"id": "\x1b]0;pwn\x07", "world": "nope.yaml"}) + G, 2)
    add("CRLF line ends", G.replace(b"\n", b"\r\n") * 2, 2, expect="either")
    add("blank and whitespace lines", b"\n  \n\t\n" + G, 1, expect="ok")
    add("empty input", b"", 0, expect="ok")
    add("2000 good lines", G * 2000, 2000, expect="ok", guard=60)
    add("mixed: 500 good, 500 bad", (G + b"\xfe\n") * 500, 1000, guard=60)
    add("uses: secret through a batch world", L({"world": "s/w.yaml"}) + G, 2,
        extra_setup=files(**{"s/w.yaml": "kind: world\nuses: [../sec.txt]\nfacts: {up: bool}\n",
                             "sec.txt": f"root:{SECRET}:1:0\n"}))
    cs.append(Case("batch", "batch file is a FIFO", ["batch", "f"], expect="error", setup=both(base, files(f=fifo)),
                   names=("f",)))
    cs.append(Case("batch", "batch file is /dev/zero", ["batch", "/dev/zero"], expect="error", setup=base,
                   names=("/dev/zero",)))
    cs.append(Case("batch", "batch file is a directory", ["batch", "."], expect="error", setup=base))
    cs.append(Case("batch", "batch --threads 2 with bad lines", ["batch", "--threads", "2", "-"], expect="error",
                   stdin=b"\xff\n" + G + b"nope\n" + L(good_p), batch_lines=4, setup=base))
    return cs


# ---------------------------------------------------------------- 4. reading files

def files_cases():
    cs = []
    secret_file = f"root:$6${SECRET}:19000:0:99999:7:::\ndaemon:*:1\n"
    env = {"GOAP_PROBE_SECRET": SECRET}

    def uses_world(target):
        return f"kind: world\nuses: [{json.dumps(target)}]\nfacts: {{up: bool}}\nactions: {{boot: {{eff: [up]}}}}\ngoals: {{g: {{want: [up]}}}}\n"

    targets = [("../out/shadow", "secret outside the tree"), ("/proc/self/environ", "/proc/self/environ"),
               ("/proc/1/cmdline", "/proc/1/cmdline"), ("/proc/kmsg", "/proc/kmsg"), ("/*/*", "glob /*/*"),
               ("/dev/zero", "/dev/zero"), ("/dev/urandom", "/dev/urandom"), ("link.yaml", "symlink to the secret"),
               ("fifo.yaml", "FIFO"), ("sub", "directory"), ("../out/*", "glob outside the tree"),
               ("/proc/self/*", "glob over /proc/self"), ("missing.yaml", "missing file")]
    for t, label in targets:
        setup = files(**{"out/shadow": secret_file, "w/sub/x.yaml": "kind: goals\ngoals: {}\n",
                         "w/link.yaml": symlink_to("../out/shadow"), "w/fifo.yaml": fifo,
                         "w/w.yaml": uses_world(t)})
        for cmd in (["check"], ["plan"]):
            cs.append(Case("files", f"uses: {label}: {cmd[0]}", [*cmd, "w/w.yaml"], expect="error", env=env,
                           setup=setup, names=(t.split("/")[-1] if "*" not in t else "w.yaml",)))
    # --allow-outside still never quotes a non-goap file
    cs.append(Case("files", "uses: secret with --allow-outside", ["check", "w/w.yaml", "--allow-outside", "out"],
                   expect="error", env=env, setup=files(**{"out/shadow": secret_file, "w/w.yaml": uses_world("../out/shadow")})))
    cs.append(Case("files", "uses: /proc/kmsg with --allow-outside /", ["check", "w/w.yaml", "--allow-outside", "/"],
                   expect="error", env=env, setup=files(**{"w/w.yaml": uses_world("/proc/kmsg")})))
    # paths given on the command line
    base = files(**{"w.yaml": SMALL, "d.pddl": DOMAIN, "p.pddl": PROBLEM, "plan.json": PLAN, "fifo": fifo,
                    "dir/x": "x", "shadow": secret_file, "link": symlink_to("shadow"),
                    "envlink": symlink_to("/proc/self/environ")})
    slots = [("world", lambda x: ["check", x]), ("world", lambda x: ["plan", x]),
             ("world", lambda x: ["run", x, "--dry-run"]), ("--state", lambda x: ["next", "w.yaml", "--state", x]),
             ("PDDL domain", lambda x: ["pddl", x, "p.pddl"]), ("PDDL problem", lambda x: ["pddl", "d.pddl", x]),
             ("plan file", lambda x: ["validate", "w.yaml", x]),
             ("--sensors", lambda x: ["sense", "w.yaml", "--sensors", x])]
    for path, label in [("fifo", "FIFO"), ("/dev/zero", "/dev/zero"), ("dir", "directory"), ("shadow", "secret file"),
                        ("link", "symlink to the secret"), ("/proc/self/environ", "/proc/self/environ"),
                        ("envlink", "symlink to /proc/self/environ")]:
        for slot, mk in slots:
            if label in ("directory", "/dev/zero") and slot in ("PDDL problem",):
                continue
            args = mk(path)
            cs.append(Case("files", f"{label} as {slot} ({args[0]})", args, expect="error", env=env, setup=base,
                           names=(path,)))
    return cs


# ---------------------------------------------------------------- 5. journal

def journal_cases():
    cs = []
    W = f"""kind: world
name: jw
facts: {{a: bool, b: bool}}
actions:
  step-a:
    eff: [a]
    run: {{plugin: command, with: {{argv: ["{sys.executable}", "-c", "open('count-a','a').write('x')"]}}}}
  step-b:
    pre: [a]
    eff: [b]
    run: {{plugin: command, with: {{argv: ["{sys.executable}", "-c", "open('count-b','a').write('x')"]}}}}
goals:
  g: {{want: [b]}}
"""
    first = ["run", "w.yaml", "--max-steps", "1"]

    def repeated(r, d):
        n = len(open(os.path.join(d, "count-a")).read()) if os.path.exists(os.path.join(d, "count-a")) else 0
        if n > 1:
            return "wrong", f"exit {r.rc}: the completed step-a ran {n} times"
        return None

    def damage(how):
        def s(d):
            write(os.path.join(d, "w.yaml"), W)
            p = Probe.current.run(first, d)
            j = os.path.join(d, "journal.db")
            if how == "delete-wal":
                for f in (j + "-wal", j + "-shm"):
                    if os.path.exists(f):
                        os.remove(f)
            elif how == "tear-wal" and os.path.exists(j + "-wal"):
                sz = os.path.getsize(j + "-wal")
                with open(j + "-wal", "r+b") as f:
                    f.truncate(sz // 2)
            elif how == "truncate-db":
                with open(j, "r+b") as f:
                    f.truncate(max(0, os.path.getsize(j) // 2))
            elif how == "empty-db":
                open(j, "wb").close()
            elif how == "garbage-db":
                write(j, b"\x00garbage" * 1000)
            elif how == "delete-db":
                for f in (j, j + "-wal", j + "-shm"):
                    if os.path.exists(f):
                        os.remove(f)
        return s

    for how in ["delete-wal", "tear-wal", "truncate-db", "empty-db", "garbage-db", "delete-db"]:
        cs.append(Case("journal", f"--resume after {how}", ["run", "w.yaml", "--resume"],
                       expect="either" if how in ("delete-db", "delete-wal", "tear-wal") else "error", setup=damage(how), check=repeated))

    def nothing(r, d):
        if os.path.exists(os.path.join(d, "count-a")):
            return "wrong", f"exit {r.rc}: --resume with nothing to resume ran a step"
        return None
    cs.append(Case("journal", "--resume with no journal at all", ["run", "w.yaml", "--resume"], expect="either",
                   setup=files(**{"w.yaml": W}), check=nothing))
    cs.append(Case("journal", "journal is a FIFO", ["run", "w.yaml", "--journal", "fifo"], expect="error",
                   setup=files(**{"w.yaml": W, "fifo": fifo}), check=nothing))
    cs.append(Case("journal", "journal is a directory", ["run", "w.yaml", "--journal", "dir"], expect="error",
                   setup=files(**{"w.yaml": W, "dir/x": "x"}), check=nothing))
    cs.append(Case("journal", "history of a garbage journal", ["history"], expect="either",
                   setup=files(**{"journal.db": b"\x00garbage" * 1000}), env={}))
    return cs


# ---------------------------------------------------------------- 6. lower

def lower_cases():
    cs = []
    ESCS = "\x1b]0;pwned\x07\x1b[2J"
    esc_worlds = {
        "ESC in a state entry": f'kind: world\nfacts: {{up: bool}}\nstate: ["{ESCS}up"]\n',
        "ESC in a fact name": f'kind: world\nfacts: {{"up{ESCS}": bool}}\ngoals: {{g: {{want: [up]}}}}\n',
        "ESC in an object name": f'kind: world\ntypes: {{t: {{}}}}\nobjects: {{"o{ESCS}": {{type: t}}}}\nfacts: {{up(t): bool}}\n'
                                 f'actions: {{a: {{params: {{x: t}}, eff: ["up($x)"]}}}}\ngoals: {{g: {{want: ["up(zz)"]}}}}\n',
        "ESC in an action name": f'kind: world\nfacts: {{up: bool}}\nactions: {{"a{ESCS}": {{eff: [up]}}}}\ngoals: {{g: {{want: [up]}}}}\n',
        "ESC in a goal name": f'kind: world\nfacts: {{up: bool}}\nactions: {{a: {{eff: [up]}}}}\ngoals: {{"g{ESCS}": {{want: [up]}}}}\n',
        "ESC in an attribute": f'kind: world\ntypes: {{t: {{}}}}\nobjects: {{o: {{type: t, note: "{ESCS}"}}}}\nfacts: {{up: bool}}\n'
                               f'actions: {{a: {{eff: [up]}}}}\ngoals: {{g: {{want: [up]}}}}\n',
        "C1 CSI in a key": 'kind: world\nfacts: {up: bool}\n"\u009b31mx": 1\n',
        "BEL in a comment-free key": 'kind: world\nfacts: {up: bool}\n"\x07\x07": 1\n',
    }
    for label, text in esc_worlds.items():
        for cmd in (["check"], ["plan"], ["graph"], ["explain"]):
            cs.append(Case("lower", f"{label}: {cmd[0]}", [*cmd, "w.yaml"], expect="either",
                           setup=files(**{"w.yaml": text})))
    esc_run = f"""kind: world
facts: {{up: bool}}
actions:
  say:
    eff: [up]
    run: {{plugin: command, with: {{argv: ["{sys.executable}", "-c", "import sys; print('\\x1b]0;pwned\\x07\\x1b[2J'); sys.exit(3)"]}}}}
goals: {{g: {{want: [up]}}}}
"""
    cs.append(Case("lower", "plugin output with ESC/OSC/BEL: run", ["run", "w.yaml", "--retries", "0"], expect="either",
                   setup=files(**{"w.yaml": esc_run})))
    cs.append(Case("lower", "plugin output with ESC/OSC/BEL: history", ["history", "1"], expect="either",
                   setup=files(**{"w.yaml": esc_run}), pre=[["run", "w.yaml", "--retries", "0"]]))
    cs.append(Case("lower", "ESC in --set", ["plan", "w.yaml", "--set", f"up{ESCS}"], expect="error",
                   setup=files(**{"w.yaml": SMALL})))
    # PDDL names with control bytes
    for label, dom in [("ESC in a PDDL action name", DOMAIN.replace(":action a ", f":action a{ESCS} ")),
                       ("ESC in a PDDL requirement", DOMAIN.replace(":strips", f":strips {ESCS}")),
                       ("ESC in a PDDL predicate", DOMAIN.replace("(p)", f"(p{ESCS})")),
                       ("BEL in a PDDL domain name", DOMAIN.replace("domain d", "domain d\x07"))]:
        cs.append(Case("lower", label, ["pddl", "d.pddl", "p.pddl"], expect="either",
                       setup=files(**{"d.pddl": dom, "p.pddl": PROBLEM})))
    # validate with hostile costs
    def plan_with(**over):
        p = json.loads(PLAN)
        p.update(over)
        return json.dumps(p)
    for label, text, expect in [
            ("plan cost 1e999", PLAN.replace('"cost": 1}', '"cost": 1e999}', 1), "error"),
            ("plan top-level cost 1e999", PLAN.replace('"cost": 2', '"cost": 1e999', 1), "error"),
            ("plan bogus top-level cost 12345", plan_with(cost=12345), "error"),
            ("plan negative step cost", PLAN.replace('"cost": 1}', '"cost": -1}', 1), "either"),
            ("plan cost NaN literal", PLAN.replace('"cost": 1}', '"cost": NaN}', 1), "error"),
            ("plan step cost is a string", PLAN.replace('"cost": 1}', '"cost": "1"}', 1), "either"),
            ("plan unknown action", plan_with(plan=[{"action": "rm", "args": {}, "cost": 1}]), "error"),
            ("plan args of the wrong kind", plan_with(plan=[{"action": "boot", "args": [1, 2], "cost": 1}]), "error"),
            ("plan deeply nested", "[" * 100000 + "]" * 100000, "error"),
            ("plan 20 MB string", '{"plan": "' + "x" * (20 << 20) + '"}', "error"),
            ("plan invalid UTF-8", b'{"goal": "\xff\xfe", "plan": []}', "error"),
            ("plan good", PLAN, "ok")]:
        cs.append(Case("lower", f"validate: {label}", ["validate", "w.yaml", "plan.json"], expect=expect,
                       setup=files(**{"w.yaml": SMALL, "plan.json": text})))
    # size and structure
    big = "kind: world\nfacts: {up: bool}\nstate: [" + "x" * 2_000_000 + "{]\n"
    cases = {
        "2 MB bad line": big,
        "2 MB bad fact term": "kind: world\nfacts: {up: bool}\nstate: [up(" + "x" * 2_000_000 + ")]\n",
        "200,000 errors": "kind: world\nfacts: {up: bool}\nstate: [" + ", ".join(["nope"] * 200_000) + "]\n",
        "deep YAML nesting (flow, 100k)": "kind: world\nx: " + "[" * 100000 + "]" * 100000 + "\n",
        "deep YAML nesting (block, 5k)": "kind: world\nx:\n" + "".join(" " * i + "- \n" for i in range(1, 5000)),
        "deep YAML mapping (flow, 100k)": "kind: world\nx: " + "{a: " * 100000 + "1" + "}" * 100000 + "\n",
        "alias bomb (billion laughs)": "kind: world\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9)) +
            "facts: {up: bool}\nstate: *j\n",
        "alias bomb in facts": "kind: world\na: &a {p: bool, q: bool}\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                               "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
                               "facts: *d\n",
        "NUL byte in YAML": b"kind: world\nfacts: {up\x00: bool}\n",
        "NUL byte in a value": b"kind: world\nname: a\x00b\nfacts: {up: bool}\n",
        "invalid UTF-8 in YAML": b"kind: world\nname: caf\xe9\nfacts: {up: bool}\n",
        "invalid UTF-8 in a key": b"kind: world\nfacts: {\"\xff\xfe\": bool}\n",
        "UTF-8 BOM": b"\xef\xbb\xbfkind: world\nfacts: {up: bool}\n",
        "UTF-16 file": "kind: world\nfacts: {up: bool}\n".encode("utf-16"),
        "huge int range": "kind: world\nfacts: {n: {int: [0, 99999999999999999999999]}}\n",
        "int range of 2^31": "kind: world\nfacts: {n: {int: [0, 2147483647]}}\nactions: {inc: {pre: [n < 2147483647], eff: [n += 1]}}\n"
                             "goals: {g: {want: [n = 2147483647]}}\n",
        "1 MB name": "kind: world\nfacts: {" + "u" * 1_000_000 + ": bool}\n",
        "empty file": "",
        "only a document marker": "---\n...\n",
        "many documents": "kind: world\n---\n" * 50000,
        "YAML tags": "kind: !!binary aGVsbG8=\nfacts: !!python/object:os.system {up: bool}\n",
        "merge key loop": "kind: world\na: &a {<<: *a}\n",
    }
    for label, text in cases.items():
        expect = "either"
        cs.append(Case("lower", f"{label}: check", ["check", "w.yaml"], expect=expect, setup=files(**{"w.yaml": text})))
        if label in ("alias bomb (billion laughs)", "int range of 2^31", "deep YAML nesting (flow, 100k)", "2 MB bad line"):
            cs.append(Case("lower", f"{label}: plan", ["plan", "w.yaml", "--max-ms", "3000"], expect=expect,
                           setup=files(**{"w.yaml": text})))
    # PDDL size and structure
    huge_objs = " ".join(f"obj{i}" for i in range(1_000_000))
    pcases = {
        "10 MB PDDL problem": (DOMAIN, f"(define (problem q1) (:domain d) (:objects {huge_objs}) (:init) (:goal (q)))\n"[:10_500_000] if False else
                               f"(define (problem q1) (:domain d) (:objects {huge_objs} {' '.join(f'x{i}' for i in range(200_000))}) (:init) (:goal (q)))\n"),
        "10 MB PDDL comment": (DOMAIN + ";" + "c" * 10_000_000 + "\n", PROBLEM),
        "deep PDDL parens (1M)": ("(" * 1_000_000 + ")" * 1_000_000, PROBLEM),
        "deep PDDL goal (and ...) 100k": (DOMAIN, "(define (problem q1) (:domain d) (:init) (:goal " + "(and " * 100000 + "(q)" + ")" * 100000 + "))\n"),
        "deep PDDL not (not ...) 100k": (DOMAIN, "(define (problem q1) (:domain d) (:init) (:goal " + "(not " * 100000 + "(q)" + ")" * 100000 + "))\n"),
        "unterminated PDDL": (DOMAIN[:-3], PROBLEM),
        "NUL in PDDL": (DOMAIN.replace("(p)", "(p\x00)"), PROBLEM),
        "invalid UTF-8 in PDDL": (DOMAIN.encode().replace(b"(p)", b"(p\xff)"), PROBLEM),
        "PDDL 2 MB token": (DOMAIN.replace("(p)", "(p" + "x" * 2_000_000 + ")"), PROBLEM),
        "PDDL number 1e999 cost": (DOMAIN.replace(":strips", ":strips :action-costs").replace("(:predicates", "(:functions (total-cost))\n (:predicates")
                                   .replace(":effect (p))", ":effect (and (p) (increase (total-cost) 1e999)))"), PROBLEM),
        "PDDL domain/problem mismatch": (DOMAIN, PROBLEM.replace(":domain d", ":domain zz")),
    }
    for label, (dom, prob) in pcases.items():
        cs.append(Case("lower", label, ["pddl", "d.pddl", "p.pddl", "--max-ms", "3000"], expect="either",
                       setup=files(**{"d.pddl": dom, "p.pddl": prob})))

    def bounded_time(r, d):
        return None
    for label, text in [("state JSON deep nesting", "[" * 200000 + "]" * 200000),
                        ("state JSON 1e999", '{"kind": "state", "state": {"up": 1e999}}'),
                        ("state JSON invalid UTF-8", b'{"kind": "state", "state": ["\xff"]}'),
                        ("state YAML alias bomb", "kind: state\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                                                  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                                                  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                                                  "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nstate: *g\n")]:
        cs.append(Case("lower", label, ["plan", "w.yaml", "--state", "s.json"], expect="error",
                       setup=files(**{"w.yaml": SMALL, "s.json": text})))
    return cs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("goap")
    ap.add_argument("--json", action="store_true", help="one JSON document with every outcome")
    ap.add_argument("--only", choices=CATEGORIES)
    ap.add_argument("--guard", type=float, default=10.0, help="wall-clock seconds per goap call")
    ap.add_argument("--verbose", action="store_true", help="print each outcome as it happens (stderr)")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that every finally runs
    goap = os.path.abspath(a.goap)
    if not os.access(goap, os.X_OK):
        sys.exit(f"hostile_inputs: {goap} is not an executable")
    makers = {"inject": inject_cases, "ground": ground_cases, "batch": batch_cases, "files": files_cases,
              "journal": journal_cases, "lower": lower_cases}
    cats = [a.only] if a.only else CATEGORIES
    tmp = tempfile.mkdtemp(prefix="goap-hostile-")
    results = []
    t0 = time.monotonic()
    try:
        probe = Probe(goap, tmp, a.guard, a.verbose)
        Probe.current = probe
        for cat in cats:
            for c in makers[cat]():
                res = probe.do(c)
                results.append(res)
                if a.verbose:
                    print(f"[{res['outcome']:11}] {res['category']}: {res['name']} ({res['secs']} s): {res['detail']}",
                          file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.monotonic() - t0
    table = {}
    for r in results:
        row = table.setdefault(r["category"], {o: 0 for o in OUTCOMES})
        row[r["outcome"]] += 1
    total = {o: sum(table[c][o] for c in table) for o in OUTCOMES}
    bad = [r for r in results if r["outcome"] in ("crash", "hang", "wrong")]
    if a.json:
        print(json.dumps({"goap": goap, "seconds": round(elapsed, 1), "table": table, "total": total,
                          "results": results}, indent=1))
    else:
        print(f"goap: {goap}  ({elapsed:.0f} s)")
        print(f"{'category':10} {'tried':>6} " + " ".join(f"{o:>11}" for o in OUTCOMES))
        for c in cats:
            if c in table:
                row = table[c]
                print(f"{c:10} {sum(row.values()):6} " + " ".join(f"{row[o]:11}" for o in OUTCOMES))
        print(f"{'total':10} {len(results):6} " + " ".join(f"{total[o]:11}" for o in OUTCOMES))
        if bad:
            print("\nfailures:")
            for r in bad:
                print(f"  [{r['outcome']}] {r['category']}: {r['name']}\n      goap {' '.join(map(repr_arg, r['args']))}"
                      f"\n      {r['detail']}")
    print(f"{len(results)} inputs: {total['clear error']} clear error, {total['ok']} ok, {total['crash']} crash, "
          f"{total['hang']} hang, {total['wrong']} wrong", file=sys.stderr if a.json else sys.stdout)  # --json: stdout is one document
    return 0 if not bad else 1


def repr_arg(s):
    return s if s and all(ch.isalnum() or ch in "-_./=:" for ch in s) else json.dumps(s)


if __name__ == "__main__":
    sys.exit(main())
