// h_max (Bonet & Geffner 2001): the cost of the most expensive goal atom in the delete relaxation,
// where an operator costs its own cost plus its most expensive precondition.
//
// Admissible. Goal conditions with several allowed values count their cheapest value (see
// relaxed_task.h). Owns its RelaxedTask and RelaxedExploration; keeps a pointer to the Task.
#pragma once

#include "heuristics/relaxed_exploration.h"
#include "heuristics/relaxed_task.h"
#include "search/heuristic.h"

namespace goap::heuristics {

class HMaxHeuristic final : public search::Heuristic {
 public:
  explicit HMaxHeuristic(const ground::Task& task);
  explicit HMaxHeuristic(ground::Task&&) = delete;  // keeps a reference: no temporaries
  int evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) override;
  [[nodiscard]] bool admissible() const override { return true; }
  [[nodiscard]] std::string_view name() const override { return "hmax"; }

 private:
  RelaxedTask relaxed_;
  RelaxedExploration exploration_;
};

}  // namespace goap::heuristics
