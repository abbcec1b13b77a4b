#include "heuristics/relaxed_exploration.h"

#include <algorithm>

#include "search/heuristic.h"

namespace goap::heuristics {

RelaxedExploration::RelaxedExploration(const RelaxedTask& relaxed)
    : relaxed_(relaxed),
      atom_cost_(relaxed.num_atoms(), kUnreached),
      supporter_(relaxed.num_atoms(), RelaxedTask::kNoOp),
      unsatisfied_(relaxed.num_ops()),
      op_cost_(relaxed.num_ops()),
      initial_unsatisfied_(relaxed.num_ops()) {
  for (std::uint32_t o = 0; o < relaxed.num_ops(); ++o)
    initial_unsatisfied_[o] = static_cast<std::uint32_t>(relaxed.pre(o).size());
  state_atoms_.reserve(relaxed.task().variables.size() + 1);
}

int RelaxedExploration::to_heuristic(std::int64_t goal_cost) {
  if (goal_cost == kUnreached) return search::Heuristic::kInfinity;
  return static_cast<int>(std::min<std::int64_t>(goal_cost, search::Heuristic::kInfinity - 1));
}

std::int64_t RelaxedExploration::run(const std::uint32_t* state, Combine combine) {
  std::fill(atom_cost_.begin(), atom_cost_.end(), kUnreached);
  std::fill(supporter_.begin(), supporter_.end(), RelaxedTask::kNoOp);
  std::copy(initial_unsatisfied_.begin(), initial_unsatisfied_.end(), unsatisfied_.begin());
  std::fill(op_cost_.begin(), op_cost_.end(), 0);
  queue_.clear();
  relaxed_.state_atoms(state, state_atoms_);
  for (std::uint32_t a : state_atoms_) {
    atom_cost_[a] = 0;
    queue_.push(0, a);
  }

  const std::uint32_t goal = relaxed_.goal_atom();
  while (!queue_.empty()) {
    const auto [c, a] = queue_.pop();
    if (c > atom_cost_[a]) continue;  // stale
    if (a == goal) break;
    for (std::uint32_t o : relaxed_.precondition_of(a)) {
      op_cost_[o] = combine == Combine::max ? std::max(op_cost_[o], c)
                                            : std::min(op_cost_[o] + c, kSaturated);
      if (--unsatisfied_[o] != 0) continue;
      const std::int64_t target = std::min(op_cost_[o] + relaxed_.op(o).cost, kSaturated);
      for (std::uint32_t e : relaxed_.eff(o)) {
        if (target < atom_cost_[e]) {
          atom_cost_[e] = target;
          supporter_[e] = o;
          queue_.push(target, e);
        }
      }
    }
  }
  return atom_cost_[goal];
}

}  // namespace goap::heuristics
