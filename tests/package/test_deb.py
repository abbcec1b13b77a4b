#!/usr/bin/env python3
"""The Debian package: `dpkg-buildpackage -b -us -uc` builds it from a copy of the source tree
(the tree itself gets no build artifacts), it holds goap, the five plugins, the man pages, the
completion, the units and share/goap, depends on run-time libraries only, and unpacked with
`dpkg -x` into a throwaway root (not installed) its goap finds its own plugins and plans for the
bundled world. Prints the package's Installed-Size and the unpacked root's size.

The copy sits at a fixed place in the build directory so that ccache hits on the next run.
Needs debhelper and build-essential (tools/setup.sh --test installs them).
usage: test_deb.py SOURCE_DIR BUILD_DIR VERSION"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.path.abspath(sys.argv[1])
BUILD = os.path.abspath(sys.argv[2])
VERSION = sys.argv[3]
PLUGINS = ["command", "http-probe", "rebuild-vps", "restart-ollama", "sync-repo"]
# A wall-clock guard against a hung build, not a timing assertion.
BUILD_LIMIT_S = 1800


def fail(msg, *out):
    print("FAIL " + msg + "".join("\n--- output\n" + o for o in out))
    sys.exit(1)


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    kw.setdefault("timeout", 120)
    return subprocess.run(cmd, **kw)


def source_files():
    """The files of the source tree: git's tracked and untracked-but-not-ignored files when it
    is a checkout, else everything but build directories and caches."""
    r = run(["git", "-C", SRC, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]) \
        if shutil.which("git") and os.path.exists(os.path.join(SRC, ".git")) else None
    if r is not None and r.returncode == 0:
        files = [f for f in r.stdout.split("\0") if f]
    else:
        files = []
        for d, dirs, names in os.walk(SRC):
            dirs[:] = [x for x in dirs if not (x in (".git", "node_modules", "__pycache__") or x.startswith(("build", "obj-")))]
            files += [os.path.relpath(os.path.join(d, n), SRC) for n in names]
    inside = os.path.relpath(BUILD, SRC)
    return [f for f in files if inside.startswith("..") or not (f + "/").startswith(inside + "/")]


def tree_state():
    if not os.path.exists(os.path.join(SRC, ".git")) or not shutil.which("git"):
        return None
    r = run(["git", "-C", SRC, "status", "--porcelain", "--ignored", "--untracked-files=all", "--", "debian"])
    return r.stdout


def main():
    for tool, pkg in (("dpkg-buildpackage", "dpkg-dev"), ("dh", "debhelper"), ("dpkg-deb", "dpkg")):
        if not shutil.which(tool):
            fail(f"`{tool}` is not installed: tools/setup.sh --test installs {pkg}")
    m = re.match(r"goap \(([^)]+)\)", open(os.path.join(SRC, "debian", "changelog")).readline())
    if not m or m.group(1).split("-")[0] != VERSION:
        fail(f"debian/changelog's version {m.group(1) if m else '?'} is not the project's {VERSION}: add a changelog entry")

    before = tree_state()
    work = os.path.join(BUILD, "tests", "package", "work")
    shutil.rmtree(work, ignore_errors=True)
    copy = os.path.join(work, "goap")
    for f in source_files():
        src = os.path.join(SRC, f)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(copy, f)), exist_ok=True)
            shutil.copy2(src, os.path.join(copy, f))
    root = tempfile.mkdtemp(prefix="goap-deb-root-")
    try:
        # dpkg-buildflags maps the copy's path away with -ffile-prefix-map=<copy>=. (reproducible
        # builds). The copy's path differs between clones, and with it in every compile line ccache
        # could never reuse an earlier package build's objects; stripped, every path on the line is
        # relative to the build folder (ccache's base_dir does the rest). The .deb is the same but
        # for the paths recorded in its debug information.
        prefix_map = f"-ffile-prefix-map={copy}=."
        env = dict(os.environ, DEB_BUILD_OPTIONS=f"nocheck noautodbgsym parallel={os.environ.get('GOAP_JOBS', '2')}",
                   DEB_CFLAGS_STRIP=prefix_map, DEB_CXXFLAGS_STRIP=prefix_map, LC_ALL="C.UTF-8")
        # debhelper names the compiler itself, so meson never wraps it in ccache; Debian's ccache
        # puts same-named wrappers in /usr/lib/ccache. With the path gone from the compile lines,
        # the folder need not be hashed either (CCACHE_NOHASHDIR): a repeat build from another
        # clone reuses the objects. Without ccache installed this changes nothing.
        if os.path.isdir("/usr/lib/ccache") and shutil.which("ccache"):
            env["PATH"] = "/usr/lib/ccache:" + env.get("PATH", "")
            env["CCACHE_NOHASHDIR"] = "1"
            # debhelper gives the build a HOME of its own, and with it ccache's default folder:
            # name the real one.
            d = subprocess.run(["ccache", "-k", "cache_dir"], capture_output=True, text=True).stdout.strip()
            if d:
                env["CCACHE_DIR"] = d
        env.pop("MAKEFLAGS", None)
        log = os.path.join(work, "dpkg-buildpackage.log")
        with open(log, "w") as out:
            try:
                r = subprocess.run(["dpkg-buildpackage", "-b", "-us", "-uc"], cwd=copy, stdout=out,
                                   stderr=subprocess.STDOUT, env=env, timeout=BUILD_LIMIT_S)
            except subprocess.TimeoutExpired:
                fail(f"dpkg-buildpackage still running after {BUILD_LIMIT_S} s", open(log).read()[-4000:])
        if r.returncode != 0:
            fail(f"dpkg-buildpackage -b -us -uc exited {r.returncode}", open(log).read()[-6000:])
        if tree_state() != before:
            fail("the package build changed the source tree's debian/", before or "", tree_state() or "")
        debs = [f for f in os.listdir(work) if re.fullmatch(rf"goap_{re.escape(VERSION)}[^_]*_[a-z0-9]+\.deb", f)]
        if len(debs) != 1:
            fail(f"one goap .deb is built: {os.listdir(work)}")
        deb = os.path.join(work, debs[0])
        print(f"ok   dpkg-buildpackage -b -us -uc built {debs[0]} ({os.path.getsize(deb) // 1024} KiB)")

        fields = {}
        for name in ("Package", "Depends", "Installed-Size"):
            fields[name] = run(["dpkg-deb", "-f", deb, name]).stdout.strip()
        depends = [d.strip().split()[0] for d in fields["Depends"].split(",") if d.strip()]
        build_only = [d for d in depends if d.endswith("-dev") or d in ("meson", "ninja-build", "g++", "gcc", "python3",
                                                                          "pkg-config", "debhelper", "graphviz")]
        if not depends or "libc6" not in depends or build_only:
            fail(f"the package depends on run-time libraries only: {fields['Depends']}")
        print(f"ok   Depends: {fields['Depends']}")

        listing = run(["dpkg-deb", "-c", deb]).stdout
        for want in ["./usr/bin/goap", "./usr/share/goap/worlds/timmy-ops.yaml", "./usr/share/goap/schemas/goap.schema.json",
                     "./usr/share/man/man1/goap.1.gz", "./usr/share/man/man1/goap-next.1.gz",
                     "./usr/share/bash-completion/completions/goap", "/systemd/system/goap-run@.service"] + \
                    [f"/goap/plugins/goap-plugin-{p}.so" for p in PLUGINS]:
            if want not in listing:
                fail(f"the package holds {want}", listing)

        r = run(["dpkg", "-x", deb, root])
        if r.returncode != 0:
            fail("dpkg -x", r.stdout, r.stderr)
        goap = os.path.join(root, "usr", "bin", "goap")
        genv = {k: v for k, v in os.environ.items() if k != "GOAP_PLUGIN_PATH"}
        r = run([goap, "plugins", "--json"], env=genv, cwd="/")
        if r.returncode != 0:
            fail(f"the unpacked goap plugins --json exited {r.returncode}", r.stdout, r.stderr)
        doc = json.loads(r.stdout)
        names = sorted(p["name"] for p in doc["plugins"])
        searched = doc.get("searched", [])
        if names != PLUGINS or doc.get("problems"):
            fail(f"the unpacked goap finds its five plugins without problems: {names}", r.stdout)
        if not searched or not all(s.startswith(os.path.realpath(root) + "/") for s in searched):
            fail(f"the unpacked goap looks only inside its own root: {searched}")
        print(f"ok   the unpacked goap finds its {len(names)} plugins in {searched[0][len(root):]} under the throwaway root")

        world = os.path.join(root, "usr", "share", "goap", "worlds", "timmy-ops.yaml")
        r = run([goap, "next", world], env=genv, cwd="/")
        if r.returncode != 0:
            fail(f"the unpacked goap next on the packaged world exited {r.returncode}", r.stdout, r.stderr)
        ans = json.loads(r.stdout)
        if ans.get("status") not in ("plan", "satisfied") or "goal" not in ans:
            fail("goap next answers for the packaged world", r.stdout)
        print(f"ok   goap next {world[len(root):]}: {ans['status']} toward {ans['goal']}")

        du = run(["du", "-sk", root]).stdout.split()[0]
        print(f"ok   size: Installed-Size {fields['Installed-Size']} KiB; unpacked root {du} KiB (du -sk); "
              f".deb {os.path.getsize(deb) // 1024} KiB")
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
