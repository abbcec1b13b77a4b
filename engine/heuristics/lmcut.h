// LM-cut (Helmert & Domshlak 2009): the sum of the costs of disjunctive action landmarks found by
// repeated cuts in the h_max justification graph.
//
// One evaluation:
//   1. h_max from the state; every operator records its precondition choice (a precondition of
//      maximal h_max cost, ties to the last in precondition order) and every atom its h_max cost.
//      Goal unreached: dead end (kInfinity).
//   2. While h_max(goal) > 0:
//      a. the goal zone: atoms from which the goal atom is reached through zero-cost operators
//         along precondition-choice edges;
//      b. forward from the state along precondition-choice edges without entering the goal zone;
//         the operators that cross into it form the cut (a landmark: every relaxed plan uses one).
//         Each atom keeps a list of the operators it is the choice of, so this walk visits only
//         those, not every operator the atom is a precondition of;
//      c. h += the cut's cheapest remaining cost, which is subtracted from every cut operator;
//      d. h_max is repaired incrementally, taking the cut in decreasing operator order: only
//         costs that the cheaper cut operators lower are propagated (Fast Downward's incremental
//         exploration), not recomputed from scratch.
// Admissible; zero-cost operators are fine (they sit inside goal zones, never in a cut). The
// relaxed task's artificial goal operators make "var in {values}" goals admissible.
//
// Incremental (Pommerening & Helmert 2013): `evaluate_from(s[op], memo of s, op)` first takes
// every landmark of s without op, with its cost: a relaxed plan from s[op], prefixed with op, is
// one from s and hits it, after op. Their costs come off the operators' costs (the cost
// partitioning of s, so none goes below 0), h starts at their sum, and steps 1-2 run on what is
// left. Most landmarks survive one operator, so most evaluations need a few cuts, not one per
// landmark. On the benchmark set (A* + LM-cut, 67 instances, one thread) search time fell from
// 76.9 s to 16.7 s and the geometric mean of expansions against Fast Downward from 0.32 to 0.28;
// the values differ from LM-cut from scratch in both directions (depot p13: 15,634 -> 22,700
// expansions; visitall 05-full: 62,822 -> 12,447). `refresh` evaluates the state from scratch
// too and keeps the larger value; the search asks for it where drift may cost (search.h).
//
// Ownership: owns its RelaxedTask and per-evaluation scratch (kept between calls: after warm-up
// evaluating allocates nothing); keeps a pointer to the Task. Not thread-safe. Preferred operators: none.
#pragma once

#include <cstdint>
#include <vector>

#include "heuristics/bucket_queue.h"
#include "heuristics/relaxed_task.h"
#include "search/heuristic.h"

namespace goap::heuristics {

class LMCutHeuristic final : public search::Heuristic {
 public:
  explicit LMCutHeuristic(const ground::Task& task);
  explicit LMCutHeuristic(ground::Task&&) = delete;  // keeps a reference: no temporaries
  int evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) override;
  [[nodiscard]] bool admissible() const override { return true; }
  [[nodiscard]] std::string_view name() const override { return "lmcut"; }
  // h minus the landmark costs charged to `op` by the last evaluation: every landmark without op
  // is still a landmark after applying it, and the cost partitioning still holds for them.
  [[nodiscard]] int successor_bound(int h, ground::OpId op, int cost) const override;
  // The memo is the last evaluation's landmarks: per landmark its cost, its size and its
  // operators. evaluate_from starts from the parent's landmarks without op (still landmarks of
  // the successor, with their costs still a cost partitioning) and cuts only what is left.
  [[nodiscard]] bool incremental() const override { return true; }
  void save_memo(std::vector<std::uint32_t>& out) const override;
  int evaluate_from(const std::uint32_t* state, const std::uint32_t* memo, std::size_t memo_size,
                    ground::OpId op) override;
  // Keeps the incremental evaluation's costs and landmarks aside while it evaluates from scratch,
  // and puts them back if that is not larger: the memo and successor bounds then stay its own.
  int refresh(const std::uint32_t* state, int h) override;

  // Number of cuts (landmarks) the last evaluation found; for tests and statistics.
  [[nodiscard]] int last_num_landmarks() const { return last_landmarks_; }

 private:
  enum Status : std::uint8_t { kUnreached, kReached };
  void full_hmax();
  void incremental_hmax();
  void mark_goal_zone();
  void find_cut();
  void update_supporter(std::uint32_t op);
  void link_supported(std::uint32_t op, std::uint32_t atom);
  void unlink_supported(std::uint32_t op);
  int cut_until_done(const std::uint32_t* state, std::int64_t h);

  RelaxedTask relaxed_;
  // Per atom.
  std::vector<std::int64_t> cost_;
  std::vector<std::uint8_t> status_;  // settled by full_hmax
  // The current cut's marks: mark_[a] == goal_zone_ or before_goal_zone_; older values mean neither.
  std::vector<std::uint32_t> mark_;
  std::uint32_t goal_zone_ = 0, before_goal_zone_ = 0;
  // Per operator.
  std::vector<std::uint32_t> into_goal_zone_;  // goal_zone_ when it has an effect in the zone
  std::vector<int> base_cost_;               // the operator's cost
  std::vector<std::uint32_t> pre_count_;     // its number of preconditions
  std::vector<int> op_cost_;                 // remaining cost after the cuts so far
  std::vector<std::uint32_t> unsatisfied_;   // during full_hmax
  std::vector<std::uint32_t> supporter_;     // precondition choice (an atom), or kNoOp
  std::vector<std::int64_t> supporter_cost_;
  // The operators each atom supports, as doubly linked lists (head per atom, links per operator):
  // find_cut walks these instead of every operator the atom is a precondition of.
  std::vector<std::uint32_t> supported_head_, supported_next_, supported_prev_;
  // Scratch.
  std::vector<std::uint32_t> state_atoms_;
  std::vector<std::uint32_t> stack_;
  std::vector<std::uint32_t> walk_;  // find_cut's stack, one slot per atom
  std::vector<std::uint32_t> cut_;
  BucketQueue queue_;
  std::vector<std::uint32_t> landmarks_;  // the last evaluation's, in the memo's layout
  std::vector<int> kept_cost_;             // refresh: the incremental evaluation's op_cost_
  std::vector<std::uint32_t> kept_landmarks_;  // and its landmarks
  int last_landmarks_ = 0;
};

}  // namespace goap::heuristics
