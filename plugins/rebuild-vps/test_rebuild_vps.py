#!/usr/bin/env python3
"""rebuild-vps against a doctl stand-in and the real sshd of tests/plugins/sshlab.py.

The stand-in (DOCTL below, written into the test's folder) speaks the doctl subcommands the
plugin uses, keeps its droplets in a JSON file, records every call with the token it got in its
environment, and plays the machine: a rebuild or create restarts the lab's sshd with a NEW host
key, a power cycle restarts it, a power-off stops it a moment after the command returns.
usage: test_rebuild_vps.py GOAP"""
import json
import os
import socket
import stat
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "plugins"))
from goaptest import PYTHON, check, main  # noqa: E402
import sshlab  # noqa: E402

TOKEN = "dop_v1_0123456789abcdef0123456789abcdef-from-file"
ENV_TOKEN = "dop_v1_fedcba9876543210fedcba9876543210-from-env"

DOCTL = r'''#!/usr/bin/env python3
import json, os, signal, subprocess, sys, time
HERE = os.path.dirname(os.path.abspath(__file__))
STATE = os.path.join(HERE, "doctl.json")
st = json.load(open(STATE))
lab = st["lab"]
args = sys.argv[1:]
if not args[0].startswith("_"):
    with open(os.path.join(HERE, "doctl.calls"), "a") as f:
        f.write(json.dumps({"argv": args, "token": os.environ.get("DIGITALOCEAN_ACCESS_TOKEN")}) + "\n")

def save():
    json.dump(st, open(STATE, "w"))

def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False

def sshd_pid():
    p = os.path.join(lab, "sshd.pid")
    return int(open(p).read()) if os.path.exists(p) else st["sshd_pid"]

def stop_sshd():
    pid = sshd_pid()
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    while alive(pid):
        time.sleep(0.01)

def start_sshd():
    log = open(os.path.join(lab, "sshd.log"), "a")
    p = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", os.path.join(lab, "sshd_config")], stdin=subprocess.DEVNULL,
                         stdout=log, stderr=log, start_new_session=True)
    with open(os.path.join(lab, "sshd.pid"), "w") as f:  # the test's cleanup stops every *.pid
        f.write(str(p.pid))

def new_host_key():
    key = os.path.join(lab, "host_key")
    for f in (key, key + ".pub"):
        os.remove(f)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rebuilt", "-f", key], check=True)

def droplet(i):
    for d in st["droplets"]:
        if str(d["id"]) == i:
            return d
    print(f"Error: GET https://api.digitalocean.com/v2/droplets/{i}: 404 (request \"x\") The resource you were accessing could not be found.")
    sys.exit(1)

if args[0] == "_stop":
    stop_sshd(); sys.exit(0)
if args[0] == "_start":
    start_sshd(); sys.exit(0)
if args[0] == "_stop_later":
    time.sleep(1); stop_sshd(); sys.exit(0)
if args[0] == "_rotate":   # the host's key changes by itself: no rebuild by the plugin
    stop_sshd(); new_host_key(); start_sshd(); sys.exit(0)
if not os.environ.get("DIGITALOCEAN_ACCESS_TOKEN"):
    print("Error: Unable to initialize DigitalOcean API client: access token is required. (hint: run 'doctl auth init')")
    sys.exit(1)
if st.get("fail"):
    print(st["fail"]); sys.exit(1)
cmd = args[:3]
if args == ["compute", "droplet", "list", "--format", "ID,Name,PublicIPv4", "--no-header"]:
    for d in st["droplets"]:
        print(f"{d['id']}    {d['name']}    {d['ip']}")
elif cmd == ["compute", "droplet", "create"] and args[-4:] == ["--wait", "--format", "ID", "--no-header"]:
    opts = dict(zip(args[4:-4:2], args[5:-4:2]))
    assert set(opts) <= {"--image", "--region", "--size", "--ssh-keys"} and len(args[4:-4]) % 2 == 0, args
    i = st["next_id"]; st["next_id"] += 1
    st["droplets"].append({"id": i, "name": args[3], "ip": "203.0.113.50", "image": opts["--image"]}); save()
    stop_sshd(); new_host_key(); start_sshd()
    print(i)
elif cmd == ["compute", "droplet-action", "rebuild"] and args[4:] == ["--image", args[5], "--wait"]:
    droplet(args[3])["image"] = args[5]; save()
    stop_sshd(); new_host_key(); start_sshd()
elif cmd == ["compute", "droplet-action", "power-cycle"] and args[4:] == ["--wait"]:
    droplet(args[3])
    stop_sshd()
    if st.get("rotate_on_power_cycle"):
        new_host_key()
    start_sshd()
elif cmd == ["compute", "droplet-action", "power-off"] and args[4:] == ["--wait"]:
    droplet(args[3])
    if not st.get("ignore_power_off"):   # down a moment after the API said done
        subprocess.Popen([sys.executable, os.path.abspath(__file__), "_stop_later"], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
elif cmd == ["compute", "reserved-ip-action", "assign"] and args[5:] == ["--wait"]:
    droplet(args[4])["reserved_ip"] = args[3]; save()
else:
    print("Error: unknown command " + " ".join(args)); sys.exit(2)
'''


class Fleet:
    """The lab's sshd, the doctl stand-in and a world whose host is that sshd."""

    def __init__(self, env, droplets, **state):
        self.env = env
        self.lab = sshlab.SshLab(env)
        self.lab.recorder("hello")
        self.doctl = env.write("doctl", DOCTL)
        os.chmod(self.doctl, 0o755)
        self.token_file = env.write("do-token", TOKEN + "\n")
        os.chmod(self.token_file, 0o600)
        self.state = {"lab": self.lab.dir, "sshd_pid": self.lab.proc.pid, "next_id": 9001, "droplets": droplets}
        self.state.update(state)
        env.write("doctl.json", json.dumps(self.state))
        # Other hosts' entries, a comment, and the lab's own line naming it twice: all must survive.
        with open(self.lab.known_hosts) as f:
            self.lab_line = f.read()
        self.others = ("# fleet\n[127.0.0.1]:1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOtherHostOnPort1\n"
                       "192.0.2.99 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAnotherHost\n")
        with open(self.lab.known_hosts, "w") as f:
            f.write(self.others + self.lab_line)
        os.chmod(self.lab.known_hosts, 0o644)
        self.before = self.known_hosts()

    def known_hosts(self):
        with open(self.lab.known_hosts) as f:
            return f.read()

    def host_key(self):
        with open(os.path.join(self.lab.dir, "host_key.pub")) as f:
            return " ".join(f.read().split()[:2])

    def calls(self):
        p = self.env.path("doctl.calls")
        if not os.path.exists(p):
            return []
        with open(p) as f:
            return [json.loads(x) for x in f]

    def standin(self, what):
        subprocess.run([PYTHON, self.doctl, what], check=True)

    def port_open(self):
        try:
            with socket.create_connection(("127.0.0.1", self.lab.port), timeout=1):
                return True
        except OSError:
            return False

    def world(self, goal, token_file=True, timeout="20s", state=""):
        lab = self.lab
        token = f'        token_file: "{self.token_file}"\n' if token_file else ""
        tok = f', token_file: "{self.token_file}"' if token_file else ""
        common = (f'        droplet: "${{v.droplet}}"\n        doctl: "{self.doctl}"\n{token}'
                  f'        address: "${{v.address}}"\n        ssh_port: "${{v.ssh_port}}"\n'
                  f'        timeout: {timeout}\n        interval: 100ms\n')
        ssh = (f'        ssh_user: "${{v.ssh_user}}"\n        ssh_identity: "${{v.ssh_identity}}"\n'
               f'        ssh_known_hosts: "${{v.ssh_known_hosts}}"\n        ssh_config: "{lab.config}"\n')
        self.env.write("fleet.yaml", f"""kind: world
name: fleet
types: {{vps: {{}}}}
objects:
  web-1:
    type: vps
    address: 127.0.0.1
    ssh_port: "{lab.port}"
    ssh_user: {lab.user}
    ssh_identity: {json.dumps(lab.key)}
    ssh_known_hosts: {json.dumps(lab.known_hosts)}
    droplet: web-1
    region: fra1
    size: s-1vcpu-1gb
    image: debian-12-x64
    reserved_ip: 192.0.2.10
facts:
  reachable(vps): bool
  rebuilt(vps): bool
  fenced(vps): bool
  greeted(vps): bool
state: [{state}]
actions:
  rebuild-vps:
    params: {{v: vps}}
    pre: [not rebuilt($v)]
    eff: [rebuilt($v), reachable($v)]
    approval: true
    run:
      plugin: rebuild-vps
      with:
{common}{ssh}        image: "${{v.image}}"
        region: "${{v.region}}"
        size: "${{v.size}}"
        reserved_ip: "${{v.reserved_ip}}"
  power-cycle-vps:
    params: {{v: vps}}
    pre: [not reachable($v)]
    eff: [reachable($v)]
    run: {{plugin: rebuild-vps, with: {{droplet: "${{v.droplet}}", doctl: "{self.doctl}", address: "${{v.address}}",
          ssh_port: "${{v.ssh_port}}", timeout: {timeout}, interval: 100ms{tok}}}}}
  power-off-vps:
    params: {{v: vps}}
    pre: [not fenced($v)]
    eff: [fenced($v), not reachable($v)]
    run: {{plugin: rebuild-vps, with: {{droplet: "${{v.droplet}}", doctl: "{self.doctl}", address: "${{v.address}}",
          ssh_port: "${{v.ssh_port}}", timeout: {timeout}, interval: 100ms{tok}}}}}
  greet:                         # a later step over ssh, with strict host-key checking
    params: {{v: vps}}
    pre: [rebuilt($v), reachable($v)]
    eff: [greeted($v)]
    run:
      plugin: command
      with:
        host: "${{v.address}}"
        ssh_user: "${{v.ssh_user}}"
{lab.params()}        argv: [hello, "${{v}}"]
        timeout: 20s
goals:
  g: {{priority: 1, want: [{goal}]}}
""")
        self.env.write("fleet.sensors.yaml", """kind: sensors
sensors:
  reachable($v): {plugin: rebuild-vps, sensor: healthy, with: {address: "${v.address}", ssh_port: "${v.ssh_port}", timeout: 1s}}
""")

    def secret_nowhere(self, *outputs):
        """Neither token is on any argv the stand-in got, in goap's output or in its journal."""
        for c in self.calls():
            check(not any(TOKEN in a or ENV_TOKEN in a for a in c["argv"]), "a token on the argv", c)
        for o in outputs:
            check(TOKEN not in o and ENV_TOKEN not in o and "dop_v1" not in o, "a token in goap's output", o)
        hist = self.env.goap_run("history", "--format", "json").stdout
        check(TOKEN not in hist and ENV_TOKEN not in hist, "a token in the history", hist)
        for f in os.listdir(self.env.dir):
            if f.startswith("journal") and os.path.isfile(self.env.path(f)):
                with open(self.env.path(f), "rb") as j:
                    data = j.read()
                check(TOKEN.encode() not in data and ENV_TOKEN.encode() not in data, "a token in the journal " + f)


def lines_without(text, entry_prefix):
    return [x for x in text.splitlines(keepends=True) if not x.startswith(entry_prefix)]


def check_rotated(f, old_key):
    """Exactly the host's entry was replaced: the new key under [127.0.0.1]:PORT, the other name
    of the lab's line kept with its old key, every other line byte for byte, the mode kept."""
    pattern = f"[127.0.0.1]:{f.lab.port}"
    after = f.known_hosts()
    new_key = f.host_key()
    check(new_key != old_key, "the stand-in gave the host a new key")
    check(after == f.others + f"[lab]:{f.lab.port} {old_key}\n{pattern} {new_key}\n", "exactly that entry replaced", after)
    check(stat.S_IMODE(os.stat(f.lab.known_hosts).st_mode) == 0o644, "mode kept")
    check(not [x for x in os.listdir(f.lab.dir) if ".goap-" in x], "no temporary file left")


def test_ssh_rebuild_by_name_uses_the_id_and_rotates_the_host_key(env):
    f = Fleet(env, [{"id": 7, "name": "web-10", "ip": "203.0.113.7"}, {"id": 4242, "name": "web-1", "ip": "203.0.113.8"},
                    {"id": 8, "name": "web", "ip": "203.0.113.9"}])
    old_key = f.host_key()
    f.world("greeted(web-1)")
    env.goap_run("check", "fleet.yaml")
    dry = env.goap_run("run", "fleet.yaml", "--dry-run", "--approve", "rebuild-vps").stdout
    for want in [f"{f.doctl} compute droplet list --format ID,Name,PublicIPv4 --no-header",
                 f"{f.doctl} compute droplet-action rebuild <id> --image debian-12-x64 --wait",
                 f"{f.doctl} compute droplet create web-1 --image debian-12-x64 --region fra1 --size s-1vcpu-1gb --wait --format ID --no-header",
                 f"{f.doctl} compute reserved-ip-action assign 192.0.2.10 <id> --wait",
                 f"ssh-keyscan -T 10 -p {f.lab.port} -- 127.0.0.1", "from token_file " + f.token_file,
                 f"ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=10 -p {f.lab.port} -i {f.lab.key}"]:
        check(want in dry, "the dry run shows " + want, dry)
    check(f.calls() == [], "a dry run calls no doctl")
    r = env.goap_run("run", "fleet.yaml", "--approve", "rebuild-vps")
    check("rebuilt droplet 'web-1' (id 4242)" in r.stdout and "every relevant goal is met" in r.stdout, "rebuilt, then ssh", r.stdout)
    argvs = [c["argv"] for c in f.calls()]
    check(argvs == [["compute", "droplet", "list", "--format", "ID,Name,PublicIPv4", "--no-header"],
                    ["compute", "droplet-action", "rebuild", "4242", "--image", "debian-12-x64", "--wait"]], "by id", argvs)
    check_rotated(f, old_key)
    check(f.lab.calls() == [["hello", "web-1"]], "the later ssh step ran with strict checking", f.lab.calls(), r.stdout)
    check(all(c["token"] == TOKEN for c in f.calls()), "the token from the file reached doctl", f.calls())
    f.secret_nowhere(r.stdout, r.stderr, dry)


def test_ssh_a_destroyed_droplet_is_created_again_with_its_reserved_ip(env):
    f = Fleet(env, [{"id": 5, "name": "db-1", "ip": "203.0.113.5"}])
    old_key = f.host_key()
    f.world("greeted(web-1)")
    r = env.goap_run("run", "fleet.yaml", "--approve", "rebuild-vps")
    check("created droplet 'web-1' (id 9001) with reserved IP 192.0.2.10" in r.stdout and "every relevant goal is met" in r.stdout,
          "created, then ssh", r.stdout)
    argvs = [c["argv"] for c in f.calls()]
    check(argvs[1:] == [["compute", "droplet", "create", "web-1", "--image", "debian-12-x64", "--region", "fra1", "--size",
                         "s-1vcpu-1gb", "--wait", "--format", "ID", "--no-header"],
                        ["compute", "reserved-ip-action", "assign", "192.0.2.10", "9001", "--wait"]], "create, assign", argvs)
    with open(env.path("doctl.json")) as s:
        made = [d for d in json.load(s)["droplets"] if d["name"] == "web-1"]
    check(len(made) == 1 and made[0]["reserved_ip"] == "192.0.2.10", "one droplet, the IP assigned", made)
    check_rotated(f, old_key)
    check(f.lab.calls() == [["hello", "web-1"]], "the later ssh step ran", f.lab.calls())


def test_ssh_a_host_key_changed_without_a_rebuild_is_refused(env):
    # A power cycle the plugin carried out, after which the host shows another key: not a
    # rebuild, so the known hosts stay as they are and the later ssh step is refused.
    f = Fleet(env, [{"id": 4242, "name": "web-1", "ip": "203.0.113.8"}], rotate_on_power_cycle=True)
    f.standin("_stop")
    f.world("greeted(web-1)", state="rebuilt(web-1)")
    check("not reachable(web-1)" in env.goap_run("sense", "fleet.yaml").stdout, "down before")
    r = env.goap_run("run", "fleet.yaml", "--retries", "0", rc=None)
    check("power-cycled droplet 'web-1' (id 4242)" in r.stdout and "verified: reachable(web-1)" in r.stdout, "cycled", r.stdout)
    check(r.returncode != 0 and "Host key verification failed" in r.stdout, "the later ssh step refused", r.stdout)
    check(f.known_hosts() == f.before, "known hosts untouched", f.known_hosts())
    check(f.lab.calls() == [], "nothing ran on the host")
    # A key that changes with no action of goap's at all: refused the same way.
    f.standin("_rotate")
    r = env.goap_run("run", "fleet.yaml", "--retries", "0", rc=None)
    check(r.returncode != 0 and "Host key verification failed" in r.stdout, "refused", r.stdout)
    check(f.known_hosts() == f.before and f.lab.calls() == [], "still untouched", f.known_hosts())


def test_ssh_power_cycle_by_id_keeps_the_host_key(env):
    f = Fleet(env, [{"id": 31, "name": "web-1", "ip": "203.0.113.8"}])
    f.standin("_stop")
    f.world("reachable(web-1)")
    dry = env.goap_run("run", "fleet.yaml", "--dry-run").stdout
    check(f"{f.doctl} compute droplet-action power-cycle <id> --wait" in dry, "dry run", dry)
    r = env.goap_run("run", "fleet.yaml")
    check("power-cycled droplet 'web-1' (id 31)" in r.stdout and "verified: reachable(web-1)" in r.stdout, "cycled", r.stdout)
    check([c["argv"] for c in f.calls()][1:] == [["compute", "droplet-action", "power-cycle", "31", "--wait"]], "by id", f.calls())
    check(f.known_hosts() == f.before, "known hosts untouched")


def test_ssh_power_off_waits_until_the_host_is_unreachable(env):
    f = Fleet(env, [{"id": 12, "name": "web-1", "ip": "203.0.113.8"}])
    f.world("fenced(web-1)")
    r = env.goap_run("run", "fleet.yaml")
    # The stand-in's host goes down a second after doctl returned: success means it was seen down.
    check("powered off droplet 'web-1' (id 12)" in r.stdout and "refuses connections" in r.stdout, "fenced", r.stdout)
    check(not f.port_open(), "the host is down when goap says so")
    check([c["argv"] for c in f.calls()][1:] == [["compute", "droplet-action", "power-off", "12", "--wait"]], "by id", f.calls())
    # A host that stays up after the power-off is not fenced: the step fails, the goal is not met.
    f.standin("_start")
    f.state["ignore_power_off"] = True
    env.write("doctl.json", json.dumps(f.state))
    env.env["GOAP_JOURNAL"] = env.path("journal2.db")
    f.world("fenced(web-1)", timeout="2s")
    r = env.goap_run("run", "fleet.yaml", "--retries", "0", rc=None)
    check(r.returncode != 0 and "not seen down within 2s" in r.stdout and "still accepts connections" in r.stdout,
          "not fenced", r.stdout)
    check(f.port_open(), "the host is still up")


def test_ssh_token_from_the_environment_and_missing(env):
    f = Fleet(env, [{"id": 31, "name": "web-1", "ip": "203.0.113.8"}])
    f.standin("_stop")
    f.world("reachable(web-1)", token_file=False)
    r = env.goap_run("run", "fleet.yaml", "--retries", "0", rc=None)
    check(r.returncode != 0 and "no DigitalOcean token: set DIGITALOCEAN_ACCESS_TOKEN" in r.stdout, "missing token", r.stdout)
    check(f.calls() == [], "doctl never ran without a token")
    env.env["DIGITALOCEAN_ACCESS_TOKEN"] = ENV_TOKEN
    dry = env.goap_run("run", "fleet.yaml", "--dry-run").stdout
    check("from goap's environment" in dry, "the dry run says where the token comes from", dry)
    r = env.goap_run("run", "fleet.yaml")
    check("verified: reachable(web-1)" in r.stdout, "cycled", r.stdout)
    check(f.calls() and all(c["token"] == ENV_TOKEN for c in f.calls()), "the environment's token", f.calls())
    # token_file wins over the environment, and replaces it (doctl sees one value).
    f.standin("_stop")
    f.world("reachable(web-1)")
    r2 = env.goap_run("run", "fleet.yaml")
    check(all(c["token"] == TOKEN for c in f.calls()[2:]) and len(f.calls()) == 4, "the file's token", f.calls())
    f.secret_nowhere(r.stdout, r.stderr, r2.stdout, r2.stderr, dry)


def test_ssh_two_droplets_of_one_name_are_refused(env):
    f = Fleet(env, [{"id": 11, "name": "web-1", "ip": "203.0.113.8"}, {"id": 12, "name": "web-1", "ip": "203.0.113.9"}])
    f.world("greeted(web-1)")
    r = env.goap_run("run", "fleet.yaml", "--approve", "rebuild-vps", "--retries", "0", rc=None)
    check(r.returncode != 0 and "2 droplets are named 'web-1' (ids 11, 12): refusing to guess" in r.stdout, "refused", r.stdout)
    check(f.calls() and all(c["argv"][:3] == ["compute", "droplet", "list"] for c in f.calls()), "nothing but the list ran",
          f.calls())
    check(f.known_hosts() == f.before, "known hosts untouched")
    # A failing provider is reported with its own words (and never its token).
    f.state["droplets"] = f.state["droplets"][:1]
    f.state["fail"] = "Error: POST droplet-action: 422 quota exceeded for " + TOKEN
    env.write("doctl.json", json.dumps(f.state))
    r = env.goap_run("run", "fleet.yaml", "--approve", "rebuild-vps", "--retries", "0", rc=None)
    check("cannot list the droplets: " in r.stdout and "422 quota exceeded for [token]" in r.stdout, "reported", r.stdout)
    f.secret_nowhere(r.stdout, r.stderr)


def test_ssh_an_attribute_cannot_become_a_doctl_option(env):
    f = Fleet(env, [{"id": 11, "name": "web-1", "ip": "203.0.113.8"}])
    pwned = env.path("pwned")
    for attr, value, param in [("droplet", f"--hook=touch {pwned}", "'droplet' must be"),
                               ("image", "--user-data=x", "'image' must be a provider slug")]:
        f.world("greeted(web-1)")
        text = env.read("fleet.yaml").replace(f"    {attr}: {'web-1' if attr == 'droplet' else 'debian-12-x64'}\n",
                                              f"    {attr}: {json.dumps(value)}\n")
        env.write("fleet.yaml", text)
        if attr == "droplet":
            c = env.goap_run("check", "fleet.yaml", rc=3)
            check("would be '--hook" in c.stderr, "check flags it", c.stderr)
        r = env.goap_run("run", "fleet.yaml", "--approve", "rebuild-vps", "--retries", "0", rc=None)
        check(r.returncode != 0 and param in r.stdout, "refused", r.stdout)
    check(f.calls() == [] and not os.path.exists(pwned), "doctl never ran")


if __name__ == "__main__":
    sys.exit(main(sshlab.runnable([test_ssh_rebuild_by_name_uses_the_id_and_rotates_the_host_key,
                                   test_ssh_a_destroyed_droplet_is_created_again_with_its_reserved_ip,
                                   test_ssh_a_host_key_changed_without_a_rebuild_is_refused,
                                   test_ssh_power_cycle_by_id_keeps_the_host_key,
                                   test_ssh_power_off_waits_until_the_host_is_unreachable,
                                   test_ssh_token_from_the_environment_and_missing,
                                   test_ssh_two_droplets_of_one_name_are_refused,
                                   test_ssh_an_attribute_cannot_become_a_doctl_option]), sys.argv[1]))
