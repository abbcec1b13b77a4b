#!/usr/bin/env python3
"""The diverged-repo case of issue #16, end to end with real plugins on local git repositories:
sync-repo towards the healthy primary forge fails twice (the working copy diverged), and goap
must neither fence the primary nor promote the standby to get the repo synced: the primary's
goal holds and is more important, so it is protected. It escalates instead, through the world's
`escalate:` action (the command plugin running tools/goap-escalate), once per goal and cause
per window, across runs.
usage: test_protect_escalate.py GOAP"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, os.path.join(ROOT, "tests", "plugins"))
from goaptest import check, main  # noqa: E402

ESCALATE = os.path.abspath(os.path.join(ROOT, "tools", "goap-escalate"))


def setup(env, window="1h", protect=""):
    # A forge on "primary" (forge.git) and a standby's copy (standby.git); our working copy and
    # someone else's clone, which pushes a commit we do not have: the two have diverged.
    env.sh("git", "init", "--quiet", "--bare", "--initial-branch=main", env.path("forge.git"))
    env.sh("git", "clone", "--quiet", env.path("forge.git"), env.path("work"))
    env.write("work/README", "one\n")
    env.sh("git", "-C", env.path("work"), "add", "README")
    env.sh("git", "-C", env.path("work"), "commit", "--quiet", "-m", "one")
    env.sh("git", "-C", env.path("work"), "push", "--quiet", "origin", "HEAD:main")
    env.sh("git", "clone", "--quiet", "--bare", env.path("forge.git"), env.path("standby.git"))
    env.sh("git", "clone", "--quiet", env.path("forge.git"), env.path("other"))
    for clone, name in (("other", "THEIRS"), ("work", "OURS")):
        env.write(f"{clone}/{name}", name + "\n")
        env.sh("git", "-C", env.path(clone), "add", name)
        env.sh("git", "-C", env.path(clone), "commit", "--quiet", "-m", name)
    env.sh("git", "-C", env.path("other"), "push", "--quiet", "origin", "main")
    touch = lambda marker: f'["touch", "{env.path(marker)}"]'  # noqa: E731
    env.write("forge.yaml", f"""kind: world
name: forge
escalate: notify-operator
escalate_every: {window}
types: {{host: {{}}, repo: {{}}}}
objects:
  primary: {{type: host, forge: "{env.path('forge.git')}"}}
  standby: {{type: host, forge: "{env.path('standby.git')}"}}
  config: {{type: repo, path: "{env.path('work')}"}}
facts:
  reachable(host): bool
  gitea_primary(host): bool
  standby_for(host, host): bool
  repo_synced(repo): bool
state: [reachable(primary), reachable(standby), gitea_primary(primary), standby_for(primary, standby)]
actions:
  sync-repo:
    params: {{r: repo, g: host}}
    pre: [gitea_primary($g), reachable($g)]
    eff: [repo_synced($r)]
    cost: 3
    run:
      plugin: sync-repo
      with: {{repo: "${{r}}", path: "${{r.path}}", remote: "${{g.forge}}", branch: main, timeout: 20s}}
  fence-primary:
    params: {{h: host}}
    pre: [gitea_primary($h), reachable($h)]
    eff: [not reachable($h)]
    cost: 4
    run: {{plugin: command, with: {{argv: {touch('fenced')}, expect_exit: [0]}}}}
  promote-standby:
    params: {{from: host, to: host}}
    pre: [gitea_primary($from), standby_for($from, $to), not reachable($from), reachable($to)]
    eff: [gitea_primary($to), not gitea_primary($from)]
    cost: 15
    run: {{plugin: command, with: {{argv: {touch('promoted')}, expect_exit: [0]}}}}
  notify-operator:
    run:
      plugin: command
      with:
        argv: ["{ESCALATE}", "--", "${{goap.goal}}", "${{goap.cause}}", "${{goap.run}}", "${{goap.reason}}"]
        timeout: 10s
        expect_exit: [0]
goals:
  forge-primary-up: {{priority: 100, forall: {{h: host}}, want: [reachable($h)]{protect}}}
  repo-synced: {{priority: 50, want: [repo_synced(config)]}}
""")
    env.env["GOAP_ESCALATION_FILE"] = env.path("escalations.log")


def escalations(env):
    if not os.path.exists(env.path("escalations.log")):
        return []
    return [line.split("\t") for line in env.read("escalations.log").splitlines()]


def test_diverged_repo_does_not_fence_the_primary_and_escalates(env):
    setup(env)
    nxt = env.goap_run("next", "forge.yaml", "--json", "--set", "not repo_synced(config)")
    check('"protected": [' in nxt.stdout and "forge-primary-up" in nxt.stdout, "next lists the protected goal", nxt.stdout)
    r = env.goap_run("run", "forge.yaml", "--retries", "0", rc=None)
    check(r.returncode != 0, "no recovery plan is a failure", r.stdout)
    check(r.stdout.count("step") >= 2 and "sync-repo(config, primary)" in r.stdout, "sync-repo was tried", r.stdout)
    check("refusing" in r.stdout or "diverged" in r.stdout, "the plugin refused the diverged repo", r.stdout)
    steps = [line for line in r.stdout.splitlines() if line.startswith("step ")]
    check(all("sync-repo(config, primary)" in line for line in steps), "no step but sync-repo", r.stdout)
    check(not os.path.exists(env.path("fenced")) and not os.path.exists(env.path("promoted")),
          "neither fenced nor promoted", r.stdout)
    check("no plan that keeps 'forge-primary-up' holding" in r.stdout, "the reason names the protected goal", r.stdout)
    e = escalations(env)
    check(len(e) == 1, "escalated once", r.stdout, env.read("escalations.log") if e else "")
    check(e[0][1] == "repo-synced" and e[0][2] == "given-up" and "sync-repo(config, primary)" in e[0][4],
          "the escalation names the goal, the cause and why", str(e))
    h = json.loads(env.goap_run("history", "1", "--json").stdout)
    kinds = [(s["kind"], s["action"], s["status"]) for s in h["steps"]]
    check(kinds[-1] == ("escalation", "notify-operator", "done") and kinds[0][0] == "action",
          "the escalation is journaled as a step of kind escalation", str(kinds))

    # A timer runs goap again within the hour: the same goal and cause do not escalate again.
    r2 = env.goap_run("run", "forge.yaml", "--retries", "0", rc=None)
    check("already sent" in r2.stdout, "second run says it already escalated", r2.stdout)
    check(len(escalations(env)) == 1, "still one escalation", r2.stdout)
    check(not os.path.exists(env.path("fenced")), "still not fenced", r2.stdout)


def test_a_new_window_escalates_again_and_failures_are_not_escalated(env):
    setup(env, window="1s")
    env.goap_run("run", "forge.yaml", "--retries", "0", rc=None)
    import time
    time.sleep(1.2)  # the window is 1 s: this is its end, not a timing assertion
    # The notifier itself fails now: the failure is journaled, the run goes on, nothing loops.
    env.env["GOAP_ESCALATION_FILE"] = "/dev/null/not-a-dir/escalations.log"
    r = env.goap_run("run", "forge.yaml", "--retries", "0", rc=None)
    check("escalation failed" in r.stdout and r.stdout.count("escalating:") == 1, "one failed escalation", r.stdout)
    env.env["GOAP_ESCALATION_FILE"] = env.path("escalations.log")
    check(len(escalations(env)) == 1, "the first run's escalation only", str(escalations(env)))


def test_protect_false_lets_the_plan_fence(env):
    setup(env, protect=", protect: false")
    r = env.goap_run("run", "forge.yaml", "--retries", "0", rc=None)
    check(os.path.exists(env.path("fenced")), "without protection goap fences the primary (the issue's bug)", r.stdout)


def test_templates_are_checked(env):
    setup(env)
    text = env.read("forge.yaml")
    env.write("bad.yaml", text.replace("${goap.cause}", "${goap.caus}"))
    r = env.goap_run("check", "bad.yaml", rc=None)
    check(r.returncode != 0 and "unknown template '${goap.caus}'" in r.stdout + r.stderr and "'cause'" in r.stdout + r.stderr,
          "unknown ${goap.*} is refused with a hint", r.stdout, r.stderr)
    env.write("bad2.yaml", text.replace('argv: ["touch", "' + env.path("fenced") + '"]',
                                        'argv: ["touch", "${goap.goal}"]'))
    r = env.goap_run("check", "bad2.yaml", rc=None)
    check(r.returncode != 0 and "only filled in for the world's escalation action" in r.stdout + r.stderr,
          "${goap.*} outside the escalation action is refused", r.stdout, r.stderr)
    env.write("bad3.yaml", text.replace("escalate: notify-operator", "escalate: notify-operater"))
    r = env.goap_run("check", "bad3.yaml", rc=None)
    check(r.returncode != 0 and "'escalate' names no action" in r.stdout + r.stderr, "unknown escalate action", r.stdout, r.stderr)


if __name__ == "__main__":
    sys.exit(main([test_diverged_repo_does_not_fence_the_primary_and_escalates,
                   test_a_new_window_escalates_again_and_failures_are_not_escalated,
                   test_protect_false_lets_the_plan_fence, test_templates_are_checked], sys.argv[1]))
