// `goap plan` and `goap next`: decide (exec/goal_planner.h) and print the answer.
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/planning.h"
#include "cli/input.h"
#include "cli/plugin_support.h"
#include "core/names.h"
#include "exec/goal_planner.h"
#include "exec/runner.h"
#include "export/dot.h"
#include "export/graphviz.h"
#include "export/html.h"
#include "export/mermaid.h"
#include "export/plan_view.h"

namespace goap::cli {
namespace {

using json = nlohmann::ordered_json;

std::string round3(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms);
  return buf;
}

// `commands`: per step of the chosen plan, what its plugin would run (plan/next --commands), or empty.
json decision_json(const model::World& w, const model::State& state, const exec::Decision& d, bool is_next,
                   const std::vector<std::vector<std::string>>& commands) {
  json out;
  out["format_version"] = 1;
  out["status"] = exec::to_string(d.status);
  const exec::GoalOutcome* chosen = d.chosen >= 0 ? &d.goals[static_cast<std::size_t>(d.chosen)] : nullptr;
  out["goal"] = chosen ? json(w.goal(chosen->goal).name) : json(nullptr);
  out["cost"] = chosen ? json(chosen->cost) : json(nullptr);
  json plan = json::array();
  model::State along = state;
  if (chosen)
    for (std::size_t i = 0; i < chosen->plan.size(); ++i)
      plan.push_back(step_json(w, chosen->plan[i], along, i < commands.size() ? &commands[i] : nullptr));
  out["plan"] = plan;
  out["next"] = plan.empty() ? json(nullptr) : plan.front();
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
    } else if (d.status == exec::GoalStatus::unknown) {
      why = "sensors failed to read facts that a relevant goal needs: nothing is done on a guess";
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
    if (!g.kept.empty()) {
      json kept = json::array();
      for (model::GoalId k : g.kept) kept.push_back(w.goal(k).name);
      j["kept"] = kept;
    }
    if (!g.blocked_by.empty()) {
      json by = json::array();
      for (model::GoalId k : g.blocked_by) by.push_back(w.goal(k).name);
      j["blocked_by"] = by;
    }
    goals.push_back(std::move(j));
  }
  out["goals"] = goals;
  json protected_goals = json::array();
  for (model::GoalId k : d.protected_goals) protected_goals.push_back(w.goal(k).name);
  out["protected"] = protected_goals;
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

json trace_json(const std::vector<exec::TraceNode>& trace) {
  json a = json::array();
  for (const exec::TraceNode& n : trace)
    a.push_back(json{{"n", n.order + 1}, {"state", n.state}, {"parent", n.parent < 0 ? json(nullptr) : json(n.parent)},
                     {"via", n.via.empty() ? json(nullptr) : json(n.via)}, {"g", n.g}, {"h", n.h}, {"goal", n.is_goal}});
  return a;
}

// The readable form: colour when stdout is a terminal (bold goal, a green plan, approvals in
// yellow, failures in red, details dimmed), plain text otherwise.
void print_text(const model::World& w, const exec::Decision& d, const exporting::PlanView& view, bool color) {
  const char* bold = color ? "\x1b[1m" : "";
  const char* dim = color ? "\x1b[2m" : "";
  const char* red = color ? "\x1b[31m" : "";
  const char* green = color ? "\x1b[32m" : "";
  const char* yellow = color ? "\x1b[33m" : "";
  const char* reset = color ? "\x1b[0m" : "";
  const exec::GoalOutcome* chosen = d.chosen >= 0 ? &d.goals[static_cast<std::size_t>(d.chosen)] : nullptr;
  if (chosen) {
    const model::Goal& g = w.goal(chosen->goal);
    std::printf("%sgoal %s%s (priority %d): %s%zu step%s, cost %lld%s%s\n", bold, g.name.c_str(), reset, g.priority, green,
                chosen->plan.size(), chosen->plan.size() == 1 ? "" : "s", chosen->cost, reset,
                d.optimal ? "" : " (satisficing: may not be optimal)");
    for (std::size_t i = 0; i < chosen->plan.size(); ++i) {
      const auto& s = chosen->plan[i];
      const bool approval = w.actions[s.action].approval;
      std::printf("  %2zu. %s%-48s%s cost %d%s%s%s\n", i + 1, bold, s.name.c_str(), reset, s.cost, yellow,
                  approval ? "  [needs approval]" : "", reset);
      if (i < view.steps.size() && !view.steps[i].changes.empty()) {
        std::string changes;
        for (const auto& c : view.steps[i].changes) changes += (changes.empty() ? "" : ", ") + c.text;
        std::printf("      %s-> %s%s\n", dim, changes.c_str(), reset);
      }
    }
  } else if (d.status == exec::GoalStatus::satisfied) {
    std::printf("%snothing to do:%s every relevant goal is met\n", green, reset);
  } else if (d.status == exec::GoalStatus::unknown) {
    std::printf("%sfacts unknown:%s sensors failed to read facts that a relevant goal needs\n", red, reset);
  } else {
    std::printf("%sno plan:%s %s\n", red, reset,
                d.status != exec::GoalStatus::limit ? "no relevant goal can be reached"
                : d.grounding_limit.empty()         ? "a search limit was hit"
                                                    : "grounding hit a limit");
    std::printf("%s  'goap explain' says why%s\n", dim, reset);
  }
  std::printf("%sgoals:%s\n", dim, reset);
  for (const auto& g : d.goals) {
    const bool failed = g.status == exec::GoalStatus::unsolvable || g.status == exec::GoalStatus::limit ||
                        g.status == exec::GoalStatus::unknown;
    std::printf("%s  %-26s %s%-10s%s", dim, w.goal(g.goal).name.c_str(), failed ? red : "", exec::to_string(g.status),
                failed ? dim : "");
    if (g.status == exec::GoalStatus::plan) std::printf(" cost %lld", g.cost);
    if (!g.reason.empty()) std::printf(" (%s)", g.reason.c_str());
    std::printf("%s\n", reset);
  }
  std::printf("%ssearch: %s + %s, %llu expanded, %llu generated, %.1f ms%s\n", dim, d.algorithm.c_str(), d.heuristic.c_str(),
              static_cast<unsigned long long>(view.stats.expanded), static_cast<unsigned long long>(view.stats.generated),
              d.total_ms, reset);
  if (!view.search_tree.empty()) {
    // The tree as the search built it: children under their parent, in expansion order.
    std::printf("%sfirst %zu search nodes (g: cost so far, h: estimate to go):%s\n", bold, view.search_tree.size(), reset);
    std::vector<int> depth_of_state;
    for (const exec::TraceNode& n : view.search_tree) {
      int depth = 0;
      if (n.parent >= 0 && static_cast<std::size_t>(n.parent) < depth_of_state.size() && depth_of_state[static_cast<std::size_t>(n.parent)] >= 0)
        depth = depth_of_state[static_cast<std::size_t>(n.parent)] + 1;
      if (depth_of_state.size() <= n.state) depth_of_state.resize(n.state + 1, -1);
      depth_of_state[n.state] = depth;
      std::printf("  %4llu %*s%s s%u  g=%lld h=%d f=%lld%s%s\n", static_cast<unsigned long long>(n.order + 1), depth * 2, "",
                  n.via.empty() ? "(start)" : n.via.c_str(), n.state, static_cast<long long>(n.g), n.h,
                  static_cast<long long>(n.g + n.h), n.is_goal ? green : "", n.is_goal ? "  goal" : "");
      if (n.is_goal) std::printf("%s", reset);
    }
  }
}

// `--quiet`: the plan's ground actions, one a line (`next`: the one to do now); nothing else.
void print_quiet(const exec::Decision& d, bool is_next) {
  if (d.chosen < 0) return;
  const exec::GoalOutcome& g = d.goals[static_cast<std::size_t>(d.chosen)];
  for (const auto& s : g.plan) {
    std::printf("%s\n", s.name.c_str());
    if (is_next) break;
  }
}

}  // namespace

int run_plan(const PlanOptions& o, const CommonOptions& common) {
  auto in = read_input(o.world, o.state_file, o.set_lines, common);
  if (!in) return kInvalidInput;
  std::vector<exec::UnknownFact> unknown;
  if (o.sense && !sense_into(o.world, in->world, in->state, o.sensors_files, o.plugin_dirs, common, o.sense_jobs, unknown))
    return kInvalidInput;
  exec::PlannerOptions po = planner_options(o);
  po.unknown = exec::terms_of(unknown);
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
  po.trace_expansions = o.search_tree;
  exec::PlanningError err;
  auto d = exec::decide(in->world, in->state, po, &err);
  if (!d) {
    std::fprintf(stderr, "goap: error: %s\n", err.message.c_str());
    return kInvalidInput;
  }
  if (!d->grounding_limit.empty()) report_grounding_limit(d->grounding_limit);
  if (o.quiet) {
    print_quiet(*d, o.is_next);
  } else if (o.format == "json" || o.is_next) {
    // --commands: each step as its plugin describes it (GOAP_OP_DESCRIBE; nothing is carried out).
    std::vector<std::vector<std::string>> commands;
    if (o.commands && d->chosen >= 0) {
      const auto plugins = load_plugins(o.plugin_dirs, true);
      exec::PluginFleet fleet(plugins, {});
      for (const auto& s : d->goals[static_cast<std::size_t>(d->chosen)].plan)
        commands.push_back(exec::step_commands(in->world, s, plugins, fleet));
    }
    json doc = decision_json(in->world, in->state, *d, o.is_next, commands);
    if (o.sense) doc["unknown"] = unknown_json(in->world, unknown);
    if (o.search_tree > 0 && d->chosen >= 0) doc["search_tree"] = trace_json(d->goals[static_cast<std::size_t>(d->chosen)].trace);
    else if (o.search_tree > 0 && d->goals.size() == 1) doc["search_tree"] = trace_json(d->goals.front().trace);
    std::printf("%s\n", doc.dump(2).c_str());
  } else {
    const exporting::PlanView view = exporting::make_plan_view(in->world, in->state, *d);
    if (o.format == "dot") {
      std::fputs(exporting::plan_to_dot(view).c_str(), stdout);
    } else if (o.format == "mermaid") {
      std::fputs(exporting::plan_to_mermaid(view).c_str(), stdout);
    } else if (o.format == "html") {
      const std::string dot = exporting::plan_to_dot(view);
      exporting::GraphvizRenderer graphviz;
      std::fputs(exporting::plan_to_html(view, dot, graphviz.render(dot)).c_str(), stdout);
    } else {
      print_text(in->world, *d, view, isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr);
    }
  }
  return exit_code(d->status);
}

}  // namespace goap::cli
