#include "cli/planning.h"

#include <cstdio>

namespace goap::cli {

exec::PlannerOptions planner_options(const PlanOptions& o) {
  exec::PlannerOptions po;
  po.algorithm = o.search == "gbfs"     ? exec::SearchAlgorithm::greedy
                 : o.search == "wastar" ? exec::SearchAlgorithm::weighted_astar
                                        : exec::SearchAlgorithm::astar;
  po.weight = o.weight;
  po.heuristic = o.heuristic;
  po.threads = o.threads;
  po.max_expansions = static_cast<std::uint64_t>(o.max_expansions);
  po.max_ms = o.max_ms;
  po.max_memory_bytes = static_cast<std::size_t>(o.max_memory_mb) << 20;
  return po;
}

int exit_code(exec::GoalStatus status) {
  switch (status) {
    case exec::GoalStatus::plan:
    case exec::GoalStatus::satisfied:
    case exec::GoalStatus::inactive: return kOk;
    case exec::GoalStatus::unsolvable: return kNoPlan;
    case exec::GoalStatus::limit: return kLimit;
    case exec::GoalStatus::unknown: return kFactsUnknown;
  }
  return kInternal;
}

void report_grounding_limit(const std::string& message) {
  std::fprintf(stderr,
               "goap: no plan: %s\n  hint: give the parameters narrower types or static preconditions, or raise "
               "--max-ms / --max-memory-mb\n",
               message.c_str());
}

}  // namespace goap::cli
