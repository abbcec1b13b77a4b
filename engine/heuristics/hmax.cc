#include "heuristics/hmax.h"

namespace goap::heuristics {

HMaxHeuristic::HMaxHeuristic(const ground::Task& task) : relaxed_(task), exploration_(relaxed_) {}

int HMaxHeuristic::evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) {
  if (preferred) preferred->clear();
  return RelaxedExploration::to_heuristic(
      exploration_.run(state, RelaxedExploration::Combine::max));
}

}  // namespace goap::heuristics
