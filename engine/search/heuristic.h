// The one interface between the search and the heuristics.
//
// A heuristic estimates the cost from a state to the goal. The search hands it the unpacked state
// (one value per variable of the task the heuristic was built for) and, when it wants preferred
// operators, a vector to fill.
//
// Contract:
//   - `evaluate` returns a value >= 0, or kInfinity when the state is a proven dead end (no plan
//     exists from it). It must be deterministic: the same state gives the same value and the same
//     preferred operators, in the same order.
//   - When `preferred` is non-null the heuristic clears it and writes the operators it prefers
//     (each applicable in `state`); heuristics without preferred operators just clear it.
//   - `admissible()` is true when the value never exceeds the optimal cost from the state; A*
//     returns optimal plans only with such a heuristic.
//   - `successor_bound(h, op, cost)`, asked right after `evaluate(s)` returned h (no call in
//     between), is a lower bound on the optimal cost from s[op], where op (of cost `cost`) is
//     applicable in s. Deferred A* queues the successor with it before evaluating it. It must not
//     exceed that optimal cost whenever `admissible()`. The default, h - cost (at least 0), holds
//     for every admissible h; a heuristic that knows more (LM-cut's landmarks) may say more.
// Ownership: a heuristic is built for one task (it keeps `const Task&` and may compile the task's
// operators and goal in at construction, so only the state varies between calls). It is not
// thread-safe and keeps its scratch buffers between calls, so that evaluating allocates nothing
// after warm-up. Use one heuristic object per concurrent search.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "ground/task.h"

namespace goap::search {

class Heuristic {
 public:
  static constexpr int kInfinity = std::numeric_limits<int>::max();

  virtual ~Heuristic();
  virtual int evaluate(const std::uint32_t* state, std::vector<ground::OpId>* preferred) = 0;
  [[nodiscard]] virtual bool admissible() const = 0;
  [[nodiscard]] virtual std::string_view name() const = 0;
  [[nodiscard]] virtual int successor_bound(int h, ground::OpId op, int cost) const;
  // Incremental evaluation. A heuristic that can reuse what it learned about a parent state for
  // its successors says so with `incremental()`. Right after `evaluate` or `evaluate_from` it
  // writes that knowledge with `save_memo` (appended to `out`); `evaluate_from(state, memo, op)`
  // evaluates the successor state = parent[op] with the parent's memo. The value may differ from
  // `evaluate(state)` but keeps its guarantees (admissibility) and is deterministic in (state,
  // memo, op).
  [[nodiscard]] virtual bool incremental() const { return false; }
  virtual void save_memo(std::vector<std::uint32_t>& out) const;
  virtual int evaluate_from(const std::uint32_t* state, const std::uint32_t* memo, std::size_t memo_size,
                            ground::OpId op);
  // Right after `evaluate_from` returned h: evaluates the same state from scratch as well and
  // keeps whichever value is larger, with its memo and successor bounds. Returns that value.
  virtual int refresh(const std::uint32_t* state, int h);
};

}  // namespace goap::search
