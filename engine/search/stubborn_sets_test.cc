#include "search/stubborn_sets.h"

#include <doctest/doctest.h>

#include <vector>

#include "search/search.h"
#include "search/successor_generator.h"
#include "search/test_tasks.h"

namespace goap::search {
namespace {

std::vector<ground::OpId> ops(std::initializer_list<std::uint32_t> ids) {
  std::vector<ground::OpId> out;
  for (std::uint32_t i : ids) out.push_back(ground::OpId(i));
  return out;
}

// Goal y = 1. `reach` (x = 0 -> y := 1) achieves it; `spoil` (x := 1) disables `reach`, so it
// must stay; `other` (z := 1) touches nothing either needs, so it goes.
TEST_CASE("the stubborn set keeps a goal achiever and what interferes with it, not the rest") {
  testing::TaskBuilder b;
  const auto x = b.var("x", 3, 0);
  const auto y = b.var("y", 2, 0);
  const auto z = b.var("z", 2, 0);
  b.op("reach", {{x, 0}}, {{y, 1}});
  b.op("spoil", {}, {{x, 1}});
  b.op("other", {{z, 0}}, {{z, 1}});
  b.goal(y, {1});
  const ground::Task task = b.build();
  StubbornSets sss(task);

  std::vector<ground::OpId> applicable = ops({0, 1, 2});
  CHECK(sss.prune(task.initial.data(), applicable) == 1);
  CHECK(applicable == ops({0, 1}));

  // With x = 2, `reach` is not applicable: its enabling set is x's achievers (`spoil` writes
  // x := 1, not 0, so no operator enables it); `spoil` and `other` are both pruned.
  const std::vector<std::uint32_t> blocked{2, 0, 0};
  applicable = ops({1, 2});
  CHECK(sss.prune(blocked.data(), applicable) == 2);
  CHECK(applicable.empty());

  // A goal state is left alone.
  const std::vector<std::uint32_t> done{0, 1, 0};
  applicable = ops({0, 1, 2});
  CHECK(sss.prune(done.data(), applicable) == 0);
  CHECK(applicable.size() == 3);
  CHECK(sss.pruned() == 3);
}

TEST_CASE("independent switches: one order instead of all 2^n") {
  const ground::Task task = testing::switches_task(10);
  Searcher searcher(task);
  testing::ZeroHeuristic zero;
  SearchConfig config = SearchConfig::astar();
  const std::uint64_t unpruned = searcher.solve(zero, config).stats.expanded;
  config.stubborn_sets = true;
  const SearchResult& r = searcher.solve(zero, config);
  REQUIRE(r.status == SearchStatus::solved);
  CHECK(r.plan.cost == 10);
  CHECK(r.stats.expanded == 10);
  CHECK(r.stats.generated == 10);
  CHECK(r.stats.pruned == 9 + 8 + 7 + 6 + 5 + 4 + 3 + 2 + 1);
  CHECK(unpruned > 500);
}

TEST_CASE("pruning switches itself off when it removes too little") {
  // Every operator moves the one token: they all interfere, nothing is ever pruned.
  testing::TaskBuilder b;
  const auto pos = b.var("pos", 4, 0);
  for (std::uint32_t from = 0; from < 4; ++from)
    for (std::uint32_t to = 0; to < 4; ++to)
      if (from != to) b.op("move", {{pos, from}}, {{pos, to}});
  b.goal(pos, {3});
  const ground::Task task = b.build();
  StubbornSets sss(task);
  std::vector<ground::OpId> applicable;
  for (std::uint64_t i = 0; i < StubbornSets::kCheckAfter; ++i) {
    CHECK(sss.active());
    applicable = ops({0, 1, 2});  // the moves from pos 0
    CHECK(sss.prune(task.initial.data(), applicable) == 0);
  }
  CHECK_FALSE(sss.active());
  sss.reset();
  CHECK(sss.active());
}

// What makes pruning safe for A*: from every solvable state, some operator kept starts an optimal
// plan. Checked against the explicit-state oracle in random states of random tasks. (Whole
// searches with pruning and the real heuristics: engine/heuristics/optimality_test.cc.)
TEST_CASE("from every solvable state some kept operator starts an optimal plan") {
  int states = 0, pruning_states = 0;
  for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
    const ground::Task task = testing::random_task(seed);
    StubbornSets sss(task);
    testing::SplitMix rng(seed * 7919);
    std::vector<std::uint32_t> state(task.variables.size()), child;
    std::vector<ground::OpId> applicable;
    for (int k = 0; k < 12; ++k) {
      for (std::size_t v = 0; v < state.size(); ++v) state[v] = rng.below(task.variables[v].domain);
      if (task.is_goal(state.data())) continue;
      const long long best = testing::optimal_cost(task, state);
      if (best < 0) continue;
      applicable_by_scan(task, state.data(), applicable);
      const std::size_t removed = sss.prune(state.data(), applicable);
      long long best_kept = -1;
      for (ground::OpId o : applicable) {
        const ground::Operator& op = task.operators[o.index()];
        child = state;
        for (const ground::VarVal& e : op.eff) child[e.var] = e.value;
        const long long rest = testing::optimal_cost(task, child);
        if (rest >= 0 && (best_kept < 0 || op.cost + rest < best_kept)) best_kept = op.cost + rest;
      }
      CAPTURE(seed);
      CAPTURE(k);
      REQUIRE(best_kept == best);
      ++states;
      pruning_states += removed > 0 ? 1 : 0;
    }
  }
  CHECK(states > 1000);
  CHECK(pruning_states > 300);  // pruning happens often enough for the check to mean something
}

}  // namespace
}  // namespace goap::search
