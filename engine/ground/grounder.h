// Grounding: the lifted World plus one current state -> finite-domain operators (task.h).
//
// Pipeline (all deterministic: objects, actions and goals keep declaration order):
//   1. A fact is *fluent* when some action effect writes it; every other fact is *static*, its
//      value fixed by the current state.
//   2. Each action is instantiated over the type-correct bindings of its parameters (subtypes
//      included) that pass its static preconditions (and PDDL equality relations) and whose
//      positive bool preconditions are reachable in the lifted relaxation (lifted_reachability.h):
//      bindings that can never fire are not enumerated at all, so grounding scales with the
//      reachable operators rather than with objects^parameters. PDDL costs from static functions
//      are evaluated per binding here (an undefined cost means no operator).
//   3. Each binding becomes one or more SAS+ operators: a condition such as `n < 3` or an effect
//      `n += 1` is split over the values it allows, so every pre/eff is a plain `var = value`
//      (an effect that would leave an int's range is simply not generated: an implicit
//      precondition, FORMAT.md section 3).
//   4. Relaxed reachability from the current state drops operators that can never fire; ground
//      facts with a single reachable value are folded away as constants.
// `Domain` is goal-independent and shared; `make_goal_task` then builds a small Task per goal,
// keeping only operators relevant to it (backward relevance), so goals are planned independently.
//
// Limits: the functions that take a Budget (budget.h) tick and charge it in every loop and throw
// LimitExceeded, its message naming the action or goal being grounded and its estimated count,
// when it runs out or an allocation fails. Without a Budget they have no limits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ground/budget.h"
#include "ground/task.h"
#include "model/world.h"

namespace goap::model {
class HeldFacts;
}

namespace goap::ground {

struct GroundingStats {
  std::uint64_t bindings = 0;       // action bindings that passed the static checks and lifted reachability
  std::uint64_t operators_built = 0;
  std::uint64_t operators_kept = 0;  // after relaxed reachability
  std::size_t variables = 0;
  double ms = 0;
};

// Everything grounded for one current state; shared, read-only, by every goal's task.
struct Domain {
  Task task;                                   // all reachable operators; goal empty
  std::vector<model::GroundTerm> var_terms;    // variable -> ground fact
  std::unordered_map<model::GroundTerm, std::uint32_t, model::GroundTermHash> var_of;
  model::State state;                          // the full current state
  GroundingStats stats;
};

// A maximum on split operators per action binding: beyond it the model is asking for a
// combinatorial blow-up (e.g. `a != x, b != y, c < 900` on wide domains), reported as an error.
inline constexpr std::size_t kMaxSplitsPerBinding = 4096;

struct GroundingError {
  std::string message;
};

// Grounds every action for `state`. Returns an error only for a model that cannot be grounded
// within the documented bounds.
std::optional<Domain> ground_domain(const model::World& world, const model::State& state, GroundingError* error,
                                    Budget* budget = nullptr);

// One goal instantiated for the current state.
struct GoalInstance {
  model::GoalId goal;
  enum class Status { inactive, satisfied, open } status = Status::open;
  // The wanted conditions of the active bindings, ground: (fact, allowed values).
  std::vector<std::pair<model::GroundTerm, std::vector<std::uint32_t>>> want;
  // The wanted conditions of the active bindings whose whole `want` holds now, in the same form:
  // what protection keeps holding (each forall binding on its own; exec/goal_planner.h).
  std::vector<std::pair<model::GroundTerm, std::vector<std::uint32_t>>> holding;
};

// `ignore_when`: plan --goal plans for the goal whatever its `when` says. A `when` condition
// with a `for` holds only when `held` has its evidence (model/held.h); nullptr: none has.
GoalInstance instantiate_goal(const model::World& world, model::GoalId goal, const model::State& state,
                              bool ignore_when, const model::HeldFacts* held = nullptr);
GoalInstance instantiate_goal(const model::World& world, model::GoalId goal, const model::State& state,
                              bool ignore_when, Budget& budget, const model::HeldFacts* held = nullptr);

// Conditions a plan must keep holding in every state it passes through (protected goals,
// exec/goal_planner.h): ground facts with the values they may take.
using Protected = std::vector<std::pair<model::GroundTerm, std::vector<std::uint32_t>>>;

struct GoalTask {
  Task task;
  // Operators left out because they would break a protected condition (see make_goal_task).
  std::size_t operators_protected = 0;
  std::vector<std::uint32_t> domain_var;  // task variable -> Domain variable
  bool statically_unsolvable = false;      // a wanted fact nothing can change has the wrong value
  std::string unsolvable_reason;           // in the author's terms, when statically unsolvable
};

// `keep`: protected conditions, all holding in the domain's state. No state of a plan may break
// one. Since each is `fact in {values}` and the current state satisfies them all, a successor
// breaks one exactly when its operator sets a kept fact to a value outside its set, whatever the
// state: pruning those states is leaving those operators out, which this does before relevance
// (so they pull in nothing). The task is then exactly the constrained problem: A* on it stays
// optimal within the constraint and every heuristic on it stays admissible.
GoalTask make_goal_task(const model::World& world, const Domain& domain, const GoalInstance& goal,
                        const Protected& keep = {});
GoalTask make_goal_task(const model::World& world, const Domain& domain, const GoalInstance& goal, Budget& budget,
                        const Protected& keep = {});

// True when `op` (an operator of domain.task) sets a fact of `keep` to a value it does not allow.
bool breaks(const Domain& domain, const Operator& op, const Protected& keep);

// The bytes one ground operator holds (what grounding charges its Budget for it).
std::size_t operator_bytes(const Operator& op);

}  // namespace goap::ground
