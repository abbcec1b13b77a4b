#include "search/state_registry.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <stdexcept>

namespace goap::search {

namespace {

// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
constexpr std::uint64_t fmix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

constexpr std::size_t kInitialTableSize = 16;

}  // namespace

// ---------------------------------------------------------------------------------------------
// StatePacker

std::uint32_t StatePacker::bits_of(std::uint64_t mask) {
  return static_cast<std::uint32_t>(std::popcount(mask));
}

void StatePacker::assign(const ground::Task& task) {
  layout(task.variables.size(), [&](std::size_t v) { return task.variables[v].domain; });
}

void StatePacker::assign(std::span<const std::uint32_t> domains) {
  layout(domains.size(), [&](std::size_t v) { return domains[v]; });
}

template <class DomainOf>
void StatePacker::layout(std::size_t n, DomainOf domain_of) {
  slots_.resize(n);
  order_.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    const std::uint32_t d = domain_of(v);
    const std::uint32_t bits = d <= 2 ? 1u : static_cast<std::uint32_t>(std::bit_width(d - 1));
    slots_[v] = Slot{bits >= 64 ? ~0ULL : (1ULL << bits) - 1, 0, 0};
    order_[v] = static_cast<std::uint32_t>(v);
  }
  // First-fit decreasing: widest variables first, ties by index, so the layout is deterministic.
  std::stable_sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) {
    return slots_[a].mask > slots_[b].mask;
  });
  used_.clear();  // bits used so far in each word opened
  for (std::uint32_t v : order_) {
    const std::uint32_t bits = bits_of(slots_[v].mask);
    std::size_t w = 0;
    while (w < used_.size() && used_[w] + bits > 64) ++w;
    if (w == used_.size()) used_.push_back(0);
    slots_[v].word = static_cast<std::uint32_t>(w);
    slots_[v].shift = used_[w];
    used_[w] += bits;
  }
  words_ = std::max<std::size_t>(1, used_.size());
}

void StatePacker::pack(const std::uint32_t* values, std::uint64_t* out) const {
  std::fill(out, out + words_, 0);
  for (std::size_t v = 0; v < slots_.size(); ++v) {
    const Slot& s = slots_[v];
    out[s.word] |= std::uint64_t{values[v]} << s.shift;
  }
}

void StatePacker::unpack(const std::uint64_t* packed, std::uint32_t* out) const {
  for (std::size_t v = 0; v < slots_.size(); ++v) out[v] = get(packed, v);
}

// ---------------------------------------------------------------------------------------------
// StateRegistry

void StateRegistry::reset(const ground::Task& task) {
  clear();
  packer_.assign(task);
}

void StateRegistry::clear() {
  if (size_ * 8 < table_.size()) {
    // Few states in a big table: empty only their slots, newest first. With linear probing and no
    // deletions, the probe run of state k crosses only slots of states inserted before k (rehashes
    // reinsert in id order), so removing newest-first never breaks a run we still have to walk.
    const std::size_t mask = table_.size() - 1;
    for (std::size_t id = size_; id-- > 0;) {
      std::size_t i = hash(packed(StateId::from(id))) & mask;
      while (table_[i] != id) i = (i + 1) & mask;
      table_[i] = kEmpty;
    }
  } else {
    std::fill(table_.begin(), table_.end(), kEmpty);
  }
  words_.clear();
  size_ = 0;
}

std::uint64_t StateRegistry::hash(const std::uint64_t* packed) const {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL;
  for (std::size_t w = 0; w < packer_.words_per_state(); ++w) h = fmix64(h ^ packed[w]) + w;
  return h;
}

bool StateRegistry::equal(std::uint32_t id, const std::uint64_t* packed) const {
  // A plain loop: states are a word or two, where a memcmp call costs more than the compare.
  const std::uint64_t* stored = this->packed(StateId(id));
  for (std::size_t w = 0; w < packer_.words_per_state(); ++w)
    if (stored[w] != packed[w]) return false;
  return true;
}

StateId StateRegistry::lookup(const std::uint64_t* packed) const {
  if (table_.empty()) return StateId::invalid();
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = hash(packed) & mask;; i = (i + 1) & mask) {
    const std::uint32_t id = table_[i];
    if (id == kEmpty) return StateId::invalid();
    if (equal(id, packed)) return StateId(id);
  }
}

StateRegistry::InsertResult StateRegistry::insert_or_get(const std::uint64_t* packed) {
  if ((size_ + 1) * 2 > table_.size()) grow();
  const std::size_t mask = table_.size() - 1;
  std::size_t i = hash(packed) & mask;
  for (;; i = (i + 1) & mask) {
    const std::uint32_t id = table_[i];
    if (id == kEmpty) break;
    if (equal(id, packed)) return {StateId(id), false};
  }
  if (size_ >= kEmpty) throw std::length_error("state registry: more than 2^32-1 states");
  // `packed` may point into words_ (a caller re-inserting a stored state), and growing words_
  // would move it: remember it as an offset.
  const std::size_t wps = packer_.words_per_state();
  const std::size_t old = words_.size();
  const std::less<const std::uint64_t*> before;  // total order even for unrelated pointers
  const bool inside = !before(packed, words_.data()) && before(packed, words_.data() + old);
  const std::size_t offset = inside ? static_cast<std::size_t>(packed - words_.data()) : 0;
  words_.resize(old + wps);
  const std::uint64_t* src = inside ? words_.data() + offset : packed;
  std::copy(src, src + wps, words_.data() + old);
  table_[i] = static_cast<std::uint32_t>(size_);
  return {StateId::from(size_++), true};
}

void StateRegistry::grow() {
  const std::size_t new_size = table_.empty() ? kInitialTableSize : table_.size() * 2;
  table_.assign(new_size, kEmpty);
  const std::size_t mask = new_size - 1;
  for (std::size_t id = 0; id < size_; ++id) {  // id order: clear() relies on it
    std::size_t i = hash(packed(StateId::from(id))) & mask;
    while (table_[i] != kEmpty) i = (i + 1) & mask;
    table_[i] = static_cast<std::uint32_t>(id);
  }
}

std::size_t StateRegistry::memory_bytes() const {
  return words_.capacity() * sizeof(std::uint64_t) + table_.capacity() * sizeof(std::uint32_t) +
         sizeof(*this);
}

}  // namespace goap::search
