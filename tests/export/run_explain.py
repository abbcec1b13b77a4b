#!/usr/bin/env python3
"""`goap explain` on the bundled world, end to end.

  - total-loss-no-backup: infrastructure-restored has no plan, and the explanation names the
    missing piece, backup_fresh(hermes-vps), in the author's words; exit 10;
  - next-skips-exhausted-ollama: the exhausted restart counter is the missing piece;
  - total-loss, for hosts-restored (--goal plans whatever its `when` says): each step's causal
    links (rebuild-vps gives reachable(hermes-vps) to steps 2 and 3; it clears
    operator_notified, which notify-operator restores);
  - --without: an alternative plan and its extra cost (orphans-adopt: reaping costs 2 more), an
    indispensable action (total-loss without rebuild-vps), an action the plan does not use;
  - a search limit: which one, and how close the search got (lowest h and its g);
  - --json carries the same facts for agents; an unknown --without action is a usage error.

Usage: run_explain.py GOAP SOURCE_ROOT
"""
import json
import os
import subprocess
import sys


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def main():
    goap, root = sys.argv[1:3]
    world = os.path.join(root, "worlds", "timmy-ops.yaml")
    scen = os.path.join(root, "tests", "scenarios", "timmy-ops")
    failures = []

    def expect(name, cmd, rc_want, parts, absent=()):
        rc, out, err = run(cmd)
        if rc != rc_want:
            failures.append(f"{name}: exit {rc}, expected {rc_want}: {err.strip()}\n{out}")
            return out
        for p in parts:
            if p not in out:
                failures.append(f"{name}: output lacks {p!r}:\n{out}")
        for p in absent:
            if p in out:
                failures.append(f"{name}: output should not contain {p!r}:\n{out}")
        return out

    no_backup = os.path.join(scen, "total-loss-no-backup.yaml")
    expect("unsolvable: total-loss-no-backup",
           [goap, "explain", world, "--state", no_backup, "--goal", "infrastructure-restored"], 10,
           ["goal infrastructure-restored (priority 100): no plan",
            "Even ignoring delete effects, 2 of 5 wanted facts stay out of reach:",
            "rebuild-vps(hermes-vps) would make it true, but needs:",
            "backup_fresh(hermes-vps) (now false): nothing can make it hold",
            "The missing piece:",
            "no action makes backup_fresh(hermes-vps) true, and the state has it false"])
    # Without --goal, `explain` still answers for the goal goap is pursuing (the heartbeat) and
    # explains every goal that has no plan.
    expect("unsolvable goals beside a plan: total-loss-no-backup, no --goal",
           [goap, "explain", world, "--state", no_backup], 0,
           ["goal heartbeat-healthy (priority 40): 1 step, cost 1",
            "goal infrastructure-restored (priority 100): no plan",
            "no action makes backup_fresh(hermes-vps) true, and the state has it false"])
    # What a run whose restart budget is used up faces (goap run leaves the ground action out).
    expect("an exhausted budget: the action left out",
           [goap, "explain", world, "--state", os.path.join(scen, "ollama-down-again.yaml"), "--goal",
            "ollama-recovered", "--without", "restart-ollama(hermes-vps)"], 0,
           ["Without restart-ollama(hermes-vps): ollama-recovered has no plan: it is indispensable"])

    total_loss = os.path.join(scen, "total-loss.yaml")
    expect("plan dependencies: total-loss",
           [goap, "explain", world, "--state", total_loss, "--goal", "hosts-restored"], 0,
           ["goal hosts-restored (priority 95): 4 steps, cost 43 (optimal)",
            "1. rebuild-vps(hermes-vps)  cost 30  [needs approval]",
            "gives reachable(hermes-vps)    -> steps 2 and 3",
            "gives provisioned(hermes-vps)  -> step 3",
            "clears operator_notified, which the goal needs: step 4 restores it",
            "later steps that depend on it: 2, 3 and 4",
            "gives tailscale_up(hermes-vps) -> step 3 and the goal",
            "gives data_present(hermes-vps) -> the goal",
            "not reachable(hermes-vps) for 15m -> step 1"])

    expect("a search limit: how far the search got",
           [goap, "explain", world, "--state", total_loss, "--goal", "hosts-restored", "--max-expansions", "2"], 11,
           ["goal hosts-restored (priority 95): a search limit was hit",
            "The search stopped at its expansions limit after 2 expanded states",
            "Closest it got: an estimated 13 still to go (h) after a cost of 30 (g); it started at h = 42.",
            "lmcut is admissible, so any plan costs at least 42."])
    expect("nothing to explain", [goap, "explain", world, "--state", os.path.join(scen, "healthy.yaml")], 0,
           ["nothing to do: every relevant goal is met"])

    expect("--without: a dearer alternative",
           [goap, "explain", world, "--state", os.path.join(scen, "orphans-adopt.yaml"), "--goal", "no-orphaned-children",
            "--without", "adopt-orphans"], 0,
           ["Without adopt-orphans: the best plan for no-orphaned-children costs 6 (+2), 1 step:",
            "1. reap-orphans(ezra, allegro-vps)"])
    expect("--without: an indispensable action",
           [goap, "explain", world, "--state", total_loss, "--goal", "hosts-restored", "--without", "rebuild-vps"], 0,
           ["Without rebuild-vps: hosts-restored has no plan: it is indispensable",
            "no action makes provisioned(hermes-vps) true, and the state has it false"])
    expect("--without: a ground action",
           [goap, "explain", world, "--state", total_loss, "--goal", "hosts-restored", "--without",
            "rebuild-vps(allegro-vps)"], 0,
           ["rebuild-vps(allegro-vps) is not in the plan: avoiding it costs nothing extra."])

    rc, out, err = run([goap, "explain", world, "--state", total_loss, "--goal", "hosts-restored", "--without",
                        "rebuild-vpz"])
    if rc != 2 or "no action named 'rebuild-vpz'" not in err or "rebuild-vps" not in err:
        failures.append(f"--without with a typo: exit {rc}, expected 2 with a did-you-mean: {err.strip()}")

    out = expect("--json: unsolvable", [goap, "explain", world, "--state", no_backup, "--goal", "infrastructure-restored",
                                         "--json"], 10, [])
    try:
        doc = json.loads(out)
        why = doc["goals"][0]["why"]
        if doc["status"] != "unsolvable" or not any("backup_fresh(hermes-vps)" in m for m in why["missing"]):
            failures.append(f"--json (unsolvable): status and missing pieces: {doc}")
        if "provisioned(hermes-vps)" not in why["unreachable_wanted"]:
            failures.append(f"--json (unsolvable): unreachable_wanted: {why['unreachable_wanted']}")
    except (json.JSONDecodeError, KeyError, IndexError) as e:
        failures.append(f"--json (unsolvable): {e}: {out[:400]}")
    out = expect("--json: plan", [goap, "explain", world, "--state", total_loss, "--goal", "hosts-restored",
                                   "--json", "--without", "restore-from-backup"], 0, [])
    try:
        doc = json.loads(out)
        steps = doc["goals"][0]["plan"]["steps"]
        first = steps[0]
        link = next(s for s in first["supports"] if s["condition"] == "reachable(hermes-vps)")
        if link["to"] != [2, 3] or first["dependents"] != [2, 3, 4] or not first["approval"]:
            failures.append(f"--json (plan): step 1: {first}")
        if doc["without"]["status"] != "unsolvable" or doc["without"]["in_plan"] is not True:
            failures.append(f"--json (plan): without restore-from-backup: {doc['without']}")
    except (json.JSONDecodeError, KeyError, IndexError, StopIteration) as e:
        failures.append(f"--json (plan): {e}: {out[:400]}")

    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print("ok: explain")
    return 0


if __name__ == "__main__":
    sys.exit(main())
