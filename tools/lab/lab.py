#!/usr/bin/env python3
"""The timmy-ops lab: the bundled fleet's hosts as real processes on this machine (127.0.0.1 only).

    tools/lab.sh up                 start the lab (default dir /tmp/goap-lab, ports 42201...)
    tools/lab.sh break SCENARIO     break it: ollama-down, gitea-down, host-unreachable, host-lost
    tools/lab.sh status             what runs, per host
    tools/lab.sh down               stop every process of the lab and check none is left
    tools/lab.sh world [--out F]    render worlds/timmy-lab.yaml (and F's .sensors.yaml) for this
                                    lab's dir and ports; the default lab is the committed file
    tools/lab.sh env                the environment a `goap run` of the lab wants (PATH for
                                    goap-escalate, GOAP_ESCALATION_FILE), as shell lines
Options (before the command): --dir DIR (or GOAP_LAB_DIR), --port BASE (or GOAP_LAB_PORT).

What runs, for each fleet host (hermes-vps, allegro-vps):
  - Debian's OpenSSH server (/usr/sbin/sshd, its own daemon) on 127.0.0.1:BASE+i with a
    throwaway host key; the lab's throwaway user key (DIR/keys) is the only one it accepts, for
    the user running the lab. Its sessions get PATH=<host>/root/usr/local/bin:<host>/bin:/usr/bin:/bin
  - <host>/bin: the host's "image": stand-ins for systemctl, tailscale, restic, ollama, df and
    git-upload-pack/git-receive-pack (git over ssh to the host's forge repositories)
  - <host>/root: the host's disk (its data: the fleet's timmy-* scripts, unit files, the forge's
    repositories, Ollama's models); <host>/run: what a reboot clears (pids, active units)
  - unit processes started by the systemctl stand-in: a stand-in Ollama API on
    127.0.0.1:BASE+10+i (reached by goap only through ssh) and a stand-in Gitea (/api/healthz)
    on 127.0.0.1:BASE+20+i
And on the goap side (DIR/bin): `doctl` (the provider: droplets are the hosts above; rebuild and
create give a new host key and an empty disk), timmy-llm-switch, timmy-gitea-primary,
goap-escalate; DIR/work/timmy-config is the fleet's working copy.

This one file is every program of the lab: it dispatches on the name it is called by (the
stand-ins are symbolic links to copies of it), so the lab needs python3 and OpenSSH only.
"""
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time

# The stand-ins run for every sensor reading: the heavier modules are imported where they are used.

SSHD = "/usr/sbin/sshd"
DEFAULT_DIR = "/tmp/goap-lab"
DEFAULT_PORT = 42200
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))

# droplet name, world object, index (ports BASE+i, BASE+10+i, BASE+20+i), units on its disk, enabled at boot.
HOSTS = [
    ("hermes", "hermes-vps", 1,
     ["ollama.service", "gitea.service"], ["ollama.service", "gitea.service"]),
    ("allegro", "allegro-vps", 2,
     ["timmy-agent@ezra.service", "timmy-agent@allegro.service", "timmy-agent@timmy.service",
      "timmy-heartbeat.timer", "timmy-heartbeat.service", "gitea.service"],
     ["timmy-agent@ezra.service", "timmy-agent@allegro.service", "timmy-agent@timmy.service",
      "timmy-heartbeat.timer"]),  # the standby's Gitea is installed but stopped on purpose
]
IMAGE = ["systemctl", "tailscale", "restic", "ollama", "df", "git-upload-pack", "git-receive-pack", "lab-serve"]
FLEET = ["timmy-data-check", "timmy-free-disk", "timmy-agentctl", "timmy-heartbeat", "timmy-promote-gitea"]
LOCAL = ["doctl", "timmy-llm-switch", "timmy-gitea-primary"]
MODEL = "hermes3:8b"
REPO = "timmy/timmy-config"
SCENARIOS = {
    "ollama-down": "Ollama's unit on hermes-vps stopped (its API does not answer)",
    "gitea-down": "Gitea on hermes-vps stopped, and the working copy one commit ahead of the forge",
    "host-unreachable": "hermes-vps hung (its droplet exists, nothing on it answers): a power cycle fixes it",
    "host-lost": "hermes-vps's droplet destroyed with its disk: re-created, it has a new host key and no data",
}


def die(msg, code=1):
    print(f"{os.path.basename(sys.argv[0])}: {msg}", file=sys.stderr)
    sys.exit(code)


def write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode is not None:
        os.chmod(path, mode)


def read(path, default=None):
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return default


def find_up(start, marker):
    d = start
    while d != "/":
        if os.path.exists(os.path.join(d, marker)):
            return d
        d = os.path.dirname(d)
    die(f"not inside a lab ({marker} not found above {start})")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is not running.
    stat = read(f"/proc/{pid}/stat", "")
    return bool(stat) and stat.rsplit(")", 1)[-1].split()[0] != "Z"


def port_answers(port, timeout=0.3):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_port(port, timeout=10, pid=None):
    end = time.time() + timeout
    while time.time() < end:
        if port_answers(port):
            return True
        if pid is not None and not alive(pid):
            return False
        time.sleep(0.05)
    return False


def kill_pid(pid, wait=5):
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    end = time.time() + wait
    while time.time() < end and alive(pid):
        time.sleep(0.05)
    if alive(pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while alive(pid):
            time.sleep(0.02)


def install_copy(dest):
    """This file at `dest`, run by the system's python3 without site packages: a stand-in runs
    for every sensor reading, and a version manager's shim would cost more than the program."""
    py = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else sys.executable
    with open(os.path.realpath(__file__)) as f:
        body = f.read().split("\n", 1)[1]
    write(dest, f"#!{py} -S\n" + body, 0o755)


def spawn(argv, log, env=None):
    """A daemon: its own session, no terminal, its output to `log`; returns its pid."""
    with open(log, "a") as out:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True, close_fds=True, env=env)
    return p.pid


class Lab:
    def __init__(self, dir, port):
        self.dir = os.path.abspath(dir)
        self.port = port
        self.user = pwd.getpwuid(os.geteuid()).pw_name

    @staticmethod
    def load(dir):
        conf = json.loads(read(os.path.join(dir, "lab.json")))
        return Lab(conf["dir"], conf["port"])

    def p(self, *parts):
        return os.path.join(self.dir, *parts)

    def hosts(self):
        for droplet, obj, i, units, enabled in HOSTS:
            yield Host(self, droplet, obj, i, units, enabled)

    def host(self, droplet):
        for h in self.hosts():
            if h.droplet == droplet:
                return h
        return None

    def attrs(self):
        """The world's host objects for this lab."""
        return {h.obj: h.attrs() for h in self.hosts()}

    # --- the provider's state (DIR/cloud/droplets.json) ---
    def droplets(self):
        return json.loads(read(self.p("cloud", "droplets.json"), "{}"))

    def save_droplets(self, d):
        write(self.p("cloud", "droplets.json.tmp"), json.dumps(d, indent=1))
        os.replace(self.p("cloud", "droplets.json.tmp"), self.p("cloud", "droplets.json"))


class Host:
    def __init__(self, lab, droplet, obj, i, units, enabled):
        self.lab, self.droplet, self.obj, self.units, self.enabled = lab, droplet, obj, units, enabled
        self.dir = lab.p("hosts", droplet)
        self.ssh_port = lab.port + i
        self.ollama_port = lab.port + 10 + i
        self.gitea_port = lab.port + 20 + i

    def p(self, *parts):
        return os.path.join(self.dir, *parts)

    def attrs(self):
        L = self.lab
        return {
            "address": "127.0.0.1", "ssh_user": L.user, "ssh_port": self.ssh_port,
            "ssh_identity": L.p("keys", "id_ed25519"), "ssh_known_hosts": L.p("keys", "known_hosts"),
            "tailnet_name": self.droplet, "droplet": self.droplet, "region": "lab1", "size": "s-lab",
            "image": "debian-12-x64", "doctl": L.p("bin", "doctl"), "token_file": L.p("cloud", "token"),
            "backup_repo": L.p("backups", self.obj), "ollama_port": self.ollama_port,
            "git_url": f"ssh://{L.user}@127.0.0.1:{self.ssh_port}/",
            "gitea_url": f"http://127.0.0.1:{self.gitea_port}",
        }

    # --- the image and the disk ---
    def install_image(self):
        """The host's programs (what the droplet's image brings), its sshd config and host key."""
        os.makedirs(self.p("bin"), exist_ok=True)
        install_copy(self.p("bin", "lab-host"))
        for name in IMAGE:
            link = self.p("bin", name)
            if not os.path.lexists(link):
                os.symlink("lab-host", link)
        write(self.p("host.json"), json.dumps({"droplet": self.droplet, "object": self.obj, "lab": self.lab.dir,
                                               "ollama_port": self.ollama_port, "gitea_port": self.gitea_port}))
        L = self.lab
        write(self.p("sshd", "sshd_config"), f"""Port {self.ssh_port}
ListenAddress 127.0.0.1
HostKey {self.p("sshd", "host_key")}
PidFile none
AuthorizedKeysFile {L.p("keys", "authorized_keys")}
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowUsers {L.user}
MaxStartups 64
AllowTcpForwarding local
PermitOpen 127.0.0.1:{self.ollama_port} localhost:{self.ollama_port}
SetEnv PATH={self.p("root", "usr", "local", "bin")}:{self.p("bin")}:/usr/bin:/bin
""")

    def new_host_key(self):
        key = self.p("sshd", "host_key")
        for f in (key, key + ".pub"):
            if os.path.exists(f):
                os.remove(f)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{self.droplet}-lab-host", "-f", key],
                       check=True)
        return " ".join(read(key + ".pub").split()[:2])

    def known_hosts_line(self):
        return f"[127.0.0.1]:{self.ssh_port} " + " ".join(read(self.p("sshd", "host_key.pub")).split()[:2]) + "\n"

    def cloud_init(self):
        """What the provider's user data lays down on a new or rebuilt droplet."""
        import secrets
        write(self.p("root", "etc", "tailscale", "authkey"), "tskey-lab-" + secrets.token_hex(8) + "\n", 0o600)
        write(self.p("root", "etc", "restic", "password"), "lab\n", 0o600)

    def lay_data(self):
        """The host's data and config as timmy-config installs them (what a backup holds)."""
        write(self.p("root", "etc", "timmy", "fleet.conf"), f"host={self.obj}\n")
        for u in self.units:
            write(self.p("root", "etc", "systemd", "system", u), f"# {u} (lab)\n")
        write(self.p("root", "etc", "systemd", "enabled"), "".join(u + "\n" for u in self.enabled))
        os.makedirs(self.p("root", "usr", "local", "bin"), exist_ok=True)
        for name in FLEET:
            link = self.p("root", "usr", "local", "bin", name)
            if not os.path.lexists(link):
                os.symlink("../../../../bin/lab-host", link)
        write(self.p("root", "var", "lib", "tailscale", "up"), self.droplet + "\n")
        if "timmy-heartbeat.timer" in self.units:
            write(self.p("root", "var", "lib", "timmy", "heartbeat"), str(time.time()) + "\n")

    def wipe_disk(self):
        if os.path.exists(self.p("root")):
            shutil.rmtree(self.p("root"))
        os.makedirs(self.p("root"))

    # --- power ---
    def processes(self):
        """The pids this host runs, by its pid files."""
        out = {}
        for f in sorted(os.listdir(self.p("run"))) if os.path.isdir(self.p("run")) else []:
            if f.endswith(".pid"):
                try:
                    pid = int(read(self.p("run", f)).split()[0])
                except (ValueError, IndexError, AttributeError):
                    continue
                if alive(pid):
                    out[f[:-4]] = pid
        return out

    def halt(self):
        for _, pid in self.processes().items():
            kill_pid(pid)
        if os.path.exists(self.p("run")):
            shutil.rmtree(self.p("run"))

    def boot(self):
        self.halt()
        os.makedirs(self.p("run", "units"))
        # -D: sshd stays this process (its own session), so the lab knows its pid.
        pid = spawn([SSHD, "-D", "-e", "-f", self.p("sshd", "sshd_config")], self.p("sshd", "sshd.log"))
        write(self.p("run", "sshd.pid"), f"{pid}\n")
        if not wait_port(self.ssh_port, pid=pid):
            die(f"{self.obj}: sshd did not answer on 127.0.0.1:{self.ssh_port}; see {self.p('sshd', 'sshd.log')}")
        # systemd starts the enabled units whose unit files are on the disk.
        enabled = read(self.p("root", "etc", "systemd", "enabled"), "").split()
        for u in enabled:
            if os.path.exists(self.p("root", "etc", "systemd", "system", u)):
                run_unit(self, "start", u)


# --- units (the systemctl stand-in and boot) ---

def unit_name(u):
    return u if "." in u else u + ".service"


def run_unit(host, op, unit):
    """start / stop one unit of `host`; returns an error text or ''."""
    unit = unit_name(unit)
    marker = host.p("run", "units", unit)
    daemon = {"ollama.service": ("ollama", host.ollama_port), "gitea.service": ("gitea", host.gitea_port)}.get(unit)
    if op == "stop":
        if daemon:
            pid = read(host.p("run", daemon[0] + ".pid"))
            if pid:
                kill_pid(int(pid))
                os.remove(host.p("run", daemon[0] + ".pid"))
        if os.path.exists(marker):
            os.remove(marker)
        return ""
    if not os.path.exists(host.p("root", "etc", "systemd", "system", unit)):
        return f"Unit {unit} not found."
    os.makedirs(host.p("run", "units"), exist_ok=True)
    if unit == "timmy-heartbeat.service":  # oneshot: one beat
        write(host.p("root", "var", "lib", "timmy", "heartbeat"), str(time.time()) + "\n")
        return ""
    if daemon:
        name, port = daemon
        if port_answers(port):
            return f"port {port} is taken"
        pid = spawn([host.p("bin", "lab-serve"), name, str(port)], host.p("run", name + ".log"))
        write(host.p("run", name + ".pid"), f"{pid}\n")
        if not wait_port(port, pid=pid):
            return f"{unit} did not start: see {host.p('run', name + '.log')}"
    write(marker, "active\n")
    return ""


def unit_active(host, unit):
    unit = unit_name(unit)
    if not os.path.exists(host.p("run", "units", unit)):
        return False
    name = {"ollama.service": "ollama", "gitea.service": "gitea"}.get(unit)
    if name:
        pid = read(host.p("run", name + ".pid"))
        return bool(pid) and alive(int(pid))
    return True


def this_host():
    d = find_up(os.path.dirname(os.path.abspath(sys.argv[0])), "host.json")
    conf = json.loads(read(os.path.join(d, "host.json")))
    lab = Lab.load(conf["lab"])
    return lab.host(conf["droplet"])


def cmd_systemctl(args):
    h = this_host()
    args = [a for a in args if a != "--"]
    quiet = "--quiet" in args or "-q" in args
    args = [a for a in args if a not in ("--quiet", "-q")]
    if not args:
        die("usage: systemctl start|stop|restart|is-active UNIT...", 2)
    op, units = args[0], args[1:]
    if op == "is-active":
        ok = all(unit_active(h, u) for u in units)
        if not quiet:
            for u in units:
                print("active" if unit_active(h, u) else "inactive")
        return 0 if ok else 3
    if op not in ("start", "stop", "restart"):
        die(f"the lab's systemctl knows start, stop, restart and is-active, not {op}", 2)
    for u in units:
        if op in ("stop", "restart"):
            run_unit(h, "stop", u)
        if op in ("start", "restart"):
            err = run_unit(h, "start", u)
            if err:
                print(f"Failed to {op} {unit_name(u)}: {err}", file=sys.stderr)
                return 5
    return 0


def cmd_tailscale(args):
    h = this_host()
    up = h.p("root", "var", "lib", "tailscale", "up")
    if args[:1] == ["status"]:
        if os.path.exists(up):
            print(f"100.64.0.{h.ssh_port % 250}  {h.droplet}  lab  linux  -")
            return 0
        print("Tailscale is stopped.")
        return 1
    if args[:1] == ["up"]:
        key = [a.split("=", 1)[1] for a in args if a.startswith("--auth-key=")]
        if not key or not key[0].startswith("file:"):
            die("the lab's tailscale wants --auth-key=file:PATH", 2)
        path = h.p("root", key[0][5:].lstrip("/"))
        if not os.path.exists(path):
            die(f"cannot read the auth key {key[0][5:]}: no such file")
        write(up, h.droplet + "\n")
        return 0
    die("the lab's tailscale knows up and status", 2)


def cmd_restic(args):
    h = this_host()
    repo = pwfile = None
    rest = []
    it = iter(args)
    for a in it:
        if a == "-r":
            repo = next(it, None)
        elif a == "--password-file":
            pwfile = next(it, None)
        else:
            rest.append(a)
    if rest[:2] != ["restore", "latest"] or rest[2:] != ["--target", "/"] or not repo or not pwfile:
        die("the lab's restic knows: -r REPO --password-file FILE restore latest --target /", 2)
    if not os.path.exists(h.p("root", pwfile.lstrip("/"))):
        die(f"Fatal: {pwfile}: no such file")
    if not os.path.isdir(repo):
        die(f"Fatal: unable to open repository at {repo}")
    shutil.copytree(repo, h.p("root"), symlinks=True, dirs_exist_ok=True)
    print(f"restoring snapshot latest of {repo} to /")
    return 0


def cmd_df(args):
    h = this_host()
    if args == ["--output=pcent", "/"]:
        used = read(h.p("root", "var", "lib", "lab-disk-used"), "42").strip()
        print(f"Use%\n {used}%")
        return 0
    os.execv("/bin/df", ["df"] + args)


def cmd_ollama(args):
    import urllib.request
    h = this_host()
    if len(args) == 2 and args[0] == "pull":
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{h.ollama_port}/api/tags", timeout=5).read()
        except OSError as e:
            die(f"Error: could not connect to ollama app, is it running? ({e})")
        write(h.p("root", "var", "lib", "ollama", "models", args[1]), "weights\n")
        print("success")
        return 0
    die("the lab's ollama knows: pull MODEL", 2)


def cmd_git_pack(name, args):
    h = this_host()
    if len(args) != 1:
        die(f"usage: {name} PATH", 2)
    if not unit_active(h, "gitea.service"):
        die("Gitea is not running: the forge's ssh cannot serve repositories")
    path = h.p("root", "srv", "gitea", "repositories", args[0].strip("'").lstrip("/"))
    if not os.path.isdir(path):
        die(f"'{args[0]}' does not appear to be a git repository")
    os.execvp("git", ["git", name[len("git-"):], path])


def cmd_lab_serve(args):
    import http.server
    h = this_host()

    class Handler(http.server.BaseHTTPRequestHandler):
        kind = ""
        root = ""

        def do_GET(self):
            if self.kind == "ollama" and self.path == "/api/tags":
                d = os.path.join(self.root, "var", "lib", "ollama", "models")
                models = sorted(os.listdir(d)) if os.path.isdir(d) else []
                body = json.dumps({"models": [{"name": m, "model": m} for m in models]})
            elif self.kind == "gitea" and self.path == "/api/healthz":
                body = json.dumps({"status": "pass", "description": "Gitea: Git with a cup of tea (lab)"})
            else:
                self.send_error(404)
                return
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt, *a):
            sys.stderr.write("%s %s\n" % (self.kind, fmt % a))

    Handler.kind, Handler.root = args[0], h.p("root")
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", int(args[1])), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    srv.serve_forever()


# --- the fleet's scripts (on the host's disk: they come with its data) ---

def cmd_fleet(name, args):
    h = this_host()
    if name == "timmy-data-check":
        ok = os.path.exists(h.p("root", "etc", "timmy", "fleet.conf"))
        return 0 if ok else 1
    if name == "timmy-free-disk":
        write(h.p("root", "var", "lib", "lab-disk-used"), "40\n")
        print("freed: journal vacuumed, apt caches and old logs removed")
        return 0
    if name == "timmy-agentctl":
        if len(args) != 2 or args[0] not in ("orphans", "adopt", "reap"):
            die("usage: timmy-agentctl orphans|adopt|reap AGENT", 2)
        mark = h.p("run", "orphans", args[1])
        if args[0] == "orphans":
            return 0 if os.path.exists(mark) else 1
        if args[0] == "adopt" and not unit_active(h, f"timmy-agent@{args[1]}.service"):
            die(f"{args[1]} is not running: nothing can adopt its children")
        if os.path.exists(mark):
            os.remove(mark)
        return 0
    if name == "timmy-heartbeat":
        if args != ["--check", "10m"]:
            die("usage: timmy-heartbeat --check 10m", 2)
        # The timer beats every 5 minutes while it is active; the lab does not wait for it.
        if unit_active(h, "timmy-heartbeat.timer"):
            return 0
        beat = h.p("root", "var", "lib", "timmy", "heartbeat")
        return 0 if os.path.exists(beat) and time.time() - os.path.getmtime(beat) < 600 else 1
    die(f"{name} is not part of the lab")


# --- the goap host's programs ---

def this_lab():
    return Lab.load(find_up(os.path.dirname(os.path.abspath(sys.argv[0])), "lab.json"))


def cmd_llm_switch(args):
    lab = this_lab()
    f = lab.p("fleet", "llm-provider")
    if args == ["--show"]:
        print(read(f, "none").strip())
        return 0
    if len(args) >= 2 and args[0] == "--provider":
        write(f, args[1] + "\n")
        return 0
    die("usage: timmy-llm-switch --show | --provider P --endpoint URL --model M", 2)


def cmd_gitea_primary(args):
    lab = this_lab()
    if len(args) != 2 or args[0] != "--is":
        die("usage: timmy-gitea-primary --is GITEA_URL", 2)
    return 0 if read(lab.p("fleet", "gitea-primary"), "").strip() == args[1] else 1


def cmd_doctl(args):
    """The provider's CLI, for the subcommands rebuild-vps and the sensors use."""
    import fcntl
    import secrets
    lab = this_lab()
    flags, pos = {}, []
    valued = {"--format", "--image", "--region", "--size", "-t", "--access-token", "-o", "--output"}
    boolean = {"--wait", "--no-header"}
    it = iter(args)
    for a in it:
        if a.startswith("--") and "=" in a:
            k, v = a.split("=", 1)
            flags[k] = v
        elif a in valued:
            flags[a] = next(it, "")
        elif a in boolean:
            flags[a] = True
        elif a.startswith("-"):
            die(f"Error: unknown flag: {a}")
        else:
            pos.append(a)
    token = flags.get("-t") or flags.get("--access-token") or os.environ.get("DIGITALOCEAN_ACCESS_TOKEN") \
        or read(lab.p("cloud", "doctl-config"), "").strip()  # what `doctl auth init` stored
    if token != read(lab.p("cloud", "token"), "").strip():
        die("Error: Unable to authenticate you (the lab's token is in " + lab.p("cloud", "token") + ")")
    fmt = flags.get("--format", "ID,Name,PublicIPv4").split(",")
    lock = open(lab.p("cloud", "lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    d = lab.droplets()

    def show(rows):
        if not flags.get("--no-header"):
            print("   ".join(fmt))
        for name, v in rows:
            cols = {"ID": str(v["id"]), "Name": name, "PublicIPv4": "127.0.0.1", "Status": v["status"]}
            print("   ".join(cols.get(c, "") for c in fmt))

    def by_id(x):
        for name, v in d.items():
            if str(v["id"]) == x:
                return name
        die(f"Error: GET droplets/{x}: 404 The resource you were accessing could not be found.")

    if pos[:3] == ["compute", "droplet", "list"]:
        show(sorted(d.items(), key=lambda kv: kv[1]["id"]))
        return 0
    if pos[:3] == ["compute", "droplet", "get"] and len(pos) == 4:
        name = pos[3] if pos[3] in d else by_id(pos[3])
        show([(name, d[name])])
        return 0
    if pos[:3] == ["compute", "droplet", "create"] and len(pos) == 4:
        name = pos[3]
        h = lab.host(name)
        if h is None:
            die(f"Error: the lab has no place for a droplet named {name}")
        if name in d:
            die(f"Error: a droplet named {name} exists (the lab keeps names unique)")
        for k in ("--image", "--region", "--size"):
            if not flags.get(k):
                die(f"Error: create needs {k}")
        provision(h)
        d[name] = {"id": next_id(lab), "status": "active", "image": flags["--image"]}
        lab.save_droplets(d)
        show([(name, d[name])])
        return 0
    if pos[:2] == ["compute", "droplet-action"] and len(pos) == 4:
        op, name = pos[2], by_id(pos[3])
        h = lab.host(name)
        if op == "power-cycle":
            h.boot()
        elif op == "power-off":
            h.halt()
            d[name]["status"] = "off"
        elif op == "power-on":
            h.boot()
            d[name]["status"] = "active"
        elif op == "rebuild":
            if not flags.get("--image"):
                die("Error: rebuild needs --image")
            provision(h)
            d[name]["status"] = "active"
        else:
            die(f"Error: the lab's doctl has no droplet-action {op}")
        lab.save_droplets(d)
        print(f"ID   Status      Type\n{secrets.randbelow(10**9)}   completed   {op}")
        return 0
    if pos[:3] == ["compute", "reserved-ip-action", "assign"] and len(pos) == 5:
        by_id(pos[4])
        if pos[3] != "127.0.0.1":
            die(f"Error: the lab's reserved IP is 127.0.0.1, not {pos[3]}")
        print(f"ID   Status      Type\n{secrets.randbelow(10**9)}   completed   assign_ip")
        return 0
    die("Error: the lab's doctl does not know: doctl " + " ".join(args))


def next_id(lab):
    n = int(read(lab.p("cloud", "next-id"), "1001"))
    write(lab.p("cloud", "next-id"), f"{n + 1}\n")
    return n


def provision(h):
    """A new or rebuilt droplet: the stock image, a new host key, an empty disk, cloud-init, booted."""
    h.halt()
    h.install_image()
    h.new_host_key()
    h.wipe_disk()
    h.cloud_init()
    h.boot()


# --- the lab's own commands ---

def lab_up(lab):
    import secrets
    import subprocess
    if not os.access(SSHD, os.X_OK) or not shutil.which("ssh-keygen") or not shutil.which("git"):
        die("the lab needs openssh-server, openssh-client and git: run tools/setup.sh --lab --no-build")
    if os.path.exists(lab.p("lab.json")):
        die(f"a lab exists in {lab.dir}: `tools/lab.sh down` first (or --dir elsewhere)")
    for h in lab.hosts():
        for port in (h.ssh_port, h.ollama_port, h.gitea_port):
            if port_answers(port):
                die(f"port {port} on 127.0.0.1 is taken: choose other ports with --port BASE")
    if os.path.exists(lab.dir):
        die(f"{lab.dir} exists and is not a lab: remove it or use --dir")
    os.makedirs(lab.dir, mode=0o755)
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)  # sshd's privilege separation directory
    write(lab.p("lab.json"), json.dumps({"dir": lab.dir, "port": lab.port, "user": lab.user, "src": SRC}))
    install_copy(lab.p("lab.py"))
    os.makedirs(lab.p("bin"))
    for name in LOCAL:
        os.symlink("../lab.py", lab.p("bin", name))
    shutil.copy(os.path.join(SRC, "tools", "goap-escalate"), lab.p("bin", "goap-escalate"))
    # The goap host's ssh: a throwaway user key, known hosts filled from the hosts' keys.
    os.makedirs(lab.p("keys"))
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "goap-lab", "-f", lab.p("keys", "id_ed25519")],
                   check=True)
    shutil.copy(lab.p("keys", "id_ed25519.pub"), lab.p("keys", "authorized_keys"))
    write(lab.p("cloud", "token"), "dop_v1_lab_" + secrets.token_hex(16) + "\n", 0o600)
    write(lab.p("cloud", "doctl-config"), read(lab.p("cloud", "token")), 0o600)
    write(lab.p("fleet", "llm-provider"), "kimi\n")
    droplets = {}
    known = ""
    for h in lab.hosts():
        h.install_image()
        h.new_host_key()
        known += h.known_hosts_line()
        h.wipe_disk()
        h.cloud_init()
        h.lay_data()
        droplets[h.droplet] = {"id": next_id(lab), "status": "active", "image": "debian-12-x64"}
    write(lab.p("keys", "known_hosts"), known)
    lab.save_droplets(droplets)
    hermes = lab.host("hermes")
    write(lab.p("fleet", "gitea-primary"), hermes.attrs()["gitea_url"] + "\n")
    # The forge's repository on hermes-vps, and the fleet's working copy beside goap.
    bare = hermes.p("root", "srv", "gitea", "repositories", REPO + ".git")
    git = ["git", "-c", "user.name=lab", "-c", "user.email=lab@example.org", "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "--quiet", "--bare", bare], check=True)
    work = lab.p("work", "timmy-config")
    subprocess.run(git + ["init", "--quiet", work], check=True)
    write(os.path.join(work, "fleet.yaml"), "hosts: [hermes-vps, allegro-vps]\n")
    subprocess.run(git + ["-C", work, "add", "fleet.yaml"], check=True)
    subprocess.run(git + ["-C", work, "commit", "--quiet", "-m", "the fleet"], check=True)
    subprocess.run(["git", "-C", work, "push", "--quiet", bare, "main:refs/heads/main"], check=True)
    hermes_model = hermes.p("root", "var", "lib", "ollama", "models", MODEL)
    write(hermes_model, "weights\n")
    # The off-host backups: each host's data as it is now, without Ollama's models (pulled again).
    for h in lab.hosts():
        shutil.copytree(h.p("root"), lab.p("backups", h.obj), symlinks=True,
                        ignore=lambda d, names: ["models"] if d.endswith(os.path.join("var", "lib", "ollama")) else [])
    for h in lab.hosts():
        h.boot()
    print(f"lab up in {lab.dir}: " + ", ".join(f"{h.obj} ssh 127.0.0.1:{h.ssh_port}" for h in lab.hosts()))
    return 0


def lab_processes(lab):
    """Every process of the lab: those whose command line or working directory is inside it."""
    out = []
    for e in os.listdir("/proc"):
        if not e.isdigit() or int(e) == os.getpid():
            continue
        try:
            cmd = read(f"/proc/{e}/cmdline", "").replace("\0", " ")
            cwd = os.readlink(f"/proc/{e}/cwd")
        except OSError:
            continue
        if (lab.dir + "/") in cmd or cwd == lab.dir or cwd.startswith(lab.dir + "/"):
            if alive(int(e)):
                out.append((int(e), cmd.strip()))
    return out


def lab_down(lab):
    for h in lab.hosts():
        if os.path.isdir(h.dir):
            h.halt()
    for pid, _ in lab_processes(lab):
        kill_pid(pid)
    left = lab_processes(lab)
    if left:
        for pid, cmd in left:
            print(f"still running: {pid} {cmd}", file=sys.stderr)
        return 1
    shutil.rmtree(lab.dir)
    print(f"lab down: no process of {lab.dir} is left, the directory is removed")
    return 0


def lab_status(lab):
    d = lab.droplets()
    for h in lab.hosts():
        st = d.get(h.droplet, {}).get("status", "gone")
        procs = h.processes() if os.path.isdir(h.dir) else {}
        units = sorted(os.listdir(h.p("run", "units"))) if os.path.isdir(h.p("run", "units")) else []
        print(f"{h.obj}: droplet {st}; ssh 127.0.0.1:{h.ssh_port} {'answers' if port_answers(h.ssh_port) else 'DOWN'}; "
              f"processes {' '.join(f'{k}={v}' for k, v in procs.items()) or 'none'}; units active: {' '.join(units) or 'none'}")
    return 0


def lab_break(lab, scenario):
    hermes = lab.host("hermes")
    if scenario == "ollama-down":
        run_unit(hermes, "stop", "ollama.service")
    elif scenario == "gitea-down":
        run_unit(hermes, "stop", "gitea.service")
        # Ahead: a commit in the working copy the forge lacks (sync-repo pushes it). A true
        # divergence (both sides with commits of their own) is refused by sync-repo instead.
        work = lab.p("work", "timmy-config")
        with open(os.path.join(work, "fleet.yaml"), "a") as f:
            f.write(f"# changed while Gitea was down ({time.strftime('%H:%M:%S')})\n")
        subprocess.run(["git", "-c", "user.name=lab", "-c", "user.email=lab@example.org", "-C", work, "commit",
                        "--quiet", "-am", "a change made while Gitea was down"], check=True)
    elif scenario == "host-unreachable":
        hermes.halt()  # hung: the droplet is 'active' at the provider, nothing on it answers
    elif scenario == "host-lost":
        hermes.halt()
        hermes.wipe_disk()
        d = lab.droplets()
        d.pop("hermes", None)
        lab.save_droplets(d)
    else:
        die(f"no scenario '{scenario}'; scenarios: {', '.join(SCENARIOS)}", 2)
    print(f"broke the lab: {scenario}: {SCENARIOS[scenario]}")
    return 0


def yaml_scalar(v):
    return str(v) if isinstance(v, int) else json.dumps(v)


LAB_HEADER = """# yaml-language-server: $schema=../schemas/goap.schema.json
#
# timmy-lab: the bundled timmy-ops fleet pointed at the lab (tools/lab.sh, README: The lab).
# GENERATED by `tools/lab.sh world` from worlds/timmy-ops.yaml: the same actions, goals, facts
# and state; only the host objects differ (they point at the lab's sshd, Ollama, Gitea and
# doctl stand-ins in {dir}), and the sensors beside it (timmy-lab.sensors.yaml).
#
#   tools/lab.sh up && tools/lab.sh break ollama-down && build/goap run worlds/timmy-lab.yaml
#
"""


def render_world(lab, uses=None):
    """worlds/timmy-ops.yaml with its header, name and host objects replaced."""
    text = read(os.path.join(SRC, "worlds", "timmy-ops.yaml"))
    body = text[text.index("kind: world"):]
    body = body.replace("name: timmy-ops\n", "name: timmy-lab\n", 1)
    if uses:
        body = body.replace("uses: [../plugins/*/actions.yaml, ../goals/timmy-ops/*.yaml]",
                            f"uses: [{uses}/plugins/*/actions.yaml, {uses}/goals/timmy-ops/*.yaml]", 1)
    start = body.index("objects:\n")
    end = body.index("  ezra: {type: agent")
    objs = "objects:\n"
    for obj, a in lab.attrs().items():
        objs += f"  {obj}:\n    type: vps\n" + "".join(f"    {k}: {yaml_scalar(v)}\n" for k, v in a.items())
    # Drop the comment block before `objects:` (it describes the real fleet's values).
    head = body[:start]
    cut = head.rfind("\n\n")
    head = head[:cut + 2] if cut >= 0 else head
    head += "# Every object of a type carries the same attribute keys (worlds/timmy-ops.yaml explains them).\n"
    rest = body[end:]
    wc = "    path: /srv/timmy/timmy-config          # the fleet's working copy, next to goap\n"
    if wc not in rest:
        die("worlds/timmy-ops.yaml's timmy-config has another path line: update tools/lab/lab.py render_world")
    rest = rest.replace(wc, f"    path: {json.dumps(lab.p('work', 'timmy-config'))}   # the lab's working copy\n")
    return LAB_HEADER.format(dir=lab.dir) + head + objs + rest


def render_sensors(lab):
    """worlds/timmy-ops.sensors.yaml with the real fleet's literal values replaced by the lab's."""
    text = read(os.path.join(SRC, "worlds", "timmy-ops.sensors.yaml"))
    allegro, hermes = lab.host("allegro").attrs(), lab.host("hermes").attrs()
    subst = [
        ('"timmy-llm-switch"', json.dumps(lab.p("bin", "timmy-llm-switch"))),
        ('"timmy-gitea-primary"', json.dumps(lab.p("bin", "timmy-gitea-primary"))),
        ("https://git.example.org/api/healthz", hermes["gitea_url"] + "/api/healthz"),
        ("ssh://git@git.example.org:22/", hermes["git_url"]),
        ("/etc/goap/ssh/id_ed25519", lab.p("keys", "id_ed25519")),
        ("/etc/goap/ssh/known_hosts", lab.p("keys", "known_hosts")),
        ("host: 192.0.2.20\n", "host: 127.0.0.1\n"),
        ("ssh_user: root\n", f"ssh_user: {lab.user}\n"),
        ("ssh_port: 22\n", f"ssh_port: {allegro['ssh_port']}\n"),
    ]
    for old, new in subst:
        if old not in text:
            die(f"worlds/timmy-ops.sensors.yaml no longer holds {old!r}: update tools/lab/lab.py render_sensors")
        text = text.replace(old, new)
    body = text[text.index("kind: sensors"):]
    return ("# yaml-language-server: $schema=../schemas/goap.schema.json\n#\n"
            "# GENERATED by `tools/lab.sh world` from worlds/timmy-ops.sensors.yaml: the same sensors, with the\n"
            "# real fleet's literal values (the forge's name, the goap host's programs and ssh files, allegro-vps's\n"
            f"# address) replaced by the lab's in {lab.dir}. In the lab the forge stays on hermes-vps.\n") + body


def main():
    name = os.path.basename(sys.argv[0])
    args = sys.argv[1:]
    host_cmds = {"systemctl": cmd_systemctl, "tailscale": cmd_tailscale, "restic": cmd_restic, "df": cmd_df,
                 "ollama": cmd_ollama, "lab-serve": cmd_lab_serve}
    if name in host_cmds:
        return host_cmds[name](args)
    if name in ("git-upload-pack", "git-receive-pack"):
        return cmd_git_pack(name, args)
    if name in FLEET:
        return cmd_fleet(name, args)
    if name == "doctl":
        return cmd_doctl(args)
    if name == "timmy-llm-switch":
        return cmd_llm_switch(args)
    if name == "timmy-gitea-primary":
        return cmd_gitea_primary(args)

    dir = os.environ.get("GOAP_LAB_DIR", DEFAULT_DIR)
    port = int(os.environ.get("GOAP_LAB_PORT", DEFAULT_PORT))
    while args and args[0].startswith("--"):
        if args[0] == "--dir" and len(args) > 1:
            dir, args = args[1], args[2:]
        elif args[0] == "--port" and len(args) > 1:
            port, args = int(args[1]), args[2:]
        elif args[0] in ("--help", "-h"):
            print(__doc__)
            return 0
        else:
            die(f"unknown option {args[0]}", 2)
    if not args:
        die("usage: tools/lab.sh [--dir DIR] [--port BASE] up|break SCENARIO|status|down|world [--out FILE]|env", 2)
    cmd, rest = args[0], args[1:]
    lab = Lab(dir, port)
    if cmd == "up":
        return lab_up(lab)
    if cmd == "world":
        if rest[:1] == ["--out"] and len(rest) == 2:
            out = os.path.abspath(rest[1])
        elif not rest:
            sys.stdout.write(render_world(lab))
            return 0
        else:
            die("usage: tools/lab.sh world [--out FILE.yaml]", 2)
        if not out.endswith(".yaml"):
            die("--out wants a FILE.yaml (its sensors go to FILE.sensors.yaml beside it)", 2)
        write(out, render_world(lab, os.path.relpath(SRC, os.path.dirname(out))))
        write(out[:-5] + ".sensors.yaml", render_sensors(lab))
        print(f"wrote {out} and {out[:-5]}.sensors.yaml" +
              ("" if out.startswith(SRC + "/") else f"; it uses {SRC}'s actions and goals: run goap with --allow-outside {SRC}"))
        return 0
    if not os.path.exists(lab.p("lab.json")):
        if cmd == "down":
            print(f"no lab in {lab.dir}")
            return 0
        die(f"no lab in {lab.dir}: `tools/lab.sh up` first", 2)
    lab = Lab.load(lab.dir)
    if cmd == "down":
        return lab_down(lab)
    if cmd == "status":
        return lab_status(lab)
    if cmd == "break":
        if len(rest) != 1:
            die("usage: tools/lab.sh break " + "|".join(SCENARIOS), 2)
        return lab_break(lab, rest[0])
    if cmd == "env":
        print(f"export PATH={lab.p('bin')}:$PATH")
        print(f"export GOAP_ESCALATION_FILE={lab.p('escalations.log')}")
        return 0
    die(f"unknown command '{cmd}'", 2)


if __name__ == "__main__":
    sys.exit(main() or 0)
