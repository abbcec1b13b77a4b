// h_add (Bonet & Geffner 2001): the sum of the goal atoms' costs in the delete relaxation, where an
// operator costs its own cost plus the sum of its preconditions' costs.
//
// Not admissible (shared subplans are counted once per use), but informative for greedy search.
// Owns its RelaxedTask and RelaxedExploration; keeps a pointer to the Task.
#pragma once

#include "heuristics/relaxed_exploration.h"
#include "heuristics/relaxed_task.h"
#include "search/heuristic.h"

namespace goap::heuristics {

class HAddHeuristic final : public search::Heuristic {
 public:
  explicit HAddHeuristic(const ground::Task& task);
  explicit HAddHeuristic(ground::Task&&) = delete;  // keeps a reference: no temporaries
  int evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) override;
  [[nodiscard]] bool admissible() const override { return false; }
  [[nodiscard]] std::string_view name() const override { return "add"; }

 private:
  RelaxedTask relaxed_;
  RelaxedExploration exploration_;
};

}  // namespace goap::heuristics
