"""A real OpenSSH server on 127.0.0.1 for the plugin tests that go over ssh, with throwaway keys.

    lab = SshLab(env)     # starts /usr/sbin/sshd -D -e on a free port; env.cleanup() stops it
    SshLab(env, extra_config="LogLevel DEBUG1\n")   # more sshd_config lines (sshd.log shows forwards)
    lab.params("h")       # the `with:` lines that point a plugin at it (ssh_port, ssh_identity, ...)

The server accepts only the generated user key, for the user running the tests, and only on
127.0.0.1. Its sessions get PATH=<lab>/bin:/usr/bin:/bin, so a test drops recording stand-ins
for remote programs (systemctl, ...) into lab.bin. The client side is strict: the generated
host key is the only entry of its known-hosts file, and `-F <lab>/ssh_config` keeps ~/.ssh out.
That config maps the host name `lab` to 127.0.0.1, for plugins that treat 127.0.0.1 as local.
"""
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import time

from goaptest import free_port

SSHD = "/usr/sbin/sshd"

# A stand-in for a remote program: appends its name and argv, as one JSON line, to <lab>/calls.
RECORDER = """#!/usr/bin/env python3
import json, os, sys
with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "calls"), "a") as f:
    f.write(json.dumps([os.path.basename(sys.argv[0])] + sys.argv[1:]) + "\\n")
"""


def available():
    return os.access(SSHD, os.X_OK) and shutil.which("ssh") and shutil.which("ssh-keygen")


def runnable(tests):
    """The tests to run: those named *_ssh_* only when OpenSSH is installed (tools/setup.sh
    installs it); each one left out is said, never silently passed."""
    if available():
        return tests
    for t in tests:
        if "_ssh_" in t.__name__:
            print(f"skip {t.__name__}: needs openssh-server and openssh-client (tools/setup.sh installs them)")
    return [t for t in tests if "_ssh_" not in t.__name__]


class SshLab:
    def __init__(self, env, extra_config=""):
        self.env = env
        self.dir = env.path("sshlab")
        self.bin = os.path.join(self.dir, "bin")
        os.makedirs(self.bin)
        self.user = pwd.getpwuid(os.geteuid()).pw_name  # who sshd lets in: the effective user
        self.port = free_port()
        self.key = os.path.join(self.dir, "user_key")
        self.known_hosts = os.path.join(self.dir, "known_hosts")
        self.config = os.path.join(self.dir, "ssh_config")
        hostkey = os.path.join(self.dir, "host_key")
        for k in (hostkey, self.key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "goap-test", "-f", k], check=True)
        shutil.copy(self.key + ".pub", os.path.join(self.dir, "authorized_keys"))
        with open(hostkey + ".pub") as f:
            pub = " ".join(f.read().split()[:2])
        with open(self.known_hosts, "w") as f:
            f.write(f"[127.0.0.1]:{self.port},[lab]:{self.port} {pub}\n")
        with open(self.config, "w") as f:
            f.write("Host lab\n  HostName 127.0.0.1\n")
        os.chmod(self.config, 0o600)  # the plugins refuse a config file others could write
        with open(os.path.join(self.dir, "sshd_config"), "w") as f:
            f.write(f"""Port {self.port}
ListenAddress 127.0.0.1
HostKey {hostkey}
PidFile none
AuthorizedKeysFile {self.dir}/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowUsers {self.user}
SetEnv PATH={self.bin}:/usr/bin:/bin
{extra_config}""")
        # sshd refuses to start without its privilege separation directory (the Debian service
        # creates it at boot; a container may not have it).
        if os.geteuid() == 0:
            os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
        log = open(os.path.join(self.dir, "sshd.log"), "w")
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", os.path.join(self.dir, "sshd_config")],
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        env.popen.append(self.proc)  # env.cleanup() kills its process group, even on failure
        self._wait()

    def _wait(self, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise AssertionError("sshd exited at once:\n" + self.log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    if s.recv(4).startswith(b"SSH-"):
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("sshd did not answer:\n" + self.log())

    def stop(self):
        """Stops sshd now (a test that needs the host unreachable); cleanup stops it anyway."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the listener and any session it forked
        except ProcessLookupError:
            pass
        self.proc.wait()

    def log(self):
        with open(os.path.join(self.dir, "sshd.log")) as f:
            return f.read()

    def recorder(self, name):
        """A stand-in `name` on the sessions' PATH that records how it was called."""
        p = os.path.join(self.bin, name)
        with open(p, "w") as f:
            f.write(RECORDER)
        os.chmod(p, os.stat(p).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    def calls(self):
        p = os.path.join(self.dir, "calls")
        if not os.path.exists(p):
            return []
        with open(p) as f:
            return [json.loads(line) for line in f]

    def params(self, indent=8):
        """`with:` lines for the port, identity, known hosts and config of this server."""
        pad = " " * indent
        return (f"{pad}ssh_port: {self.port}\n{pad}ssh_identity: {json.dumps(self.key)}\n"
                f"{pad}ssh_known_hosts: {json.dumps(self.known_hosts)}\n{pad}ssh_config: {json.dumps(self.config)}\n")
