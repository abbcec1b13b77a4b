#include "heuristics/lmcut.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "heuristics/hmax.h"
#include "search/test_tasks.h"

namespace goap::heuristics {
namespace {

using search::testing::TaskBuilder;

TEST_CASE("LM-cut finds one landmark per independent goal") {
  TaskBuilder b;
  const auto g1 = b.var("g1", 2, 0);
  const auto g2 = b.var("g2", 2, 0);
  b.op("a", {}, {{g1, 1}}, 1);
  b.op("b", {}, {{g2, 1}}, 1);
  b.goal(g1, {1});
  b.goal(g2, {1});
  const ground::Task task = b.build();
  LMCutHeuristic lmcut(task);
  HMaxHeuristic hmax(task);
  CHECK(hmax.evaluate(task.initial.data(), nullptr) == 1);
  CHECK(lmcut.evaluate(task.initial.data(), nullptr) == 2);
  CHECK(lmcut.last_num_landmarks() == 2);
}

TEST_CASE("LM-cut on a chain with a zero-cost shortcut") {
  // x: 0 -> 1 (cost 3) or 0 -> 2 (free) -> 1 (cost 1); goal x = 3 via 1 -> 3 (cost 2).
  TaskBuilder b;
  const auto x = b.var("x", 4, 0);
  b.op("slow", {{x, 0}}, {{x, 1}}, 3);
  b.op("free", {{x, 0}}, {{x, 2}}, 0);
  b.op("step", {{x, 2}}, {{x, 1}}, 1);
  b.op("last", {{x, 1}}, {{x, 3}}, 2);
  b.goal(x, {3});
  const ground::Task task = b.build();
  LMCutHeuristic lmcut(task);
  CHECK(lmcut.evaluate(task.initial.data(), nullptr) == 3);
  CHECK(search::testing::optimal_cost(task) == 3);
}

TEST_CASE("hmax <= LM-cut <= h* in random states of random tasks") {
  int strictly_better = 0;
  for (std::uint64_t seed = 1000; seed < 1150; ++seed) {
    const ground::Task task = search::testing::random_task(seed);
    LMCutHeuristic lmcut(task);
    HMaxHeuristic hmax(task);
    search::testing::SplitMix rng(seed);
    std::vector<std::uint32_t> state(task.variables.size());
    for (int k = 0; k < 8; ++k) {
      for (std::size_t v = 0; v < state.size(); ++v) state[v] = rng.below(task.variables[v].domain);
      const long long best = search::testing::optimal_cost(task, state);
      const int hm = hmax.evaluate(state.data(), nullptr);
      const int lm = lmcut.evaluate(state.data(), nullptr);
      CAPTURE(seed);
      if (best < 0) {
        // Relaxed reachability is the same for both; neither may call a solvable state dead.
        REQUIRE((hm == search::Heuristic::kInfinity) == (lm == search::Heuristic::kInfinity));
        continue;
      }
      REQUIRE(hm <= lm);
      REQUIRE(lm <= best);
      strictly_better += lm > hm ? 1 : 0;
    }
  }
  CHECK(strictly_better > 0);  // the test tasks are rich enough to tell them apart
}

TEST_CASE("LM-cut's successor bound: at least h - cost, at most h* of the successor") {
  int above_default = 0;
  for (std::uint64_t seed = 2000; seed < 2150; ++seed) {
    const ground::Task task = search::testing::random_task(seed);
    LMCutHeuristic lmcut(task);
    search::testing::SplitMix rng(seed);
    std::vector<std::uint32_t> state(task.variables.size()), child;
    for (int k = 0; k < 8; ++k) {
      for (std::size_t v = 0; v < state.size(); ++v) state[v] = rng.below(task.variables[v].domain);
      const int h = lmcut.evaluate(state.data(), nullptr);
      if (h == search::Heuristic::kInfinity) continue;
      // Ask for every bound first (they describe the last evaluation), then check each.
      std::vector<std::pair<std::uint32_t, int>> bounds;
      for (std::uint32_t o = 0; o < task.operators.size(); ++o) {
        if (!task.applicable(task.operators[o], state.data())) continue;
        bounds.emplace_back(o, lmcut.successor_bound(h, ground::OpId(o), task.operators[o].cost));
      }
      for (const auto& [o, bound] : bounds) {
        const ground::Operator& op = task.operators[o];
        child = state;
        for (const ground::VarVal& e : op.eff) child[e.var] = e.value;
        const long long best = search::testing::optimal_cost(task, child);
        CAPTURE(seed);
        CAPTURE(o);
        REQUIRE(bound >= std::max(h - op.cost, 0));
        if (best >= 0) REQUIRE(bound <= best);
        above_default += bound > std::max(h - op.cost, 0) ? 1 : 0;
      }
    }
  }
  CHECK(above_default > 0);  // the bound is tighter than the default somewhere
}

TEST_CASE("incremental LM-cut: from the parent's landmarks, between the successor bound and h*") {
  int checked = 0;
  for (std::uint64_t seed = 3000; seed < 3150; ++seed) {
    const ground::Task task = search::testing::random_task(seed);
    LMCutHeuristic parent_lmcut(task), child_lmcut(task), fresh(task);
    search::testing::SplitMix rng(seed);
    std::vector<std::uint32_t> state(task.variables.size()), child, memo, own;
    for (int k = 0; k < 8; ++k) {
      for (std::size_t v = 0; v < state.size(); ++v) state[v] = rng.below(task.variables[v].domain);
      const int h = parent_lmcut.evaluate(state.data(), nullptr);
      if (h == search::Heuristic::kInfinity) continue;
      memo.clear();
      parent_lmcut.save_memo(memo);
      // With no memo it is LM-cut from scratch.
      CHECK(child_lmcut.evaluate_from(state.data(), nullptr, 0, ground::OpId(0)) == h);
      for (std::uint32_t o = 0; o < task.operators.size(); ++o) {
        const ground::Operator& op = task.operators[o];
        if (!task.applicable(op, state.data())) continue;
        child = state;
        for (const ground::VarVal& e : op.eff) child[e.var] = e.value;
        const int bound = parent_lmcut.successor_bound(h, ground::OpId(o), op.cost);
        const int inc = child_lmcut.evaluate_from(child.data(), memo.data(), memo.size(), ground::OpId(o));
        const long long best = search::testing::optimal_cost(task, child);
        CAPTURE(seed);
        CAPTURE(o);
        if (best < 0) {
          // Relaxed reachability decides dead ends, whatever the memo.
          REQUIRE((inc == search::Heuristic::kInfinity) == (fresh.evaluate(child.data(), nullptr) == search::Heuristic::kInfinity));
          continue;
        }
        REQUIRE(inc >= bound);
        REQUIRE(inc <= best);
        // Its own memo holds landmarks whose costs add up to its value.
        own.clear();
        child_lmcut.save_memo(own);
        long long sum = 0;
        for (std::size_t i = 0; i < own.size(); i += 2 + own[i + 1]) sum += own[i];
        REQUIRE(sum == inc);
        ++checked;
      }
    }
  }
  CHECK(checked > 500);
}

// The landmark costs in a memo, added up.
long long memo_sum(const std::vector<std::uint32_t>& memo) {
  long long sum = 0;
  for (std::size_t i = 0; i < memo.size(); i += 2 + memo[i + 1]) sum += memo[i];
  return sum;
}

TEST_CASE("LM-cut refresh keeps the larger of the incremental value and LM-cut from scratch") {
  // Along random walks, each state evaluated from its predecessor's incremental memo, so that
  // the incremental values drift away from LM-cut from scratch (one step rarely does).
  int kept = 0, raised = 0;
  for (std::uint64_t seed = 3200; seed < 3400; ++seed) {
    const ground::Task task = search::testing::random_task(seed, 10, 60);  // no oracle needed
    LMCutHeuristic lmcut(task), fresh(task);
    search::testing::SplitMix rng(seed);
    std::vector<std::uint32_t> state(task.variables.size()), memo, before, after, scratch_memo;
    std::vector<std::uint32_t> ops;
    std::vector<int> bounds_before;
    for (int walk = 0; walk < 4; ++walk) {
      for (std::size_t v = 0; v < state.size(); ++v) state[v] = rng.below(task.variables[v].domain);
      if (lmcut.evaluate(state.data(), nullptr) == search::Heuristic::kInfinity) continue;
      memo.clear();
      lmcut.save_memo(memo);
      for (int step = 0; step < 12; ++step) {
        ops.clear();
        for (std::uint32_t o = 0; o < task.operators.size(); ++o)
          if (task.applicable(task.operators[o], state.data())) ops.push_back(o);
        if (ops.empty()) break;
        const std::uint32_t o = ops[rng.below(static_cast<std::uint32_t>(ops.size()))];
        for (const ground::VarVal& e : task.operators[o].eff) state[e.var] = e.value;
        const int inc = lmcut.evaluate_from(state.data(), memo.data(), memo.size(), ground::OpId(o));
        if (inc == search::Heuristic::kInfinity) break;
        before.clear();
        lmcut.save_memo(before);
        bounds_before.clear();
        for (std::uint32_t c = 0; c < task.operators.size(); ++c)
          bounds_before.push_back(lmcut.successor_bound(inc, ground::OpId(c), task.operators[c].cost));
        const int scratch = fresh.evaluate(state.data(), nullptr);
        const int value = lmcut.refresh(state.data(), inc);
        CAPTURE(seed);
        CAPTURE(step);
        REQUIRE(value == std::max(inc, scratch));
        after.clear();
        lmcut.save_memo(after);
        REQUIRE(memo_sum(after) == value);
        // Kept: the memo and the successor bounds are the incremental evaluation's, untouched.
        // Raised: they are those of LM-cut from scratch.
        scratch_memo.clear();
        fresh.save_memo(scratch_memo);
        REQUIRE(after == (value == inc ? before : scratch_memo));
        for (std::uint32_t c = 0; c < task.operators.size(); ++c) {
          const int cost = task.operators[c].cost;
          REQUIRE(lmcut.successor_bound(value, ground::OpId(c), cost) ==
                  (value == inc ? bounds_before[c] : fresh.successor_bound(value, ground::OpId(c), cost)));
        }
            (value == inc ? kept : raised) += 1;
        memo.swap(before);  // walk on from the incremental memo
      }
    }
  }
  CHECK(kept > 100);
  CHECK(raised > 0);
}

}  // namespace
}  // namespace goap::heuristics
