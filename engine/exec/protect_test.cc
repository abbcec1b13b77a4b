// Protected goals (exec/goal_planner.h): a goal that holds now is not broken by plans for
// less important goals; the search is optimal within that constraint.
#include <doctest/doctest.h>

#include <string>

#include "exec/goal_planner.h"
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

const exec::GoalOutcome& outcome(const model::World& w, const exec::Decision& d, const std::string& goal) {
  for (const auto& g : d.goals)
    if (w.goal(g.goal).name == goal) return g;
  FAIL("no goal " << goal);
  return d.goals.front();
}

std::string plan_text(const exec::GoalOutcome& g) {
  std::string s;
  for (const auto& step : g.plan) s += (s.empty() ? "" : " ") + step.name;
  return s;
}

exec::Decision decide(const model::World& w, const model::State& state, exec::PlannerOptions o = {}) {
  exec::PlanningError err;
  auto d = exec::decide(w, state, o, &err);
  INFO(err.message);
  REQUIRE(d.has_value());
  return std::move(*d);
}

// The cheap route to `done` takes the service down on the way (and brings it back); the long
// route keeps it up.
const char* kDetour = R"(
kind: world
facts: {up: bool, done: bool, step1: bool, step2: bool}
state: [up]
actions:
  shortcut: {pre: [up], eff: [done, not up], cost: 1}
  restart: {pre: [not up], eff: [up], cost: 1}
  long-1: {eff: [step1], cost: 2}
  long-2: {pre: [step1], eff: [step2], cost: 2}
  long-3: {pre: [step2], eff: [done], cost: 2}
goals:
  service-up: {priority: 100, want: [up]}
  work-done: {priority: 10, want: [done]}
)";

}  // namespace

TEST_CASE("protection: a goal that holds forces a longer optimal plan for a lower one") {
  const auto w = load_text(kDetour);
  const auto d = decide(w, w.initial_state());
  REQUIRE(d.protected_goals.size() == 1);
  CHECK(w.goal(d.protected_goals[0]).name == "service-up");
  const auto& work = outcome(w, d, "work-done");
  REQUIRE(work.status == exec::GoalStatus::plan);
  CHECK(plan_text(work) == "long-1 long-2 long-3");
  CHECK(work.cost == 6);
  REQUIRE(work.kept.size() == 1);
  CHECK(w.goal(work.kept[0]).name == "service-up");
  CHECK(work.operators_protected == 1);  // shortcut
  // Without protection the cheaper plan breaks the service.
  exec::PlannerOptions off;
  off.protect = false;
  const auto free = decide(w, w.initial_state(), off);
  CHECK(plan_text(outcome(w, free, "work-done")) == "shortcut");
  CHECK(free.protected_goals.empty());
}

TEST_CASE("protection: no plan at all when every route breaks a protected goal, and the reason says so") {
  const auto w = load_text(R"(
kind: world
facts: {up: bool, done: bool}
state: [up]
actions:
  shortcut: {pre: [up], eff: [done, not up], cost: 1}
  restart: {pre: [not up], eff: [up], cost: 1}
goals:
  service-up: {priority: 100, want: [up]}
  work-done: {priority: 10, want: [done]}
)");
  const auto d = decide(w, w.initial_state());
  const auto& work = outcome(w, d, "work-done");
  CHECK(work.status == exec::GoalStatus::unsolvable);
  CHECK(d.status == exec::GoalStatus::unsolvable);
  REQUIRE(work.blocked_by.size() == 1);
  CHECK(w.goal(work.blocked_by[0]).name == "service-up");
  CHECK(work.reason == "no plan that keeps 'service-up' holding (without protection: shortcut)");
}

TEST_CASE("protection: protect: false opts out") {
  std::string text = kDetour;
  text.replace(text.find("service-up: {priority: 100,"), 27, "service-up: {priority: 100, protect: false,");
  const auto w = load_text(text);
  CHECK_FALSE(w.goal(w.goal_index.at("service-up")).protect);
  const auto d = decide(w, w.initial_state());
  CHECK(d.protected_goals.empty());
  const auto& work = outcome(w, d, "work-done");
  CHECK(plan_text(work) == "shortcut");
  CHECK(work.kept.empty());
}

TEST_CASE("protection: goals of equal priority do not protect each other; a lower one does not protect a higher") {
  std::string equal = kDetour;
  equal.replace(equal.find("priority: 100"), 13, "priority: 10");
  const auto w = load_text(equal);
  const auto d = decide(w, w.initial_state());
  CHECK(plan_text(outcome(w, d, "work-done")) == "shortcut");
  CHECK(outcome(w, d, "work-done").kept.empty());
  std::string lower = kDetour;
  lower.replace(lower.find("priority: 100"), 13, "priority: 1");
  const auto w2 = load_text(lower);
  const auto d2 = decide(w2, w2.initial_state());
  CHECK(plan_text(outcome(w2, d2, "work-done")) == "shortcut");
}

TEST_CASE("protection: each forall instance on its own; only instances that hold and are relevant") {
  const auto w = load_text(R"(
kind: world
types: {host: {}}
objects: {a: {type: host}, b: {type: host}, c: {type: host}}
facts: {up(host): bool, watched(host): bool, done: bool}
state: [up(a), watched(a), watched(c)]
actions:
  via: {params: {h: host}, pre: [up($h)], eff: [done, not up($h)], cost: 1}
  boot: {params: {h: host}, eff: [up($h)], cost: 3}
goals:
  hosts-up: {priority: 100, forall: {h: host}, when: [watched($h)], want: [up($h)]}
  work-done: {priority: 10, want: [done]}
)");
  // a holds (protected); b is not watched (not relevant); c is watched but down (open, not protected).
  const auto d = decide(w, w.initial_state());
  const auto& work = outcome(w, d, "work-done");
  REQUIRE(work.status == exec::GoalStatus::plan);
  // via(a) would break the holding instance; booting b (unwatched) or c (down, so not kept) is allowed.
  CHECK(work.cost == 4);
  CHECK(plan_text(work).find("via(a)") == std::string::npos);
  CHECK(plan_text(work).find("boot(") == 0);
}

// The diverged-repo case of issue #16 on the bundled world: sync-repo towards the healthy primary
// failed twice and is left out. Without protection the cheapest way to sync is to fence the
// primary and promote the standby; with it, repos-synced has no plan, and says why.
TEST_CASE("protection: timmy-ops does not fence a healthy primary to sync a repo") {
  core::SourceManager sm;
  core::Diagnostics diags;
  auto w = load::load_world(GOAP_SOURCE_ROOT "/worlds/timmy-ops.yaml", sm, diags);
  INFO(core::render_all(diags, sm));
  REQUIRE(w.has_value());
  model::State state = w->initial_state();
  const auto term = [&](const std::string& fact, const std::string& obj) {
    return model::GroundTerm{w->fact_index.at(fact), {w->object_index.at(obj)}};
  };
  state.set(term("repo_synced", "timmy-config"), 0, w->fact(w->fact_index.at("repo_synced")));
  state.set(model::GroundTerm{w->fact_index.at("heartbeat_fresh"), {}}, 1, w->fact(w->fact_index.at("heartbeat_fresh")));
  exec::PlannerOptions o;
  o.without = {"sync-repo(timmy-config, hermes-vps)"};

  exec::PlannerOptions unprotected = o;
  unprotected.protect = false;
  const auto before = decide(*w, state, unprotected);
  const auto& sync_before = outcome(*w, before, "repos-synced");
  REQUIRE(sync_before.status == exec::GoalStatus::plan);
  CHECK(plan_text(sync_before).find("fence-primary(hermes-vps)") == 0);

  const auto after = decide(*w, state, o);
  const auto& sync = outcome(*w, after, "repos-synced");
  CHECK(sync.status == exec::GoalStatus::unsolvable);
  REQUIRE_FALSE(sync.blocked_by.empty());
  CHECK(w->goal(sync.blocked_by[0]).name == "infrastructure-restored");
  INFO(sync.reason);
  CHECK(sync.reason.rfind("no plan that keeps 'infrastructure-restored'", 0) == 0);
  CHECK(after.status == exec::GoalStatus::unsolvable);
}

TEST_CASE("protection: a protected fact the planned goal wants too only has to hold at the end") {
  // The timmy-ops pattern: a destructive step clears `notified`, which both goals want, and
  // `notify` sets it again. `up` is kept in every state; `notified` only at the end.
  const auto w = load_text(R"(
kind: world
facts: {up: bool, notified: bool, done: bool}
state: [up, notified]
actions:
  rebuild: {eff: [done, not notified], cost: 1}
  take-down: {pre: [up], eff: [done, not up], cost: 1}
  notify: {pre: [not notified], eff: [notified], cost: 1}
goals:
  service-up: {priority: 100, want: [up, notified]}
  work-done: {priority: 10, want: [done, notified]}
)");
  const auto d = decide(w, w.initial_state());
  const auto& work = outcome(w, d, "work-done");
  REQUIRE(work.status == exec::GoalStatus::plan);
  CHECK(plan_text(work) == "rebuild notify");
}
