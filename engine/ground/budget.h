// The limits grounding runs under: the same time and memory limits the search gets.
//
// Grounding can explode: an action with 6 parameters over 60 objects has 4.7e10 bindings, a goal
// `forall` over four such parameters 1.3e7 wanted facts. So every enumeration in engine/ground
// (lifted reachability, instantiation, goal grounding, goal relevance, mutex groups, symmetries)
// calls `tick()` in its loops and `charge()` for what it keeps, and a Budget that runs out throws
// LimitExceeded. The stage that was running adds what it was grounding (the action or goal, with
// its estimated count) and lets it through; the pipeline that owns the Budget (exec::decide,
// cli::solve_pddl) catches it once and reports the task as `limit`. std::bad_alloc is a limit
// too: the stages turn it into LimitExceeded (kind `allocation`) with the same kind of message.
//
// Memory is counted, not measured (as the search counts its own): the bytes of the bindings,
// atoms, operators and wanted facts kept, which is about what grounding holds at its peak
// (vectors' spare capacity aside: 225 MB resident at a 256 MiB count on tests/grounding's wide
// PDDL). Time is checked every 4096 ticks, and when mutex groups or symmetries start. A default
// Budget has no limits. A Budget belongs to one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <limits>
#include <string>
#include <utility>

#include "model/grounding_size.h"

namespace goap::ground {

struct GroundingLimits {
  double max_ms = std::numeric_limits<double>::infinity();
  std::size_t max_memory_bytes = std::numeric_limits<std::size_t>::max();
};

// `allocation`: an allocation failed (std::bad_alloc, e.g. under `ulimit -v`) before the count
// reached the memory limit.
enum class GroundingLimitKind { time, memory, allocation };

// What a Budget throws. `message` says what was being grounded and which limit stopped it; the
// stage that catches it on the way out fills it in (empty only inside the Budget).
struct LimitExceeded : std::exception {
  LimitExceeded(GroundingLimitKind k, std::string m) : kind(k), message(std::move(m)) {}
  [[nodiscard]] const char* what() const noexcept override { return message.c_str(); }
  GroundingLimitKind kind;
  std::string message;
};

class Budget {
 public:
  Budget() = default;
  explicit Budget(const GroundingLimits& limits) : limits_(limits) {}

  // Counts `steps` steps of an enumeration; every 4096 steps checks the clock.
  void tick(std::uint64_t steps = 1) {
    ticks_ += steps;
    if (ticks_ >= next_check_) {
      next_check_ = ticks_ + 4096;
      check_time();
    }
  }
  // Counts `bytes` more kept memory; throws at the memory limit.
  void charge(std::size_t bytes) {
    bytes_ += bytes;
    if (bytes_ > limits_.max_memory_bytes) throw LimitExceeded{GroundingLimitKind::memory, {}};
  }
  // True when `bytes` more would still fit (for estimates made before enumerating).
  [[nodiscard]] bool fits(double bytes) const {
    return static_cast<double>(bytes_) + bytes <= static_cast<double>(limits_.max_memory_bytes);
  }
  void check_time() const;

  [[nodiscard]] const GroundingLimits& limits() const { return limits_; }
  [[nodiscard]] std::size_t bytes() const { return bytes_; }
  [[nodiscard]] double elapsed_ms() const;

  // "the memory limit (256 MiB)", "the time limit (2,000 ms)", "the memory available (...)".
  [[nodiscard]] std::string limit_text(GroundingLimitKind kind) const;

 private:
  GroundingLimits limits_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::uint64_t ticks_ = 0, next_check_ = 4096;
  std::size_t bytes_ = 0;
};

using model::count_text;  // "1,234,567", "4.7e10"

// An amount of memory for messages: "12 MiB", "3,129 GiB".
std::string bytes_text(double bytes);

// The bytes a vector of `n` elements of `size` bytes holds on the heap, with the allocator's header.
inline std::size_t heap_bytes(std::size_t n, std::size_t size) { return n == 0 ? 0 : ((n * size + 15) / 16) * 16 + 16; }

}  // namespace goap::ground
