// The open lists of the best-first searches: a binary min-heap of (f, h, sequence) -> payload.
//
// Ties on f go to the smaller h (closer to the goal), then to the earlier insertion, so the order
// of expansions, and therefore the plan, depends only on the task and the configuration.
// Entries are never updated in place: when a state gets a better key the search pushes it again
// and drops the stale entry when it surfaces (lazy deletion). `clear()` keeps capacity.
// The payload is a StateId for the eager loop (OpenList) and a (parent, operator) pair for lazy
// greedy search (LazyOpenList), which creates the state only when it pops the entry.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "ground/task.h"
#include "search/state_registry.h"

namespace goap::search {

template <class Payload>
class BasicOpenList {
 public:
  struct Entry {
    std::int64_t f;
    std::uint64_t seq;
    int h;
    Payload id;
  };

  void push(std::int64_t f, int h, Payload id) {
    heap_.push_back(Entry{f, next_seq_++, h, id});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }
  // The entries in heap order: the first is the best, and the first few are among the best.
  [[nodiscard]] const std::vector<Entry>& heap() const { return heap_; }
  // Whether a comes before b.
  [[nodiscard]] static bool before(const Entry& a, const Entry& b) { return Later{}(b, a); }
  // Precondition: !empty().
  Entry pop() {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    const Entry e = heap_.back();
    heap_.pop_back();
    return e;
  }
  [[nodiscard]] bool empty() const { return heap_.empty(); }
  [[nodiscard]] std::size_t size() const { return heap_.size(); }
  void clear() {
    heap_.clear();
    next_seq_ = 0;
  }
  [[nodiscard]] std::size_t memory_bytes() const { return heap_.capacity() * sizeof(Entry); }

 private:
  // std heap functions build a max-heap; "a is later than b" puts the best entry on top.
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      if (a.f != b.f) return a.f > b.f;
      if (a.h != b.h) return a.h > b.h;
      return a.seq > b.seq;
    }
  };
  std::vector<Entry> heap_;
  std::uint64_t next_seq_ = 0;
};

using OpenList = BasicOpenList<StateId>;

// A successor not generated yet: the state it comes from and the operator that leads to it.
struct PendingSuccessor {
  StateId parent;
  ground::OpId op;
};
using LazyOpenList = BasicOpenList<PendingSuccessor>;

}  // namespace goap::search
