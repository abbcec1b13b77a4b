#!/usr/bin/env python3
"""goap run end to end, on 127.0.0.1 with real plugins, services and git repositories:
heals a broken world (checked by sensing afterwards), survives faulty plugins, retries with
backoff, resumes after kill -9 without repeating a step, refuses a journal that lost writes,
stops what an interrupted step left running, and dry runs execute nothing.
usage: test_run.py GOAP FAULTY_SO"""
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "plugins"))
from goaptest import PYTHON, check, free_port, main  # noqa: E402

GOAP, FAULTY = (os.path.abspath(a) for a in sys.argv[1:3])
TAGS = '/api/tags=200:{"models": [{"name": "hermes3:8b"}]}'
HEALTH = '/health=200:{"status": "ok"}'


# ---- a small world with four ways to break ------------------------------------------------
def lab(env):
    web, llm = free_port(), free_port()
    env.sh("git", "init", "--quiet", "--bare", "--initial-branch=main", env.path("forge.git"))
    env.sh("git", "clone", "--quiet", env.path("forge.git"), env.path("work"))
    commit(env, "work", "README", "hello\n")
    env.sh("git", "-C", env.path("work"), "push", "--quiet", "origin", "HEAD:main")
    env.sh("git", "clone", "--quiet", env.path("forge.git"), env.path("other"))
    marker = env.path("cache", "ready")
    env.write("lab.yaml", f"""kind: world
name: lab
types: {{site: {{}}, repo: {{}}, box: {{}}, host: {{}}}}
objects:
  web: {{type: site, port: "{web}"}}
  config: {{type: repo, path: "{env.path('work')}", remote: "{env.path('forge.git')}"}}
  cache: {{type: box, file: "{marker}"}}
  gpu: {{type: host, address: 127.0.0.1, port: "{llm}"}}
facts:
  web_up(site): bool
  repo_synced(repo): bool
  ready(box): bool
  ollama_api_ok(host): bool
actions:
  start-web:
    params: {{s: site}}
    eff: [web_up($s)]
    run: {{plugin: command, with: {{argv: {env.service_argv("start", web, "web.pid", [HEALTH])}}}}}
  sync-repo:
    params: {{r: repo}}
    eff: [repo_synced($r)]
    cost: 3
    run: {{plugin: sync-repo, with: {{repo: "${{r}}", path: "${{r.path}}", remote: "${{r.remote}}", timeout: 20s}}}}
  warm-cache:
    params: {{b: box}}
    eff: [ready($b)]
    run: {{plugin: command, with: {{argv: ["{PYTHON}", "-c", "import os,sys; os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True); open(sys.argv[1], 'w')", "${{b.file}}"]}}}}
  restart-ollama:
    params: {{h: host}}
    eff: [ollama_api_ok($h)]
    cost: 2
    run:
      plugin: restart-ollama
      with:
        host: "${{h.address}}"
        restart: {env.service_argv("restart", llm, "ollama.pid", [TAGS])}
        probe: "http://${{h.address}}:${{h.port}}/api/tags"
        timeout: 5s
        interval: 50ms
goals:
  web-up: {{priority: 90, forall: {{s: site}}, want: [web_up($s)]}}
  ollama-up: {{priority: 80, want: [ollama_api_ok(gpu)]}}
  repos-synced: {{priority: 50, forall: {{r: repo}}, want: [repo_synced($r)]}}
  caches-ready: {{priority: 10, forall: {{b: box}}, want: [ready($b)]}}
""")
    env.write("lab.sensors.yaml", """kind: sensors
sensors:
  web_up($s): {plugin: http-probe, with: {url: "http://127.0.0.1:${s.port}/health", body_match: '"ok"', timeout: 5s}}
  repo_synced($r): {plugin: sync-repo, with: {path: "${r.path}", remote: "${r.remote}"}}
  ready($b): {plugin: command, with: {argv: [test, -f, "${b.file}"]}}
  ollama_api_ok($h): {plugin: restart-ollama, sensor: api-ok, with: {probe: "http://${h.address}:${h.port}/api/tags", timeout: 5s}}
""")
    return web, llm


def commit(env, clone, name, text):
    env.write(f"{clone}/{name}", text)
    env.sh("git", "-C", env.path(clone), "add", name)
    env.sh("git", "-C", env.path(clone), "commit", "--quiet", "-m", name)


ALL_HEALTHY = ["- web_up(web)", "- repo_synced(config)", "- ready(cache)", "- ollama_api_ok(gpu)"]


def assert_healthy(env):
    out = env.goap_run("sense", "lab.yaml", "--sensed-only").stdout
    for line in ALL_HEALTHY:
        check(line in out, "sensed afterwards: " + line, out)


def test_run_heals_a_world_broken_in_several_ways(env):
    lab(env)
    # Broken: web never started, ollama down, the repo behind its forge, the cache missing.
    commit(env, "other", "NEWS", "news\n")
    env.sh("git", "-C", env.path("other"), "push", "--quiet", "origin", "main")
    out = env.goap_run("sense", "lab.yaml", "--sensed-only").stdout
    for line in ("not web_up(web)", "not repo_synced(config)", "not ready(cache)", "not ollama_api_ok(gpu)"):
        check(line in out, "broken before: " + line, out)
    nxt = json.loads(env.goap_run("next", "lab.yaml", "--set", "web_up(web)").stdout)
    check(nxt["next"]["action"] == "restart-ollama", "without sensing, goap believes what it is told", nxt)
    nxt = json.loads(env.goap_run("next", "lab.yaml", "--set", "web_up(web)", "--sense").stdout)
    check(nxt["next"]["action"] == "start-web" and nxt["goal"] == "web-up", "next --sense plans from the sensed state", nxt)
    r = env.goap_run("run", "lab.yaml", "--retries", "0")
    for step in ("start-web(web)", "restart-ollama(gpu)", "sync-repo(config)", "warm-cache(cache)"):
        check(step in r.stdout, step, r.stdout)
    check(r.stdout.count("verified:") == 4, "every step verified by sensing", r.stdout)
    assert_healthy(env)

    # Break it again, differently: the web service dies, the repo gets a local commit, the cache goes.
    env.service("stop", 0, "web.pid")
    commit(env, "work", "LOCAL", "local\n")
    os.unlink(env.path("cache", "ready"))
    r = env.goap_run("run", "lab.yaml", "--retries", "0")
    check("restart-ollama" not in r.stdout and "pushed" in r.stdout, "only what broke is fixed", r.stdout)
    assert_healthy(env)
    runs = json.loads(env.goap_run("history", "--json").stdout)["runs"]
    check([x["status"] for x in runs] == ["done", "done"] and [x["steps"] for x in runs] == [3, 4], "journal", runs)


# ---- faulty plugins ------------------------------------------------------------------------
def faulty_world(env, extra_actions=""):
    d = env.path("plugins")
    os.makedirs(d)
    shutil.copy(FAULTY, os.path.join(d, "goap-plugin-faulty.so"))
    marker = env.path("fixed")
    env.write("f.yaml", f"""kind: world
name: faulty
facts: {{fixed: bool}}
actions:
  segfault: {{eff: [fixed], run: {{plugin: faulty, with: {{timeout: 300ms}}}}}}
  hang: {{eff: [fixed], run: {{plugin: faulty, with: {{timeout: 300ms}}}}}}
  throw: {{eff: [fixed], run: {{plugin: faulty, with: {{timeout: 300ms}}}}}}
  exit: {{eff: [fixed], run: {{plugin: faulty, with: {{timeout: 300ms}}}}}}
  lie: {{eff: [fixed], run: {{plugin: faulty, with: {{timeout: 300ms}}}}}}
  fix-properly: {{eff: [fixed], cost: 10, run: {{plugin: command, with: {{argv: [touch, "{marker}"]}}}}}}
{extra_actions}
goals:
  fixed: {{priority: 1, want: [fixed]}}
""")
    env.write("f.sensors.yaml", f"""kind: sensors
sensors:
  fixed: {{plugin: command, with: {{argv: [test, -f, "{marker}"]}}}}
""")
    return d


def test_run_survives_every_faulty_plugin(env):
    d = faulty_world(env)
    start = time.time()
    r = env.goap_run("run", "f.yaml", "--plugin-dir", d, "--retries", "0", "--kill-grace-ms", "300", "--verify-ms", "300")
    out = r.stdout
    # (Under the sanitizers the child reports the bad access itself and exits 1.)
    check("Segmentation fault" in out or "SEGV" in out or "null pointer" in out, "segfault recorded", out)
    check("hung" in out and "killed the plugin's process group" in out, "hang killed", out)
    check("Aborted" in out and "an exception escaping the plugin" in out and "faulty plugin throws" in out, "exception recorded", out)
    check("exited (status 3) without answering" in out, "exit recorded", out)
    check("its effects did not appear: fixed (sensed: not fixed)" in out, "lie caught by sensing", out)
    for a in ("segfault", "hang", "throw", "exit", "lie"):
        check(f"{a} failed 2 times: not choosing it again" in out, a + " excluded", out)
    check("step 11: fix-properly" in out and "verified: fixed" in out, "replanned to the real fix", out)
    check(time.time() - start < 20, "hangs are bounded")
    run = json.loads(env.goap_run("history", "1", "--json").stdout)
    statuses = [s["status"] for s in run["steps"]]
    check(run["status"] == "done" and statuses.count("failed") == 8 and statuses.count("effects-missing") == 2
          and statuses[-1] == "done", "journal", run)


def test_retries_with_backoff_until_the_plugin_succeeds(env):
    d = faulty_world(env)
    env.write("flaky.yaml", f"""kind: world
name: flaky
facts: {{fixed: bool}}
actions:
  flaky: {{eff: [fixed], run: {{plugin: faulty, with: {{counter: "{env.path('calls')}", succeed_after: "3"}}}}}}
goals:
  fixed: {{priority: 1, want: [fixed]}}
""")
    r = env.goap_run("run", "flaky.yaml", "--plugin-dir", d, "--retries", "2", "--backoff-ms", "50")
    check("retrying in 0.05 s" in r.stdout and "retrying in 0.10 s" in r.stdout, "exponential backoff", r.stdout)
    check("attempt 3: ok" in r.stdout and env.read("calls").count("call") == 3, "called until it succeeded", r.stdout)
    run = json.loads(env.goap_run("history", "1", "--json").stdout)
    check(run["steps"][0]["attempts"] == 3 and run["steps"][0]["status"] == "done", "journal", run)


# ---- kill -9 and --resume --------------------------------------------------------------------
def two_step_world(env):
    log, slow = env.path("log"), env.path("slow")
    script = ("import os,sys,time; open(sys.argv[1],'a').write(sys.argv[2]+'\\\\n'); "
              "time.sleep(30) if os.path.exists(sys.argv[3]) else None")
    env.write("two.yaml", f"""kind: world
name: two
facts: {{one_done: bool, two_done: bool}}
actions:
  one:
    eff: [one_done]
    run: {{plugin: command, with: {{argv: ["{PYTHON}", "-c", "{script}", "{log}", "step1", "{slow}x"]}}}}
  two:
    pre: [one_done]
    eff: [two_done]
    run: {{plugin: command, with: {{argv: ["{PYTHON}", "-c", "{script}", "{log}", "step2", "{slow}"], timeout: 60s}}}}
goals:
  both: {{priority: 1, want: [two_done]}}
""")
    return log, slow


def test_resume_after_kill_9_does_not_repeat_a_completed_step(env):
    log, slow = two_step_world(env)
    open(slow, "w").close()
    p = subprocess.Popen([GOAP, "run", env.path("two.yaml")], env=env.env, cwd=env.dir, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    env.popen.append(p)
    for _ in range(300):
        if os.path.exists(log) and "step2" in open(log).read():
            break
        time.sleep(0.02)
    check("step2" in open(log).read(), "step 2 started")
    os.kill(p.pid, signal.SIGKILL)  # goap only; its worker and the command die with it
    p.wait()
    os.unlink(slow)
    r = env.goap_run("run", "two.yaml", "--resume")
    check("resuming run 1" in r.stdout and "1 interrupted" in r.stdout, "resumed the same run", r.stdout)
    check(open(log).read().count("step1") == 1, "step 1 ran exactly once", open(log).read())
    check("step 3: two" in r.stdout, "step 2 carried out again as step 3", r.stdout)
    run = json.loads(env.goap_run("history", "1", "--json").stdout)
    check([(s["action"], s["status"]) for s in run["steps"]] == [("one", "done"), ("two", "interrupted"), ("two", "done")]
          and run["status"] == "done", "journal", run)


def test_dry_run_executes_nothing(env):
    log, _ = two_step_world(env)
    r = env.goap_run("run", "two.yaml", "--dry-run")
    check("1. one" in r.stdout and "2. two" in r.stdout and f"{log} step1" in r.stdout, "plan and exact commands", r.stdout)
    check(not os.path.exists(log) and not os.path.exists(env.journal), "nothing ran, nothing journaled")


def test_max_steps_and_approval_stop_the_run(env):
    log, _ = two_step_world(env)
    r = env.goap_run("run", "two.yaml", "--max-steps", "1", rc=22)
    check("--max-steps 1 reached; next would be two" in r.stdout, "step limit", r.stdout)
    env.write("two.yaml", env.read("two.yaml").replace("    pre: [one_done]", "    approval: true\n    pre: [one_done]"))
    r = env.goap_run("run", "two.yaml", "--resume", rc=21)
    check("waits for approval" in r.stdout and "its plan needs two" in r.stdout, "approval", r.stdout)
    r = env.goap_run("run", "two.yaml", "--resume", "--approve", "two")
    check(open(log).read() == "step1\nstep2\n", "each step once", open(log).read())
    check("unknown action" not in env.goap_run("run", "two.yaml", "--approve", "nope", rc=2).stderr, "bad --approve")


# ---- a journal that refuses instead of repeating -------------------------------------------
def alive(pid):
    """True while the process runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(cond, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def start_and_kill_during_step2(env, log, slow):
    open(slow, "w").close()
    p = subprocess.Popen([GOAP, "run", env.path("two.yaml")], env=env.env, cwd=env.dir, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    env.popen.append(p)
    check(wait_for(lambda: os.path.exists(log) and "step2" in open(log).read()), "step 2 started")
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    os.unlink(slow)


def damage_wal_deleted(env):
    os.unlink(env.journal + "-wal")


def damage_wal_torn(env):
    wal = env.journal + "-wal"
    size = os.path.getsize(wal)
    with open(wal, "r+b") as f:  # torn: the header made it to disk, the frames did not
        f.seek(32)
        f.write(os.urandom(size - 32))


def damage_db_truncated(env):
    os.truncate(env.journal, os.path.getsize(env.journal) // 2)


def damage_db_emptied(env):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(env.journal + suffix):
            os.truncate(env.journal + suffix, 0)


def test_resume_refuses_a_journal_that_lost_writes(env):
    for damage in (damage_wal_deleted, damage_wal_torn, damage_db_truncated, damage_db_emptied):
        for f in (env.journal, env.journal + "-wal", env.journal + "-shm", env.journal + ".seal", env.path("log")):
            if os.path.exists(f):
                os.unlink(f)
        log, slow = two_step_world(env)
        start_and_kill_during_step2(env, log, slow)
        check(os.path.exists(env.journal + "-wal"), "kill -9 leaves a WAL behind")
        damage(env)
        r = env.goap_run("run", "two.yaml", "--resume", rc=3)
        check(f"the journal {env.journal} is damaged" in r.stderr and "aside" in r.stderr, damage.__name__ + ": says so",
              r.stderr)
        check(open(log).read().count("step1") == 1, damage.__name__ + ": step 1 not repeated", r.stdout, open(log).read())
        # A new run must not paper over it either.
        env.goap_run("run", "two.yaml", rc=3)
        check(open(log).read().count("step1") == 1, damage.__name__ + ": no new run either", open(log).read())


def test_a_journal_that_breaks_an_invariant_is_refused(env):
    log, _ = two_step_world(env)
    env.goap_run("run", "two.yaml", "--max-steps", "1", rc=22)
    with sqlite3.connect(env.journal) as db:  # as if step 1's row were lost: numbering starts at 2
        db.execute("UPDATE steps SET seq = 2")
    db.close()
    r = env.goap_run("run", "two.yaml", "--resume", rc=3)
    check("run 1 has step numbers that are not 1..N" in r.stderr, "the invariant is named", r.stderr)
    check(open(log).read().count("step1") == 1, "nothing repeated", open(log).read())
    h = env.goap_run("history", "1")
    check("damaged" in h.stderr and "one" in h.stdout, "history still shows it, with a warning", h.stdout, h.stderr)


def test_resume_with_nothing_to_resume_does_nothing(env):
    log, _ = two_step_world(env)
    r = env.goap_run("run", "two.yaml", "--resume")
    check(r.stdout.strip() == f"nothing to resume: two has no unfinished run in {env.journal}", "one clear line", r.stdout)
    check(not os.path.exists(log), "nothing ran")
    env.goap_run("run", "two.yaml")
    r = env.goap_run("run", "two.yaml", "--resume")
    check("nothing to resume" in r.stdout and open(log).read() == "step1\nstep2\n", "a finished run is not resumed",
          r.stdout)
    runs = json.loads(env.goap_run("history", "--json").stdout)["runs"]
    check(len(runs) == 1, "--resume journaled no run", runs)


def command_with_a_child_world(env):
    """One step whose command starts a child of its own (its pid in child.pid) and waits for it."""
    pidfile = env.path("child.pid")
    script = ("import subprocess,sys; c = subprocess.Popen(['sleep', '300']); "
              "open(sys.argv[1], 'w').write(str(c.pid)); c.wait()")
    env.write("kid.yaml", f"""kind: world
name: kid
facts: {{done: bool}}
actions:
  work: {{eff: [done], run: {{plugin: command, with: {{argv: ["{PYTHON}", "-c", "{script}", "{pidfile}"], timeout: 300s}}}}}}
goals:
  g: {{priority: 1, want: [done]}}
""")
    return pidfile


def run_until_child(env, pidfile):
    p = subprocess.Popen([GOAP, "run", env.path("kid.yaml")], env=env.env, cwd=env.dir, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, start_new_session=True)
    env.popen.append(p)
    check(wait_for(lambda: os.path.exists(pidfile) and open(pidfile).read().strip()), "the command started its child")
    child = int(open(pidfile).read())
    env.pids.append(child)
    os.unlink(pidfile)
    return p, child


def test_kill_9_during_a_step_leaves_no_process_of_it_running(env):
    pidfile = command_with_a_child_world(env)
    # goap alone is killed: the step's supervisor notices and stops the whole tree.
    p, child = run_until_child(env, pidfile)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    check(wait_for(lambda: not alive(child)), "the command's child died with goap")
    # goap and the supervisor are killed: --resume finds the step's session in the journal.
    r = env.goap_run("run", "kid.yaml", "--resume", "--max-steps", "0", rc=22)
    p, child = run_until_child(env, pidfile)
    db = sqlite3.connect(env.journal)
    sid = db.execute("SELECT proc_sid FROM steps WHERE status = 'running'").fetchone()[0]
    db.close()
    check(sid > 0 and alive(sid), "the step's process is journaled before it acts", sid)
    os.kill(p.pid, signal.SIGSTOP)  # so that goap cannot act on its supervisor's death
    os.kill(sid, signal.SIGKILL)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    check(alive(child), "without its supervisor the command's child outlives goap")
    r = env.goap_run("run", "kid.yaml", "--resume", "--max-steps", "0", rc=22)
    # The child at least; the command too when it had not yet died with its worker.
    check(re.search(r"; stopped [12] process(es)? it left running", r.stdout), "resume says what it stopped", r.stdout)
    check(wait_for(lambda: not alive(child)), "resume stopped the interrupted step's child before retrying")


# ---- plugins that hold on ------------------------------------------------------------------
def sanitized(binary):
    """True when `binary` was built with a sanitizer (its runtime is linked in)."""
    r = subprocess.run(["ldd", binary], capture_output=True, text=True)
    return any(lib in r.stdout for lib in ("libasan", "libtsan", "libubsan"))



def test_a_plugin_logging_a_lot_does_not_make_goap_hold_it(env):
    # 300 MB of log lines take longer than the plugin's default 3 s under a sanitizer on a busy
    # machine; the test is about memory, so the step gets room.
    d = faulty_world(env, extra_actions='  chatty: {eff: [fixed], cost: 0, run: {plugin: faulty, with: {bytes: "300000000", timeout: 120s}}}')
    p = subprocess.Popen([GOAP, "run", "f.yaml", "--plugin-dir", d, "--retries", "0", "--verify-ms", "0",
                          "--max-steps", "1"], env=env.env, cwd=env.dir, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    env.popen.append(p)
    out = p.stdout.read().decode()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = status
    check("step 1: chatty" in out and "attempt 1: ok" in out, "the step succeeded", out)
    # ru_maxrss (KiB): the largest of goap and the processes it waited for. Under AddressSanitizer
    # freed memory waits in a quarantine of up to 256 MiB, so the bound is measured in release only.
    if not sanitized(GOAP):
        check(usage.ru_maxrss < 150 * 1024, f"goap held {usage.ru_maxrss // 1024} MiB of 300 MB logged", out)


def test_a_descendant_holding_the_answer_pipe_does_not_hang_the_step(env):
    pidfile = env.path("linger.pid")
    d = faulty_world(env, extra_actions=f'  linger: {{eff: [fixed], cost: 0, run: {{plugin: faulty, with: {{file: "{pidfile}", timeout: 20s}}}}}}')
    r = env.goap_run("run", "f.yaml", "--plugin-dir", d, "--retries", "0", "--verify-ms", "0", "--max-steps", "1", rc=22)
    check(wait_for(lambda: os.path.exists(pidfile) and open(pidfile).read().strip()), "the copy started")
    env.pids.append(int(open(pidfile).read()))
    check("step 1: linger" in r.stdout and "attempt 1: ok" in r.stdout, "answered and done, not hung", r.stdout)


def test_a_setsid_descendant_dies_with_its_hung_plugin(env):
    pidfile = env.path("escape.pid")
    d = faulty_world(env, extra_actions=f'  escape: {{eff: [fixed], cost: 0, run: {{plugin: faulty, with: {{file: "{pidfile}", timeout: 5s}}}}}}')
    r = env.goap_run("run", "f.yaml", "--plugin-dir", d, "--retries", "0", "--verify-ms", "0", "--max-steps", "1",
                     "--kill-grace-ms", "300", rc=22)
    check(os.path.exists(pidfile), "the descendant started", r.stdout)
    pid = int(open(pidfile).read())
    env.pids.append(pid)
    check("hung" in r.stdout, "the plugin hung", r.stdout)
    check(not alive(pid), "its setsid descendant was killed with it", r.stdout)


# ---- terminal control bytes ------------------------------------------------------------------
def test_control_bytes_from_inputs_and_plugins_are_shown_not_sent(env):
    # An object attribute (an input file) and a command's output (a plugin) carry ESC, OSC, BEL.
    script = env.write("paint.py", "import sys\nsys.stdout.buffer.write(sys.argv[1].encode() + b' \\x1b]0;owned\\x07 \\x9b done\\n')\n"
                                   "sys.exit(3)\n")
    env.write("esc.yaml", f"""kind: world
name: esc
types: {{box: {{}}}}
objects:
  b: {{type: box, label: "\\e[31mred\\e[0m"}}
facts: {{ok(box): bool}}
actions:
  paint:
    params: {{x: box}}
    eff: [ok($x)]
    run: {{plugin: command, with: {{argv: ["{PYTHON}", "{script}", "${{x.label}}"]}}}}
goals:
  g: {{priority: 1, want: [ok(b)]}}
""")
    outputs = []
    for args, rc in ((["--dry-run"], 0), (["--retries", "0"], 20)):
        r = subprocess.run([GOAP, "run", "esc.yaml"] + args, env=env.env, cwd=env.dir, capture_output=True, timeout=60)
        check(r.returncode == rc, f"run {args}: exit {r.returncode}", r.stdout, r.stderr)
        outputs.append(r.stdout)
    dry, real = outputs
    check(b"\\x1b[31mred\\x1b[0m" in dry, "the dry run shows the attribute's ESC visibly", dry)
    check(b"\\x1b[31mred\\x1b[0m \\x1b]0;owned\\x07 \\x9b done" in real, "the plugin's message shown visibly", real)
    h = subprocess.run([GOAP, "history", "1"], env=env.env, cwd=env.dir, capture_output=True, timeout=60)
    check(b"\\x1b]0;owned\\x07" in h.stdout, "history shows it visibly", h.stdout)
    for out in (dry, real, h.stdout, h.stderr):
        check(not any(c in out for c in b"\x1b\x07\x9b\r"), "no control byte reaches the terminal", out)
    doc = json.loads(env.goap_run("history", "1", "--json").stdout)
    check("\x1b]0;owned\x07" in doc["steps"][0]["message"], "JSON keeps the text, escaped by the JSON writer", doc)


if __name__ == "__main__":
    sys.exit(main([test_run_heals_a_world_broken_in_several_ways, test_run_survives_every_faulty_plugin,
                   test_retries_with_backoff_until_the_plugin_succeeds,
                   test_resume_after_kill_9_does_not_repeat_a_completed_step, test_dry_run_executes_nothing,
                   test_max_steps_and_approval_stop_the_run, test_resume_refuses_a_journal_that_lost_writes,
                   test_a_journal_that_breaks_an_invariant_is_refused, test_resume_with_nothing_to_resume_does_nothing,
                   test_kill_9_during_a_step_leaves_no_process_of_it_running,
                   test_a_plugin_logging_a_lot_does_not_make_goap_hold_it,
                   test_a_descendant_holding_the_answer_pipe_does_not_hang_the_step,
                   test_a_setsid_descendant_dies_with_its_hung_plugin,
                   test_control_bytes_from_inputs_and_plugins_are_shown_not_sent], GOAP))
