// The state registry: every state the search meets is stored once, bit-packed, and named by a
// small `StateId`.
//
// - `StatePacker` decides where each variable lives: a variable with domain d takes
//   max(1, ceil(log2 d)) bits inside one uint64_t word (no variable straddles a word boundary, so
//   get/set are one shift and one mask). Variables are placed first-fit in decreasing bit width
//   (ties by variable index), the packing Fast Downward uses; a soldier-sized task of 8 booleans
//   fits one word.
// - `StateRegistry` keeps all packed states back to back in one vector (words_per_state * size
//   words; state i starts at word i * words_per_state) and an open-addressing hash set of ids
//   (linear probing, power-of-two table, load <= 1/2) keyed by a 64-bit mix of the words.
//   StateIds are dense: 0, 1, 2, ... in insertion order, so side tables (g, parent, status) are
//   plain vectors indexed by `StateId::index()`.
//
// Invariants: a packed buffer always has the unused bits of every word zero (pack/set keep them
// zero), so equal states have equal words. Ids are never reused until `clear()`.
//
// Ownership and reuse: the registry owns its packer and storage. `clear()` forgets every state but
// keeps the allocated capacity and costs O(states stored), not O(table size), so a searcher that
// solves many tiny problems back to back allocates nothing after the first few. `reset(task)`
// re-derives the packing for another task (it also keeps capacity).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/ids.h"
#include "ground/task.h"

namespace goap::search {

using StateId = core::StrongId<struct StateTag>;

class StatePacker {
 public:
  StatePacker() = default;
  explicit StatePacker(const ground::Task& task) { assign(task); }
  explicit StatePacker(std::span<const std::uint32_t> domains) { assign(domains); }

  // Recomputes the layout; reuses the existing storage when it is big enough.
  void assign(const ground::Task& task);
  void assign(std::span<const std::uint32_t> domains);

  [[nodiscard]] std::size_t num_variables() const { return slots_.size(); }
  // At least 1, so that even a task without variables has a (single, all-zero) state to store.
  [[nodiscard]] std::size_t words_per_state() const { return words_; }
  [[nodiscard]] std::uint32_t bits(std::size_t var) const { return bits_of(slots_[var].mask); }

  [[nodiscard]] std::uint32_t get(const std::uint64_t* packed, std::size_t var) const {
    const Slot& s = slots_[var];
    return static_cast<std::uint32_t>((packed[s.word] >> s.shift) & s.mask);
  }
  // `value` must be < the variable's domain.
  void set(std::uint64_t* packed, std::size_t var, std::uint32_t value) const {
    const Slot& s = slots_[var];
    packed[s.word] = (packed[s.word] & ~(s.mask << s.shift)) | (std::uint64_t{value} << s.shift);
  }
  // `out` must hold words_per_state() words; it is fully overwritten.
  void pack(const std::uint32_t* values, std::uint64_t* out) const;
  // `out` must hold num_variables() values.
  void unpack(const std::uint64_t* packed, std::uint32_t* out) const;

 private:
  struct Slot {
    std::uint64_t mask;   // (1 << bits) - 1, not shifted
    std::uint32_t word;   // which word of the packed state
    std::uint32_t shift;  // bit offset inside that word
  };
  static std::uint32_t bits_of(std::uint64_t mask);
  template <class DomainOf>
  void layout(std::size_t n, DomainOf domain_of);

  std::vector<Slot> slots_;
  std::vector<std::uint32_t> order_;  // scratch for layout(), kept to avoid reallocating
  std::vector<std::uint32_t> used_;   // scratch for layout(): bits used per word
  std::size_t words_ = 1;
};

class StateRegistry {
 public:
  struct InsertResult {
    StateId id;
    bool inserted;  // false: the state was already there and `id` names it
  };

  StateRegistry() = default;
  explicit StateRegistry(const ground::Task& task) { reset(task); }

  // Forgets every state and re-derives the packing for `task`. Keeps capacity.
  void reset(const ground::Task& task);
  // Forgets every state; keeps the packing and the capacity.
  void clear();

  [[nodiscard]] const StatePacker& packer() const { return packer_; }
  [[nodiscard]] std::size_t words_per_state() const { return packer_.words_per_state(); }

  // `packed` holds words_per_state() words packed by packer().
  InsertResult insert_or_get(const std::uint64_t* packed);
  // The id of `packed`, or StateId::invalid() when it was never inserted.
  [[nodiscard]] StateId lookup(const std::uint64_t* packed) const;

  // Valid until the next insert (the storage may move).
  [[nodiscard]] const std::uint64_t* packed(StateId id) const {
    return words_.data() + id.index() * packer_.words_per_state();
  }
  void unpack(StateId id, std::uint32_t* out) const { packer_.unpack(packed(id), out); }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t bytes_per_state() const { return packer_.words_per_state() * 8; }
  // Bytes held by this registry's storage (state words and hash table), counting reserved
  // capacity: a reused registry reports what it really keeps allocated.
  [[nodiscard]] std::size_t memory_bytes() const;

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  [[nodiscard]] std::uint64_t hash(const std::uint64_t* packed) const;
  [[nodiscard]] bool equal(std::uint32_t id, const std::uint64_t* packed) const;
  void grow();

  StatePacker packer_;
  std::vector<std::uint64_t> words_;  // size_ * words_per_state words
  std::vector<std::uint32_t> table_;  // ids or kEmpty; size is a power of two (or 0)
  std::size_t size_ = 0;
};

}  // namespace goap::search
