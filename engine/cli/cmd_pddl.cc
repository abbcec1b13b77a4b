// `goap pddl DOMAIN PROBLEM`: read PDDL (engine/pddl), ground, search, write an IPC plan.
// solve_pddl (cli/pddl_solve.h) is the pipeline; run_pddl prints its answer. `goap batch` reuses it.
//
// The pipeline on one screen: parse -> ground (relaxed reachability) -> the goal's task (backward
// relevance) -> one search -> validate twice (search::validate_plan on the task, model::replay on
// the lifted model, which share no code with grounding or search) -> print.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/commands.h"
#include "cli/input.h"
#include "cli/pddl_solve.h"
#include "ground/grounder.h"
#include "heuristics/factory.h"
#include "model/replay.h"
#include "pddl/reader.h"
#include "search/evaluation_helper.h"
#include "search/search.h"

namespace goap::cli {
namespace {

using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

double round3(double ms) { return static_cast<double>(static_cast<long long>(ms * 1000.0 + 0.5)) / 1000.0; }

// "(pick-up b)" with the PDDL names, lower-cased.
std::string ipc_step(const pddl::PddlTask& t, const ground::Operator& op) {
  std::string s = "(" + t.action_names[op.action];
  for (std::uint32_t o : op.args) s += " " + t.object_names[o];
  return s + ")";
}

// Replays the plan on the lifted model and checks the goal: independent of grounding and search.
std::string replay_check(const model::World& w, const model::State& initial, const ground::Task& task,
                         const search::Plan& plan) {
  std::vector<model::ReplayStep> steps;
  for (ground::OpId id : plan.steps) {
    const ground::Operator& op = task.operators[id.index()];
    const model::Action& a = w.actions[op.action];
    model::ReplayStep s{a.name, {}};
    for (std::size_t i = 0; i < a.params.size(); ++i) s.args.emplace_back(a.params[i].name, w.objects[op.args[i]].name);
    steps.push_back(std::move(s));
  }
  const model::ReplayResult r = model::replay(w, initial, steps);
  if (!r.ok) return r.error;
  if (r.cost != plan.cost) return "the replayed cost is " + std::to_string(r.cost) + ", the search's " + std::to_string(plan.cost);
  std::string unmet;
  if (!model::goal_holds(w, model::GoalId::from(0), r.final_state, &unmet)) return "the goal does not hold at the end: " + unmet;
  return {};
}

}  // namespace

PddlSolved solve_pddl(const PddlOptions& o, const CommonOptions& common) {
  PddlSolved out;
  const auto start = Clock::now();
  core::SourceManager sm;
  core::Diagnostics diags;
  // pddl::load_pddl reads both files through core::read_input_file: regular files only, never
  // blocking, so a FIFO named by one request cannot hold `goap batch` (or `goap pddl`).
  auto task = pddl::load_pddl(o.domain, o.problem, sm, diags);
  out.errors = core::render_all(diags, sm, core::RenderOptions{common.color});
  if (!task) return out;
  out.parse_ms = ms_since(start);

  const model::World& w = task->world;
  const model::State initial = w.initial_state();
  out.domain_name = task->domain_name;
  out.problem_name = task->problem_name;
  out.general_cost = task->general_cost;
  const auto ground_start = Clock::now();
  // Grounding, the goal's task, mutex groups and symmetries share one budget: the search's limits.
  ground::GroundingLimits glimits;
  glimits.max_ms = o.max_ms;
  glimits.max_memory_bytes = static_cast<std::size_t>(o.max_memory_mb) << 20;
  ground::Budget budget(glimits);
  ground::GroundingError gerr;
  std::optional<ground::Domain> domain;
  ground::GoalInstance goal;
  ground::GoalTask gt;
  std::vector<model::GroundTerm> terms;
  ground::MergeOrigin origin;
  bool merged = false;
  try {
    domain = ground::ground_domain(w, initial, &gerr, &budget);
    if (!domain) {
      out.errors += "goap: error: " + gerr.message + "\n";
      return out;
    }
    out.grounding = domain->stats;
    goal = ground::instantiate_goal(w, model::GoalId::from(0), initial, true, budget);
    gt = ground::make_goal_task(w, *domain, goal, budget);
    // The ground fact behind each variable, for the mutex groups and the symmetries.
    for (std::uint32_t dv : gt.domain_var) terms.push_back(domain->var_terms[dv]);
    merged = o.mutex_groups && !gt.statically_unsolvable;
    if (merged) {
      // Mutually exclusive facts become one variable: smaller states, and no operator that asks
      // for two of them at once (the relaxation heuristics would use those).
      const auto mutex_start = Clock::now();
      ground::VariableFacts facts(gt.task.variables.size());
      for (std::size_t v = 0; v < facts.size(); ++v)
        if (w.facts[terms[v].fact.index()].kind == model::ValueKind::boolean) facts[v] = terms[v];
      const auto groups = ground::find_mutex_groups(gt.task, facts, &out.mutex, 2000, &budget);
      gt.task = ground::merge_mutex_groups(gt.task, groups, &out.mutex, &origin);
      gt.domain_var.clear();  // no longer one domain variable per task variable
      out.mutex.ms = ms_since(mutex_start);
    }
  } catch (const ground::LimitExceeded& e) {
    out.loaded = true;
    out.status = "limit";
    out.reason = e.message;
    out.ground_ms = ms_since(ground_start);
    return out;
  }
  out.loaded = true;
  out.ground_ms = ms_since(ground_start);
  out.operators = gt.task.operators.size();
  out.variables = gt.task.variables.size();

  out.heuristic = !o.heuristic.empty() ? o.heuristic : (o.search == "astar" ? "lmcut" : "ff");
  // Greedy searches use h_FF's preferred operators (the other heuristics prefer none).
  const bool preferred = out.heuristic == "ff";
  // A* defers evaluation (a state is evaluated when popped) unless told not to, or the
  // heuristic is blind: there every evaluation is free and deferring only queues states twice.
  out.deferred = o.search == "astar" && !o.eager && out.heuristic != "blind";
  search::SearchConfig config = o.search == "astar"       ? search::SearchConfig::astar(out.deferred)
                                : o.search == "lazy-gbfs" ? search::SearchConfig::lazy_greedy(preferred)
                                                          : search::SearchConfig::greedy(preferred);
  // A* with an informed heuristic prunes with stubborn sets and searches over canonical states
  // unless told not to. Not with blind (see below), nor lazy greedy search (no symmetries there).
  const bool informed_astar = o.search == "astar" && out.heuristic != "blind";
  // Callers reject an explicit `object` with lazy-gbfs (symmetry_conflict).
  out.symmetry = o.search == "lazy-gbfs" ? "none" : !o.symmetry.empty() ? o.symmetry : informed_astar ? "object" : "none";
  ground::ObjectSymmetries symmetries;
  if (out.symmetry == "object" && !gt.statically_unsolvable) {
    std::vector<ground::VarFacts> var_facts;
    if (merged) {
      var_facts = ground::merged_variable_facts(terms, origin);
    } else {
      for (const model::GroundTerm& t : terms) var_facts.push_back(ground::VarFacts{false, {t}});
    }
    try {
      symmetries = ground::find_object_symmetries(gt.task, var_facts, w.objects.size(), &out.symmetries, 20000, &budget);
    } catch (const ground::LimitExceeded& e) {
      out.status = "limit";
      out.reason = e.message;
      return out;
    }
  }
  // A* prunes with stubborn sets unless told not to, or the heuristic is blind: blind A* expands
  // every state below the optimal cost, and most stay reachable by some other order (elevators
  // p03: 668,050 -> 649,903 expansions for twice the time per expansion).
  out.pruning = !o.pruning.empty() ? o.pruning : informed_astar ? "stubborn-sets" : "none";
  // Deferred A* evaluates a popped state from its parent's memo (incremental LM-cut: the parent's
  // landmarks its operator leaves intact, then cuts for the rest) unless told not to. On the
  // benchmark set (A* + LM-cut, 67 instances, one thread) search time fell from 76.9 s to 16.7 s.
  config.incremental = out.deferred && !o.no_incremental;
  config.stubborn_sets = out.pruning == "stubborn-sets";
  config.symmetries = &symmetries;
  search::SearchLimits limits;
  limits.max_expansions = static_cast<std::uint64_t>(o.max_expansions);
  limits.max_ms = o.max_ms;
  limits.max_memory_bytes = static_cast<std::size_t>(o.max_memory_mb) << 20;

  search::Plan plan;
  if (goal.status == ground::GoalInstance::Status::satisfied) {
    out.status = "satisfied";
  } else if (gt.statically_unsolvable) {
    out.status = "unsolvable";
    out.reason = gt.unsolvable_reason;
  } else {
    auto h = heuristics::make_heuristic(out.heuristic, gt.task);
    out.incremental = config.incremental && h->incremental();
    const int threads = o.threads != 0 ? o.threads : search::EvaluationHelper::available_cpus() >= 2 ? 2 : 1;
    std::unique_ptr<search::Heuristic> helper_h;  // before the searcher, whose helper borrows it
    if (out.deferred && threads >= 2) {
      helper_h = heuristics::make_heuristic(out.heuristic, gt.task);
      config.helper_heuristic = helper_h.get();
    }
    search::Searcher searcher(gt.task);
    const search::SearchResult* result = nullptr;
    try {
      result = &searcher.solve(*h, config, limits);
    } catch (const std::bad_alloc&) {
      out.status = "limit";
      out.reason = "memory limit: an allocation failed during the search";
      return out;
    }
    const search::SearchResult& r = *result;
    out.stats = r.stats;
    switch (r.status) {
      case search::SearchStatus::solved: out.status = "plan"; plan = r.plan; break;
      case search::SearchStatus::unsolvable: out.status = "unsolvable"; break;
      case search::SearchStatus::limit:
        out.status = "limit";
        out.reason = std::string(search::to_string(r.limit)) + " limit hit after " + std::to_string(r.stats.expanded) + " expansions";
        break;
    }
  }
  if (out.status == "plan") {
    // Bugs are checks that stay on: a plan that fails either validator is never printed.
    std::string bad = search::validate_plan(gt.task, plan);
    if (bad.empty()) bad = replay_check(w, initial, gt.task, plan);
    if (!bad.empty()) {
      out.internal_error = true;
      out.errors += "goap: internal error: the plan found does not validate: " + bad + "\n";
      return out;
    }
  }
  out.cost = plan.cost;
  for (ground::OpId id : plan.steps) out.plan.push_back(ipc_step(*task, gt.task.operators[id.index()]));
  return out;
}

std::string symmetry_conflict(const PddlOptions& o) {
  if (o.search == "lazy-gbfs" && o.symmetry == "object")
    return "--symmetry object needs --search astar or gbfs: lazy-gbfs creates states from pending operators, "
           "which canonical states would not match";
  return {};
}

int run_pddl(const PddlOptions& o, const CommonOptions& common) {
  const auto start = Clock::now();
  if (const std::string conflict = symmetry_conflict(o); !conflict.empty()) {
    std::fprintf(stderr, "goap: error: %s\n", conflict.c_str());
    return kUsage;
  }
  const PddlSolved r = solve_pddl(o, common);
  std::fputs(r.errors.c_str(), stderr);
  if (r.internal_error) return kInternal;
  if (!r.loaded) return kInvalidInput;
  const std::string& status = r.status;
  const std::string& reason = r.reason;
  const std::string& heuristic = r.heuristic;
  const search::SearchStats& stats = r.stats;
  const std::vector<std::string>& lines = r.plan;

  const char* cost_kind = r.general_cost ? "general cost" : "unit cost";
  std::string ipc;
  for (const std::string& l : lines) ipc += l + "\n";
  ipc += "; cost = " + std::to_string(r.cost) + " (" + cost_kind + ")\n";
  const bool solved = status == "plan" || status == "satisfied";

  if (solved && !o.plan_file.empty()) {
    std::ofstream out(o.plan_file, std::ios::binary);
    if (!(out << ipc) || !(out.flush())) {
      std::fprintf(stderr, "goap: error: cannot write '%s'\n", o.plan_file.c_str());
      return kUsage;
    }
  }
  if (o.json) {
    json j;
    j["format_version"] = 1;
    j["status"] = status;
    j["domain"] = r.domain_name;
    j["problem"] = r.problem_name;
    j["cost"] = solved ? json(r.cost) : json(nullptr);
    j["cost_kind"] = cost_kind;
    j["plan_length"] = solved ? json(lines.size()) : json(nullptr);
    j["plan"] = lines;
    if (!reason.empty()) j["reason"] = reason;
    j["search"] = json{{"algorithm", o.search},
                       {"heuristic", heuristic},
                       {"optimal", o.search == "astar" && heuristic != "ff" && heuristic != "add"},
                       {"evaluation", o.search == "lazy-gbfs" || r.deferred ? "deferred" : "eager"},
                       {"incremental", r.incremental},
                       {"pruning", r.pruning},
                       {"symmetry", r.symmetry}};
    j["stats"] = json{{"expanded", stats.expanded},
                      {"generated", stats.generated},
                      {"evaluated", stats.evaluated},
                      {"evaluated_ahead", stats.evaluated_ahead},
                      {"evaluated_incremental", stats.evaluated_incremental},
                      {"refreshed", stats.refreshed},
                      {"refresh_raised", stats.refresh_raised},
                      {"refresh_off", stats.refresh_off},
                      {"pruned", stats.pruned},
                      {"pruning_off", stats.pruning_off},
                      {"states", stats.states},
                      {"initial_h", stats.initial_h},
                      {"parse_ms", round3(r.parse_ms)},
                      {"ground_ms", round3(r.ground_ms)},
                      {"search_ms", round3(stats.elapsed_ms)},
                      {"total_ms", round3(ms_since(start))},
                      {"operators", r.operators},
                      {"variables", r.variables},
                      {"bytes_per_state", stats.bytes_per_state},
                      {"memory_bytes", stats.memory_bytes},
                      {"grounded_bindings", r.grounding.bindings},
                      {"reachable_operators", r.grounding.operators_kept},
                      {"mutex_groups", r.mutex.groups},
                      {"merged_variables", r.mutex.merged_vars},
                      {"dead_operators", r.mutex.dead_operators},
                      {"symmetric_objects", r.symmetries.objects},
                      {"symmetry_generators", r.symmetries.generators},
                      {"symmetry_ms", round3(r.symmetries.ms)}};
    std::printf("%s\n", j.dump(2).c_str());
  } else if (solved && o.plan_file.empty()) {
    std::fputs(ipc.c_str(), stdout);
  }
  if (status == "limit") std::fprintf(stderr, "goap: no plan: %s\n", reason.c_str());
  if (status == "unsolvable")
    std::fprintf(stderr, "goap: no plan exists%s%s\n", reason.empty() ? "" : ": ", reason.c_str());
  if (solved) return kOk;
  return status == "limit" ? kLimit : kNoPlan;
}

}  // namespace goap::cli
