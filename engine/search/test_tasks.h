// Test-only: small hand-built tasks, a random task generator and an explicit-state-space oracle.
//
// Shared by the search and heuristics unit tests; never linked into the libraries. Everything is
// inline and deterministic: the random generator is a fixed splitmix64, not <random>, so the same
// seed gives the same tasks on every standard library.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <queue>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ground/task.h"
#include "search/heuristic.h"

namespace goap::search::testing {

// h = 0 everywhere: A* becomes uniform-cost search. (The real heuristics live in
// engine/heuristics, which depends on search, not the other way round.)
class ZeroHeuristic final : public Heuristic {
 public:
  int evaluate(const std::uint32_t*, std::vector<ground::OpId>* preferred) override {
    if (preferred) preferred->clear();
    return 0;
  }
  bool admissible() const override { return true; }
  std::string_view name() const override { return "zero"; }
};

// Builds a valid Task: sorts preconditions, effects and goal values as Task requires.
class TaskBuilder {
 public:
  std::uint32_t var(std::string name, std::uint32_t domain, std::uint32_t init) {
    ground::Variable v;
    v.name = std::move(name);
    v.domain = domain;
    for (std::uint32_t i = 0; i < domain; ++i)
      v.value_names.push_back(domain == 2 ? (i ? "true" : "false") : std::to_string(i));
    task_.variables.push_back(std::move(v));
    task_.initial.push_back(init);
    return static_cast<std::uint32_t>(task_.variables.size() - 1);
  }
  ground::OpId op(std::string name, std::vector<ground::VarVal> pre,
                  std::vector<ground::VarVal> eff, int cost = 1) {
    auto by_var = [](const ground::VarVal& a, const ground::VarVal& b) { return a.var < b.var; };
    std::sort(pre.begin(), pre.end(), by_var);
    std::sort(eff.begin(), eff.end(), by_var);
    ground::Operator o;
    o.name = std::move(name);
    o.action = static_cast<std::uint32_t>(task_.operators.size());
    o.pre = std::move(pre);
    o.eff = std::move(eff);
    o.cost = cost;
    task_.operators.push_back(std::move(o));
    return ground::OpId::from(task_.operators.size() - 1);
  }
  void goal(std::uint32_t var, std::vector<std::uint32_t> values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    task_.goal.push_back(ground::GoalCondition{var, std::move(values)});
    std::sort(task_.goal.begin(), task_.goal.end(),
              [](const auto& a, const auto& b) { return a.var < b.var; });
  }
  [[nodiscard]] ground::Task build() const { return task_; }

 private:
  ground::Task task_;
};

// The GOAP soldier: kill the enemy and stay alive. Optimal cost 4 (load, scout, aim, shoot);
// detonate-bomb reaches "enemy dead" in 3 steps but kills the soldier too.
inline ground::Task soldier_task() {
  TaskBuilder b;
  const auto enemy_visible = b.var("enemy_visible", 2, 0);
  const auto armed_with_gun = b.var("armed_with_gun", 2, 1);
  const auto weapon_loaded = b.var("weapon_loaded", 2, 0);
  const auto enemy_lined_up = b.var("enemy_lined_up", 2, 0);
  const auto enemy_alive = b.var("enemy_alive", 2, 1);
  const auto armed_with_bomb = b.var("armed_with_bomb", 2, 1);
  const auto near_enemy = b.var("near_enemy", 2, 0);
  const auto alive = b.var("alive", 2, 1);
  b.op("scout", {{armed_with_gun, 1}}, {{enemy_visible, 1}});
  b.op("approach", {{enemy_visible, 1}}, {{near_enemy, 1}});
  b.op("aim", {{enemy_visible, 1}, {weapon_loaded, 1}}, {{enemy_lined_up, 1}});
  b.op("shoot", {{enemy_lined_up, 1}}, {{enemy_alive, 0}});
  b.op("load", {{armed_with_gun, 1}}, {{weapon_loaded, 1}});
  b.op("detonate-bomb", {{armed_with_bomb, 1}, {near_enemy, 1}}, {{enemy_alive, 0}, {alive, 0}});
  b.op("flee", {{enemy_visible, 1}}, {{near_enemy, 0}});
  b.goal(enemy_alive, {0});
  b.goal(alive, {1});
  return b.build();
}

// One variable counting 0..n; `inc` steps it by one (n operators, split per value as the grounder
// does). Goal: counter == n. Optimal cost n.
inline ground::Task counter_task(std::uint32_t n) {
  TaskBuilder b;
  const auto c = b.var("counter", n + 1, 0);
  for (std::uint32_t v = 0; v < n; ++v) b.op("inc-" + std::to_string(v), {{c, v}}, {{c, v + 1}});
  b.goal(c, {n});
  return b.build();
}

// n boolean switches, each `set-i` turns switch i on; goal: all on. 2^n states, optimal cost n.
inline ground::Task switches_task(std::uint32_t n) {
  TaskBuilder b;
  for (std::uint32_t i = 0; i < n; ++i) b.var("on" + std::to_string(i), 2, 0);
  for (std::uint32_t i = 0; i < n; ++i) b.op("set-" + std::to_string(i), {{i, 0}}, {{i, 1}});
  for (std::uint32_t i = 0; i < n; ++i) b.goal(i, {1});
  return b.build();
}

class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
  bool chance(std::uint32_t percent) { return below(100) < percent; }

 private:
  std::uint64_t s_;
};

// A small random task: 2-4 variables of domain 2-4, 2-9 operators with random preconditions and
// effects, costs in {0,1,2,3,5}, 1-3 goal conditions with 1-2 allowed values each. Larger spreads
// give up to 1 + var_spread variables and 1 + op_spread operators (too many states for the oracle).
inline ground::Task random_task(std::uint64_t seed, std::uint32_t var_spread = 3, std::uint32_t op_spread = 8) {
  SplitMix rng(seed);
  TaskBuilder b;
  const std::uint32_t nvars = 2 + rng.below(var_spread);
  std::vector<std::uint32_t> dom;
  for (std::uint32_t v = 0; v < nvars; ++v) {
    dom.push_back(2 + rng.below(3));
    b.var("v" + std::to_string(v), dom.back(), rng.below(dom.back()));
  }
  const std::uint32_t nops = 2 + rng.below(op_spread);
  static constexpr int kCosts[] = {0, 1, 1, 2, 3, 5};
  for (std::uint32_t o = 0; o < nops; ++o) {
    std::vector<ground::VarVal> pre, eff;
    for (std::uint32_t v = 0; v < nvars; ++v)
      if (rng.chance(40)) pre.push_back({v, rng.below(dom[v])});
    for (std::uint32_t v = 0; v < nvars; ++v)
      if (rng.chance(45)) eff.push_back({v, rng.below(dom[v])});
    if (eff.empty()) {
      const std::uint32_t v = rng.below(nvars);
      eff.push_back({v, rng.below(dom[v])});
    }
    b.op("op" + std::to_string(o), pre, eff, kCosts[rng.below(6)]);
  }
  const std::uint32_t ngoals = 1 + rng.below(std::min<std::uint32_t>(3, nvars));
  std::vector<std::uint32_t> vars(nvars);
  for (std::uint32_t v = 0; v < nvars; ++v) vars[v] = v;
  for (std::uint32_t i = 0; i < ngoals; ++i) {
    std::swap(vars[i], vars[i + rng.below(nvars - i)]);
    const std::uint32_t v = vars[i];
    std::vector<std::uint32_t> values{rng.below(dom[v])};
    if (rng.chance(30)) values.push_back(rng.below(dom[v]));
    b.goal(v, values);
  }
  return b.build();
}

// The oracle: uniform-cost search over the explicit state space (states as mixed-radix numbers).
// Returns the optimal cost from `start`, or -1 when no goal state is reachable. Only for tiny tasks.
inline long long optimal_cost(const ground::Task& task, const std::vector<std::uint32_t>& start) {
  const std::size_t n = task.variables.size();
  std::size_t num_states = 1;
  for (const auto& v : task.variables) num_states *= v.domain;
  auto encode = [&](const std::vector<std::uint32_t>& s) {
    std::size_t code = 0;
    for (std::size_t v = n; v-- > 0;) code = code * task.variables[v].domain + s[v];
    return code;
  };
  auto decode = [&](std::size_t code) {
    std::vector<std::uint32_t> s(n);
    for (std::size_t v = 0; v < n; ++v) {
      s[v] = static_cast<std::uint32_t>(code % task.variables[v].domain);
      code /= task.variables[v].domain;
    }
    return s;
  };
  std::vector<long long> dist(num_states, -1);
  using Item = std::pair<long long, std::size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  queue.push({0, encode(start)});
  std::vector<bool> done(num_states, false);
  while (!queue.empty()) {
    const auto [d, code] = queue.top();
    queue.pop();
    if (done[code]) continue;
    done[code] = true;
    std::vector<std::uint32_t> s = decode(code);
    if (task.is_goal(s.data())) return d;
    for (const ground::Operator& op : task.operators) {
      if (!task.applicable(op, s.data())) continue;
      std::vector<std::uint32_t> t = s;
      for (const auto& e : op.eff) t[e.var] = e.value;
      const std::size_t tc = encode(t);
      if (!done[tc] && (dist[tc] < 0 || d + op.cost < dist[tc])) {
        dist[tc] = d + op.cost;
        queue.push({dist[tc], tc});
      }
    }
  }
  return -1;
}

inline long long optimal_cost(const ground::Task& task) { return optimal_cost(task, task.initial); }

}  // namespace goap::search::testing
