// What plan, next and explain share when they call the planner: the command-line search
// options as exec::PlannerOptions, and a planning status as the exit code of FORMAT.md section 5.
#pragma once

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "exec/goal_planner.h"

namespace goap::cli {

// Search kind, weight, heuristic, threads and limits; callers add the goal and tracing.
exec::PlannerOptions planner_options(const PlanOptions& o);

// plan / satisfied / inactive: 0; unsolvable: 10; limit: 11.
int exit_code(exec::GoalStatus status);

// Grounding stopped at a limit (ground/budget.h): the message on stderr, with what to do about it.
void report_grounding_limit(const std::string& message);

// One step of a plan as `plan --json`, `next` and `batch` print it (FORMAT.md section 5):
// action, args, cost, `approval` (the action needs approval before `goap run` carries it out),
// `effects` (the state lines the step makes true, applied to `state`, which moves on past the
// step) and `command` (what its plugin would run, one command a line; null when not described).
nlohmann::ordered_json step_json(const model::World& w, const exec::PlanStep& s, model::State& state,
                                 const std::vector<std::string>* commands);

}  // namespace goap::cli
