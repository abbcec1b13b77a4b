#include "search/search.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "search/test_alloc_counter.h"
#include "search/test_tasks.h"

namespace goap::search {
namespace {

using testing::ZeroHeuristic;

// Heuristics that live only in these tests (the real ones are in engine/heuristics, which depends
// on search, not the other way round).
class FunctionHeuristic final : public Heuristic {
 public:
  using Fn = std::function<int(const std::uint32_t*)>;
  explicit FunctionHeuristic(Fn fn, bool admissible = true) : fn_(std::move(fn)), adm_(admissible) {}
  int evaluate(const std::uint32_t* s, std::vector<ground::OpId>* preferred) override {
    if (preferred) preferred->clear();
    return fn_(s);
  }
  bool admissible() const override { return adm_; }
  std::string_view name() const override { return "function"; }

 private:
  Fn fn_;
  bool adm_;
};

// Number of unsatisfied goal conditions: inadmissible in general, but a fine greedy guide.
class GoalCount final : public Heuristic {
 public:
  explicit GoalCount(const ground::Task& t) : task_(t) {}
  int evaluate(const std::uint32_t* s, std::vector<ground::OpId>* preferred) override {
    if (preferred) preferred->clear();
    int n = 0;
    for (const auto& g : task_.goal) {
      bool ok = false;
      for (auto v : g.values) ok = ok || s[g.var] == v;
      n += ok ? 0 : 1;
    }
    return n;
  }
  bool admissible() const override { return false; }
  std::string_view name() const override { return "goal-count"; }

 private:
  const ground::Task& task_;
};

// An incremental heuristic whose checks from scratch rarely pay: from the parent's memo it says
// 0; from scratch, the number of switches still off (h* on switches_task), but only in one state
// of 64 (by the values' hash), else 0 too. Admissible either way.
class RarelyRefreshed final : public Heuristic {
 public:
  explicit RarelyRefreshed(const ground::Task& t) : task_(t) {}
  int evaluate(const std::uint32_t* s, std::vector<ground::OpId>* preferred) override {
    if (preferred) preferred->clear();
    std::uint64_t hash = 0;
    int off = 0;
    for (std::size_t v = 0; v < task_.variables.size(); ++v) {
      hash = hash * 0x9E3779B97F4A7C15ULL + s[v] + 1;
      off += s[v] == 0 ? 1 : 0;
    }
    return (hash >> 20) % 64 == 0 ? off : 0;
  }
  bool admissible() const override { return true; }
  std::string_view name() const override { return "rarely-refreshed"; }
  bool incremental() const override { return true; }
  int evaluate_from(const std::uint32_t*, const std::uint32_t*, std::size_t, ground::OpId) override {
    return 0;
  }
  int refresh(const std::uint32_t* s, int h) override { return std::max(h, evaluate(s, nullptr)); }

 private:
  const ground::Task& task_;
};

std::vector<std::string> names(const ground::Task& task, const Plan& plan) {
  std::vector<std::string> out;
  for (ground::OpId op : plan.steps) out.push_back(task.operators[op.index()].name);
  return out;
}

TEST_CASE("A* solves the GOAP soldier with cost 4 and avoids the suicidal bomb") {
  const ground::Task task = testing::soldier_task();
  ZeroHeuristic h;
  Searcher searcher(task);
  const SearchResult& r = searcher.solve(h);
  REQUIRE(r.status == SearchStatus::solved);
  CHECK(r.plan.cost == 4);
  CHECK(validate_plan(task, r.plan) == "");
  // Ties go to the alphabetically first action: load before scout.
  CHECK(names(task, r.plan) == std::vector<std::string>{"load", "scout", "aim", "shoot"});
  CHECK(r.stats.initial_h == 0);
  CHECK(r.stats.bytes_per_state == 8);
  CHECK(r.stats.states == r.stats.evaluated);
  CHECK(r.stats.expanded > 0);
  CHECK(r.stats.generated >= r.stats.states - 1);
}

TEST_CASE("the same task gives the same plan, byte for byte, with one searcher or two") {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    const ground::Task task = testing::random_task(seed);
    ZeroHeuristic h;
    GoalCount gc(task);
    Searcher a(task), b(task);
    for (const SearchConfig& config : {SearchConfig::astar(), SearchConfig::greedy()}) {
      Heuristic& heur = config.kind == SearchKind::greedy ? static_cast<Heuristic&>(gc) : h;
      const SearchResult first = a.solve(heur, config);
      const SearchResult& again = a.solve(heur, config);
      const SearchResult& other = b.solve(heur, config);
      REQUIRE(first.status == again.status);
      REQUIRE(first.plan.steps == again.plan.steps);
      REQUIRE(first.plan.steps == other.plan.steps);
      REQUIRE(first.stats.expanded == other.stats.expanded);
    }
  }
}

TEST_CASE("a multi-valued variable: the counter climbs one step at a time") {
  const ground::Task task = testing::counter_task(9);
  ZeroHeuristic h;
  const SearchResult r = search(task, h);
  REQUIRE(r.status == SearchStatus::solved);
  CHECK(r.plan.cost == 9);
  CHECK(r.plan.steps.size() == 9);
  CHECK(validate_plan(task, r.plan) == "");
}

TEST_CASE("zero-cost operators: A* still finds the cheapest plan") {
  testing::TaskBuilder b;
  const auto x = b.var("x", 4, 0);
  const auto y = b.var("y", 2, 0);
  b.op("expensive", {{x, 0}}, {{x, 3}}, 5);
  b.op("free-1", {{x, 0}}, {{x, 1}}, 0);
  b.op("free-2", {{x, 1}}, {{x, 2}}, 0);
  b.op("free-back", {{x, 2}}, {{x, 0}}, 0);  // a zero-cost cycle
  b.op("cheap", {{x, 2}}, {{x, 3}, {y, 1}}, 1);
  b.goal(x, {3});
  const ground::Task task = b.build();
  ZeroHeuristic h;
  const SearchResult r = search(task, h);
  REQUIRE(r.status == SearchStatus::solved);
  CHECK(r.plan.cost == 1);
  CHECK(names(task, r.plan) == std::vector<std::string>{"free-1", "free-2", "cheap"});
  CHECK(validate_plan(task, r.plan) == "");
}

TEST_CASE("a plan of cost 0 through zero-cost operators only") {
  testing::TaskBuilder b;
  const auto x = b.var("x", 3, 0);
  b.op("a", {{x, 0}}, {{x, 1}}, 0);
  b.op("b", {{x, 1}}, {{x, 2}}, 0);
  b.goal(x, {2});
  const ground::Task task = b.build();
  ZeroHeuristic h;
  const SearchResult r = search(task, h);
  REQUIRE(r.status == SearchStatus::solved);
  CHECK(r.plan.cost == 0);
  CHECK(r.plan.steps.size() == 2);
}

TEST_CASE("a task without variables: the empty goal holds at once") {
  const ground::Task task;
  ZeroHeuristic h;
  const SearchResult r = search(task, h);
  REQUIRE(r.status == SearchStatus::solved);
  CHECK(r.plan.steps.empty());
  CHECK(r.stats.states == 1);
}

TEST_CASE("a goal already true: the empty plan") {
  const ground::Task task = testing::counter_task(0);
  ZeroHeuristic h;
  const SearchResult r = search(task, h);
  REQUIRE(r.status == SearchStatus::solved);
  CHECK(r.plan.steps.empty());
  CHECK(r.plan.cost == 0);
  CHECK(r.stats.expanded == 0);
}

TEST_CASE("a goal with several allowed values takes the cheapest") {
  testing::TaskBuilder b;
  const auto x = b.var("x", 4, 0);
  b.op("to1", {{x, 0}}, {{x, 1}}, 5);
  b.op("to2", {{x, 0}}, {{x, 2}}, 3);
  b.op("to3", {{x, 0}}, {{x, 3}}, 1);
  b.goal(x, {1, 2});
  const ground::Task task = b.build();
  ZeroHeuristic h;
  const SearchResult r = search(task, h);
  REQUIRE(r.status == SearchStatus::solved);
  CHECK(names(task, r.plan) == std::vector<std::string>{"to2"});
  CHECK(r.plan.cost == 3);
}

TEST_CASE("unsolvable: the open list runs dry, or the initial state is a dead end") {
  testing::TaskBuilder b;
  const auto x = b.var("x", 3, 0);
  b.op("a", {{x, 0}}, {{x, 1}});
  b.op("b", {{x, 1}}, {{x, 0}});
  b.goal(x, {2});
  const ground::Task task = b.build();
  ZeroHeuristic zero;
  const SearchResult r = search(task, zero);
  CHECK(r.status == SearchStatus::unsolvable);
  CHECK(r.limit == LimitKind::none);
  CHECK(r.plan.steps.empty());
  CHECK(r.stats.expanded == 2);

  FunctionHeuristic dead([](const std::uint32_t*) { return Heuristic::kInfinity; });
  const SearchResult d = search(task, dead);
  CHECK(d.status == SearchStatus::unsolvable);
  CHECK(d.stats.initial_h == Heuristic::kInfinity);
  CHECK(d.stats.expanded == 0);
}

TEST_CASE("dead-end successors are never expanded") {
  const ground::Task task = testing::soldier_task();
  // Claims every state where the soldier is dead is a dead end (true: nothing revives him).
  FunctionHeuristic h([](const std::uint32_t* s) { return s[7] == 0 ? Heuristic::kInfinity : 0; });
  const SearchResult r = search(task, h);
  REQUIRE(r.status == SearchStatus::solved);
  CHECK(r.plan.cost == 4);
}

TEST_CASE("A* reopens a closed state when an inconsistent heuristic hid a cheaper path") {
  // loc: 0 S, 1 A, 2 B, 3 G. S->A 4, S->B 1, B->A 1, A->G 5. h = {0, 0, 6, 0} is admissible
  // (h* = {7, 5, 6, 0}) but not consistent, so A is closed at g 4 before B finds g 2. Deferred
  // evaluation gets there too: B, popped at f 1, goes back in line at f 7 once evaluated.
  testing::TaskBuilder b;
  const auto loc = b.var("loc", 4, 0);
  b.op("S-A", {{loc, 0}}, {{loc, 1}}, 4);
  b.op("S-B", {{loc, 0}}, {{loc, 2}}, 1);
  b.op("B-A", {{loc, 2}}, {{loc, 1}}, 1);
  b.op("A-G", {{loc, 1}}, {{loc, 3}}, 5);
  b.goal(loc, {3});
  const ground::Task task = b.build();
  FunctionHeuristic h([](const std::uint32_t* s) { return std::vector<int>{0, 0, 6, 0}[s[0]]; });
  for (const bool deferred : {false, true}) {
    CAPTURE(deferred);
    const SearchResult r = search(task, h, SearchConfig::astar(deferred));
    REQUIRE(r.status == SearchStatus::solved);
    CHECK(r.plan.cost == 7);
    CHECK(names(task, r.plan) == std::vector<std::string>{"S-B", "B-A", "A-G"});
    CHECK(r.stats.reopened == 1);
    CHECK(validate_plan(task, r.plan) == "");
  }
}

TEST_CASE("weighted A* and greedy return valid plans no cheaper than optimal") {
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const ground::Task task = testing::random_task(seed);
    const long long best = testing::optimal_cost(task);
    GoalCount gc(task);
    Searcher searcher(task);
    for (const SearchConfig& config :
         {SearchConfig::weighted_astar(3), SearchConfig::greedy(), SearchConfig::greedy(true),
          SearchConfig::weighted_astar(2, true), SearchConfig::lazy_greedy(),
          SearchConfig::lazy_greedy(true)}) {
      const SearchResult& r = searcher.solve(gc, config);
      if (best < 0) {
        REQUIRE(r.status == SearchStatus::unsolvable);
        continue;
      }
      REQUIRE(r.status == SearchStatus::solved);
      REQUIRE(validate_plan(task, r.plan) == "");
      REQUIRE(r.plan.cost >= best);
    }
  }
}

TEST_CASE("A* with the zero heuristic matches uniform-cost search on random tasks") {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const ground::Task task = testing::random_task(seed);
    const long long best = testing::optimal_cost(task);
    ZeroHeuristic h;
    for (const bool deferred : {false, true}) {
      CAPTURE(seed);
      CAPTURE(deferred);
      const SearchResult r = search(task, h, SearchConfig::astar(deferred));
      if (best < 0) {
        REQUIRE(r.status == SearchStatus::unsolvable);
      } else {
        REQUIRE(r.status == SearchStatus::solved);
        REQUIRE(r.plan.cost == best);
        REQUIRE(validate_plan(task, r.plan) == "");
      }
    }
  }
}

TEST_CASE("limits stop the search with status limit and the stats so far") {
  const ground::Task task = testing::switches_task(12);  // 4096 states
  ZeroHeuristic h;
  Searcher searcher(task);

  SearchLimits expansions;
  expansions.max_expansions = 10;
  const SearchResult& r = searcher.solve(h, SearchConfig::astar(), expansions);
  CHECK(r.status == SearchStatus::limit);
  CHECK(r.limit == LimitKind::expansions);
  CHECK(r.stats.expanded == 10);
  CHECK(r.plan.steps.empty());

  SearchLimits memory;
  memory.max_memory_bytes = 1;
  CHECK(searcher.solve(h, SearchConfig::astar(), memory).limit == LimitKind::memory);

  SearchLimits time;
  time.max_ms = 0;  // checked after 1024 expansions; this task needs about 4000
  const SearchResult& t = searcher.solve(h, SearchConfig::astar(), time);
  CHECK(t.status == SearchStatus::limit);
  CHECK(t.limit == LimitKind::time);
  CHECK(t.stats.expanded == 1024);

  // After hitting limits the same searcher still solves.
  const SearchResult& ok = searcher.solve(h);
  REQUIRE(ok.status == SearchStatus::solved);
  CHECK(ok.plan.cost == 12);
}

TEST_CASE("contradictory configurations are refused") {
  const ground::Task task = testing::soldier_task();
  ZeroHeuristic h;
  Searcher searcher(task);
  SearchConfig astar_pref = SearchConfig::astar();
  astar_pref.use_preferred_operators = true;
  CHECK_THROWS_AS(searcher.solve(h, astar_pref), std::invalid_argument);
  CHECK_THROWS_AS(searcher.solve(h, SearchConfig::weighted_astar(0)), std::invalid_argument);
  SearchConfig deferred_preferred = SearchConfig::weighted_astar(2, true);
  deferred_preferred.lazy = true;
  CHECK_THROWS_AS(searcher.solve(h, deferred_preferred), std::invalid_argument);
}

TEST_CASE("deferred A* evaluates a successor only when it pops it, and stays optimal") {
  // 12 switches; goal count is h* here (each unit-cost operator sets one switch), so every state
  // on a plan keeps f = 12. Deferred A* pops one successor per expanded state, finds its f
  // unchanged and expands it: the initial state and the 11 states after it are evaluated, the
  // goal is recognised before it would be. Eager A* evaluates all 78 successors it generates.
  const ground::Task task = testing::switches_task(12);
  GoalCount gc(task);
  Searcher searcher(task);
  const SearchResult deferred = searcher.solve(gc, SearchConfig::astar(true));
  REQUIRE(deferred.status == SearchStatus::solved);
  CHECK(deferred.plan.cost == 12);
  CHECK(validate_plan(task, deferred.plan) == "");
  CHECK(deferred.stats.expanded == 12);
  CHECK(deferred.stats.evaluated == 12);
  CHECK(deferred.stats.initial_h == 12);
  const SearchResult& eager = searcher.solve(gc, SearchConfig::astar());
  CHECK(eager.stats.expanded == 12);
  CHECK(eager.stats.evaluated == 1 + 12 * 13 / 2);

  // (Re-queueing a successor whose own h raises its f: the reopening test above.)

  // Dead ends are found when popped and never expanded.
  const ground::Task soldier = testing::soldier_task();
  FunctionHeuristic dead([](const std::uint32_t* s) { return s[7] == 0 ? Heuristic::kInfinity : 0; });
  const SearchResult d = search(soldier, dead, SearchConfig::astar(true));
  REQUIRE(d.status == SearchStatus::solved);
  CHECK(d.plan.cost == 4);

  // Limits apply as in eager A*.
  SearchLimits few;
  few.max_expansions = 5;
  const SearchResult& limited = searcher.solve(gc, SearchConfig::astar(true), few);
  CHECK(limited.status == SearchStatus::limit);
  CHECK(limited.stats.expanded == 5);
}

TEST_CASE("incremental values are checked from scratch until the checks stop paying") {
  // Every incremental value (0) is at or below its bound, so each is checked; about one in 64
  // checks raises it, so the checks switch off at the 256th. A helper thread changes nothing.
  const ground::Task task = testing::switches_task(12);
  RarelyRefreshed h(task), h1(task), h2(task);
  Searcher alone(task), helped(task);
  SearchConfig config = SearchConfig::astar(true);
  config.incremental = true;
  const SearchResult& a = alone.solve(h, config);
  REQUIRE(a.status == SearchStatus::solved);
  CHECK(a.plan.cost == 12);
  CHECK(a.stats.refreshed == 256);
  CHECK(a.stats.refresh_raised > 0);
  CHECK(a.stats.refresh_raised * 32 < 256);
  CHECK(a.stats.refresh_off);
  CHECK(a.stats.evaluated_incremental > 256);  // it went on incrementally, unchecked
  config.helper_heuristic = &h2;
  const SearchResult& b = helped.solve(h1, config);
  REQUIRE(b.status == SearchStatus::solved);
  CHECK(b.plan.steps == a.plan.steps);
  CHECK(b.stats.expanded == a.stats.expanded);
  CHECK(b.stats.evaluated == a.stats.evaluated);
  CHECK(b.stats.refreshed == a.stats.refreshed);
  CHECK(b.stats.refresh_raised == a.stats.refresh_raised);
  CHECK(b.stats.refresh_off);
  CHECK(b.stats.evaluated_ahead > 0);
  // Off, nothing is checked.
  config.incremental = false;
  config.helper_heuristic = nullptr;
  const SearchResult& c = alone.solve(h, config);
  CHECK(c.stats.evaluated_incremental == 0);
  CHECK(c.stats.refreshed == 0);
}

TEST_CASE("lazy greedy search evaluates a successor only when it takes it off the open list") {
  // 12 switches, h = switches still off: every state has a successor one closer, which lazy search
  // takes next. It evaluates the 13 states of that path and none of the other 66 successors it
  // generated on the way; eager greedy evaluates every new successor.
  const ground::Task task = testing::switches_task(12);
  GoalCount gc(task);
  Searcher searcher(task);
  const SearchResult lazy = searcher.solve(gc, SearchConfig::lazy_greedy());
  REQUIRE(lazy.status == SearchStatus::solved);
  CHECK(lazy.plan.cost == 12);
  CHECK(validate_plan(task, lazy.plan) == "");
  CHECK(lazy.stats.expanded == 12);
  CHECK(lazy.stats.generated == 12 * 13 / 2);
  CHECK(lazy.stats.evaluated == 13);
  CHECK(lazy.stats.initial_h == 12);
  const SearchResult& eager = searcher.solve(gc, SearchConfig::greedy());
  REQUIRE(eager.status == SearchStatus::solved);
  CHECK(eager.stats.evaluated > 2 * lazy.stats.evaluated);

  SearchLimits few;
  few.max_expansions = 5;
  const SearchResult& limited = searcher.solve(gc, SearchConfig::lazy_greedy(), few);
  CHECK(limited.status == SearchStatus::limit);
  CHECK(limited.stats.expanded == 5);

  // Unsolvable: the pending successors run out.
  testing::TaskBuilder b;
  const auto x = b.var("x", 3, 0);
  b.op("up", {{x, 0}}, {{x, 1}});
  b.op("down", {{x, 1}}, {{x, 0}});
  b.goal(x, {2});
  const ground::Task stuck = b.build();
  GoalCount gs(stuck);
  CHECK(search(stuck, gs, SearchConfig::lazy_greedy()).status == SearchStatus::unsolvable);
}

TEST_CASE("the initial state is read at every solve") {
  ground::Task task = testing::soldier_task();
  ZeroHeuristic h;
  Searcher searcher(task);
  CHECK(searcher.solve(h).plan.cost == 4);
  task.initial[2] = 1;  // weapon already loaded
  CHECK(searcher.solve(h).plan.cost == 3);
  task.initial[4] = 0;  // enemy already dead
  CHECK(searcher.solve(h).plan.cost == 0);
}

TEST_CASE("a warmed-up searcher solves again without allocating") {
  const ground::Task task = testing::soldier_task();
  ZeroHeuristic h;
  Searcher searcher(task);
  searcher.solve(h);  // warm-up: buffers grow to their working size
  testing::AllocationCounter counter;
  for (int i = 0; i < 10; ++i) REQUIRE(searcher.solve(h).plan.cost == 4);
  CHECK(counter.count() == 0);
}


// Records what the trace hook reports; the search must not notice it is being watched.
class RecordingObserver final : public SearchObserver {
 public:
  explicit RecordingObserver(std::size_t variables) : variables_(variables) {}
  void on_expand(const Expansion& e) override {
    if (seen.empty()) first_values.assign(e.values, e.values + variables_);
    seen.push_back(e);
    seen.back().values = nullptr;  // only valid during the call
  }
  std::vector<Expansion> seen;
  std::vector<std::uint32_t> first_values;

 private:
  std::size_t variables_;
};

TEST_CASE("the trace hook sees every expansion in order, then the goal, and changes nothing") {
  const ground::Task task = testing::soldier_task();
  ZeroHeuristic h;
  Searcher searcher(task);
  const SearchResult plain = searcher.solve(h);
  RecordingObserver obs(task.variables.size());
  SearchConfig traced = SearchConfig::astar();
  traced.observer = &obs;
  const SearchResult& r = searcher.solve(h, traced);
  REQUIRE(r.status == SearchStatus::solved);
  CHECK(r.plan.steps == plain.plan.steps);
  CHECK(r.stats.expanded == plain.stats.expanded);
  REQUIRE(obs.seen.size() == r.stats.expanded + 1);  // every expansion, then the goal
  CHECK(!obs.seen.front().parent.valid());
  CHECK(!obs.seen.front().op.valid());
  CHECK(obs.seen.front().g == 0);
  for (std::size_t i = 0; i < obs.seen.size(); ++i) {
    CHECK(obs.seen[i].order == i);
    CHECK(obs.seen[i].is_goal == (i + 1 == obs.seen.size()));
  }
  CHECK(obs.seen.back().g == 4);  // the goal state, reached at the plan's cost
  CHECK(obs.first_values == task.initial);
}

TEST_CASE("the trace hook stops with the search at a limit") {
  const ground::Task task = testing::counter_task(50);
  ZeroHeuristic h;
  RecordingObserver obs(task.variables.size());
  SearchConfig traced = SearchConfig::astar();
  traced.observer = &obs;
  SearchLimits limits;
  limits.max_expansions = 10;
  const SearchResult r = search(task, h, traced, limits);
  CHECK(r.status == SearchStatus::limit);
  CHECK(obs.seen.size() == 10);
  CHECK(std::none_of(obs.seen.begin(), obs.seen.end(), [](const Expansion& e) { return e.is_goal; }));
}

TEST_CASE("over canonical states, A* stores one state per class and still returns a real plan") {
  // n interchangeable switches: swapping two neighbours (their variables, and the operators that
  // set them) is a symmetry. A state is then known by how many switches are on: n + 1 classes
  // instead of 2^n states. The plan comes back as real operators from the real initial state.
  const std::uint32_t n = 10;
  const ground::Task task = testing::switches_task(n);
  std::vector<ground::SymmetryGenerator> gens;
  for (std::uint32_t i = 0; i + 1 < n; ++i) {
    ground::SymmetryGenerator g;
    g.a = i;
    g.b = i + 1;
    g.support = {i, i + 1};
    g.partner = {1, 0};
    g.value_begin = {0, 2};
    g.values = {0, 1, 0, 1};
    g.ops = {{i, i + 1}, {i + 1, i}};
    gens.push_back(g);
  }
  std::vector<std::uint32_t> all(n);
  for (std::uint32_t i = 0; i < n; ++i) all[i] = i;
  const ground::ObjectSymmetries symmetries(gens, {all});
  ZeroHeuristic h;
  Searcher searcher(task);
  for (bool deferred : {false, true}) {
    CAPTURE(deferred);
    SearchConfig config = SearchConfig::astar(deferred);
    config.symmetries = &symmetries;
    const SearchResult& r = searcher.solve(h, config);
    REQUIRE(r.status == SearchStatus::solved);
    CHECK(r.plan.cost == n);
    CHECK(r.stats.states == n + 1);
    CHECK(validate_plan(task, r.plan).empty());
  }
  // Without: every subset of switches.
  CHECK(searcher.solve(h, SearchConfig::astar()).stats.states == (1u << n));

  SearchConfig lazy = SearchConfig::lazy_greedy();
  lazy.symmetries = &symmetries;
  CHECK_THROWS_AS(searcher.solve(h, lazy), std::invalid_argument);
}

}  // namespace
}  // namespace goap::search
