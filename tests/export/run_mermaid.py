#!/usr/bin/env python3
"""goap's Mermaid output rendered by Mermaid itself (11.12.0, in headless Chromium).

The golden files pin what goap writes; this test checks that Mermaid can draw it: every plan and
domain diagram of tests/export (the bundled world's total-loss plan and domain graph, and the
traps fixture, whose names include Mermaid's `end`) must render to an SVG with one node per
state / fact / action. A control diagram that uses `end` as a bare node id must fail, which
shows the harness would notice a syntax error.

Set-up: setup_mermaid.sh (npm pack of the pinned release, checked against its sha512) and
setup_chromium.sh. Skipped (77) only when npm or Chromium cannot be had on this machine.

Usage: run_mermaid.py GOAP SOURCE_ROOT WORK_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run_html import SKIP, chromium  # noqa: E402

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><script src="mermaid.min.js"></script></head>
<body><pre id="result">pending</pre><script>
const diagrams = %s;
(async () => {
  const out = {};
  try {
    mermaid.initialize({startOnLoad: false, securityLevel: "strict"});
    let i = 0;
    for (const [name, text] of Object.entries(diagrams)) {
      try {
        const {svg} = await mermaid.render("d" + (i++), text);
        // Nodes are <g class="node default CLASSES" id="flowchart-ID-N">.
        const nodes = {};
        for (const m of svg.matchAll(/<g class="node default ?([^"]*)" id="flowchart-([A-Za-z0-9_]+)-\\d+"/g)) nodes[m[2]] = m[1];
        out[name] = {ok: svg.includes("<svg"), nodes};
      } catch (e) {
        out[name] = {ok: false, error: String((e && e.message) || e)};
      }
    }
  } catch (e) {
    out["*"] = {ok: false, error: String(e)};
  }
  document.getElementById("result").textContent = JSON.stringify(out);
})();
</script></body></html>
"""


def main():
    goap, root, work = sys.argv[1:4]
    for setup in (["setup_chromium.sh"], ["setup_mermaid.sh", work]):
        rc = subprocess.run([os.path.join(HERE, setup[0])] + setup[1:]).returncode
        if rc == SKIP:
            print(f"skipped: {setup[0]} cannot set this machine up")
            return SKIP
        if rc != 0:
            print(f"FAIL: {setup[0]} exited {rc}")
            return 1

    world = os.path.join(root, "worlds", "timmy-ops.yaml")
    total_loss = os.path.join(root, "tests", "scenarios", "timmy-ops", "total-loss.yaml")
    traps = os.path.join(HERE, "fixtures", "traps.yaml")
    cases = {
        "total-loss plan": [goap, "plan", world, "--state", total_loss, "--goal", "hosts-restored", "--format", "mermaid"],
        "bundled domain": [goap, "graph", world, "--format", "mermaid"],
        "traps plan": [goap, "plan", traps, "--format", "mermaid"],
        "traps domain": [goap, "graph", traps, "--format", "mermaid"],
    }
    diagrams, expected_ids = {}, {}
    for name, cmd in cases.items():
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            print(f"FAIL: {name}: goap exited {p.returncode}: {p.stderr}")
            return 1
        diagrams[name] = p.stdout
        # Every node goap declares: `  s0[...]`, `  f3([...])`, `  a1[...]`.
        expected_ids[name] = sorted(set(re.findall(r"^  ([saf]\d+)[\[(]", p.stdout, re.M)))
    diagrams["control: bare end"] = "flowchart TD\n  end --> a\n"

    page = os.path.join(work, "mermaid-check.html")
    with open(page, "w", encoding="utf-8") as f:
        f.write(PAGE % json.dumps(diagrams))
    with tempfile.TemporaryDirectory() as profile:
        r = chromium(["--virtual-time-budget=30000", "--dump-dom", "file://" + os.path.abspath(page)], profile)
    m = re.search(r'<pre id="result">([^<]*)</pre>', r.stdout)
    if not m or m.group(1) == "pending":
        print(f"FAIL: Mermaid did not finish in Chromium (exit {r.returncode}): {r.stderr[-800:]}")
        return 1
    results = json.loads(m.group(1).replace("&quot;", '"').replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&"))
    failures = []
    for name in cases:
        res = results.get(name, {})
        if not res.get("ok"):
            failures.append(f"{name}: Mermaid cannot render it: {res.get('error', res)}")
        elif sorted(res.get("nodes", {})) != expected_ids[name]:
            failures.append(f"{name}: Mermaid drew nodes {sorted(res.get('nodes', {}))}, goap declared {expected_ids[name]}")
        elif name.endswith("plan") and "goal" not in res["nodes"][max(expected_ids[name], key=lambda i: int(i[1:]))].split():
            failures.append(f"{name}: the goal state is not drawn with the goal class: {res['nodes']}")
    if results.get("control: bare end", {}).get("ok", True):
        failures.append("the control diagram with a bare `end` rendered: the harness does not see syntax errors")
    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print(f"ok: Mermaid {len(cases)} diagrams rendered, the control failed as it should")
    return 0


if __name__ == "__main__":
    sys.exit(main())
