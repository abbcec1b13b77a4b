// The grounded task: what the search and the heuristics see.
//
// Grounding (ground/grounder.h) turns the lifted model (model/world.h) into a finite-domain
// (SAS+) task for one initial state and one goal:
//   - a *variable* is one ground fact that can change, e.g. `ollama_api_ok(hermes-vps)`; its values
//     are 0..domain-1 (bool: 0 false / 1 true; enum: the value's index; int[lo..hi]: value - lo);
//   - an *operator* is one ground action, already split so that every precondition and effect is
//     a plain `var = value` atom: a condition such as `n < 3` or an effect `n += 1` becomes one
//     operator per admissible value of n. Split operators of one action binding are mutually
//     exclusive in every state, so they never produce duplicate successors;
//   - the goal is a conjunction of `var in {values}` conditions (most have a single value).
// Facts that no reachable operator changes are folded away: they are not variables.
//
// Invariants (checked by Task::validate in debug and by the grounder's tests):
//   - every pre/eff atom names an existing variable and a value < its domain;
//   - an operator has at most one precondition and one effect per variable, sorted by variable;
//   - goal conditions are sorted by variable, values sorted and unique, at most one per variable.
// The task owns everything; search and heuristics hold `const Task&` for their lifetime.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"

namespace goap::ground {

using VarId = core::StrongId<struct VarTag>;
using OpId = core::StrongId<struct OpTag>;

struct VarVal {
  std::uint32_t var;    // index into Task::variables
  std::uint32_t value;  // 0..domain-1
  friend bool operator==(const VarVal&, const VarVal&) = default;
};

struct Variable {
  std::string name;                      // e.g. "ollama_api_ok(hermes-vps)"
  std::uint32_t domain = 2;              // number of values
  std::vector<std::string> value_names;  // value_names[v] for display: "false"/"true", enum names, ints
};

struct Operator {
  std::string name;            // e.g. "restart-ollama(hermes-vps)"; for display and plans
  std::uint32_t action = 0;    // index of the lifted action in the model (model::ActionId)
  std::vector<std::uint32_t> args;  // object indices bound to the action's parameters, in order
  std::vector<VarVal> pre;     // sorted by var
  std::vector<VarVal> eff;     // sorted by var
  int cost = 1;                // >= 0
};

struct GoalCondition {
  std::uint32_t var;
  std::vector<std::uint32_t> values;  // allowed values, sorted, non-empty
};

struct Task {
  std::vector<Variable> variables;
  std::vector<Operator> operators;
  std::vector<std::uint32_t> initial;   // one value per variable
  std::vector<GoalCondition> goal;      // empty goal: already satisfied

  // True when `state` (one value per variable) satisfies every goal condition.
  [[nodiscard]] bool is_goal(const std::uint32_t* state) const;
  // True when every precondition of `op` holds in `state`.
  [[nodiscard]] bool applicable(const Operator& op, const std::uint32_t* state) const;
  // An empty string when the invariants above hold, else what is wrong.
  [[nodiscard]] std::string validate() const;
};

}  // namespace goap::ground
