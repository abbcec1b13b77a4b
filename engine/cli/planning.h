// What plan, next and explain share when they call the planner: the command-line search
// options as exec::PlannerOptions, and a planning status as the exit code of FORMAT.md section 5.
#pragma once

#include "cli/commands.h"
#include "exec/goal_planner.h"

namespace goap::cli {

// Search kind, weight, heuristic, threads and limits; callers add the goal and tracing.
exec::PlannerOptions planner_options(const PlanOptions& o);

// plan / satisfied / inactive: 0; unsolvable: 10; limit: 11.
int exit_code(exec::GoalStatus status);

// Grounding stopped at a limit (ground/budget.h): the message on stderr, with what to do about it.
void report_grounding_limit(const std::string& message);

}  // namespace goap::cli
