// Explanations in the author's terms, for `goap explain`.
//
// Why a goal has no plan (analyse_relaxed):
//   A relaxed reachability walk at the ground level, named at the lifted level: every action is
//   bound to every type-correct binding of its parameters (as the grounder does, but without its
//   pruning, so that what it would prune can be named), delete effects are ignored, and an int
//   effect only reaches values inside the fact's range. From the current state it computes every
//   (ground fact, value) some sequence of actions could reach. A wanted condition outside that set
//   can never hold; for each one it records the ground actions that would make it hold and which
//   of their preconditions stay unreachable, recursively (kMaxDepth levels). The *missing pieces*
//   are the unreachable conditions that no action could make hold at all: "no action makes
//   backup_fresh(hermes-vps) true, and the state has it false".
//   Bindings of one action compete: those held back by a precondition on a *static* fact (one no
//   action writes) while another binding of the same action is held back by fewer are the world's
//   layout ruling them out (restart-agent(ezra, hermes-vps) while ezra lives on allegro-vps):
//   counted, not explored. A static fact that holds back every binding alike is followed.
//   When every wanted condition is reachable in the relaxation, the obstacle is an interaction
//   (actions undo what others need); drop_one_wanted says which wanted conditions, left out one at
//   a time, leave a goal that has a plan.
//
// What a plan relies on (explain_plan):
//   Causal links on the lifted model: the plan is replayed from the state, and every precondition
//   of a step and every wanted condition is attributed to the last earlier step that changed its
//   fact, or to the start. A step that makes false something a later consumer needs, which a later
//   step then restores, is reported too (rebuild-vps clears operator_notified; notify-operator
//   restores it for the goal).
//
// Everything is deterministic: actions, bindings, goals and steps keep declaration / plan order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "exec/goal_planner.h"
#include "model/world.h"

namespace goap::exporting {

// ---- why no plan ---------------------------------------------------------------------------

struct Unreachable {
  std::string condition;  // "backup_fresh(hermes-vps)", "ollama_restarts < 3"
  std::string fact;       // "backup_fresh(hermes-vps)"
  std::string now;        // the fact's value in the state: "false", "3"
  bool is_bool = true;
  bool wants_true = true;  // bool only: the condition asks for true
  bool external = false;   // the environment may change the fact (FactDecl::external)
  bool is_static = false;  // no (remaining) action writes the fact at all
  struct Producer {
    std::string action;                // ground: "rebuild-vps(hermes-vps)"
    std::vector<std::size_t> blocked;  // its unreachable preconditions: indices into RelaxedAnalysis::nodes
  };
  std::vector<Producer> producers;  // could make the condition hold, held back by unreachable preconditions
  // Producers ruled out by the world's layout: a precondition on a static fact has the wrong value.
  std::size_t ruled_out = 0;
  std::vector<std::string> ruled_out_examples;  // "restart-agent(ezra, hermes-vps) needs hosts_agent(hermes-vps, ezra)"
  bool explored = false;  // false: below the depth limit, its producers were not looked at
};

struct RelaxedAnalysis {
  std::vector<Unreachable> nodes;           // every unreachable condition looked at, in discovery order
  std::vector<std::size_t> wanted;          // the goal's wanted conditions that stay unreachable (node ids)
  std::vector<std::size_t> missing;         // missing pieces: explored nodes that nothing can make hold
  std::size_t wanted_total = 0;             // wanted conditions of the goal (active bindings)
  std::size_t bindings = 0;                 // ground actions considered
  bool truncated = false;                   // too many bindings: the analysis looked at the first kMaxBindings
};

inline constexpr int kMaxDepth = 8;
inline constexpr std::size_t kMaxBindings = 200'000;

// `without`: action names or ground action names left out, as for PlannerOptions::without.
RelaxedAnalysis analyse_relaxed(const model::World& world, const model::State& state, model::GoalId goal,
                                const std::vector<std::string>& without = {});

// The sentence for a missing piece: "no action makes backup_fresh(hermes-vps) true, and the state
// has it false".
std::string missing_piece_text(const Unreachable& u);

struct DropOne {
  std::string wanted;   // the wanted condition left out
  bool solvable = false;
  long long cost = 0;   // when solvable
};

// For a goal with no plan although the relaxation reaches every wanted condition: plans the goal
// again with each wanted condition left out in turn (at most 16, each search capped at
// max_expansions). Conditions already true at the start are skipped.
std::vector<DropOne> drop_one_wanted(const model::World& world, const model::State& state, model::GoalId goal,
                                     const std::vector<std::string>& without, std::uint64_t max_expansions = 200'000);

// ---- what a plan relies on -------------------------------------------------------------------

inline constexpr int kGoalConsumer = 0;  // in consumer lists: the goal itself; steps are 1-based

struct Link {
  std::string condition;        // "reachable(hermes-vps)"
  std::vector<int> consumers;   // step numbers (1-based), kGoalConsumer for the goal; ascending, goal last
};

struct Undo {
  std::string condition;      // what the step made false: "operator_notified"
  std::vector<int> needed_by; // consumers that need it later (as in Link)
  int restored_by = 0;        // the later step that makes it hold again
};

struct StepExplanation {
  std::string name;  // "rebuild-vps(hermes-vps)"
  int cost = 0;
  bool approval = false;
  std::vector<Link> supports;  // what its effects give to later steps and the goal
  std::vector<Undo> undoes;
  std::vector<int> dependents;  // every later step that relies on it, directly or through others
  bool goal_depends = false;    // the goal relies on it, directly or through later steps
};

struct PlanExplanation {
  std::vector<StepExplanation> steps;
  std::vector<Link> from_start;  // conditions on facts some action could change, held from the start and used
  std::size_t layout_conditions = 0;  // conditions on static facts (the world's layout) also used
};

PlanExplanation explain_plan(const model::World& world, const model::State& state, model::GoalId goal,
                             const std::vector<exec::PlanStep>& plan);

}  // namespace goap::exporting
