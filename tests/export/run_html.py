#!/usr/bin/env python3
"""The HTML report in a real browser: headless Chromium loads what `goap plan --format html` wrote.

  - the DOM Chromium built holds every plan step, the state-change table, every goal considered,
    the search statistics and an inline <svg> drawn by Graphviz (and no "no picture" note);
  - a report for a goal with no plan still loads, and says so;
  - a screenshot is taken (OUT_DIR/report.png) and must be a real picture, not a blank page;
    look at it when you change the page.
The test's set-up (setup_chromium.sh) installs Debian's chromium when it is missing; the test
is skipped (exit 77) only when this machine cannot install it.

Usage: run_html.py GOAP SOURCE_ROOT OUT_DIR
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = 77


def chromium(args, profile):
    cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--hide-scrollbars", f"--user-data-dir={profile}"] + args
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def png_summary(path):
    """(width, height, distinct row colours sampled) of an 8-bit RGB(A) PNG, without libraries."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            width, height, _, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
    bpp = {6: 4, 2: 3}.get(ctype)
    if bpp is None:
        return width, height, None
    raw, stride = zlib.decompress(idat), width * bpp
    prev, colours, off = bytearray(stride), set(), 0
    for _ in range(height):
        f, line = raw[off], bytearray(raw[off + 1:off + 1 + stride])
        off += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp * 16):
            colours.add(bytes(line[x:x + 3]))
        prev = line
    return width, height, len(colours)


def main():
    goap, root, out_dir = sys.argv[1:4]
    rc = subprocess.run([os.path.join(HERE, "setup_chromium.sh")]).returncode
    if rc == SKIP:
        print("skipped: chromium is not installed and cannot be installed here")
        return SKIP
    if rc != 0 or shutil.which("chromium") is None:
        print(f"FAIL: setup_chromium.sh exited {rc}")
        return 1
    if shutil.which("dot") is None:
        print("FAIL: Graphviz's `dot` is not installed (tools/setup.sh installs graphviz)")
        return 1
    os.makedirs(out_dir, exist_ok=True)
    world = os.path.join(root, "worlds", "timmy-ops.yaml")
    scen = os.path.join(root, "tests", "scenarios", "timmy-ops")
    failures = []

    report = os.path.join(out_dir, "report.html")
    with open(report, "w", encoding="utf-8") as f:
        p = subprocess.run([goap, "plan", world, "--state", os.path.join(scen, "total-loss.yaml"), "--goal", "hosts-restored", "--format", "html",
                            "--search-tree", "10"], stdout=f, stderr=subprocess.PIPE, text=True, timeout=60)
    if p.returncode != 0:
        print(f"FAIL: goap plan --format html exited {p.returncode}: {p.stderr}")
        return 1
    steps = ["rebuild-vps(hermes-vps)", "reconnect-tailscale(hermes-vps)", "restore-from-backup(hermes-vps)",
             "notify-operator"]
    goals = ["hosts-restored"]  # the goal asked for (--goal): the table lists that one

    with tempfile.TemporaryDirectory() as profile:
        r = chromium(["--dump-dom", "file://" + os.path.abspath(report)], profile)
    dom = r.stdout
    if r.returncode != 0 or "<html" not in dom:
        failures.append(f"chromium --dump-dom exited {r.returncode}: {r.stderr[-500:]}")
    else:
        shown = re.findall(r'<code class="action">([^<]*)</code>', dom)
        if shown != steps:
            failures.append(f"the plan steps in the DOM are {shown}, expected {steps}")
        svg = re.search(r"<svg[^>]*>.*?</svg>", dom, re.S)
        if not svg:
            failures.append("the DOM holds no <svg> element")
        else:
            for s in steps:
                if s not in svg.group(0):
                    failures.append(f"the SVG picture does not show the step {s}")
            if "goal reached: hosts-restored" not in svg.group(0):
                failures.append("the SVG picture does not show the goal state")
        if 'id="no-picture"' in dom:
            failures.append("the page says there is no picture although Graphviz is installed")
        for part in ['<table id="changes">', "provisioned(hermes-vps)", '<table id="stats" class="kv">',
                     '<table id="search-tree">', "needs approval"]:
            if part not in dom:
                failures.append(f"the DOM lacks {part!r}")
        for g in goals:
            if f"<code>{g}</code>" not in dom:
                failures.append(f"the goals table lacks {g}")

    shot = os.path.join(out_dir, "report.png")
    if os.path.exists(shot):
        os.remove(shot)
    with tempfile.TemporaryDirectory() as profile:
        r = chromium([f"--screenshot={shot}", "--window-size=1280,2400", "file://" + os.path.abspath(report)], profile)
    summary = png_summary(shot) if os.path.exists(shot) else None
    if r.returncode != 0 or summary is None:
        failures.append(f"chromium --screenshot made no PNG (exit {r.returncode}): {r.stderr[-500:]}")
    else:
        width, height, colours = summary
        if (width, height) != (1280, 2400):
            failures.append(f"the screenshot is {width}x{height}, expected 1280x2400")
        if colours is not None and colours < 8:
            failures.append(f"the screenshot looks blank ({colours} colours)")

    # A goal with no plan: the page loads and says so, with the goals and their reasons.
    unsolvable = os.path.join(out_dir, "unsolvable.html")
    with open(unsolvable, "w", encoding="utf-8") as f:
        p = subprocess.run([goap, "plan", world, "--state", os.path.join(scen, "total-loss-no-backup.yaml"), "--goal",
                            "infrastructure-restored", "--format", "html"], stdout=f, stderr=subprocess.PIPE, text=True,
                           timeout=60)
    if p.returncode != 10:
        failures.append(f"plan --format html for an unsolvable goal exited {p.returncode}, expected 10")
    with tempfile.TemporaryDirectory() as profile:
        r = chromium(["--dump-dom", "file://" + os.path.abspath(unsolvable)], profile)
    if "No plan" not in r.stdout or "b-unsolvable" not in r.stdout or "provisioned(hermes-vps)" not in r.stdout:
        failures.append("the report for an unsolvable goal should say there is no plan, and list what the goal wants")
    if "no action makes backup_fresh(hermes-vps) true, and the state has it false" not in r.stdout:
        failures.append("the report for an unsolvable goal should name the missing piece, backup_fresh(hermes-vps)")

    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print(f"ok: the report renders in Chromium; screenshot: {shot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
