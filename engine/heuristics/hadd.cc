#include "heuristics/hadd.h"

namespace goap::heuristics {

HAddHeuristic::HAddHeuristic(const ground::Task& task) : relaxed_(task), exploration_(relaxed_) {}

int HAddHeuristic::evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) {
  if (preferred) preferred->clear();
  return RelaxedExploration::to_heuristic(
      exploration_.run(state, RelaxedExploration::Combine::add));
}

}  // namespace goap::heuristics
