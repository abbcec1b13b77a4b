// Property test of the whole planning pipeline: random small worlds with bools, enums and bounded
// ints, parameters, comparisons and `+=`/`-=` effects, written as YAML, loaded, grounded and
// planned with A* (LM-cut, h_max, blind). The optimal cost must equal an exhaustive uniform-cost
// search over model states that steps with model::replay (no grounding, no search code), and
// every plan must replay and reach the goal.
#include <doctest/doctest.h>

#include <map>
#include <queue>
#include <random>
#include <set>
#include <sstream>

#include "exec/goal_planner.h"
#include "load/loader.h"
#include "model/replay.h"

using namespace goap;

namespace {

struct Gen {
  std::mt19937 rng;
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
};

// Facts: b1(thing), b2 (bools); m (enum[x, y, z]); n (int[0..3]).
std::string condition(Gen& g, bool param) {
  const std::string arg = param ? "($t)" : (g.pick(0, 1) ? "(p)" : "(q)");
  switch (g.pick(0, 5)) {
    case 0: return "b1" + arg;
    case 1: return "not b1" + arg;
    case 2: return g.pick(0, 1) ? "b2" : "not b2";
    case 3: return std::string("m ") + (g.pick(0, 1) ? "= " : "!= ") + "xyz"[g.pick(0, 2)];
    case 4: return std::string("n ") + (g.pick(0, 1) ? "< " : ">= ") + std::to_string(g.pick(1, 3));
    default: return "n = " + std::to_string(g.pick(0, 3));
  }
}

std::string effect(Gen& g, bool param, int slot) {
  const std::string arg = param ? "($t)" : (g.pick(0, 1) ? "(p)" : "(q)");
  switch (slot) {  // one effect per fact family so an action never changes one fact twice
    case 0: return g.pick(0, 1) ? "b1" + arg : "not b1" + arg;
    case 1: return g.pick(0, 1) ? "b2" : "not b2";
    case 2: return std::string("m = ") + "xyz"[g.pick(0, 2)];
    default: return g.pick(0, 1) ? "n += " + std::to_string(g.pick(1, 2)) : "n -= 1";
  }
}

std::string random_world(Gen& g) {
  std::ostringstream y;
  y << "kind: world\ntypes: {thing: {}}\nobjects: {p: thing, q: thing}\n";
  y << "facts:\n  b1(thing): bool\n  b2: bool\n  m: enum[x, y, z]\n  n: int[0..3]\n";
  y << "state: [" << (g.pick(0, 1) ? "b1(p)" : "not b1(p)") << ", n = " << g.pick(0, 2) << "]\n";
  y << "actions:\n";
  const int nactions = g.pick(2, 6);
  for (int a = 0; a < nactions; ++a) {
    const bool param = g.pick(0, 2) == 0;
    y << "  a" << a << ":\n";
    if (param) y << "    params: {t: thing}\n";
    y << "    pre: [";
    const int npre = g.pick(0, 2);
    for (int i = 0; i < npre; ++i) y << (i ? ", " : "") << condition(g, param);
    y << "]\n    eff: [";
    std::vector<int> slots{0, 1, 2, 3};
    std::shuffle(slots.begin(), slots.end(), g.rng);
    const int neff = g.pick(1, 2);
    for (int i = 0; i < neff; ++i) y << (i ? ", " : "") << effect(g, param, slots[static_cast<std::size_t>(i)]);
    y << "]\n    cost: " << g.pick(0, 3) << "\n";
  }
  y << "goals:\n  g:\n    want: [" << condition(g, false) << ", " << condition(g, false) << "]\n";
  return y.str();
}

using Key = std::vector<std::pair<std::string, int>>;

Key key_of(const model::World& w, const model::State& s) {
  Key k;
  for (const auto& [t, v] : s.cells()) k.emplace_back(w.term_name(t), v);
  std::sort(k.begin(), k.end());
  return k;
}

// Uniform-cost search over model states, one action binding at a time, via model::replay.
long long exhaustive(const model::World& w, const model::State& init) {
  std::vector<model::ReplayStep> moves;
  for (const auto& a : w.actions) {
    if (a.params.empty()) {
      moves.push_back({a.name, {}});
    } else {
      for (const char* o : {"p", "q"}) moves.push_back({a.name, {{"t", o}}});
    }
  }
  using Item = std::pair<long long, int>;
  std::vector<model::State> states{init};
  std::map<Key, int> index{{key_of(w, init), 0}};
  std::vector<long long> dist{0};
  std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
  pq.push({0, 0});
  while (!pq.empty()) {
    auto [d, i] = pq.top();
    pq.pop();
    if (d != dist[static_cast<std::size_t>(i)]) continue;
    const model::State s = states[static_cast<std::size_t>(i)];
    if (model::goal_holds(w, model::GoalId::from(0), s)) return d;
    for (const auto& m : moves) {
      auto r = model::replay(w, s, {m});
      if (!r.ok) continue;
      const Key k = key_of(w, r.final_state);
      auto [it, fresh] = index.emplace(k, static_cast<int>(states.size()));
      if (fresh) {
        states.push_back(r.final_state);
        dist.push_back(d + r.cost);
        pq.push({d + r.cost, it->second});
      } else if (d + r.cost < dist[static_cast<std::size_t>(it->second)]) {
        dist[static_cast<std::size_t>(it->second)] = d + r.cost;
        pq.push({d + r.cost, it->second});
      }
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("A* through the whole pipeline matches an exhaustive search on random worlds") {
  Gen g{std::mt19937(20261124)};
  int solved = 0, unsolvable = 0, satisfied = 0;
  for (int round = 0; round < 1000; ++round) {
    const std::string text = random_world(g);
    core::SourceManager sm;
    core::Diagnostics diags;
    auto w = load::load_world_text("random.yaml", text, sm, diags);
    INFO(text);
    INFO(core::render_all(diags, sm));
    REQUIRE(w.has_value());
    const model::State init = w->initial_state();
    const long long best = exhaustive(*w, init);
    for (const char* h : {"lmcut", "hmax", "blind"}) {
      exec::PlannerOptions o;
      o.only_goal = model::GoalId::from(0);
      o.heuristic = h;
      o.threads = 1;
      exec::PlanningError err;
      const auto d = exec::decide(*w, init, o, &err);
      REQUIRE(d.has_value());
      INFO("heuristic " << h);
      const exec::GoalOutcome& out = d->goals.at(0);
      if (best < 0) {
        CHECK(out.status == exec::GoalStatus::unsolvable);
        continue;
      }
      if (best == 0 && model::goal_holds(*w, model::GoalId::from(0), init)) {
        CHECK(out.status == exec::GoalStatus::satisfied);
        continue;
      }
      REQUIRE(out.status == exec::GoalStatus::plan);
      CHECK(out.cost == best);
      std::vector<model::ReplayStep> steps;
      for (const auto& s : out.plan) {
        model::ReplayStep st{w->actions[s.action].name, {}};
        for (std::size_t i = 0; i < s.args.size(); ++i)
          st.args.emplace_back(w->actions[s.action].params[i].name, w->objects[s.args[i]].name);
        steps.push_back(std::move(st));
      }
      const auto r = model::replay(*w, init, steps);
      INFO(r.error);
      CHECK(r.ok);
      CHECK(r.cost == best);
      CHECK(model::goal_holds(*w, model::GoalId::from(0), r.final_state));
    }
    if (best < 0) ++unsolvable;
    else if (model::goal_holds(*w, model::GoalId::from(0), init)) ++satisfied;
    else ++solved;
  }
  // The generator must exercise every outcome, or the test proves little.
  MESSAGE("solved " << solved << ", unsolvable " << unsolvable << ", satisfied " << satisfied);
  CHECK(solved > 150);
  CHECK(unsolvable > 20);
  CHECK(satisfied > 10);
}
