// The blind heuristic: 0 in a goal state, else the cost of the cheapest operator.
//
// Admissible (any plan from a non-goal state has at least one step) and nearly free; A* with it is
// uniform-cost search that knows the last step is not free. A non-goal state of a task without
// operators is a dead end (kInfinity). Keeps `const Task&`.
#pragma once

#include "ground/task.h"
#include "search/heuristic.h"

namespace goap::heuristics {

class BlindHeuristic final : public search::Heuristic {
 public:
  explicit BlindHeuristic(const ground::Task& task);
  explicit BlindHeuristic(ground::Task&&) = delete;  // keeps a reference: no temporaries
  int evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) override;
  [[nodiscard]] bool admissible() const override { return true; }
  [[nodiscard]] std::string_view name() const override { return "blind"; }

 private:
  const ground::Task& task_;
  int min_cost_;
};

}  // namespace goap::heuristics
