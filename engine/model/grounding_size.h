// How big an action's or a goal's grounding is, estimated from the lifted model before grounding.
//
// An action has one ground instance per type-correct binding of its parameters that passes its
// static preconditions. The estimate is the product of each parameter's candidates after the
// *unary* static preconditions (those naming one parameter: `room($r)`, `not done`): an upper
// bound of what grounding builds, and exact when nothing else can prune a binding (no fluent
// positive precondition, no static precondition relating two parameters, no PDDL equality or
// cost terms). A goal has one instance per binding of its `forall` parameters.
//
// Grounding uses this to refuse an action that cannot fit its memory limit before enumerating
// it (ground/lifted_reachability.h), and `goap check` to warn about an action or goal past
// kManyGroundInstances (model/lint.h). Both name it the same way: action_signature, count_text.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/world.h"

namespace goap::model {

// fluent[f]: some action writes fact f; every other fact keeps its value from the state.
std::vector<bool> fluent_facts(const World& world);

struct BindingEstimate {
  double count = 0;                  // the product of `factors` (0 when a static condition never holds)
  std::vector<std::size_t> factors;  // by parameter: its candidates after the unary static preconditions
  bool exact = false;                // nothing else can prune a binding
};

BindingEstimate estimate_action_bindings(const World& world, const State& state, const std::vector<bool>& fluent,
                                         const Action& action);

// The bindings of a goal's `forall` (1 without one), and each parameter's candidates.
BindingEstimate estimate_goal_bindings(const World& world, const Goal& goal);

// "link($a, $b)" as a YAML author writes it; "mark(?a ?b)" for a PDDL world.
std::string action_signature(const World& world, const Action& action);

// "60 x 60 x 60" (what `factors` multiply to).
std::string factors_text(const std::vector<std::size_t>& factors);

// A count for messages: "1,234,567" below ten million, "4.7e10" above.
std::string count_text(double n);

}  // namespace goap::model
