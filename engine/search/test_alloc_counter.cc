#include "search/test_alloc_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<int> g_active{0};
std::atomic<std::size_t> g_count{0};
}  // namespace

void* operator new(std::size_t size) {
  if (g_active.load(std::memory_order_relaxed) > 0) g_count.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
// The nothrow forms too (std::stable_sort's buffer uses them): every non-aligned new must come
// from malloc here, or ASan rightly reports a mismatch with the free below.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (g_active.load(std::memory_order_relaxed) > 0) g_count.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return ::operator new(size, tag);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace goap::search::testing {

AllocationCounter::AllocationCounter() {
  g_count.store(0);
  g_active.fetch_add(1);
}
AllocationCounter::~AllocationCounter() { g_active.fetch_sub(1); }
std::size_t AllocationCounter::count() const { return g_count.load(); }

}  // namespace goap::search::testing
