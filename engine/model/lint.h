// Authoring warnings for `goap check`: things that load fine but are almost surely mistakes.
//
//   - a fact that no condition reads and no effect writes;
//   - an action that can never apply: one of its preconditions needs a value that neither the
//     state nor any applicable action can produce (a lifted, delete-free reachability fixpoint that
//     ignores arguments, so it never warns about something that could happen);
//   - a goal whose wanted condition no state and no applicable action provides.
#pragma once

#include "core/diag.h"
#include "model/world.h"

namespace goap::model {

void lint_world(const World& world, core::Diagnostics& diags);

}  // namespace goap::model
