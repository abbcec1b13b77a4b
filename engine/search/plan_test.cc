#include "search/plan.h"

#include <doctest/doctest.h>

#include "search/test_tasks.h"

namespace goap::search {
namespace {

Plan plan_of(std::vector<std::uint32_t> ops, long long cost) {
  Plan p;
  for (std::uint32_t o : ops) p.steps.push_back(ground::OpId(o));
  p.cost = cost;
  return p;
}

// Soldier operator ids: 0 scout, 1 approach, 2 aim, 3 shoot, 4 load, 5 detonate-bomb, 6 flee.
TEST_CASE("validate_plan accepts the soldier's optimal plan") {
  const ground::Task task = testing::soldier_task();
  CHECK(validate_plan(task, plan_of({4, 0, 2, 3}, 4)) == "");
}

TEST_CASE("validate_plan says which step fails and why") {
  const ground::Task task = testing::soldier_task();
  CHECK(validate_plan(task, plan_of({0, 2, 3}, 3)) ==
        "step 2 (aim): precondition weapon_loaded = 1 does not hold (it is 0)");
  CHECK(validate_plan(task, plan_of({0, 1, 5}, 3)) ==
        "the goal condition on alive does not hold at the end");
  CHECK(validate_plan(task, plan_of({4, 0, 2, 3}, 5)) ==
        "the plan claims cost 5 but its steps cost 4");
  CHECK(validate_plan(task, plan_of({4, 99}, 2)) == "step 2: no operator with id 99");
  CHECK(validate_plan(task, plan_of({}, 0)) ==
        "the goal condition on enemy_alive does not hold at the end");
}

TEST_CASE("validate_plan: a goal with several allowed values") {
  testing::TaskBuilder b;
  const auto x = b.var("x", 4, 0);
  b.op("to2", {{x, 0}}, {{x, 2}}, 3);
  b.goal(x, {1, 2});
  const ground::Task task = b.build();
  CHECK(validate_plan(task, plan_of({0}, 3)) == "");
}

}  // namespace
}  // namespace goap::search
