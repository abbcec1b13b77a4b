// Relaxed reachability with costs: the shared engine of h_max, h_add and h_FF.
//
// `run(state, combine)` computes, for every atom, the cost of reaching it in the delete relaxation
// from `state`, where an operator costs its own cost plus the max (h_max) or the sum (h_add) of its
// preconditions' costs. It is Dijkstra over atoms (a BucketQueue with lazy deletion): an operator
// fires when its last precondition is settled, and the search stops once the
// goal atom is settled. Each reached atom remembers the operator that first gave it its final cost
// (its best supporter), which h_FF follows back to extract a relaxed plan; atoms of the state have
// no supporter.
//
// Costs are 64-bit and saturate at kSaturated so that h_add's double counting cannot overflow; an
// unreached atom costs kUnreached.
//
// Ownership: keeps a reference to the RelaxedTask and all scratch (costs, counters, queue); after
// the first run, `run` allocates nothing. Not thread-safe.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "heuristics/bucket_queue.h"
#include "heuristics/relaxed_task.h"

namespace goap::heuristics {

class RelaxedExploration {
 public:
  enum class Combine { max, add };
  static constexpr std::int64_t kUnreached = std::numeric_limits<std::int64_t>::max();
  static constexpr std::int64_t kSaturated = std::int64_t{1} << 48;

  explicit RelaxedExploration(const RelaxedTask& relaxed);

  // Returns the cost of the goal atom (kUnreached for a relaxed dead end). Afterwards cost() and
  // supporter() describe every atom settled before the goal.
  std::int64_t run(const std::uint32_t* state, Combine combine);

  [[nodiscard]] std::int64_t cost(std::uint32_t atom) const { return atom_cost_[atom]; }
  // RelaxedTask::kNoOp for atoms of the state (and unreached ones).
  [[nodiscard]] std::uint32_t supporter(std::uint32_t atom) const { return supporter_[atom]; }
  [[nodiscard]] const RelaxedTask& relaxed() const { return relaxed_; }

  // Heuristic value from a goal cost: kInfinity for unreached, clamped below it otherwise.
  static int to_heuristic(std::int64_t goal_cost);

 private:
  const RelaxedTask& relaxed_;
  std::vector<std::int64_t> atom_cost_;
  std::vector<std::uint32_t> supporter_;
  std::vector<std::uint32_t> unsatisfied_;  // per operator: preconditions not yet settled
  std::vector<std::int64_t> op_cost_;       // per operator: max or sum of settled preconditions
  std::vector<std::uint32_t> initial_unsatisfied_;
  std::vector<std::uint32_t> state_atoms_;
  BucketQueue queue_;
};

}  // namespace goap::heuristics
