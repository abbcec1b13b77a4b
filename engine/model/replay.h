// An independent plan validator at the level of the lifted model.
//
// Replays a plan (action names and object arguments) from a state, checking every argument's
// type, every precondition, that every int stays in its range, and finally the goal; recomputes
// the cost. It shares no code with grounding or search, so it can check them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/world.h"

namespace goap::model {

struct ReplayStep {
  std::string action;
  std::vector<std::pair<std::string, std::string>> args;  // parameter name -> object name
};

struct ReplayResult {
  bool ok = false;
  std::string error;        // what failed, in the author's terms
  std::size_t failed_step = 0;  // 1-based; 0 when the goal check failed or all is well
  long long cost = 0;
  State final_state;
};

ReplayResult replay(const World& world, const State& initial, const std::vector<ReplayStep>& plan);

// True when every wanted condition of `goal` holds in `state` for every forall binding
// (`when` is ignored: this is what the plan was for). `unmet` names the first that fails.
bool goal_holds(const World& world, GoalId goal, const State& state, std::string* unmet = nullptr);

}  // namespace goap::model
