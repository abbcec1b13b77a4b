#!/usr/bin/env python3
"""`meson install --destdir` installs goap, its plugins and the systemd units (docs/operations.md),
and systemd-analyze verify finds nothing to say about the units (skipped, with a message, when
systemd-analyze is not installed).
usage: test_install.py BUILD_DIR"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

BUILD = os.path.abspath(sys.argv[1])
UNITS = ["goap-run@.service", "goap-run-once@.service", "goap-run@.timer"]


def fail(msg, *out):
    print("FAIL " + msg + "".join("\n--- output\n" + o for o in out))
    sys.exit(1)


def main():
    dest = tempfile.mkdtemp(prefix="goap-install-")
    try:
        r = subprocess.run(["meson", "install", "-C", BUILD, "--destdir", dest, "--no-rebuild", "--quiet"],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            fail("meson install failed", r.stdout, r.stderr)
        goap = glob.glob(os.path.join(dest, "**", "bin", "goap"), recursive=True)
        if len(goap) != 1 or not os.access(goap[0], os.X_OK):
            fail(f"the goap binary is installed once: {goap}")
        plugins = glob.glob(os.path.join(dest, "**", "goap", "plugins", "goap-plugin-*.so"), recursive=True)
        names = sorted(os.path.basename(p) for p in plugins)
        if "goap-plugin-command.so" not in names or len(names) < 5:
            fail(f"the plugins are installed: {names}")
        found = {}
        for u in UNITS:
            hits = glob.glob(os.path.join(dest, "**", "systemd", "system", u), recursive=True)
            if len(hits) != 1:
                fail(f"{u} is installed once into a systemd/system folder: {hits}")
            found[u] = hits[0]
        prefix_bin = os.path.dirname(goap[0])[len(dest):]
        for u in ("goap-run@.service", "goap-run-once@.service"):
            text = open(found[u]).read()
            if f"ExecStart={prefix_bin}/goap run /etc/goap/%i.yaml" not in text or "@BINDIR@" in text:
                fail(f"{u} runs the installed goap", text)
        watch = open(found["goap-run@.service"]).read()
        for want in ("--watch", "NoNewPrivileges=yes", "ProtectSystem=strict", "StateDirectory=goap",
                     "EnvironmentFile=-/etc/goap/%i.env", "Restart=on-failure", "KillMode=mixed"):
            if want not in watch:
                fail("goap-run@.service has " + want, watch)
        if "Unit=goap-run-once@%i.service" not in open(found["goap-run@.timer"]).read():
            fail("the timer starts the one-shot service")
        print(f"ok   installed goap, {len(names)} plugins and {len(UNITS)} units under {prefix_bin[:-4] or '/'}")

        analyze = shutil.which("systemd-analyze")
        if not analyze:
            print("skip systemd-analyze verify: systemd-analyze is not installed")
            return 0
        # Instances of the templates, their ExecStart pointing into DESTDIR (verify checks that
        # the program exists), in a folder of their own so the timer finds its service.
        vdir = os.path.join(dest, "verify")
        os.makedirs(vdir)
        inst = []
        for u in UNITS:
            name = u.replace("@.", "@lab.")
            text = open(found[u]).read().replace(f"{prefix_bin}/goap", goap[0])
            with open(os.path.join(vdir, name), "w") as f:
                f.write(text)
            inst.append(os.path.join(vdir, name))
        r = subprocess.run([analyze, "verify"] + inst, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, SYSTEMD_LOG_LEVEL="notice"))
        said = (r.stdout + r.stderr).strip()
        if r.returncode != 0 or said:
            fail(f"systemd-analyze verify: exit {r.returncode}", said)
        print("ok   systemd-analyze verify: the units are clean")
        return 0
    finally:
        shutil.rmtree(dest, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
