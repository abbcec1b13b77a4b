#!/usr/bin/env python3
"""Pictures and script output of the real `goap`: golden DOT and Mermaid, Graphviz reads the DOT.

  - `goap plan --format dot|mermaid` and `goap graph --format dot|mermaid` match the golden files
    in golden/ byte for byte: a total-loss scenario of the bundled world, and fixtures/traps.yaml,
    whose names are traps for both formats (hyphens, DOT's `node`/`edge`/`graph`/`subgraph`,
    Mermaid's `end`, quotes and angle brackets in docs);
  - Graphviz's `dot -Tsvg` accepts every DOT output, including the bundled world's domain graph;
  - `--quiet` prints only the actions, `--search-tree N` shows N search nodes, text output has no
    colour codes when stdout is not a terminal, and the HTML report says why there is no picture
    when Graphviz is missing.

Usage: run_export.py GOAP SOURCE_ROOT [--update]   (--update rewrites the golden files)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
    return p.returncode, p.stdout, p.stderr


def main():
    goap, root = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv[3:]
    world = os.path.join(root, "worlds", "timmy-ops.yaml")
    total_loss = os.path.join(root, "tests", "scenarios", "timmy-ops", "total-loss.yaml")
    traps = os.path.join(HERE, "fixtures", "traps.yaml")
    failures = []

    def fail(msg):
        failures.append(msg)

    # ---- golden pictures ---------------------------------------------------------------------
    cases = [
        ("total-loss.plan.dot", [goap, "plan", world, "--state", total_loss, "--goal", "hosts-restored", "--format", "dot"]),
        ("total-loss.plan.mmd", [goap, "plan", world, "--state", total_loss, "--goal", "hosts-restored", "--format", "mermaid"]),
        ("traps.plan.dot", [goap, "plan", traps, "--format", "dot"]),
        ("traps.plan.mmd", [goap, "plan", traps, "--format", "mermaid"]),
        ("traps.graph.dot", [goap, "graph", traps]),
        ("traps.graph.mmd", [goap, "graph", traps, "--format", "mermaid"]),
    ]
    dots = []
    for name, cmd in cases:
        rc, out, err = run(cmd)
        if rc != 0:
            fail(f"{name}: exit {rc}: {err.strip()}")
            continue
        path = os.path.join(HERE, "golden", name)
        if update:
            with open(path, "w", encoding="utf-8") as f:
                f.write(out)
        else:
            want = open(path, encoding="utf-8").read() if os.path.exists(path) else None
            if want != out:
                fail(f"{name}: differs from golden/{name} (rerun with --update after checking the change):\n{out}")
        if name.endswith(".dot"):
            dots.append((name, out))
    rc, out, err = run([goap, "graph", world])
    if rc != 0:
        fail(f"graph of the bundled world: exit {rc}: {err.strip()}")
    dots.append(("bundled world's domain graph", out))

    # ---- Graphviz reads every DOT ------------------------------------------------------------
    dot = shutil.which("dot")
    if dot is None:
        fail("Graphviz's `dot` is not installed (tools/setup.sh installs the graphviz package)")
    else:
        for name, text in dots:
            p = subprocess.run([dot, "-Tsvg"], input=text, capture_output=True, text=True, timeout=60)
            if p.returncode != 0 or "<svg" not in p.stdout or p.stderr.strip():
                fail(f"dot -Tsvg rejects {name} (exit {p.returncode}): {p.stderr.strip()}")

    # ---- Mermaid: ids are generated, never a reserved word -----------------------------------
    for name, cmd in cases:
        if not name.endswith(".mmd"):
            continue
        _, out, _ = run(cmd)
        for line in out.splitlines()[2:]:
            first = line.split()[0] if line.split() else ""
            if first not in ("classDef", "class", "linkStyle") and not (first[:1] in "safs" and first[1:2].isdigit()):
                fail(f"{name}: a statement starts with {first!r}, not a generated id: {line}")

    # ---- script output -------------------------------------------------------------------------
    rc, out, err = run([goap, "plan", world, "--state", total_loss, "--goal", "hosts-restored", "--quiet"])
    want = "rebuild-vps(hermes-vps)\nreconnect-tailscale(hermes-vps)\nrestore-from-backup(hermes-vps)\nnotify-operator\n"
    if rc != 0 or out != want:
        fail(f"plan --quiet: exit {rc}, printed {out!r}, expected {want!r}")
    rc, out, err = run([goap, "next", world, "--quiet"])
    if rc != 0 or out != "restart-heartbeat(allegro-vps)\n":
        fail(f"next --quiet: exit {rc}, printed {out!r}")
    rc, out, err = run([goap, "plan", world, "--state", os.path.join(root, "tests", "scenarios", "timmy-ops", "healthy.yaml"), "--quiet"])
    if rc != 0 or out != "":
        fail(f"plan --quiet with nothing to do: exit {rc}, printed {out!r}")
    rc, out, err = run([goap, "plan", world, "--state", total_loss, "--goal", "hosts-restored"])
    if rc != 0 or "\x1b[" in out or "1. rebuild-vps(hermes-vps)" not in out or "[needs approval]" not in out:
        fail(f"plan (text, not a terminal): exit {rc}, expected plain text with the steps:\n{out}")
    if "-> provisioned(hermes-vps), reachable(hermes-vps)" not in out:
        fail(f"plan (text): each step should show what it changes:\n{out}")

    # ---- --search-tree ------------------------------------------------------------------------
    rc, out, err = run([goap, "plan", world, "--state", total_loss, "--goal", "hosts-restored", "--json",
                        "--search-tree", "3"])
    try:
        tree = json.loads(out)["search_tree"]
        if len(tree) != 3 or tree[0]["parent"] is not None or tree[0]["g"] != 0 or tree[0]["via"] is not None:
            fail(f"--search-tree 3 --json: unexpected tree {tree}")
        elif tree[1]["parent"] != tree[0]["state"] or tree[1]["via"] != "rebuild-vps(hermes-vps)" or tree[1]["g"] != 30:
            fail(f"--search-tree: the second node should be rebuild-vps from the start at g=30: {tree[1]}")
        elif any(n["g"] + n["h"] > 43 for n in tree):
            fail(f"--search-tree: f = g + h above the optimal cost 43 under an admissible heuristic: {tree}")
    except (json.JSONDecodeError, KeyError) as e:
        fail(f"--search-tree 3 --json: no search_tree ({e}): {out[:300]}")
    rc, out, err = run([goap, "plan", world, "--state", total_loss, "--goal", "hosts-restored", "--search-tree", "50"])
    if "first 5 search nodes" not in out or "notify-operator s" not in out or "  goal" not in out:
        fail(f"--search-tree 50 (text): the five nodes of this search, ending at the goal:\n{out}")

    # ---- HTML without Graphviz -----------------------------------------------------------------
    with tempfile.TemporaryDirectory() as empty:
        env = dict(os.environ, PATH=empty)  # no `dot` anywhere on PATH
        rc, out, err = run([goap, "plan", world, "--state", total_loss, "--goal", "hosts-restored", "--format", "html"], env=env)
        if rc != 0 or 'id="no-picture"' not in out or "not installed" not in out or "<svg" in out:
            fail(f"html without Graphviz: exit {rc}; the page should say there is no picture and why")
        if "restore-from-backup(hermes-vps)" not in out:
            fail("html without Graphviz: the plan steps are still listed")

    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print(f"ok: {len(cases)} golden pictures, {len(dots)} DOT files read by Graphviz, script output")
    return 0


if __name__ == "__main__":
    sys.exit(main())
