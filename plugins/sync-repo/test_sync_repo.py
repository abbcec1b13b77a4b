#!/usr/bin/env python3
"""sync-repo against real local git repositories: a bare "forge", a working copy, a bare mirror.
usage: test_sync_repo.py GOAP"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "plugins"))
from goaptest import check, main  # noqa: E402
import sshlab  # noqa: E402


def setup(env, mirror=False):
    env.sh("git", "init", "--quiet", "--bare", "--initial-branch=main", env.path("forge.git"))
    env.sh("git", "clone", "--quiet", env.path("forge.git"), env.path("work"))
    env.write("work/README", "one\n")
    env.sh("git", "-C", env.path("work"), "add", "README")
    env.sh("git", "-C", env.path("work"), "commit", "--quiet", "-m", "one")
    env.sh("git", "-C", env.path("work"), "push", "--quiet", "origin", "HEAD:main")
    env.sh("git", "clone", "--quiet", env.path("forge.git"), env.path("other"))  # someone else's clone
    if mirror:
        env.sh("git", "init", "--quiet", "--bare", "--initial-branch=main", env.path("mirror.git"))
    mirror_line = f'\n        mirror: "{env.path("mirror.git")}"' if mirror else ""
    env.write("repos.yaml", f"""kind: world
name: repos
types: {{repo: {{}}}}
objects:
  config: {{type: repo, path: "{env.path('work')}", remote: "{env.path('forge.git')}", branch: main}}
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
        remote: "${{r.remote}}"{mirror_line}
        branch: "${{r.branch}}"
        timeout: 20s
goals:
  synced: {{priority: 1, want: [repo_synced(config)]}}
""")
    env.write("repos.sensors.yaml", f"""kind: sensors
sensors:
  repo_synced($r):
    plugin: sync-repo
    with: {{path: "${{r.path}}", remote: "${{r.remote}}", branch: "${{r.branch}}"{mirror_line.replace(chr(10) + '        ', ', ')}}}
""")


def commit(env, clone, name, text):
    env.write(f"{clone}/{name}", text)
    env.sh("git", "-C", env.path(clone), "add", name)
    env.sh("git", "-C", env.path(clone), "commit", "--quiet", "-m", name)


def head(env, where):
    return env.sh("git", "--git-dir", where if where.endswith(".git") else os.path.join(where, ".git"), "rev-parse", "main")


def test_in_sync_is_sensed_and_nothing_to_do(env):
    setup(env)
    check("- repo_synced(config)" in env.goap_run("sense", "repos.yaml").stdout, "in sync after clone")
    r = env.goap_run("run", "repos.yaml")
    check("step 1" not in r.stdout and "every relevant goal is met" in r.stdout, "nothing to do", r.stdout)


def test_behind_is_fast_forwarded(env):
    setup(env)
    commit(env, "other", "NEWS", "from elsewhere\n")
    env.sh("git", "-C", env.path("other"), "push", "--quiet", "origin", "main")
    check("not repo_synced(config)" in env.goap_run("sense", "repos.yaml").stdout, "behind reads as out of sync")
    r = env.goap_run("run", "repos.yaml", "--retries", "0")
    check("fast-forwarded" in r.stdout and "verified: repo_synced(config)" in r.stdout, "fast-forward", r.stdout)
    check(env.read("work/NEWS") == "from elsewhere\n", "the working tree moved with the branch")
    check(head(env, env.path("work")) == head(env, env.path("forge.git")), "heads agree")


def test_ahead_is_pushed_and_mirrored(env):
    setup(env, mirror=True)
    commit(env, "work", "LOCAL", "written here\n")
    r = env.goap_run("run", "repos.yaml", "--retries", "0")
    check("pushed" in r.stdout and "mirror updated" in r.stdout, "pushed to both", r.stdout)
    h = head(env, env.path("work"))
    check(h == head(env, env.path("forge.git")) == head(env, env.path("mirror.git")), "all three agree")
    check("- repo_synced(config)" in env.goap_run("sense", "repos.yaml").stdout, "sensed in sync")


def test_diverged_is_refused_and_nothing_moves(env):
    setup(env)
    commit(env, "other", "THEIRS", "theirs\n")
    env.sh("git", "-C", env.path("other"), "push", "--quiet", "origin", "main")
    commit(env, "work", "OURS", "ours\n")
    ours, theirs = head(env, env.path("work")), head(env, env.path("forge.git"))
    r = env.goap_run("run", "repos.yaml", "--retries", "0", rc=20)
    check("diverged" in r.stdout and "refusing" in r.stdout, "refuses", r.stdout)
    check(head(env, env.path("work")) == ours and head(env, env.path("forge.git")) == theirs, "neither side changed")
    h = env.goap_run("history", "--json")
    check('"status": "no-plan"' in h.stdout, "journal has the failed run", h.stdout)


def refs(env, where):
    return env.sh("git", "--git-dir", where, "for-each-ref", "--format=%(refname) %(objectname)")


def test_hostile_remotes_and_branches_run_nothing_and_move_nothing(env):
    setup(env)
    # The sensor reads the same attributes: check flags them there too, at the sensor's line.
    text = env.read("repos.yaml")
    env.write("repos.yaml", text.replace(f'branch: main}}', 'branch: "--upload-pack=x"}'))
    c = env.goap_run("check", "repos.yaml", rc=3)
    check("repos.sensors.yaml:" in c.stderr and "sensor 'repo_synced($r)': 'branch' would be '--upload-pack=x'" in c.stderr,
          "the sensor's template is flagged", c.stderr)
    s = env.goap_run("sense", "repos.yaml", rc=None)
    check("'branch' must be" in s.stdout + s.stderr, "the sensor is refused", s.stdout, s.stderr)
    env.write("repos.yaml", text)
    os.remove(env.path("repos.sensors.yaml"))
    commit(env, "other", "THEIRS", "theirs\n")
    env.sh("git", "-C", env.path("other"), "push", "--quiet", "origin", "main")
    pwned = env.path("pwned")
    forge, work = env.path("forge.git"), env.path("work", ".git")
    before = (refs(env, forge), refs(env, work))
    cases = [(f"--upload-pack=touch {pwned};", "main", "remote"),
             (f"ext::sh -c touch% {pwned}", "main", "remote"),
             (f"ssh://-oProxyCommand=touch%20{pwned}/r.git", "main", "remote"),
             (forge + "\n--upload-pack=touch " + pwned, "main", "remote"),
             (forge, "main:refs/heads/hijack", "branch"),   # a second refspec: fetch would write refs/heads/hijack
             (forge, "+main", "branch"),
             (forge, f"--upload-pack=touch {pwned}", "branch"),
             (forge, "main\nx", "branch"),
             (forge, "ma in", "branch")]
    text = env.read("repos.yaml")
    for remote, branch, param in cases:
        env.write("repos.yaml", text.replace(f'remote: "{forge}", branch: main',
                                             f"remote: {json.dumps(remote)}, branch: {json.dumps(branch)}"))
        c = env.goap_run("check", "repos.yaml", rc=3)
        check(f"'{param}' would be" in c.stderr and "repos.yaml:" in c.stderr, "check flags it at the with: line", c.stderr)
        r = env.goap_run("run", "repos.yaml", "--retries", "0", rc=None)
        check(r.returncode != 0 and f"'{param}' must be" in r.stdout, f"refused: {remote!r} {branch!r}", r.stdout)
    check(not os.path.exists(pwned), "no command ran")
    check((refs(env, forge), refs(env, work)) == before, "no ref moved or appeared on either side", refs(env, work))


def ssh_setup(env, lab, known_hosts=None):
    """The forge is a bare repo served by the lab's real sshd: the world's remote is
    ssh://USER@127.0.0.1:PORT/<path>.git, with the lab's key, known hosts and config."""
    setup(env)
    remote = f"ssh://{lab.user}@127.0.0.1:{lab.port}{env.path('forge.git')}"
    ssh = (f'ssh_identity: {json.dumps(lab.key)}, ssh_known_hosts: {json.dumps(known_hosts or lab.known_hosts)}, '
           f'ssh_config: {json.dumps(lab.config)}')
    for name in ("repos.yaml", "repos.sensors.yaml"):
        text = env.read(name).replace(f'remote: "{env.path("forge.git")}"', f"remote: {json.dumps(remote)}")
        text = text.replace('remote: "${r.remote}",', 'remote: "${r.remote}", ' + ssh + ",")  # the sensor
        text = text.replace('        remote: "${r.remote}"\n', '        remote: "${r.remote}"\n        ' +
                            ssh.replace(", ssh_", "\n        ssh_") + "\n")  # the action
        env.write(name, text)
    return remote


def sessions(lab):
    return lab.log().count("Accepted publickey")


def test_ssh_equal_is_sensed_in_sync_over_ssh(env):
    lab = sshlab.SshLab(env)
    ssh_setup(env, lab)
    env.goap_run("check", "repos.yaml")
    dry = env.goap_run("run", "repos.yaml", "--dry-run").stdout
    check("every relevant goal is met" in dry or "nothing" in dry, "nothing to do", dry)
    before = sessions(lab)
    check("- repo_synced(config)" in env.goap_run("sense", "repos.yaml").stdout, "in sync, read over ssh")
    check(sessions(lab) > before, "the sensor's ls-remote went through sshd", lab.log())
    r = env.goap_run("run", "repos.yaml")
    check("step 1" not in r.stdout and "every relevant goal is met" in r.stdout, "nothing to do", r.stdout)


def test_ssh_behind_is_fast_forwarded_over_ssh(env):
    lab = sshlab.SshLab(env)
    ssh_setup(env, lab)
    commit(env, "other", "NEWS", "from elsewhere\n")
    env.sh("git", "-C", env.path("other"), "push", "--quiet", "origin", "main")
    check("not repo_synced(config)" in env.goap_run("sense", "repos.yaml").stdout, "behind reads as out of sync")
    dry = env.goap_run("run", "repos.yaml", "--dry-run").stdout
    check("GIT_SSH_COMMAND=" in dry and "StrictHostKeyChecking=yes" in dry and "IdentitiesOnly=yes" in dry
          and "BatchMode=yes" in dry and "StrictHostKeyChecking=no" not in dry, "the dry run shows git's ssh command", dry)
    r = env.goap_run("run", "repos.yaml", "--retries", "0")
    check("fast-forwarded" in r.stdout and "verified: repo_synced(config)" in r.stdout, "fast-forward", r.stdout)
    check(env.read("work/NEWS") == "from elsewhere\n", "the working tree moved with the branch")
    check(head(env, env.path("work")) == head(env, env.path("forge.git")), "heads agree")


def test_ssh_ahead_is_pushed_over_ssh(env):
    lab = sshlab.SshLab(env)
    ssh_setup(env, lab)
    commit(env, "work", "LOCAL", "written here\n")
    r = env.goap_run("run", "repos.yaml", "--retries", "0")
    check("pushed" in r.stdout and "verified: repo_synced(config)" in r.stdout, "pushed", r.stdout)
    check(head(env, env.path("work")) == head(env, env.path("forge.git")), "the forge got our commit over ssh")


def test_ssh_diverged_is_refused_and_nothing_moves_on_either_side(env):
    lab = sshlab.SshLab(env)
    ssh_setup(env, lab)
    commit(env, "other", "THEIRS", "theirs\n")
    env.sh("git", "-C", env.path("other"), "push", "--quiet", "origin", "main")
    commit(env, "work", "OURS", "ours\n")
    forge, work = env.path("forge.git"), env.path("work", ".git")
    before = (refs(env, forge), refs(env, work), env.sh("git", "-C", env.path("work"), "status", "--porcelain"))
    r = env.goap_run("run", "repos.yaml", "--retries", "0", rc=20)
    check("diverged" in r.stdout and "refusing" in r.stdout, "refuses", r.stdout)
    check(sessions(lab) > 0, "it did talk to the forge over ssh", lab.log())
    after = (refs(env, forge), refs(env, work), env.sh("git", "-C", env.path("work"), "status", "--porcelain"))
    check(after == before, "no ref moved on either side, the working tree untouched", str(before), str(after))
    check("not repo_synced(config)" in env.goap_run("sense", "repos.yaml").stdout, "still out of sync")


def test_ssh_an_unknown_host_key_is_refused_and_nothing_moves(env):
    lab = sshlab.SshLab(env)
    other = env.path("other_key")
    env.sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other)
    with open(other + ".pub") as f:
        wrong = f"[127.0.0.1]:{lab.port} " + " ".join(f.read().split()[:2]) + "\n"
    # A host that is not in the known-hosts file at all, then one whose key is not the known one.
    for known, text in [("empty_known_hosts", ""), ("wrong_known_hosts", wrong)]:
        env.write(known, text)
        if os.path.exists(env.path("work")):
            for d in ("work", "other", "forge.git"):
                env.sh("rm", "-rf", env.path(d))
        ssh_setup(env, lab, known_hosts=env.path(known))
        commit(env, "work", "LOCAL", "written here\n")  # ahead: a sync would push
        forge, work = env.path("forge.git"), env.path("work", ".git")
        before = (refs(env, forge), refs(env, work))
        s = env.goap_run("sense", "repos.yaml", rc=None)
        check("repo_synced(config)" in s.stdout and "- repo_synced(config)" not in s.stdout
              and "not repo_synced(config)" not in s.stdout and "Host key verification failed" in s.stdout,
              "the sensor cannot look: unknown, neither true nor false", s.stdout, s.stderr)
        r = env.goap_run("run", "repos.yaml", "--retries", "0", rc=None)
        check(r.returncode != 0 and "Host key verification failed" in r.stdout and "step 1" not in r.stdout,
              "strict checking refuses the host: nothing is done on a guess", r.stdout)
        # The action itself, carried out regardless of the sensor (as a stale plan would): refused too.
        os.rename(env.path("repos.sensors.yaml"), env.path("sensors.off"))
        r = env.goap_run("run", "repos.yaml", "--retries", "0", rc=None)
        check(r.returncode != 0 and "Host key verification failed" in r.stdout, "the sync is refused", r.stdout)
        os.rename(env.path("sensors.off"), env.path("repos.sensors.yaml"))
        check((refs(env, forge), refs(env, work)) == before, "nothing moved on either side")
        check(env.read(known) == text, "the known-hosts file was not changed")
    check("Accepted publickey" not in lab.log(), "no session was ever opened", lab.log())

if __name__ == "__main__":
    sys.exit(main(sshlab.runnable([
        test_in_sync_is_sensed_and_nothing_to_do, test_behind_is_fast_forwarded,
        test_ahead_is_pushed_and_mirrored, test_diverged_is_refused_and_nothing_moves,
        test_hostile_remotes_and_branches_run_nothing_and_move_nothing,
        test_ssh_equal_is_sensed_in_sync_over_ssh, test_ssh_behind_is_fast_forwarded_over_ssh,
        test_ssh_ahead_is_pushed_over_ssh, test_ssh_diverged_is_refused_and_nothing_moves_on_either_side,
        test_ssh_an_unknown_host_key_is_refused_and_nothing_moves]), sys.argv[1]))
