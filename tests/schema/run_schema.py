#!/usr/bin/env python3
"""The JSON Schema against the files it describes, with a real validator (ajv-cli, draft-07).

  - `goap schema` prints schemas/goap.schema.json byte for byte (it is embedded at build time);
  - every bundled YAML file (worlds/, goals/, plugins/*/actions.yaml, tests/scenarios/*/*.yaml and
    the fixtures in tests/export/fixtures/) starts with the modeline
    `# yaml-language-server: $schema=<path>` and the path leads to schemas/goap.schema.json;
  - every bundled file is valid under the schema, in ajv's strict mode;
  - every file in bad/ is rejected, at the place its `# expect: <instancePath> <keyword>` names,
    and `goap check` rejects it too (the schema never promises more than the loader).
YAML is read as YAML 1.2 by the npm `yaml` package (tools/schema/yaml2json.cjs), as yaml-cpp does.
The npm packages come from tools/schema/package-lock.json (tools/schema/setup.sh, `npm ci` into
WORK_DIR). Skipped (exit 77) only when node or npm is not installed.

Usage: run_schema.py GOAP SOURCE_ROOT WORK_DIR
"""
import glob
import json
import os
import re
import subprocess
import sys

SKIP = 77
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\s*$")


def bundled_files(root):
    patterns = ["worlds/*.yaml", "goals/*/*.yaml", "plugins/*/actions.yaml", "tests/scenarios/*/*.yaml",
                "tests/export/fixtures/*.yaml"]
    out = []
    for p in patterns:
        out += sorted(glob.glob(os.path.join(root, p)))
    return out


def ajv(work, schema, data):
    cmd = [os.path.join(work, "node_modules", ".bin", "ajv"), "validate", "-s", schema, "-d", data, "--spec=draft7",
           "--strict=true", "--all-errors", "--errors=json"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def main():
    goap, root, work = sys.argv[1:4]
    schema = os.path.join(root, "schemas", "goap.schema.json")
    failures = []

    p = subprocess.run([goap, "schema"], capture_output=True, text=True, timeout=30)
    if p.returncode != 0 or p.stdout != open(schema, encoding="utf-8").read():
        failures.append(f"`goap schema` (exit {p.returncode}) does not print schemas/goap.schema.json byte for byte")
    try:
        json.loads(p.stdout)
    except json.JSONDecodeError as e:
        failures.append(f"`goap schema` prints invalid JSON: {e}")

    files = bundled_files(root)
    if len(files) < 10:
        failures.append(f"only {len(files)} bundled YAML files found under {root}")
    for f in files:
        with open(f, encoding="utf-8") as fh:
            head = [fh.readline() for _ in range(3)]
        target = next((m.group(1) for m in (MODELINE.match(l) for l in head) if m), None)
        rel = os.path.relpath(f, root)
        if target is None:
            failures.append(f"{rel}: no '# yaml-language-server: $schema=...' modeline in its first lines")
        elif os.path.normpath(os.path.join(os.path.dirname(f), target)) != os.path.normpath(schema):
            failures.append(f"{rel}: the modeline points at {target}, which is not schemas/goap.schema.json")

    rc = subprocess.run([os.path.join(root, "tools", "schema", "setup.sh"), work]).returncode
    if rc == SKIP:
        for f in failures:
            print("FAIL:", f)
        print("skipped: node/npm not installed, the schema was not validated")
        return 1 if failures else SKIP
    if rc != 0:
        failures.append(f"tools/schema/setup.sh exited {rc}")
        for f in failures:
            print("FAIL:", f)
        return 1

    # The bundled files: converted once, validated in one run.
    conv = os.path.join(root, "tools", "schema", "yaml2json.cjs")
    good_dir = os.path.join(work, "json-good")
    for old in glob.glob(os.path.join(good_dir, "*.json")):
        os.remove(old)
    p = subprocess.run(["node", conv, work, good_dir] + files, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        failures.append(f"YAML -> JSON failed: {p.stderr.strip()}")
    origin = dict(line.split("\t", 1) for line in p.stdout.splitlines() if "\t" in line)
    rc, out = ajv(work, schema, os.path.join(good_dir, "*.json"))
    valid = set(re.findall(r"^(\S+\.json) valid$", out, re.M))
    for j, y in sorted(origin.items(), key=lambda kv: kv[1]):
        if j not in valid:
            section = out[out.find(j + " invalid"):][:1500] if j + " invalid" in out else out[:1500]
            failures.append(f"{os.path.relpath(y, root)} is not valid under the schema:\n{section}")
    if rc != 0 and not any("not valid" in f for f in failures):
        failures.append(f"ajv exited {rc}: {out[:1500]}")

    # Known-bad files: rejected where they say, by the schema and by goap check.
    bad = sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad", "*.yaml")))
    if not bad:
        failures.append("no files in tests/schema/bad")
    for f in bad:
        name = os.path.basename(f)
        expect = None
        for line in open(f, encoding="utf-8"):
            m = re.match(r'^# expect: (\S+) (\w+)\s*$', line)
            if m:
                expect = ("" if m.group(1) == '""' else m.group(1), m.group(2))
        if expect is None:
            failures.append(f"bad/{name}: no '# expect: <instancePath> <keyword>' line")
            continue
        out_dir = os.path.join(work, "json-bad", name)
        p = subprocess.run(["node", conv, work, out_dir, f], capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            failures.append(f"bad/{name}: YAML -> JSON failed: {p.stderr.strip()}")
            continue
        rc, out = ajv(work, schema, os.path.join(out_dir, "0.json"))
        if rc == 0:
            failures.append(f"bad/{name}: the schema accepts it")
            continue
        try:
            errors = json.loads(out[out.index("["):])
        except (ValueError, json.JSONDecodeError):
            failures.append(f"bad/{name}: unreadable ajv output: {out[:500]}")
            continue
        if not any(e["instancePath"] == expect[0] and e["keyword"] == expect[1] for e in errors):
            seen = sorted({(e["instancePath"], e["keyword"]) for e in errors})
            failures.append(f"bad/{name}: expected a '{expect[1]}' error at '{expect[0]}', ajv reported {seen}")
        p = subprocess.run([goap, "check", f], capture_output=True, text=True, timeout=30)
        if p.returncode == 0:
            failures.append(f"bad/{name}: goap check accepts it (exit 0), the schema rejects it")

    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print(f"ok: {len(files)} bundled files valid and carrying the modeline, {len(bad)} bad files rejected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
