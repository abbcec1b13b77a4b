// A second core for deferred A*: a helper thread that evaluates states ahead of the search.
//
// The search (search.h) posts states it expects to pop soon; the helper evaluates them in order
// with its own heuristic object, and with each value keeps the successor bounds its heuristic
// gives right after the evaluation (Heuristic::successor_bound, for the state's applicable
// operators, those above h - cost). The search collects the results in the order it posted them.
// Requests travel through a ring of `kDepth` slots (one producer, one consumer), so the helper
// always has the next state at hand while the search thread is busy with its own.
//
// Hand-over: `post` publishes a slot (release) and returns at once; `done()` tells (acquire)
// whether the oldest outstanding slot is finished. The helper spins briefly when the ring is
// empty, since requests come every few microseconds in a search, then sleeps on the atomic
// (futex). The search thread never has to wait: a state it needs that the helper has not finished
// it may evaluate itself (`drain` waits, for the end of a search).
//
// Placement: the helper's thread avoids the CPU the constructing thread runs on (when the process
// may use another): a helper spinning on the search thread's CPU would only take time from it.
//
// Ownership: owns the thread (started by the constructor, joined by the destructor) and the slots;
// borrows the heuristic, which must be a separate object from the search thread's (heuristics are
// not thread-safe), and the successor generator and task, which must outlive the helper.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

#include "ground/task.h"
#include "search/heuristic.h"
#include "search/successor_generator.h"

namespace goap::search {

// An operator and a lower bound on the optimal cost from the successor it leads to.
using SuccessorBound = std::pair<ground::OpId, int>;

// The successor bounds `heuristic` gives for `state`, asked right after it evaluated the state to
// h, for the operators applicable there, into `out`: those above h - cost only, the bound the
// search uses anyway. `ops` is scratch. Nothing for a dead end.
void keep_successor_bounds(const Heuristic& heuristic, int h, const std::uint32_t* state,
                           const SuccessorGenerator& successors, const ground::Task& task,
                           std::vector<ground::OpId>& ops, std::vector<SuccessorBound>& out);

// What a check from scratch did (evaluate_from_memo).
struct Refresh {
  int before = -1;      // the value from the parent's memo; -1: evaluated from scratch, no memo
  bool tried = false;   // the state was evaluated from scratch as well
  bool raised = false;  // and that gave the larger value, which was kept
};

// Incremental evaluation of state = parent[op] from the parent's memo ([memo, memo + size)),
// checked from scratch when it comes out at or below `refresh_at` (-1: never; the search says
// where, search.h): the heuristic then keeps the larger of the two values (Heuristic::refresh).
// The search thread and the helper evaluate through here alike, so both give the same value.
int evaluate_from_memo(Heuristic& heuristic, const std::uint32_t* state, const std::uint32_t* memo,
                       std::size_t size, ground::OpId op, int refresh_at, Refresh& refresh);

class EvaluationHelper {
 public:
  static constexpr std::size_t kDepth = 2;

  struct Slot {
    std::uint32_t tag = 0;              // the poster's: which state this is
    std::vector<std::uint32_t> values;  // the state, one value per task variable
    // Incremental evaluation (next_from): the state is parent[from_op], with the parent's memo;
    // `origin` is the poster's, for the parent. from_op invalid: from scratch. `refresh_at` and
    // `refresh` as in evaluate_from_memo.
    ground::OpId from_op = ground::OpId::invalid();
    std::uint32_t origin = 0;
    std::vector<std::uint32_t> parent_memo;
    int refresh_at = -1;
    Refresh refresh;
    bool keep_memo = false;             // write the state's memo into `memo`
    int h = 0;                          // the heuristic's value
    std::vector<SuccessorBound> bounds;  // keep_successor_bounds
    std::vector<std::uint32_t> memo;     // Heuristic::save_memo, when keep_memo
    std::exception_ptr error;           // what the heuristic threw, if it did
    std::vector<ground::OpId> ops;      // the helper's scratch
  };

  EvaluationHelper(Heuristic& heuristic, const SuccessorGenerator& successors,
                   const ground::Task& task);
  ~EvaluationHelper();
  EvaluationHelper(const EvaluationHelper&) = delete;
  EvaluationHelper& operator=(const EvaluationHelper&) = delete;

  [[nodiscard]] const Heuristic& heuristic() const { return heuristic_; }
  // The CPUs this process may run on (its affinity mask): a helper pays off with 2 or more.
  [[nodiscard]] static int available_cpus();

  // Posting: while !full(), fill next_values() with a state, optionally say next_from, then
  // post(tag). With keep_memo the helper also keeps the state's memo (Heuristic::save_memo).
  [[nodiscard]] bool full() const { return posted_ - collected_ == kDepth; }
  [[nodiscard]] std::uint32_t* next_values(bool keep_memo = false);
  // The next state is parent[op]: evaluate it from the parent's memo ([memo, memo + size), copied),
  // checked from scratch at or below `refresh_at` (evaluate_from_memo).
  void next_from(std::uint32_t origin, const std::uint32_t* memo, std::size_t size, ground::OpId op,
                 int refresh_at);
  void post(std::uint32_t tag);

  // Collecting, oldest first: outstanding() slots were posted and not collected; done() is true
  // when the oldest is finished, front() is it, pop() releases it.
  [[nodiscard]] std::size_t outstanding() const { return posted_ - collected_; }
  [[nodiscard]] bool done() const { return collected_ != finished_.load(std::memory_order_acquire); }
  [[nodiscard]] const Slot& front() const { return slots_[collected_ % kDepth]; }
  void pop() { ++collected_; }
  // Whether a posted, uncollected slot carries `tag`.
  [[nodiscard]] bool in_flight(std::uint32_t tag) const;
  // Spins a while (about an evaluation's time) for done().
  void wait_done() const;
  // Waits for every outstanding slot and drops them (end of a search, or unwinding).
  void drain() noexcept;

 private:
  void run();
  void evaluate(Slot& slot);

  Heuristic& heuristic_;
  const SuccessorGenerator& successors_;
  const ground::Task& task_;
  std::array<Slot, kDepth> slots_;
  std::uint64_t posted_ = 0;     // search thread only; published through published_
  std::uint64_t collected_ = 0;  // search thread only
  alignas(64) std::atomic<std::uint64_t> published_{0};  // slots posted, for the helper
  alignas(64) std::atomic<std::uint64_t> finished_{0};   // slots the helper finished
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace goap::search
