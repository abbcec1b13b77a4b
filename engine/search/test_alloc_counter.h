// Test-only: counts calls to the global operator new while a scope is active.
//
// test_alloc_counter.cc replaces the global operator new/delete of the test executable it is
// linked into (malloc/free underneath, so sanitizers still see every block). Used to pin the
// promise that a warmed-up Searcher and heuristic solve again without allocating.
#pragma once

#include <cstddef>

namespace goap::search::testing {

class AllocationCounter {
 public:
  AllocationCounter();
  ~AllocationCounter();
  AllocationCounter(const AllocationCounter&) = delete;
  AllocationCounter& operator=(const AllocationCounter&) = delete;
  [[nodiscard]] std::size_t count() const;
};

}  // namespace goap::search::testing
