// `goap plan` and `goap next`: decide (exec/goal_planner.h) and print the answer.
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input.h"
#include "core/names.h"
#include "exec/goal_planner.h"

namespace goap::cli {
namespace {

using json = nlohmann::ordered_json;

json step_json(const model::World& w, const exec::PlanStep& s) {
  const model::Action& a = w.actions[s.action];
  json args = json::object();
  for (std::size_t i = 0; i < a.params.size() && i < s.args.size(); ++i) args[a.params[i].name] = w.objects[s.args[i]].name;
  return json{{"action", a.name}, {"args", std::move(args)}, {"cost", s.cost}};
}

std::string round3(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms);
  return buf;
}

json decision_json(const model::World& w, const exec::Decision& d, bool is_next) {
  json out;
  out["format_version"] = 1;
  out["status"] = exec::to_string(d.status);
  const exec::GoalOutcome* chosen = d.chosen >= 0 ? &d.goals[static_cast<std::size_t>(d.chosen)] : nullptr;
  out["goal"] = chosen ? json(w.goal(chosen->goal).name) : json(nullptr);
  out["cost"] = chosen ? json(chosen->cost) : json(nullptr);
  json plan = json::array();
  if (chosen)
    for (const auto& s : chosen->plan) plan.push_back(step_json(w, s));
  out["plan"] = plan;
  out["next"] = chosen && !chosen->plan.empty() ? step_json(w, chosen->plan.front()) : json(nullptr);
  if (is_next || chosen) {
    std::string why;
    if (chosen) {
      const model::Goal& g = w.goal(chosen->goal);
      why = "'" + g.name + "' (priority " + std::to_string(g.priority) + ") is the most important goal with a plan: " +
            std::to_string(chosen->plan.size()) + (chosen->plan.size() == 1 ? " step" : " steps") + ", cost " +
            std::to_string(chosen->cost);
      if (!d.optimal) why += " (satisficing search: the cost may not be optimal)";
    } else if (d.status == exec::GoalStatus::satisfied) {
      why = "every relevant goal is already met";
    } else {
      why = "no relevant goal has a plan";
    }
    out["why"] = why;
  }
  json goals = json::array();
  for (const exec::GoalOutcome& g : d.goals) {
    json j{{"goal", w.goal(g.goal).name}, {"priority", w.goal(g.goal).priority}, {"status", exec::to_string(g.status)}};
    if (g.status == exec::GoalStatus::plan) {
      j["cost"] = g.cost;
      j["steps"] = g.plan.size();
    }
    if (!g.reason.empty()) j["reason"] = g.reason;
    goals.push_back(std::move(j));
  }
  out["goals"] = goals;
  std::uint64_t expanded = 0, generated = 0;
  double search_ms = 0;
  for (const auto& g : d.goals) {
    expanded += g.expanded;
    generated += g.generated;
    search_ms += g.search_ms;
  }
  out["stats"] = json{{"expanded", expanded},
                      {"generated", generated},
                      {"ms", json::parse(round3(d.total_ms))},
                      {"ground_ms", json::parse(round3(d.grounding.ms))},
                      {"operators", d.grounding.operators_kept},
                      {"variables", d.grounding.variables}};
  out["search"] = json{{"algorithm", d.algorithm}, {"heuristic", d.heuristic}, {"optimal", d.optimal}};
  return out;
}

void print_text(const model::World& w, const exec::Decision& d, bool color) {
  const char* bold = color ? "\x1b[1m" : "";
  const char* dim = color ? "\x1b[2m" : "";
  const char* reset = color ? "\x1b[0m" : "";
  const exec::GoalOutcome* chosen = d.chosen >= 0 ? &d.goals[static_cast<std::size_t>(d.chosen)] : nullptr;
  if (chosen) {
    const model::Goal& g = w.goal(chosen->goal);
    std::printf("%sgoal %s%s (priority %d): %zu step%s, cost %lld%s\n", bold, g.name.c_str(), reset, g.priority,
                chosen->plan.size(), chosen->plan.size() == 1 ? "" : "s", chosen->cost,
                d.optimal ? "" : " (satisficing: may not be optimal)");
    for (std::size_t i = 0; i < chosen->plan.size(); ++i) {
      const auto& s = chosen->plan[i];
      const bool approval = w.actions[s.action].approval;
      std::printf("  %2zu. %-48s cost %d%s\n", i + 1, s.name.c_str(), s.cost, approval ? "  [needs approval]" : "");
    }
  } else if (d.status == exec::GoalStatus::satisfied) {
    std::printf("nothing to do: every relevant goal is met\n");
  } else {
    std::printf("no plan: %s\n", d.status == exec::GoalStatus::limit ? "a search limit was hit" : "no relevant goal can be reached");
  }
  std::printf("%sgoals:%s\n", dim, reset);
  for (const auto& g : d.goals) {
    std::printf("%s  %-26s %-10s", dim, w.goal(g.goal).name.c_str(), exec::to_string(g.status));
    if (g.status == exec::GoalStatus::plan) std::printf(" cost %lld", g.cost);
    if (!g.reason.empty()) std::printf(" (%s)", g.reason.c_str());
    std::printf("%s\n", reset);
  }
}

}  // namespace

int run_plan(const PlanOptions& o, const CommonOptions& common) {
  auto in = read_input(o.world, o.state_file, o.set_lines, common);
  if (!in) return kInvalidInput;
  exec::PlannerOptions po;
  if (!o.goal.empty()) {
    auto it = in->world.goal_index.find(o.goal);
    if (it == in->world.goal_index.end()) {
      std::vector<std::string> names;
      for (const auto& g : in->world.goals) names.push_back(g.name);
      std::string hint = core::did_you_mean(o.goal, names);
      std::fprintf(stderr, "goap: error: no goal named '%s' in %s\n%s", o.goal.c_str(), o.world.c_str(),
                   hint.empty() ? "" : ("  hint: " + hint + "\n").c_str());
      return kUsage;
    }
    po.only_goal = it->second;
  }
  po.algorithm = o.search == "gbfs" ? exec::SearchAlgorithm::greedy
                 : o.search == "wastar" ? exec::SearchAlgorithm::weighted_astar
                                        : exec::SearchAlgorithm::astar;
  po.weight = o.weight;
  po.heuristic = o.heuristic;
  po.threads = o.threads;
  po.max_expansions = static_cast<std::uint64_t>(o.max_expansions);
  po.max_ms = o.max_ms;
  po.max_memory_bytes = static_cast<std::size_t>(o.max_memory_mb) << 20;
  exec::PlanningError err;
  auto d = exec::decide(in->world, in->state, po, &err);
  if (!d) {
    std::fprintf(stderr, "goap: error: %s\n", err.message.c_str());
    return kInvalidInput;
  }
  if (o.format == "json" || o.is_next) {
    std::printf("%s\n", decision_json(in->world, *d, o.is_next).dump(2).c_str());
  } else {
    print_text(in->world, *d, isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr);
  }
  switch (d->status) {
    case exec::GoalStatus::plan:
    case exec::GoalStatus::satisfied:
    case exec::GoalStatus::inactive: return kOk;
    case exec::GoalStatus::unsolvable: return kNoPlan;
    case exec::GoalStatus::limit: return kLimit;
  }
  return kInternal;
}

}  // namespace goap::cli
