#include "search/successor_generator.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "search/test_tasks.h"

namespace goap::search {
namespace {

TEST_CASE("successor generator: the soldier's applicable actions") {
  const ground::Task task = testing::soldier_task();
  SuccessorGenerator gen(task);
  std::vector<ground::OpId> ops;
  gen.generate(task.initial.data(), ops);
  // scout (0) and load (4) need only the gun; by name, load comes first.
  CHECK(ops == std::vector<ground::OpId>{ground::OpId(4), ground::OpId(0)});
}

TEST_CASE("successor generator: operators without preconditions always apply") {
  testing::TaskBuilder b;
  const auto x = b.var("x", 3, 0);
  b.op("reset", {}, {{x, 0}});
  b.op("step", {{x, 1}}, {{x, 2}});
  const ground::Task task = b.build();
  SuccessorGenerator gen(task);
  std::vector<ground::OpId> ops;
  for (std::uint32_t v = 0; v < 3; ++v) {
    gen.generate(&v, ops);
    CHECK(ops == (v == 1 ? std::vector<ground::OpId>{ground::OpId(0), ground::OpId(1)}
                         : std::vector<ground::OpId>{ground::OpId(0)}));
  }
}

TEST_CASE("successor generator: same operators as a full scan on random tasks and states") {
  std::vector<ground::OpId> fast, slow;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const ground::Task task = testing::random_task(seed);
    SuccessorGenerator gen(task);
    testing::SplitMix rng(seed * 31);
    std::vector<std::uint32_t> state(task.variables.size());
    for (int k = 0; k < 20; ++k) {
      for (std::size_t v = 0; v < state.size(); ++v) state[v] = rng.below(task.variables[v].domain);
      gen.generate(state.data(), fast);
      applicable_by_scan(task, state.data(), slow);
      REQUIRE(fast == slow);
    }
  }
}

TEST_CASE("successor generator: by name, then by id, whatever the numbering") {
  testing::TaskBuilder b;
  const auto x = b.var("x", 2, 0);
  b.op("b", {}, {{x, 1}});
  b.op("a-2", {{x, 0}}, {{x, 1}});
  b.op("a", {}, {{x, 0}});
  b.op("b", {{x, 0}}, {{x, 0}});
  b.op("a-10", {}, {{x, 1}});
  const ground::Task task = b.build();
  SuccessorGenerator gen(task);
  std::vector<ground::OpId> ops;
  gen.generate(task.initial.data(), ops);
  CHECK(ops == std::vector<ground::OpId>{ground::OpId(2), ground::OpId(4), ground::OpId(1), ground::OpId(0),
                                         ground::OpId(3)});
  const std::uint32_t one = 1;
  gen.generate(&one, ops);
  CHECK(ops == std::vector<ground::OpId>{ground::OpId(2), ground::OpId(4), ground::OpId(0)});
}

TEST_CASE("successor generator: a task without operators") {
  testing::TaskBuilder b;
  b.var("x", 2, 0);
  const ground::Task task = b.build();
  SuccessorGenerator gen(task);
  std::vector<ground::OpId> ops{ground::OpId(3)};
  gen.generate(task.initial.data(), ops);
  CHECK(ops.empty());
}

}  // namespace
}  // namespace goap::search
