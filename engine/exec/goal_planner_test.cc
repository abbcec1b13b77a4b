#include "exec/goal_planner.h"

#include <doctest/doctest.h>

#include "load/loader.h"

using namespace goap;

namespace {

model::World load_text(const std::string& text) {
  core::SourceManager sm;
  core::Diagnostics diags;
  auto w = load::load_world_text("test.yaml", text, sm, diags);
  INFO(core::render_all(diags, sm));
  REQUIRE(w.has_value());
  return std::move(*w);
}

const char* kWorld = R"(
kind: world
facts: {a: bool, b: bool, c: bool, blocked: bool, alarm: bool}
state: [alarm]
actions:
  make-a: {eff: [a], cost: 5}
  make-b: {eff: [b], cost: 2}
  make-c: {pre: [blocked], eff: [c]}
goals:
  high-but-stuck: {priority: 100, want: [c]}
  tie-expensive: {priority: 50, want: [a]}
  tie-cheap: {priority: 50, want: [b]}
  only-when-quiet: {priority: 200, when: [not alarm], want: [a, b]}
)";

std::string name_of(const model::World& w, const exec::Decision& d) {
  return d.chosen < 0 ? "" : w.goal(d.goals[static_cast<std::size_t>(d.chosen)].goal).name;
}

}  // namespace

TEST_CASE("next picks the highest priority goal with a plan; ties go to the lower cost") {
  const auto w = load_text(kWorld);
  exec::PlanningError err;
  const auto d = exec::decide(w, w.initial_state(), {}, &err);
  REQUIRE(d.has_value());
  CHECK(d->status == exec::GoalStatus::plan);
  CHECK(name_of(w, *d) == "tie-cheap");
  // Goals are reported most important first, each with its own status.
  REQUIRE(d->goals.size() == 4);
  CHECK(w.goal(d->goals[0].goal).name == "only-when-quiet");
  CHECK(d->goals[0].status == exec::GoalStatus::inactive);
  CHECK(d->goals[1].status == exec::GoalStatus::unsolvable);
  CHECK(d->goals[2].cost + d->goals[3].cost == 7);
}

TEST_CASE("with only_goal the goal is planned whatever its when says") {
  const auto w = load_text(kWorld);
  exec::PlannerOptions o;
  o.only_goal = w.goal_index.at("only-when-quiet");
  exec::PlanningError err;
  const auto d = exec::decide(w, w.initial_state(), o, &err);
  REQUIRE(d.has_value());
  CHECK(name_of(w, *d) == "only-when-quiet");
  CHECK(d->goals.size() == 1);
  CHECK(d->goals[0].cost == 7);
}

TEST_CASE("the answer is the same at one thread and at two") {
  const auto w = load_text(kWorld);
  exec::PlanningError err;
  for (int threads : {1, 2}) {
    exec::PlannerOptions o;
    o.threads = threads;
    const auto d = exec::decide(w, w.initial_state(), o, &err);
    REQUIRE(d.has_value());
    CHECK(name_of(w, *d) == "tie-cheap");
    REQUIRE(d->goals[3].plan.size() == 1);
  }
}

TEST_CASE("a search limit is a status, not a crash") {
  const auto w = load_text(R"(
kind: world
facts: {n: "int[0..50]"}
actions:
  inc: {eff: [n += 1]}
goals:
  far: {want: [n = 50]}
)");
  exec::PlannerOptions o;
  o.max_expansions = 3;
  o.heuristic = "blind";
  exec::PlanningError err;
  const auto d = exec::decide(w, w.initial_state(), o, &err);
  REQUIRE(d.has_value());
  CHECK(d->status == exec::GoalStatus::limit);
  CHECK(d->goals[0].reason == "expansions limit hit after 3 expansions");
}

TEST_CASE("all goals met: satisfied") {
  const auto w = load_text("kind: world\nfacts: {a: bool}\nstate: [a]\nactions: {x: {eff: [not a]}}\ngoals: {g: {want: [a]}}\n");
  exec::PlanningError err;
  const auto d = exec::decide(w, w.initial_state(), {}, &err);
  REQUIRE(d.has_value());
  CHECK(d->status == exec::GoalStatus::satisfied);
  CHECK(d->chosen == -1);
}
