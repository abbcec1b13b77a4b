// The plan as pictures see it: one neutral description that DOT, Mermaid and HTML all draw from.
//
//   PlanView
//   ├─ summary   world, goal, status, cost, search configuration
//   ├─ wanted    the goal's wanted conditions, ground, and whether each holds at the start / end
//   ├─ states    states[0] is the start; states[i + 1] is the state after steps[i]
//   ├─ steps     each ground action with its cost, approval flag and the facts it changed
//   ├─ goals     every goal the planner considered, most important first (as `goap plan` lists them)
//   └─ stats     search and grounding statistics; the search tree when it was recorded
//
// The state changes come from replaying the plan on the lifted model (every effect of the action,
// bound to its arguments, applied at once from the state before), not from the search's packed
// states: a picture shows what the author wrote, in the author's names.
//
// Everything here is plain strings and numbers: the renderers know nothing about the model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "exec/goal_planner.h"
#include "model/world.h"

namespace goap::exporting {

struct FactChange {
  std::string fact;    // "reachable(hermes-vps)"
  std::string before;  // "false"
  std::string after;   // "true"
  // The state-line form of the new value: "reachable(hermes-vps)", "not data_present(x)", "n = 2".
  std::string text;
};

struct StepView {
  std::string action;  // "rebuild-vps"
  std::string name;    // "rebuild-vps(hermes-vps)"
  int cost = 0;
  bool approval = false;  // the action is never executed without an explicit approval
  std::string doc;        // the action's `doc:`, if any
  std::vector<FactChange> changes;  // in effect order; an effect that changes nothing is left out
};

struct WantedView {
  std::string text;  // "data_present(hermes-vps)", "ollama_restarts < 3"
  bool at_start = false;
  bool at_end = false;
};

struct StateView {
  std::vector<FactChange> changed;  // what the step into this state changed (empty for the start)
  bool is_goal = false;             // the last state of a plan: every wanted condition holds
};

struct GoalRow {
  std::string name;
  int priority = 0;
  std::string status;  // inactive | satisfied | plan | unsolvable | limit
  long long cost = -1;  // plan only
  std::size_t steps = 0;
  std::string reason;
  bool chosen = false;
};

struct StatsView {
  std::uint64_t expanded = 0, generated = 0;  // summed over the goals planned
  std::size_t states = 0;
  double search_ms = 0, total_ms = 0, ground_ms = 0;
  std::uint64_t operators = 0;
  std::size_t variables = 0;
};

struct PlanView {
  std::string world;
  std::string status;  // plan | satisfied | unsolvable | limit
  std::string goal;    // the chosen goal; empty when none
  int priority = 0;
  std::string goal_doc;
  long long cost = 0;
  bool optimal = true;
  std::string algorithm, heuristic;
  std::vector<WantedView> wanted;
  std::vector<StateView> states;  // steps.size() + 1 when there is a plan, else just the start
  std::vector<StepView> steps;
  std::vector<GoalRow> goals;
  StatsView stats;
  std::vector<exec::TraceNode> search_tree;  // the chosen (or only) goal's, when recorded
  // No plan for the goal shown: the missing pieces explain.h finds ("no action makes
  // backup_fresh(hermes-vps) true, and the state has it false"); empty otherwise.
  std::vector<std::string> missing;
};

// Builds the view of `decision`, planned from `state`.
PlanView make_plan_view(const model::World& world, const model::State& state, const exec::Decision& decision);

// Display helpers shared by the renderers and `goap explain`.
// A ground condition as the author writes it: "not data_present(hermes-vps)", "ollama_restarts < 3".
std::string ground_condition_text(const model::World& world, const model::GroundTerm& term, const model::Condition& c);
// A ground wanted condition (fact, allowed domain indices) as the author would write it:
// "data_present(hermes-vps)", "not x", "llm_provider = ollama", "n >= 2", "n in {0, 2}".
std::string wanted_text(const model::World& world, const model::GroundTerm& term, const std::vector<std::uint32_t>& allowed);
// Applies an action's effects, bound to `args`, to `state` (all at once) and reports what changed.
std::vector<FactChange> apply_action(const model::World& world, const model::Action& action,
                                     const std::vector<model::ObjectId>& args, model::State& state);

}  // namespace goap::exporting
