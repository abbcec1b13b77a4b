#include <doctest/doctest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "heuristics/factory.h"
#include "heuristics/hff.h"
#include "search/search.h"
#include "search/test_alloc_counter.h"
#include "search/test_tasks.h"

namespace goap::heuristics {
namespace {

using search::Heuristic;
using search::testing::TaskBuilder;

int h_of(std::string_view name, const ground::Task& task, const std::vector<std::uint32_t>& s) {
  return make_heuristic(name, task)->evaluate(s.data(), nullptr);
}

TEST_CASE("heuristic values on the soldier (h* = 4)") {
  const ground::Task task = search::testing::soldier_task();
  // Every relaxed heuristic takes the bomb: 3 steps once "alive" may stay true.
  CHECK(h_of("blind", task, task.initial) == 1);
  CHECK(h_of("hmax", task, task.initial) == 3);
  CHECK(h_of("add", task, task.initial) == 3);
  CHECK(h_of("ff", task, task.initial) == 3);
  CHECK(h_of("lmcut", task, task.initial) == 3);

  std::vector<std::uint32_t> goal_state = task.initial;
  goal_state[4] = 0;  // enemy dead, soldier alive
  for (std::string_view name : heuristic_names()) CHECK(h_of(name, task, goal_state) == 0);
}

TEST_CASE("h_FF prefers the applicable first step of its relaxed plan") {
  const ground::Task task = search::testing::soldier_task();
  FFHeuristic ff(task);
  std::vector<ground::OpId> preferred{ground::OpId(6)};
  CHECK(ff.evaluate(task.initial.data(), &preferred) == 3);
  // Relaxed plan scout, approach, detonate-bomb: only scout applies now.
  CHECK(preferred == std::vector<ground::OpId>{ground::OpId(0)});
}

TEST_CASE("a shared subgoal: h_add counts it twice, h_FF and LM-cut once, h_max not at all") {
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
  CHECK(search::testing::optimal_cost(task) == 7);
  CHECK(h_of("blind", task, task.initial) == 1);
  CHECK(h_of("hmax", task, task.initial) == 6);
  CHECK(h_of("add", task, task.initial) == 12);
  CHECK(h_of("ff", task, task.initial) == 7);
  CHECK(h_of("lmcut", task, task.initial) == 7);
}

TEST_CASE("independent goals: LM-cut adds them up, h_max takes the largest") {
  TaskBuilder b;
  const auto g1 = b.var("g1", 2, 0);
  const auto g2 = b.var("g2", 2, 0);
  const auto g3 = b.var("g3", 2, 0);
  b.op("a", {}, {{g1, 1}}, 2);
  b.op("b", {}, {{g2, 1}}, 3);
  b.op("c", {}, {{g3, 1}}, 1);
  b.op("ab", {}, {{g1, 1}, {g2, 1}}, 4);  // one action for two goals: LM-cut's cuts share it
  for (auto g : {g1, g2, g3}) b.goal(g, {1});
  const ground::Task task = b.build();
  CHECK(search::testing::optimal_cost(task) == 5);
  CHECK(h_of("hmax", task, task.initial) == 3);
  CHECK(h_of("lmcut", task, task.initial) == 5);
}

TEST_CASE("a goal with several allowed values costs its cheapest value") {
  TaskBuilder b;
  const auto x = b.var("x", 4, 0);
  b.op("to1", {{x, 0}}, {{x, 1}}, 5);
  b.op("to2", {{x, 0}}, {{x, 2}}, 3);
  b.op("to3", {{x, 0}}, {{x, 3}}, 1);
  b.goal(x, {1, 2});
  const ground::Task task = b.build();
  for (std::string_view name : {"hmax", "add", "ff", "lmcut"}) {
    CAPTURE(name);
    CHECK(h_of(name, task, task.initial) == 3);
  }
}

TEST_CASE("zero-cost operators: relaxed heuristics may say 0 before the goal, never more than h*") {
  TaskBuilder b;
  const auto x = b.var("x", 3, 0);
  const auto y = b.var("y", 2, 0);
  b.op("free", {{x, 0}}, {{x, 1}}, 0);
  b.op("free2", {{x, 1}}, {{x, 2}}, 0);
  b.op("pay", {{x, 2}}, {{y, 1}}, 2);
  b.goal(y, {1});
  b.goal(x, {2});
  const ground::Task task = b.build();
  CHECK(h_of("hmax", task, task.initial) == 2);
  CHECK(h_of("lmcut", task, task.initial) == 2);
  CHECK(h_of("ff", task, task.initial) == 2);
  CHECK(h_of("blind", task, task.initial) == 0);  // the cheapest operator is free
}

TEST_CASE("relaxed dead ends are infinite for every relaxation heuristic") {
  TaskBuilder b;
  const auto x = b.var("x", 3, 0);
  b.op("a", {{x, 0}}, {{x, 1}});
  b.goal(x, {2});
  const ground::Task task = b.build();
  for (std::string_view name : {"hmax", "add", "ff", "lmcut"}) {
    CAPTURE(name);
    CHECK(h_of(name, task, task.initial) == Heuristic::kInfinity);
  }
  CHECK(h_of("blind", task, task.initial) == 1);
  const ground::Task no_ops = search::testing::counter_task(0);
  std::vector<std::uint32_t> s{0};
  CHECK(h_of("blind", no_ops, s) == 0);
}

TEST_CASE("factory: names, flags, and the error for an unknown name") {
  const ground::Task task = search::testing::soldier_task();
  for (std::string_view name : heuristic_names()) {
    const auto h = make_heuristic(name, task);
    CHECK(h->name() == name);
    CHECK(h->admissible() == (name == "blind" || name == "hmax" || name == "lmcut"));
  }
  try {
    (void)make_heuristic("hm", task);
    FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()) == "unknown heuristic 'hm' (valid: blind, hmax, add, ff, lmcut)");
  }
}

TEST_CASE("every heuristic with A* solves the soldier optimally; greedy FF with preferred too") {
  const ground::Task task = search::testing::soldier_task();
  search::Searcher searcher(task);
  for (std::string_view name : heuristic_names()) {
    CAPTURE(name);
    const auto h = make_heuristic(name, task);
    const search::SearchResult& r = searcher.solve(*h);
    REQUIRE(r.status == search::SearchStatus::solved);
    CHECK(search::validate_plan(task, r.plan) == "");
    if (h->admissible()) CHECK(r.plan.cost == 4);
  }
  const auto ff = make_heuristic("ff", task);
  const search::SearchResult& g = searcher.solve(*ff, search::SearchConfig::greedy(true));
  REQUIRE(g.status == search::SearchStatus::solved);
  CHECK(search::validate_plan(task, g.plan) == "");
  // Greedy trusts FF's bomb-based relaxed plan and approaches first: valid, not optimal.
  CHECK(g.plan.cost == 5);
}

TEST_CASE("a warmed-up searcher and heuristic replan the soldier without allocating") {
  const ground::Task task = search::testing::soldier_task();
  search::Searcher searcher(task);
  for (std::string_view name : heuristic_names()) {
    CAPTURE(name);
    const auto h = make_heuristic(name, task);
    const search::SearchConfig config =
        name == "ff" ? search::SearchConfig::greedy(true) : search::SearchConfig::astar();
    const long long cost = searcher.solve(*h, config).plan.cost;  // warm-up
    search::testing::AllocationCounter counter;
    for (int i = 0; i < 5; ++i) REQUIRE(searcher.solve(*h, config).plan.cost == cost);
    CHECK(counter.count() == 0);
  }
}

}  // namespace
}  // namespace goap::heuristics
