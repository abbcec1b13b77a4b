"""Shared helpers for goap's plugin and run tests: a temporary folder, the goap binary, local
services on 127.0.0.1, and cleanup of every process a test started (through pid files)."""
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICE = os.path.join(HERE, "service.py")
PYTHON = sys.executable


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Env:
    def __init__(self, goap):
        self.goap = os.path.abspath(goap)
        self.dir = tempfile.mkdtemp(prefix="goap-test-")
        self.journal = os.path.join(self.dir, "journal.db")
        self.env = dict(os.environ)
        self.env.pop("GOAP_PLUGIN_PATH", None)
        self.env["GOAP_JOURNAL"] = self.journal
        self.env["NO_COLOR"] = "1"
        # git: no global config, no prompts; commits made by the tests get an identity
        self.env.update({"HOME": self.dir, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
                         "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                         "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})
        self.popen = []
        self.pids = []  # single processes a test started indirectly (read from pid files)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, name, text):
        p = self.path(name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        return p

    def read(self, name):
        with open(self.path(name)) as f:
            return f.read()

    def goap_run(self, *args, rc=0, timeout=60, input=None):
        cmd = [self.goap] + [str(a) for a in args]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=self.env, cwd=self.dir, input=input)
        if rc is not None and p.returncode != rc:
            raise AssertionError(f"{' '.join(cmd)}: exit {p.returncode}, wanted {rc}\n--- stdout\n{p.stdout}--- stderr\n{p.stderr}")
        return p

    def sh(self, *args, cwd=None):
        return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, env=self.env,
                              cwd=cwd or self.dir).stdout.strip()

    def service(self, mode, port, pidfile, routes=(), delay=0, tls=None):
        args = [PYTHON, SERVICE, mode, "--pidfile", self.path(pidfile)]
        if tls:
            args += ["--tls", tls[0], tls[1]]
        if port:
            args += ["--port", str(port)]
        if delay:
            args += ["--delay", str(delay)]
        for r in routes:
            args += ["--route", r]
        subprocess.run(args, check=True, env=self.env)

    def service_argv(self, mode, port, pidfile, routes=()):
        """The argv that does what service() does, for a world's `run:` (YAML flow list)."""
        args = [PYTHON, SERVICE, mode, "--port", str(port), "--pidfile", self.path(pidfile)]
        for r in routes:
            args += ["--route", r]
        return "[" + ", ".join(json.dumps(a) for a in args) + "]"

    def wait_http(self, port, path="/", timeout=5):
        end = time.time() + timeout
        while time.time() < end:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                    s.sendall(f"GET {path} HTTP/1.0\r\n\r\n".encode())
                    if s.recv(16):
                        return True
            except OSError:
                time.sleep(0.05)
        return False

    def cleanup(self):
        for pidfile in glob.glob(os.path.join(self.dir, "**", "*.pid"), recursive=True):
            subprocess.run([PYTHON, SERVICE, "stop", "--pidfile", pidfile])
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for p in self.popen:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def main(tests, goap):
    """Runs each test(env) in a fresh Env; prints one line per test and 'N passed, N failed'."""
    passed = failed = 0
    for t in tests:
        env = Env(goap)
        start = time.time()
        try:
            t(env)
            passed += 1
            print(f"ok   {t.__name__} ({time.time() - start:.1f} s)", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {t.__name__}\n{traceback.format_exc()}", flush=True)
        finally:
            env.cleanup()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def check(cond, msg, *outputs):
    if not cond:
        extra = "".join(f"\n--- output\n{o}" for o in outputs)
        raise AssertionError(msg + extra)
