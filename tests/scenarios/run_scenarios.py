#!/usr/bin/env python3
"""End-to-end planning scenarios: run the real `goap` on a world with each scenario's state.

Each scenario is a `kind: state` file whose leading comments say what to expect (see
timmy-ops/README.md): `# goal:`, `# expect-status:`, `# expect-cost:`, `# expect-plan:`,
`# next-goal:`. For every scenario this runner checks
  - `goap plan --goal G --json` gives the expected status, optimal cost and (when pinned) plan,
    and the exit code of FORMAT.md section 5 (0 plan/satisfied, 10 unsolvable);
  - every plan found replays through `goap validate` (the independent model-level checker);
  - `goap next` picks the expected goal, and its output is identical, byte for byte once the
    timing fields are removed, at --threads 1 and --threads 2.
Usage: run_scenarios.py GOAP WORLD SCENARIO_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

EXIT = {"plan": 0, "satisfied": 0, "unsolvable": 10, "limit": 11}


def run(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def header(path):
    meta = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                continue
            body = line[1:].strip()
            for key in ("goal", "expect-status", "expect-cost", "expect-plan", "next-goal"):
                if body.startswith(key + ":"):
                    meta[key] = body[len(key) + 1:].strip()
    return meta


def plan_names(doc, world_actions=None):
    out = []
    for s in doc.get("plan", []):
        args = ", ".join(s["args"].values())
        out.append(f'{s["action"]}({args})' if args else s["action"])
    return out


def strip_timing(doc):
    doc = dict(doc)
    stats = dict(doc.get("stats", {}))
    for k in ("ms", "ground_ms"):
        stats.pop(k, None)
    doc["stats"] = stats
    return doc


def main():
    goap, world, folder = sys.argv[1:4]
    failures = []
    checked = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".yaml"):
            continue
        path = os.path.join(folder, name)
        meta = header(path)
        errs = []
        cmd = [goap, "plan", world, "--state", path, "--json"]
        if "goal" in meta:
            cmd += ["--goal", meta["goal"]]
        rc, out, err = run(cmd)
        try:
            doc = json.loads(out)
        except json.JSONDecodeError:
            failures.append(f"{name}: plan printed no JSON (exit {rc}): {err.strip()}")
            continue
        want_status = meta.get("expect-status")
        if want_status and doc["status"] != want_status:
            errs.append(f"status {doc['status']!r}, expected {want_status!r}")
        if want_status and rc != EXIT[want_status]:
            errs.append(f"exit {rc}, expected {EXIT[want_status]}")
        if "expect-cost" in meta and doc["status"] == "plan" and doc["cost"] != int(meta["expect-cost"]):
            errs.append(f"cost {doc['cost']}, expected {meta['expect-cost']}")
        if "expect-plan" in meta:
            want = [s.strip() for s in split_plan(meta["expect-plan"])]
            if plan_names(doc) != want:
                errs.append(f"plan {plan_names(doc)}, expected {want}")
        if doc["status"] == "plan":
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as t:
                json.dump(doc, t)
            vrc, vout, verr = run([goap, "validate", world, t.name, "--state", path])
            os.unlink(t.name)
            if vrc != 0:
                errs.append(f"plan does not validate: {vout.strip()} {verr.strip()}")
        outs = []
        for threads in ("1", "2"):
            nrc, nout, nerr = run([goap, "next", world, "--state", path, "--threads", threads])
            try:
                outs.append(strip_timing(json.loads(nout)))
            except json.JSONDecodeError:
                errs.append(f"next printed no JSON (exit {nrc}): {nerr.strip()}")
                outs.append(None)
        if outs[0] is not None and outs[0] != outs[1]:
            errs.append("next differs between --threads 1 and --threads 2")
        if "next-goal" in meta and outs[0] is not None and outs[0].get("goal") != meta["next-goal"]:
            errs.append(f"next picked {outs[0].get('goal')!r}, expected {meta['next-goal']!r}")
        checked += 1
        if errs:
            failures.append(f"{name}: " + "; ".join(errs))
        else:
            print(f"ok   {name}: {doc['status']}" + (f" cost {doc['cost']}" if doc["status"] == "plan" else ""))
    for f in failures:
        print("FAIL " + f)
    print(f"{checked - len(failures)} passed, {len(failures)} failed")
    if checked == 0:
        print("no scenarios found")
        return 1
    return 1 if failures else 0


def split_plan(text):
    """'a(x, y), b(z), c' -> ['a(x, y)', 'b(z)', 'c'] (commas inside parentheses stay)."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "("
        depth -= ch == ")"
        cur += ch
    if cur.strip():
        parts.append(cur)
    return parts


if __name__ == "__main__":
    sys.exit(main())
