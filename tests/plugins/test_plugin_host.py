#!/usr/bin/env python3
"""The plugin host: the search path, and every refusal with its message (world-writable files,
missing symbols, another API version, duplicate names, a name that does not match the file).
usage: test_plugin_host.py GOAP FAULTY_SO OLDAPI_SO NOSYM_SO"""
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from goaptest import check, main  # noqa: E402

GOAP, FAULTY, OLDAPI, NOSYM = sys.argv[1:5]
BUNDLED = ["command", "http-probe", "rebuild-vps", "restart-ollama", "sync-repo"]


def plugin_dir(env, name, files):
    d = env.path(name)
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    for src, dst in files:
        shutil.copy(src, os.path.join(d, dst))
    return d


def test_bundled_plugins_are_found_beside_the_binary(env):
    doc = json.loads(env.goap_run("plugins", "--json").stdout)
    check(sorted(p["name"] for p in doc["plugins"]) == BUNDLED, "bundled plugins", doc)
    check(doc["problems"] == [] and doc["api_version"] == 1, "no problems")
    ro = next(p for p in doc["plugins"] if p["name"] == "restart-ollama")
    check([s["name"] for s in ro["sensors"]] == ["api-ok", "model-present"], "sensors listed", ro)
    probe = next(p for p in ro["actions"][0]["params"] if p["name"] == "probe")
    check(probe["required"] and probe["type"] == "url", "parameters with types", probe)
    text = env.goap_run("plugins").stdout
    check("action command:" in text and "argv" in text and "sensor api-ok" in text, "text listing", text)


def test_plugin_dir_and_goap_plugin_path(env):
    d = plugin_dir(env, "extra", [(FAULTY, "goap-plugin-faulty.so")])
    doc = json.loads(env.goap_run("plugins", "--json", "--plugin-dir", d).stdout)
    check("faulty" in [p["name"] for p in doc["plugins"]], "--plugin-dir", doc)
    env.env["GOAP_PLUGIN_PATH"] = "/nonexistent:" + d
    doc = json.loads(env.goap_run("plugins", "--json").stdout)
    check("faulty" in [p["name"] for p in doc["plugins"]], "GOAP_PLUGIN_PATH", doc)


def problems(env, d):
    r = env.goap_run("plugins", "--json", "--plugin-dir", d, rc=3)
    return json.loads(r.stdout)["problems"]


def test_world_writable_plugins_are_refused(env):
    d = plugin_dir(env, "ww", [(FAULTY, "goap-plugin-faulty.so")])
    os.chmod(os.path.join(d, "goap-plugin-faulty.so"), 0o777)
    p = problems(env, d)
    check(len(p) == 1 and "world-writable" in p[0]["message"] and "chmod o-w" in p[0]["message"], "file", p)
    os.chmod(os.path.join(d, "goap-plugin-faulty.so"), 0o755)
    os.chmod(d, 0o777)
    p = problems(env, d)
    check(len(p) == 1 and "its directory is world-writable" in p[0]["message"], "directory", p)
    os.chmod(d, 0o755)


def test_group_writable_plugins_and_writable_ancestors_are_refused(env):
    d = plugin_dir(env, "gw", [(FAULTY, "goap-plugin-faulty.so")])
    so = os.path.join(d, "goap-plugin-faulty.so")
    os.chmod(so, 0o775)
    p = problems(env, d)
    check(len(p) == 1 and p[0]["path"] == so and "the file is group-writable" in p[0]["message"], "file", p)
    os.chmod(so, 0o755)
    os.chmod(d, 0o775)
    p = problems(env, d)
    check(len(p) == 1 and "its directory is group-writable without the sticky bit" in p[0]["message"], "directory", p)
    # A plugin one folder down in a world-writable directory: anyone could rename the folder.
    top = env.path("shared")
    os.makedirs(top)
    os.chmod(d, 0o755)
    os.rename(d, os.path.join(top, "gw"))
    os.chmod(top, 0o777)
    p = problems(env, top)
    check(len(p) == 1 and f"its ancestor directory {top} is world-writable without the sticky bit" in p[0]["message"]
          and f"chmod go-w {top}" in p[0]["message"], "ancestor", p)
    p = problems(env, os.path.join(top, "gw"))
    check(len(p) == 1 and f"ancestor directory {top}" in p[0]["message"], "ancestor, plugin dir below it", p)
    os.chmod(top, 0o1777)  # sticky, like /tmp: others cannot rename what is ours
    doc = json.loads(env.goap_run("plugins", "--json", "--plugin-dir", top).stdout)
    check(doc["problems"] == [] and "faulty" in [x["name"] for x in doc["plugins"]], "sticky ancestor is fine", doc)
    os.chmod(top, 0o755)


def test_not_a_plugin_and_wrong_api_version_are_refused(env):
    d = plugin_dir(env, "bad", [(OLDAPI, "goap-plugin-oldapi.so"), (NOSYM, "goap-plugin-nosym.so")])
    p = {os.path.basename(x["path"]): x["message"] for x in problems(env, d)}
    check("plugin API version 99" in p["goap-plugin-oldapi.so"] and "rebuild the plugin" in p["goap-plugin-oldapi.so"], "api", p)
    check("does not export 'goap_plugin_describe', 'goap_plugin_invoke'" in p["goap-plugin-nosym.so"], "symbols", p)
    garbage = env.write("junk/goap-plugin-junk.so", "not an ELF file\n")
    p = problems(env, os.path.dirname(garbage))
    check("cannot load" in p[0]["message"], "not a shared object", p)


def test_duplicate_and_misnamed_plugins_are_refused(env):
    bundled = json.loads(env.goap_run("plugins", "--json").stdout)["plugins"]
    command = next(p["path"] for p in bundled if p["name"] == "command")
    d = plugin_dir(env, "dups", [(command, "goap-plugin-command.so"), (FAULTY, "goap-plugin-other.so")])
    p = {os.path.basename(x["path"]): x["message"] for x in problems(env, d)}
    # --plugin-dir comes first in the search path, so the copy wins and the bundled one is refused.
    check(any("duplicate plugin 'command'" in m and "already loaded from " + d in m for m in p.values()), "dup", p)
    check("calls itself 'faulty'" in p["goap-plugin-other.so"], "misnamed", p)


def world(env, plugin="command", param="argv"):
    return env.write("w.yaml", f"""kind: world
name: w
types: {{box: {{}}}}
objects: {{b: box}}
facts: {{ok(box): bool}}
actions:
  fix:
    params: {{x: box}}
    eff: [ok($x)]
    run: {{plugin: {plugin}, with: {{{param}: [true]}}}}
goals:
  g: {{priority: 1, want: [ok(b)]}}
""")


def test_check_reports_unknown_plugins_and_parameters(env):
    world(env, plugin="comand")
    r = env.goap_run("check", "w.yaml", rc=3)
    check("w.yaml:10:10: error: action 'fix' runs plugin 'comand', which goap cannot find" in r.stderr, "plugin", r.stderr)
    check("did you mean 'command'?" in r.stderr, "hint", r.stderr)
    world(env, param="args")
    r = env.goap_run("check", "w.yaml", rc=3)
    check("takes no parameter 'args'" in r.stderr and "needs 'argv'" in r.stderr, "params", r.stderr)
    env.goap_run("check", "--no-plugins", "w.yaml")


def test_check_works_without_any_plugin(env):
    # A goap binary with nothing beside it: check still checks everything else, and says why
    # it could not check 'run:'.
    os.makedirs(env.path("bin"))
    shutil.copy(GOAP, env.path("bin", "goap"))
    env.goap = env.path("bin", "goap")
    world(env, plugin="comand")
    r = env.goap_run("check", "w.yaml", rc=0)
    check("no plugins found" in r.stderr and "not checked" in r.stderr, "note", r.stderr)


if __name__ == "__main__":
    sys.exit(main([test_bundled_plugins_are_found_beside_the_binary, test_plugin_dir_and_goap_plugin_path,
                   test_world_writable_plugins_are_refused, test_group_writable_plugins_and_writable_ancestors_are_refused,
                   test_not_a_plugin_and_wrong_api_version_are_refused,
                   test_duplicate_and_misnamed_plugins_are_refused, test_check_reports_unknown_plugins_and_parameters,
                   test_check_works_without_any_plugin], GOAP))
