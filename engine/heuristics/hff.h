// h_FF (Hoffmann & Nebel 2001, with h_add best supporters as in Fast Downward): the cost of a
// relaxed plan extracted backwards from the goal by following each atom's best supporter.
//
// Not admissible. Each operator counts once however many atoms it supports. Preferred operators:
// the relaxed plan's operators whose preconditions all hold in the state (so they are applicable),
// in increasing OpId order. Owns its RelaxedTask, RelaxedExploration and marking scratch; keeps a
// pointer to the Task; allocation-free per evaluation once constructed.
#pragma once

#include <cstdint>
#include <vector>

#include "heuristics/relaxed_exploration.h"
#include "heuristics/relaxed_task.h"
#include "search/heuristic.h"

namespace goap::heuristics {

class FFHeuristic final : public search::Heuristic {
 public:
  explicit FFHeuristic(const ground::Task& task);
  explicit FFHeuristic(ground::Task&&) = delete;  // keeps a reference: no temporaries
  int evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) override;
  [[nodiscard]] bool admissible() const override { return false; }
  [[nodiscard]] std::string_view name() const override { return "ff"; }

 private:
  RelaxedTask relaxed_;
  RelaxedExploration exploration_;
  std::vector<std::uint8_t> atom_marked_;
  std::vector<std::uint8_t> op_marked_;
  std::vector<std::uint32_t> stack_;       // atoms still to trace back
  std::vector<std::uint32_t> plan_ops_;    // relaxed plan operators found, to unmark
};

}  // namespace goap::heuristics
