#!/usr/bin/env python3
"""Writes N varied `goap batch` requests on the timmy-ops world, one JSON line each.

usage: batch_requests.py [N] [--world PATH] [--seed S] > requests.jsonl

A benchmark input, not a test: each request flips a few of the fleet's facts (hosts down, disks
full, agents stopped, ...) and asks for one goal or lets goap choose, so the batch plans many
different states of one world. The same N and seed always write the same bytes, so answers from
two builds can be compared line by line (`ms` aside).

  time build/goap batch --threads 2 requests.jsonl > /dev/null
"""
import argparse
import json
import os
import random

HOSTS = ["hermes-vps", "allegro-vps"]
AGENTS = ["ezra", "allegro", "timmy"]
FLIPS = (
    [f"{f}({h})" for f in ("provisioned", "reachable", "tailscale_up", "disk_ok", "data_present", "backup_fresh")
     for h in HOSTS]
    + [f"{f}(hermes-vps)" for f in ("ollama_running", "ollama_api_ok", "model_present")]
    + [f"agent_running({a})" for a in AGENTS]
    + [f"orphaned_children({a})" for a in AGENTS]
    + ["gitea_healthy", "repo_synced(timmy-config)", "heartbeat_fresh", "operator_notified"]
)
GOALS = [None, "agents-running", "gitea-available", "heartbeat-healthy", "infrastructure-restored",
         "no-orphaned-children", "ollama-recovered"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=10000)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--world", default=os.path.join(root, "worlds", "timmy-ops.yaml"))
    ap.add_argument("--seed", type=int, default=20)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    for i in range(a.n):
        state = []
        for fact in rng.sample(FLIPS, rng.randint(0, 4)):
            state.append(("not " if rng.random() < 0.8 else "") + fact)
        if rng.random() < 0.2:
            rng.randint(0, 3)  # was `ollama_restarts = N`: restarts are now a journal budget; same draws
        if rng.random() < 0.2:
            state.append("llm_provider = " + rng.choice(["kimi", "ollama", "none"]))
        req = {"id": i + 1, "world": a.world, "state": state}
        goal = rng.choice(GOALS)
        if goal:
            req["goal"] = goal
        print(json.dumps(req))


if __name__ == "__main__":
    main()
