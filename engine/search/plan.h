// A plan and its independent validator.
//
// A `Plan` is the sequence of grounded operators the search found, in execution order, and its
// cost (the sum of the operators' costs). `validate_plan` replays it from the task's initial state
// with nothing but the Task: it shares no code with the search, so a test that runs every plan
// through it catches a search that returns a wrong or mis-costed plan.
#pragma once

#include <string>
#include <vector>

#include "ground/task.h"

namespace goap::search {

struct Plan {
  std::vector<ground::OpId> steps;
  long long cost = 0;
};

// Empty when `plan` is executable from `task.initial`, reaches the goal and costs `plan.cost`;
// otherwise one sentence saying which step fails and why.
[[nodiscard]] std::string validate_plan(const ground::Task& task, const Plan& plan);

}  // namespace goap::search
