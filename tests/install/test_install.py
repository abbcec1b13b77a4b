#!/usr/bin/env python3
"""`meson install --destdir` installs goap, its plugins and the systemd units (docs/operations.md),
the bundled worlds, goal sets, actions.yaml and schema under share/goap, a man page per command
and the bash completion; the prefix moved elsewhere with `mv` still finds its plugins and plans
for the installed world; the man pages render (man -l when man-db is installed, else their roff
is checked) and the completion script is valid bash that completes subcommands, options and
choices; systemd-analyze verify finds nothing to say about the units (skipped, with a message,
when systemd-analyze is not installed).
usage: test_install.py BUILD_DIR SOURCE_DIR"""
import glob
import json
import os
import shutil
import re
import subprocess
import sys
import tempfile

BUILD = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
UNITS = ["goap-run@.service", "goap-run-once@.service", "goap-run@.timer"]


def fail(msg, *out):
    print("FAIL " + msg + "".join("\n--- output\n" + o for o in out))
    sys.exit(1)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def subcommands(goap):
    """The subcommands `goap --help` lists (CLI11: a `Subcommands:` section of indented names)."""
    out = run([goap, "--help"]).stdout
    section = out.split("Subcommands:", 1)[1] if "Subcommands:" in out else ""
    return sorted(line.split()[0] for line in section.splitlines() if line.startswith("  ") and line.split())


def check_moved_prefix(dest, prefix, plugin_files):
    """The installed tree moved as a whole (`mv PREFIX ELSEWHERE`): goap finds the plugins that
    moved with it, plans for the installed world, and its man pages and completion are right."""
    moved = os.path.join(dest, "moved", "goap-prefix")
    os.makedirs(os.path.dirname(moved))
    os.rename(prefix, moved)
    goap = os.path.join(moved, "bin", "goap")
    env = {k: v for k, v in os.environ.items() if k != "GOAP_PLUGIN_PATH"}
    r = run([goap, "plugins", "--json"], env=env, cwd="/")
    if r.returncode != 0:
        fail(f"the moved goap plugins --json exited {r.returncode}", r.stdout, r.stderr)
    doc = json.loads(r.stdout)
    found = sorted("goap-plugin-" + p["name"] + ".so" for p in doc["plugins"])
    if found != plugin_files or doc["problems"] or not doc["searched"] or \
            not all(d.startswith(os.path.realpath(moved) + "/") for d in doc["searched"]):
        fail(f"the moved goap finds its {len(plugin_files)} plugins, and only inside the moved prefix", r.stdout)
    print(f"ok   moved prefix: goap plugins finds {len(found)} plugins in {doc['searched'][0][len(moved):]}")

    share = os.path.join(moved, "share", "goap")
    for f in ["schemas/goap.schema.json"] + [os.path.relpath(p, SRC) for p in
                                             glob.glob(os.path.join(SRC, "worlds", "*.yaml")) +
                                             glob.glob(os.path.join(SRC, "goals", "**", "*.yaml"), recursive=True) +
                                             glob.glob(os.path.join(SRC, "plugins", "*", "actions.yaml"))]:
        if not os.path.isfile(os.path.join(share, f)) or open(os.path.join(share, f), "rb").read() != \
                open(os.path.join(SRC, f), "rb").read():
            fail(f"share/goap/{f} is installed as in the source tree")
    world = os.path.join(share, "worlds", "timmy-ops.yaml")
    r = run([goap, "next", world], env=env, cwd="/")
    if r.returncode != 0:
        fail(f"the moved goap next on share/goap's world exited {r.returncode}", r.stdout, r.stderr)
    ans = json.loads(r.stdout)
    if ans.get("status") not in ("plan", "satisfied"):
        fail("goap next answers for the installed world", r.stdout)
    print(f"ok   moved prefix: goap next share/goap/worlds/timmy-ops.yaml: {ans['status']} toward {ans.get('goal')}")

    # A man page per command, and nothing else.
    cmds = subcommands(goap)
    if len(cmds) < 10:
        fail(f"goap --help lists the subcommands: {cmds}")
    man1 = os.path.join(moved, "share", "man", "man1")
    pages = sorted(os.listdir(man1)) if os.path.isdir(man1) else []
    if pages != sorted(["goap.1"] + [f"goap-{c}.1" for c in cmds]):
        fail(f"share/man/man1 holds goap.1 and one page per subcommand {cmds}: {pages}")
    man = shutil.which("man")
    for page in pages:
        path = os.path.join(man1, page)
        text = open(path).read()
        cmd = "goap" if page == "goap.1" else "goap " + page[5:-2]
        for want in (".TH ", ".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SEE ALSO"):
            if want not in text:
                fail(f"{page} has {want}", text)
        if man:
            r = run([man, "--warnings", "-l", path], env=dict(env, MANPAGER="cat", PAGER="cat", MANWIDTH="100",
                                                          LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="0"))
            shown = re.sub(".\x08", "", r.stdout)  # overstrikes (bold, underline)
            if r.returncode != 0 or r.stderr.strip() or "NAME" not in shown or cmd not in shown or "--help" not in shown:
                fail(f"man -l {page} renders without warnings", shown[:2000], r.stderr)
    print(f"ok   {len(pages)} man pages, one per command, " +
          ("render with man -l --warnings" if man else "have their sections (man-db is not installed)"))
    r = run([goap, "next", "--help"])
    if "--search" in r.stdout and "--search" not in open(os.path.join(man1, "goap-next.1")).read().replace("\\-", "-"):
        fail("goap-next.1 lists next's options")

    # The completion: valid bash, completing subcommands, a command's options and an option's choices.
    comp = os.path.join(moved, "share", "bash-completion", "completions", "goap")
    r = run(["bash", "-n", comp])
    if not os.path.isfile(comp) or r.returncode != 0:
        fail("share/bash-completion/completions/goap is valid bash", r.stderr)

    def complete(*words):
        script = (f"source {comp!r}\nCOMP_WORDS=({' '.join(repr(w) for w in words)})\n"
                  f"COMP_CWORD={len(words) - 1}\n_goap\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"")
        r = run(["bash", "--norc", "--noprofile", "-c", script], cwd="/")
        if r.returncode != 0:
            fail(f"completing {words}", r.stdout, r.stderr)
        return sorted(w for w in r.stdout.split("\n") if w)

    checks = [(("goap", ""), cmds), (("goap", "ne"), ["next"]), (("goap", "-v", "pl"), ["plan", "plugins"]),
              (("goap", "next", "--sea"), ["--search"]), (("goap", "next", "--search", ""), ["astar", "gbfs", "wastar"]),
              (("goap", "check", "--no-p"), ["--no-plugins"])]
    for words, want in checks:
        got = complete(*words)
        if got != want:
            fail(f"completing {' '.join(words)!r} gives {want}: {got}")
    print(f"ok   bash completion: valid, completes the {len(cmds)} subcommands, options and choices")


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
        verify_units(dest, found, prefix_bin, goap[0])
        check_moved_prefix(dest, os.path.dirname(os.path.dirname(goap[0])), names)
        return 0
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def verify_units(dest, found, prefix_bin, goap):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        print("skip systemd-analyze verify: systemd-analyze is not installed")
        return
    # Instances of the templates, their ExecStart pointing into DESTDIR (verify checks that
    # the program exists), in a folder of their own so the timer finds its service.
    vdir = os.path.join(dest, "verify")
    os.makedirs(vdir)
    inst = []
    for u in UNITS:
        name = u.replace("@.", "@lab.")
        text = open(found[u]).read().replace(f"{prefix_bin}/goap", goap)
        with open(os.path.join(vdir, name), "w") as f:
            f.write(text)
        inst.append(os.path.join(vdir, name))
    r = subprocess.run([analyze, "verify"] + inst, capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, SYSTEMD_LOG_LEVEL="notice"))
    said = (r.stdout + r.stderr).strip()
    if r.returncode != 0 or said:
        fail(f"systemd-analyze verify: exit {r.returncode}", said)
    print("ok   systemd-analyze verify: the units are clean")


if __name__ == "__main__":
    sys.exit(main())
