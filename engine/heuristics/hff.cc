#include "heuristics/hff.h"

#include <algorithm>

namespace goap::heuristics {

FFHeuristic::FFHeuristic(const ground::Task& task)
    : relaxed_(task),
      exploration_(relaxed_),
      atom_marked_(relaxed_.num_atoms(), 0),
      op_marked_(relaxed_.num_ops(), 0) {
  stack_.reserve(relaxed_.num_atoms());
  plan_ops_.reserve(relaxed_.num_ops());
}

int FFHeuristic::evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) {
  if (preferred) preferred->clear();
  const std::int64_t goal_cost = exploration_.run(state, RelaxedExploration::Combine::add);
  if (goal_cost == RelaxedExploration::kUnreached) return kInfinity;

  // Trace best supporters back from the goal; every atom and operator at most once. Supporters
  // were settled before the atoms they support, so this never meets an unsettled atom or a cycle.
  std::int64_t h = 0;
  stack_.clear();
  plan_ops_.clear();
  stack_.push_back(relaxed_.goal_atom());
  atom_marked_[relaxed_.goal_atom()] = 1;
  while (!stack_.empty()) {
    const std::uint32_t a = stack_.back();
    stack_.pop_back();
    const std::uint32_t o = exploration_.supporter(a);
    if (o == RelaxedTask::kNoOp || op_marked_[o]) continue;
    op_marked_[o] = 1;
    plan_ops_.push_back(o);
    h += relaxed_.op(o).cost;
    for (std::uint32_t p : relaxed_.pre(o)) {
      if (atom_marked_[p]) continue;
      atom_marked_[p] = 1;
      stack_.push_back(p);
    }
  }

  // Unmark for the next call, collecting the preferred operators on the way.
  for (std::uint32_t o : plan_ops_) {
    op_marked_[o] = 0;
    for (std::uint32_t p : relaxed_.pre(o)) atom_marked_[p] = 0;
    if (preferred == nullptr || !relaxed_.op(o).original.valid()) continue;
    bool applicable = true;
    for (std::uint32_t p : relaxed_.pre(o))
      applicable = applicable && exploration_.supporter(p) == RelaxedTask::kNoOp;
    if (applicable) preferred->push_back(relaxed_.op(o).original);
  }
  atom_marked_[relaxed_.goal_atom()] = 0;
  if (preferred) std::sort(preferred->begin(), preferred->end());
  return RelaxedExploration::to_heuristic(h);
}

}  // namespace goap::heuristics
