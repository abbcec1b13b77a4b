// Lifted relaxed reachability: which action bindings can ever fire, found without enumerating
// every type-correct binding.
//
// A Datalog-style fixpoint over the *positive bool atoms* (`f(a, b)` true). Starting from the
// atoms true in the state, an action binding fires in the relaxation when every positive bool
// precondition is a reached atom; its bool add effects are then reached too. Everything else is
// relaxed away: deletes, negative conditions on fluent facts, int and enum conditions on fluent
// facts. Static conditions of any kind (their value is fixed by the state), PDDL equality
// relations and undefined PDDL costs are checked exactly once a binding is complete.
//
// Each binding is found once, when the last of its precondition atoms is processed (semi-naive
// evaluation): the new atom is matched against one precondition and joined with the atoms already
// processed for the others, most selective precondition first, through an index by
// (fact, argument position, object). Parameters that occur in no positive bool precondition are
// enumerated over their type.
//
// The result is a superset of the bindings whose operators survive ground relaxed reachability
// (grounder.cc's prune_unreachable, which checks every condition), and a subset of the
// type-correct bindings that pass the static checks. Bindings are sorted lexicographically by
// object id, which is the order the plain nested enumeration over objects would produce, so the
// grounded task does not depend on which enumeration found them.
//
// Limits (budget.h): every join and enumeration step ticks the budget and every binding and atom
// kept is charged to it. Before enumerating, each action's count is estimated
// (model/grounding_size.h); when that estimate is exact and its bindings would not fit in the
// memory limit, the action is refused before any is built. A
// LimitExceeded (or std::bad_alloc) leaves with a message naming the action and its estimate.
#pragma once

#include <string>
#include <vector>

#include "ground/budget.h"
#include "model/grounding_size.h"
#include "model/world.h"

namespace goap::ground {

using Binding = std::vector<model::ObjectId>;

// By action: its reachable bindings (each a full binding in parameter order), sorted, unique.
// `fluent[f]` is true when some action writes fact f.
// Throws LimitExceeded when `budget` runs out (see above).
std::vector<std::vector<Binding>> reachable_bindings(const model::World& world, const model::State& state,
                                                     const std::vector<bool>& fluent, Budget& budget);

// "grounding action 'move($a, $b)' would create about 3,600 ground actions (60 x 60 bindings)".
std::string action_estimate_text(const model::World& world, std::size_t ai, const model::BindingEstimate& estimate);

}  // namespace goap::ground
