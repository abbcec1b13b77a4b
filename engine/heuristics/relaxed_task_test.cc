#include "heuristics/relaxed_task.h"

#include <doctest/doctest.h>

#include <vector>

#include "heuristics/relaxed_exploration.h"
#include "search/test_tasks.h"

namespace goap::heuristics {
namespace {

using search::testing::TaskBuilder;

std::vector<std::uint32_t> list(std::span<const std::uint32_t> s) { return {s.begin(), s.end()}; }

TEST_CASE("relaxed task: atoms, artificial goal operators and precondition-free operators") {
  TaskBuilder b;
  const auto x = b.var("x", 3, 0);  // atoms 0..2
  const auto y = b.var("y", 2, 0);  // atoms 3..4
  b.op("free", {}, {{y, 1}}, 2);
  b.op("x1", {{x, 0}, {y, 1}}, {{x, 1}, {y, 1}}, 1);  // y=1 is already a precondition: dropped
  b.goal(x, {1, 2});
  b.goal(y, {1});
  const ground::Task task = b.build();
  const RelaxedTask r(task);

  // 5 value atoms, 1 goal-condition atom (x in {1,2}), true, goal.
  CHECK(r.num_atoms() == 8);
  CHECK(r.atom(1, 1) == 4);
  CHECK(r.true_atom() == 6);
  CHECK(r.goal_atom() == 7);
  // 2 task operators, 2 artificial "x=v -> condition" operators, 1 goal operator.
  REQUIRE(r.num_ops() == 5);
  CHECK(r.num_task_ops() == 2);
  CHECK(list(r.pre(0)) == std::vector<std::uint32_t>{r.true_atom()});
  CHECK(list(r.eff(1)) == std::vector<std::uint32_t>{r.atom(0, 1)});
  CHECK(list(r.pre(2)) == std::vector<std::uint32_t>{r.atom(0, 1)});
  CHECK(list(r.eff(3)) == std::vector<std::uint32_t>{5});
  CHECK(list(r.pre(4)) == std::vector<std::uint32_t>{r.atom(1, 1), 5});
  CHECK(list(r.eff(4)) == std::vector<std::uint32_t>{r.goal_atom()});
  CHECK_FALSE(r.op(4).original.valid());
  CHECK(r.op(1).original == ground::OpId(1));
  CHECK(list(r.precondition_of(r.atom(0, 0))) == std::vector<std::uint32_t>{1});
  CHECK(list(r.achievers(r.atom(1, 1))) == std::vector<std::uint32_t>{0});
}

TEST_CASE("relaxed exploration: h_max and h_add costs of each atom") {
  // p costs 5; g1 and g2 each need p and one more step.
  TaskBuilder b;
  const auto p = b.var("p", 2, 0);
  const auto g1 = b.var("g1", 2, 0);
  const auto g2 = b.var("g2", 2, 0);
  b.op("make-p", {}, {{p, 1}}, 5);
  b.op("a", {{p, 1}}, {{g1, 1}}, 1);
  b.op("b", {{p, 1}}, {{g2, 1}}, 1);
  b.goal(g1, {1});
  b.goal(g2, {1});
  const ground::Task task = b.build();
  const RelaxedTask r(task);
  RelaxedExploration ex(r);
  CHECK(ex.run(task.initial.data(), RelaxedExploration::Combine::max) == 6);
  CHECK(ex.cost(r.atom(p, 1)) == 5);
  CHECK(ex.supporter(r.atom(g1, 1)) == 1);
  CHECK(ex.supporter(r.atom(p, 0)) == RelaxedTask::kNoOp);
  CHECK(ex.run(task.initial.data(), RelaxedExploration::Combine::add) == 12);
}

}  // namespace
}  // namespace goap::heuristics
