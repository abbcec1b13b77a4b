#include "search/state_registry.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "search/test_tasks.h"

namespace goap::search {
namespace {

TEST_CASE("packer: bits per variable and no variable straddles a word") {
  const std::vector<std::uint32_t> domains{1, 2, 3, 4, 5, 256, 257};
  StatePacker p(domains);
  CHECK(p.bits(0) == 1);
  CHECK(p.bits(1) == 1);
  CHECK(p.bits(2) == 2);
  CHECK(p.bits(3) == 2);
  CHECK(p.bits(4) == 3);
  CHECK(p.bits(5) == 8);
  CHECK(p.bits(6) == 9);
  CHECK(p.words_per_state() == 1);

  // Three 30-bit variables: two share a word, the third needs its own.
  const std::vector<std::uint32_t> wide{1u << 30, 1u << 30, 1u << 30};
  StatePacker w(wide);
  CHECK(w.words_per_state() == 2);

  // 65 booleans need two words; the soldier's 8 booleans fit one.
  CHECK(StatePacker(std::vector<std::uint32_t>(65, 2)).words_per_state() == 2);
  CHECK(StatePacker(testing::soldier_task()).words_per_state() == 1);
  CHECK(StatePacker(std::vector<std::uint32_t>{}).words_per_state() == 1);
}

TEST_CASE("packer: pack, unpack, get and set round-trip every value") {
  const std::vector<std::uint32_t> domains{3, 2, 1000, 7, 1u << 31, 2, 5, 33, 65536, 3, 3, 3};
  StatePacker p(domains);
  testing::SplitMix rng(7);
  std::vector<std::uint64_t> packed(p.words_per_state());
  std::vector<std::uint32_t> values(domains.size()), back(domains.size());
  for (int round = 0; round < 200; ++round) {
    for (std::size_t v = 0; v < domains.size(); ++v) values[v] = rng.below(domains[v]);
    p.pack(values.data(), packed.data());
    p.unpack(packed.data(), back.data());
    REQUIRE(back == values);
    const std::size_t v = rng.below(static_cast<std::uint32_t>(domains.size()));
    const std::uint32_t x = rng.below(domains[v]);
    p.set(packed.data(), v, x);
    values[v] = x;
    for (std::size_t u = 0; u < domains.size(); ++u) REQUIRE(p.get(packed.data(), u) == values[u]);
  }
}

TEST_CASE("registry: one id per distinct state, stable across growth and clear") {
  const std::vector<std::uint32_t> domains{4, 4, 4, 4, 4, 4, 4, 4};  // 65536 states
  ground::Task task;
  for (std::uint32_t d : domains) task.variables.push_back({"v", d, {}});
  StateRegistry reg(task);
  CHECK(reg.bytes_per_state() == 8);
  std::vector<std::uint64_t> packed(reg.words_per_state());
  std::vector<std::uint32_t> values(domains.size());
  auto state_of = [&](std::uint32_t code) {
    for (std::size_t v = 0; v < domains.size(); ++v) {
      values[v] = code % 4;
      code /= 4;
    }
    reg.packer().pack(values.data(), packed.data());
  };

  for (int round = 0; round < 2; ++round) {
    // Insert 5000 states, each twice.
    for (std::uint32_t code = 0; code < 5000; ++code) {
      state_of(code * 13 % 65536);
      const auto first = reg.insert_or_get(packed.data());
      REQUIRE(first.inserted);
      REQUIRE(first.id.value() == code);
      const auto again = reg.insert_or_get(packed.data());
      REQUIRE_FALSE(again.inserted);
      REQUIRE(again.id == first.id);
    }
    CHECK(reg.size() == 5000);
    state_of(1);  // 1 is not a multiple of 13 mod 65536 below 5000*13
    CHECK_FALSE(reg.lookup(packed.data()).valid());
    std::vector<std::uint32_t> out(domains.size());
    reg.unpack(StateId(42), out.data());
    state_of(42 * 13);
    CHECK(out == values);
    CHECK(reg.lookup(packed.data()) == StateId(42));

    // Re-inserting from a pointer into the registry's own storage is safe.
    const auto self = reg.insert_or_get(reg.packed(StateId(7)));
    CHECK_FALSE(self.inserted);
    CHECK(self.id == StateId(7));

    const std::size_t memory = reg.memory_bytes();
    reg.clear();
    CHECK(reg.size() == 0);
    CHECK(reg.memory_bytes() == memory);  // capacity kept for the next round
    state_of(13);
    CHECK_FALSE(reg.lookup(packed.data()).valid());
  }
}

TEST_CASE("registry: clearing a few states out of a big table leaves it empty") {
  ground::Task task;
  for (int i = 0; i < 20; ++i) task.variables.push_back({"b", 2, {}});
  StateRegistry reg(task);
  std::vector<std::uint64_t> packed(1);
  for (std::uint64_t s = 0; s < 4000; ++s) {
    packed[0] = s;
    reg.insert_or_get(packed.data());
  }
  reg.clear();
  for (int round = 0; round < 3; ++round) {  // small rounds take the O(states) clear path
    for (std::uint64_t s = 0; s < 50; ++s) {
      packed[0] = s * 977 % 4000;
      REQUIRE(reg.insert_or_get(packed.data()).inserted);
    }
    reg.clear();
    for (std::uint64_t s = 0; s < 4000; ++s) {
      packed[0] = s;
      REQUIRE_FALSE(reg.lookup(packed.data()).valid());
    }
  }
}

}  // namespace
}  // namespace goap::search
