// Authoring warnings for `goap check`: things that load fine but are almost surely mistakes.
//
//   - a fact that no condition reads and no effect writes;
//   - an action that can never apply: one of its preconditions needs a value that neither the
//     state nor any applicable action can produce (a lifted, delete-free reachability fixpoint that
//     ignores arguments, so it never warns about something that could happen);
//   - a goal whose wanted condition no state and no applicable action provides;
//   - an action or a goal with more than kManyGroundInstances ground instances (estimated as in
//     model/grounding_size.h): its grounding will be slow or hit the planner's limits.
#pragma once

#include "core/diag.h"
#include "model/world.h"

namespace goap::model {

// Ground instances of one action or goal past which `goap check` warns.
inline constexpr double kManyGroundInstances = 1'000'000;

void lint_world(const World& world, core::Diagnostics& diags);

}  // namespace goap::model
