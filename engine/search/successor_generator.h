// Successor generation: which operators are applicable in a state, without testing every one.
//
// `SuccessorGenerator` is a decision tree over precondition variables, in the manner of Fast
// Downward's: each node holds
//   - the operators whose every precondition was already decided on the way down (they apply
//     whenever the node is reached),
//   - optionally a switch on one variable: one child per value, holding the operators that need
//     that value, plus a "don't care" child for operators without a precondition on it.
// Variables are switched in increasing index order along every path (operators keep their
// preconditions sorted by variable), so a state visits at most one child per switch plus the
// don't-care chain, and the work is proportional to the number of tests that can succeed rather
// than to the number of operators.
//
// Output order: `generate` returns the applicable operators by name (then by OpId, for equal
// names), the same as `applicable_by_scan`. The search queues successors in this order, so among
// successors of equal priority the alphabetically first action goes first, whatever the tree's
// shape or the order the grounder numbered the operators in. Fast Downward's translator sorts its
// operators by name and its searches meet ties the same way; on the benchmark set (A* + LM-cut)
// this makes miconic's expansions equal to Fast Downward's on all ten instances and blocks-4's
// 7 instead of 9 (in OpId order miconic s25 needed 139 against 436: luck, either way).
//
// Ownership: built from a `const Task&` it does not keep; immutable after construction and safe to
// share between threads. `generate` allocates nothing once `out` has grown to its working size.
#pragma once

#include <cstdint>
#include <vector>

#include "ground/task.h"

namespace goap::search {

class SuccessorGenerator {
 public:
  explicit SuccessorGenerator(const ground::Task& task);

  // Clears `out`, then writes the operators applicable in `state`, by name (see above).
  void generate(const std::uint32_t* state, std::vector<ground::OpId>& out) const;

  [[nodiscard]] std::size_t num_nodes() const { return nodes_.size(); }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  struct Node {
    std::uint32_t ops_begin = 0, ops_end = 0;  // range in ops_: always applicable here
    std::uint32_t var = kNone;                 // switch variable, kNone for a leaf
    std::uint32_t children = 0;                // children_[children + value] for each value
    std::uint32_t dont_care = kNone;           // node for operators without a test on var
  };
  struct Pending {
    std::uint32_t op;   // operator index
    std::uint32_t pos;  // next precondition of op still to decide
  };
  std::uint32_t build(const ground::Task& task, std::vector<Pending> pending);
  void visit(std::uint32_t node, const std::uint32_t* state, std::vector<ground::OpId>& out) const;

  std::vector<Node> nodes_;               // nodes_[0] is the root
  std::vector<std::uint32_t> children_;   // node indices or kNone
  std::vector<ground::OpId> ops_;         // operators as ranks in the name order (OpId-typed, so
                                          // that whole ranges copy into the output at once)
  std::vector<ground::OpId> by_rank_;     // the operators in the name order
};

// The operators of `task` by name, then by id: the order `generate` returns them in.
[[nodiscard]] std::vector<ground::OpId> operators_by_name(const ground::Task& task);

// The reference: test every operator. For tests and for tasks too small to bother. Same order as
// SuccessorGenerator::generate.
void applicable_by_scan(const ground::Task& task, const std::uint32_t* state,
                        std::vector<ground::OpId>& out);

}  // namespace goap::search
