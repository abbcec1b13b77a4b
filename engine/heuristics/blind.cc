#include "heuristics/blind.h"

#include <algorithm>

namespace goap::heuristics {

BlindHeuristic::BlindHeuristic(const ground::Task& task) : task_(task), min_cost_(kInfinity) {
  for (const ground::Operator& op : task.operators) min_cost_ = std::min(min_cost_, op.cost);
}

int BlindHeuristic::evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) {
  if (preferred) preferred->clear();
  return task_.is_goal(state) ? 0 : min_cost_;
}

}  // namespace goap::heuristics
