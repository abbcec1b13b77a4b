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

// ---- unknown facts (a sensor failed): nothing reads them, no goal that reads them is met ----

namespace {

const char* kUnknownWorld = R"(
kind: world
types: {host: {}}
objects: {a: {type: host}, b: {type: host}}
facts: {ssh_ok(host): bool, up(host): bool, watched(host): bool, n: "int[0..3]", cleaned: bool}
state: [ssh_ok(a), ssh_ok(b), watched(a), up(b)]
actions:
  restart: {params: {h: host}, pre: [ssh_ok($h)], eff: [up($h)]}
  power-cycle: {params: {h: host}, eff: [up($h)], cost: 10}
  bump: {eff: [n += 1]}
  clean: {eff: [cleaned]}
goals:
  hosts-up: {priority: 10, forall: {h: host}, when: [watched($h)], want: [up($h)]}
  counted: {priority: 5, want: [n >= 1]}
  clean: {priority: 1, want: [cleaned]}
)";

model::GroundTerm term(const model::World& w, const std::string& fact, std::vector<std::string> args = {}) {
  model::GroundTerm t;
  t.fact = w.fact_index.at(fact);
  for (const auto& a : args) t.args.push_back(w.object_index.at(a));
  return t;
}

}  // namespace

TEST_CASE("an action whose precondition reads an unknown fact is never chosen") {
  const auto w = load_text(kUnknownWorld);
  exec::PlannerOptions o;
  o.only_goal = w.goal_index.at("hosts-up");
  exec::PlanningError err;
  auto d = exec::decide(w, w.initial_state(), o, &err);
  REQUIRE(d);
  REQUIRE(d->chosen == 0);
  CHECK(d->goals[0].plan.front().name == "restart(a)");  // known: the cheap restart

  o.unknown = {term(w, "ssh_ok", {"a"})};
  d = exec::decide(w, w.initial_state(), o, &err);
  REQUIRE(d);
  REQUIRE(d->chosen == 0);
  const auto& g = d->goals[0];
  REQUIRE(g.plan.size() == 1);
  CHECK(g.plan.front().name == "power-cycle(a)");  // around it, never through it
  CHECK(g.operators_unknown == 1);
}

TEST_CASE("a goal left without actions by unknown facts says so, and the answer is unknown, not unsolvable") {
  const auto w = load_text(R"(
kind: world
facts: {ssh_ok: bool, up: bool}
state: [ssh_ok]
actions:
  restart: {pre: [ssh_ok], eff: [up]}
goals:
  up: {priority: 1, want: [up]}
)");
  exec::PlannerOptions o;
  o.unknown = {term(w, "ssh_ok")};
  exec::PlanningError err;
  const auto d = exec::decide(w, w.initial_state(), o, &err);
  REQUIRE(d);
  CHECK(d->chosen < 0);
  CHECK(d->status == exec::GoalStatus::unknown);
  CHECK(d->goals[0].status == exec::GoalStatus::unsolvable);
  CHECK(d->goals[0].operators_unknown == 1);
  CHECK(d->goals[0].reason.find("unknown facts") != std::string::npos);
}

TEST_CASE("a goal whose want or when reads an unknown fact is unknown: never satisfied on a guess") {
  const auto w = load_text(kUnknownWorld);
  exec::PlanningError err;
  exec::PlannerOptions o;
  // up(b) holds in the world file, but b is not watched: its want does not matter.
  o.unknown = {term(w, "up", {"b"})};
  auto d = exec::decide(w, w.initial_state(), o, &err);
  REQUIRE(d);
  CHECK(d->goals[0].status == exec::GoalStatus::plan);

  // watched(b) unknown: whether b's want matters is unknown, and up(b) "holds" only as a guess.
  o.unknown = {term(w, "watched", {"b"})};
  d = exec::decide(w, w.initial_state(), o, &err);
  REQUIRE(d);
  CHECK(d->goals[0].status == exec::GoalStatus::unknown);
  CHECK(d->goals[0].reason.find("watched(b)") != std::string::npos);
  // The other goals are still worked.
  CHECK(d->status == exec::GoalStatus::plan);
  CHECK(name_of(w, *d) == "counted");

  // cleaned unknown: the goal is not reported satisfied even once the state says it holds.
  model::State s = w.initial_state();
  s.set(term(w, "cleaned"), 1, w.fact(w.fact_index.at("cleaned")));
  o.unknown = {term(w, "cleaned")};
  o.only_goal = w.goal_index.at("clean");
  d = exec::decide(w, s, o, &err);
  REQUIRE(d);
  CHECK(d->goals[0].status == exec::GoalStatus::unknown);
  CHECK(d->status == exec::GoalStatus::unknown);
}

TEST_CASE("an effect that adds to an unknown counter reads it") {
  const auto w = load_text(kUnknownWorld);
  exec::PlannerOptions o;
  o.only_goal = w.goal_index.at("counted");
  o.unknown = {term(w, "n")};
  exec::PlanningError err;
  const auto d = exec::decide(w, w.initial_state(), o, &err);
  REQUIRE(d);
  // The goal reads n itself: unknown; nothing is planned from a guessed count.
  CHECK(d->goals[0].status == exec::GoalStatus::unknown);
  CHECK(d->chosen < 0);
}
