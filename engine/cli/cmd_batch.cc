// `goap batch [--threads N] [FILE|-]`: many planning requests, one JSON line each, answered on TBB
// workers, one JSON line per request in input order.
//
// A request is a YAML world (`world`, optional `goal`, optional `state`: lines as for --set) or a
// PDDL task (`domain`, `problem`, optional `heuristic`, `search`, `pruning`, `symmetry`), with an optional `id`
// echoed back.
// Each is planned by the same code as `goap plan` (read_input + exec::decide) or `goap pddl`
// (solve_pddl), so a batch answers exactly what the single commands would. A bad request becomes
// `"status": "error"` with its rendered diagnostics on its own line; the rest of the batch goes on.
// Determinism: answers are written by index after all are done, so thread count never changes them.
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "cli/commands.h"
#include "cli/input.h"
#include "cli/pddl_solve.h"
#include "core/names.h"
#include "exec/goal_planner.h"

namespace goap::cli {
namespace {

using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

double round3(double ms) { return static_cast<double>(static_cast<long long>(ms * 1000.0 + 0.5)) / 1000.0; }

// Fills status/goal/cost/plan for a YAML world request; throws std::runtime_error for bad input.
void answer_world(const json& req, const CommonOptions& common, json& out) {
  if (!req["world"].is_string()) throw std::runtime_error("'world' must be a string (a file path)");
  std::vector<std::string> set_lines;
  if (req.contains("state")) {
    if (!req["state"].is_array()) throw std::runtime_error("'state' must be a list of state lines");
    for (const auto& l : req["state"]) {
      if (!l.is_string()) throw std::runtime_error("'state' must be a list of strings");
      set_lines.push_back(l.get<std::string>());
    }
  }
  std::string errors;
  auto in = read_input(req["world"].get<std::string>(), "", set_lines, common, &errors);
  if (!in) throw std::runtime_error(errors);
  exec::PlannerOptions po;  // threads = 0: the batch's global_control caps every search
  if (req.contains("goal") && !req["goal"].is_null()) {
    if (!req["goal"].is_string()) throw std::runtime_error("'goal' must be a string");
    const std::string goal = req["goal"].get<std::string>();
    auto it = in->world.goal_index.find(goal);
    if (it == in->world.goal_index.end()) {
      std::vector<std::string> names;
      for (const auto& g : in->world.goals) names.push_back(g.name);
      const std::string hint = core::did_you_mean(goal, names);
      throw std::runtime_error("no goal named '" + goal + "' in " + req["world"].get<std::string>() +
                               (hint.empty() ? "" : "\n  hint: " + hint));
    }
    po.only_goal = it->second;
  }
  if (req.contains("heuristic")) po.heuristic = req["heuristic"].get<std::string>();
  exec::PlanningError err;
  auto d = exec::decide(in->world, in->state, po, &err);
  if (!d) throw std::runtime_error(err.message);
  // `inactive` (no goal's `when` holds) means nothing to do: satisfied, as `goap plan` exits 0.
  out["status"] = d->status == exec::GoalStatus::inactive ? "satisfied" : exec::to_string(d->status);
  out["goal"] = nullptr;
  out["cost"] = nullptr;
  out["plan"] = json::array();
  if (d->chosen >= 0) {
    const exec::GoalOutcome& g = d->goals[static_cast<std::size_t>(d->chosen)];
    out["goal"] = in->world.goals[g.goal.index()].name;
    out["cost"] = g.cost;
    for (const auto& s : g.plan) out["plan"].push_back(s.name);
  } else if (po.only_goal) {
    out["goal"] = req["goal"];
    if (!d->goals.empty() && !d->goals.front().reason.empty()) out["reason"] = d->goals.front().reason;
  }
  if (d->status == exec::GoalStatus::satisfied || d->status == exec::GoalStatus::inactive) out["cost"] = 0;
}

void answer_pddl(const json& req, const CommonOptions& common, json& out) {
  if (!req["domain"].is_string() || !req.contains("problem") || !req["problem"].is_string())
    throw std::runtime_error("a PDDL request needs 'domain' and 'problem' (file paths)");
  PddlOptions o;
  o.domain = req["domain"].get<std::string>();
  o.problem = req["problem"].get<std::string>();
  o.threads = 1;  // the batch runs requests side by side: no helper thread per search
  if (req.contains("search")) o.search = req["search"].get<std::string>();
  if (req.contains("heuristic")) o.heuristic = req["heuristic"].get<std::string>();
  if (req.contains("pruning")) o.pruning = req["pruning"].get<std::string>();
  if (req.contains("symmetry")) o.symmetry = req["symmetry"].get<std::string>();
  static const std::vector<std::string> searches{"astar", "gbfs", "lazy-gbfs"};
  static const std::vector<std::string> heuristics{"", "lmcut", "hmax", "blind", "ff", "add"};
  if (std::find(searches.begin(), searches.end(), o.search) == searches.end())
    throw std::runtime_error("unknown search '" + o.search + "' (astar | gbfs | lazy-gbfs)");
  if (std::find(heuristics.begin(), heuristics.end(), o.heuristic) == heuristics.end())
    throw std::runtime_error("unknown heuristic '" + o.heuristic + "' (lmcut | hmax | blind | ff | add)");
  if (!o.pruning.empty() && o.pruning != "none" && o.pruning != "stubborn-sets")
    throw std::runtime_error("unknown pruning '" + o.pruning + "' (stubborn-sets | none)");
  if (!o.symmetry.empty() && o.symmetry != "none" && o.symmetry != "object")
    throw std::runtime_error("unknown symmetry '" + o.symmetry + "' (object | none)");
  if (const std::string conflict = symmetry_conflict(o); !conflict.empty()) throw std::runtime_error(conflict);
  const PddlSolved r = solve_pddl(o, common);
  if (!r.loaded || r.internal_error) throw std::runtime_error(r.errors);
  const bool solved = r.status == "plan" || r.status == "satisfied";
  out["status"] = r.status;
  out["goal"] = r.problem_name;
  out["cost"] = solved ? json(r.cost) : json(nullptr);
  out["plan"] = r.plan;
  if (!r.reason.empty()) out["reason"] = r.reason;
  out["expanded"] = r.stats.expanded;
}

json answer(const std::string& line, std::size_t line_no, const CommonOptions& common) {
  const auto start = Clock::now();
  json out;
  out["id"] = line_no;
  try {
    const json req = json::parse(line);
    if (!req.is_object()) throw std::runtime_error("a request is a JSON object");
    if (req.contains("id")) out["id"] = req["id"];
    if (req.contains("world")) answer_world(req, common, out);
    else if (req.contains("domain")) answer_pddl(req, common, out);
    else throw std::runtime_error("a request needs 'world' (YAML) or 'domain' and 'problem' (PDDL)");
  } catch (const std::exception& e) {
    json err;
    err["id"] = out["id"];
    err["status"] = "error";
    std::string msg = e.what();
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    err["error"] = msg;
    out = std::move(err);
  }
  out["ms"] = round3(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  return out;
}

}  // namespace

int run_batch(const BatchOptions& o, const CommonOptions& common) {
  auto text = read_text(o.file);
  if (!text) return kUsage;
  std::vector<std::string> lines;
  std::vector<std::size_t> line_nos;  // 1-based: the default id of a request without one
  std::istringstream ss(*text);
  std::size_t n = 0;
  for (std::string l; std::getline(ss, l);) {
    ++n;
    if (l.find_first_not_of(" \t\r") == std::string::npos) continue;
    lines.push_back(std::move(l));
    line_nos.push_back(n);
  }
  std::vector<std::string> answers(lines.size());
  // No colour in JSON strings, whatever stderr is.
  CommonOptions quiet = common;
  quiet.color = false;
  std::unique_ptr<tbb::global_control> limit;
  if (o.threads > 0)
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(o.threads));
  tbb::parallel_for(std::size_t{0}, lines.size(), std::size_t{1},
                    [&](std::size_t i) { answers[i] = answer(lines[i], line_nos[i], quiet).dump(); },
                    tbb::simple_partitioner{});
  for (const std::string& a : answers) std::printf("%s\n", a.c_str());
  return std::fflush(stdout) == 0 ? kOk : kInternal;
}

}  // namespace goap::cli
