// Explanations on small worlds: the missing piece behind an unreachable goal, bindings the
// world's layout rules out, interactions found by leaving one wanted fact out, and the causal
// links of a plan (who gives what to whom, and who undoes what another step restores).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "exec/goal_planner.h"
#include "export/explain.h"
#include "load/loader.h"

using namespace goap;

namespace {

struct Loaded {
  core::SourceManager sm;
  core::Diagnostics diags;
  model::World world;
  model::State state;

  explicit Loaded(const std::string& text) {
    auto w = load::load_world_text("w.yaml", text, sm, diags);
    INFO(core::render_all(diags, sm));
    REQUIRE(w.has_value());
    world = std::move(*w);
    state = world.initial_state();
  }
  model::GoalId goal(const std::string& name) const { return world.goal_index.at(name); }
  exec::GoalOutcome plan(const std::string& goal_name, std::vector<std::string> without = {}) const {
    exec::PlannerOptions o;
    o.threads = 1;
    o.only_goal = goal(goal_name);
    o.without = std::move(without);
    exec::PlanningError err;
    auto d = exec::decide(world, state, o, &err);
    REQUIRE(d.has_value());
    REQUIRE(d->goals.size() == 1);
    return d->goals.front();
  }
};

// A box is packed on the host that holds it, which must be up; only a reboot brings a host up,
// and a reboot needs a key nobody can find.
constexpr const char* kPacking = R"(
kind: world
types: {box: {}, host: {}}
objects: {crate: box, alpha: host, beta: host}
facts:
  up(host): bool
  packed(box): bool
  hosts(host, box): bool
  key_found: bool
state: [hosts(alpha, crate)]
actions:
  pack:
    params: {b: box, h: host}
    pre: [hosts($h, $b), up($h)]
    eff: [packed($b)]
  reboot:
    params: {h: host}
    pre: [key_found]
    eff: [up($h)]
goals:
  crate-packed:
    want: [packed(crate)]
)";

const exporting::Unreachable* find(const exporting::RelaxedAnalysis& a, const std::string& condition) {
  auto it = std::find_if(a.nodes.begin(), a.nodes.end(), [&](const auto& u) { return u.condition == condition; });
  return it == a.nodes.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("no plan: the chain of unreachable preconditions down to the missing piece") {
  Loaded l(kPacking);
  const exporting::RelaxedAnalysis a = exporting::analyse_relaxed(l.world, l.state, l.goal("crate-packed"));
  CHECK(a.wanted_total == 1);
  REQUIRE(a.wanted.size() == 1);
  const exporting::Unreachable& packed = a.nodes[a.wanted[0]];
  CHECK(packed.condition == "packed(crate)");
  CHECK(packed.now == "false");
  // pack(crate, alpha) waits for alpha to come up; pack(crate, beta) is ruled out by the layout.
  REQUIRE(packed.producers.size() == 1);
  CHECK(packed.producers[0].action == "pack(crate, alpha)");
  CHECK(packed.ruled_out == 1);
  REQUIRE(packed.ruled_out_examples.size() == 1);
  CHECK(packed.ruled_out_examples[0] == "pack(crate, beta) needs hosts(beta, crate)");
  REQUIRE(packed.producers[0].blocked.size() == 1);
  const exporting::Unreachable& up = a.nodes[packed.producers[0].blocked[0]];
  CHECK(up.condition == "up(alpha)");
  REQUIRE(up.producers.size() == 1);
  CHECK(up.producers[0].action == "reboot(alpha)");
  // The reboot's key is static: every binding of reboot needs it, so it is the story, not layout.
  REQUIRE(a.missing.size() == 1);
  const exporting::Unreachable& key = a.nodes[a.missing[0]];
  CHECK(key.condition == "key_found");
  CHECK(key.is_static);
  CHECK(exporting::missing_piece_text(key) ==
        "no action makes key_found true, and the state has it false (no action changes key_found at all)");
  CHECK(find(a, "hosts(beta, crate)") == nullptr);  // layout is counted, never followed
}

TEST_CASE("no plan: an exhausted counter and an external fact are named as such") {
  Loaded l(R"(
kind: world
facts:
  tries: int[0..3]
  ok: bool
  provider: {type: "enum[kimi, none]", external: true}
state: [tries = 3, provider = none]
actions:
  retry: {pre: [tries < 3, provider = kimi], eff: [ok, tries += 1]}
goals:
  fixed: {want: [ok]}
)");
  const exporting::RelaxedAnalysis a = exporting::analyse_relaxed(l.world, l.state, l.goal("fixed"));
  REQUIRE(a.missing.size() == 2);
  CHECK(exporting::missing_piece_text(a.nodes[a.missing[0]]) ==
        "no action makes 'tries < 3' hold, and the state has tries = 3");
  CHECK(exporting::missing_piece_text(a.nodes[a.missing[1]]) ==
        "no action makes 'provider = kimi' hold, and the state has provider = none (no action changes provider at all); "
        "it is external, so the world may change it: sense it again");
}

TEST_CASE("--without: the analysis forgets the action, whole or one binding") {
  Loaded l(R"(
kind: world
types: {host: {}}
objects: {a: host, b: host}
facts: {up(host): bool}
actions:
  boot: {params: {h: host}, eff: [up($h)]}
goals:
  all-up: {forall: {h: host}, want: [up($h)]}
)");
  CHECK(exporting::analyse_relaxed(l.world, l.state, l.goal("all-up")).wanted.empty());
  const auto one = exporting::analyse_relaxed(l.world, l.state, l.goal("all-up"), {"boot(b)"});
  REQUIRE(one.wanted.size() == 1);
  CHECK(one.nodes[one.wanted[0]].condition == "up(b)");
  const auto all = exporting::analyse_relaxed(l.world, l.state, l.goal("all-up"), {"boot"});
  CHECK(all.wanted.size() == 2);
  CHECK(l.plan("all-up", {"boot (a)"}).status == exec::GoalStatus::unsolvable);  // spaces do not matter
  CHECK(l.plan("all-up").cost == 2);
}

TEST_CASE("no plan although every wanted fact is reachable: leaving one out shows the conflict") {
  // Either light, never both: each switch turns the other light off.
  Loaded l(R"(
kind: world
facts: {red: bool, green: bool}
actions:
  switch-red: {eff: [red, not green]}
  switch-green: {eff: [green, not red]}
goals:
  both: {want: [red, green]}
)");
  const exec::GoalOutcome g = l.plan("both");
  CHECK(g.status == exec::GoalStatus::unsolvable);
  const exporting::RelaxedAnalysis a = exporting::analyse_relaxed(l.world, l.state, l.goal("both"));
  CHECK(a.wanted.empty());
  const auto drops = exporting::drop_one_wanted(l.world, l.state, l.goal("both"), {});
  REQUIRE(drops.size() == 2);
  CHECK(drops[0].wanted == "red");
  CHECK(drops[0].solvable);
  CHECK(drops[0].cost == 1);
  CHECK(drops[1].wanted == "green");
  CHECK(drops[1].solvable);
}

TEST_CASE("a plan: what each step gives to whom, what it undoes and who restores it") {
  // prepare makes `ready` and breaks `clean`; work needs ready and makes done; tidy needs done
  // and restores clean. The goal wants done and clean.
  Loaded l(R"(
kind: world
facts: {ready: bool, done: bool, clean: bool, power: bool}
state: [clean, power]
actions:
  prepare: {pre: [power], eff: [ready, not clean], cost: 1}
  work: {pre: [ready], eff: [done], cost: 2}
  tidy: {pre: [done], eff: [clean], cost: 1}
  cut-power: {eff: [not power]}
goals:
  finished: {want: [done, clean]}
)");
  const exec::GoalOutcome g = l.plan("finished");
  REQUIRE(g.status == exec::GoalStatus::plan);
  REQUIRE(g.plan.size() == 3);
  const exporting::PlanExplanation e = exporting::explain_plan(l.world, l.state, g.goal, g.plan);
  REQUIRE(e.steps.size() == 3);
  const auto& prepare = e.steps[0];
  CHECK(prepare.name == "prepare");
  REQUIRE(prepare.supports.size() == 1);
  CHECK(prepare.supports[0].condition == "ready");
  CHECK(prepare.supports[0].consumers == std::vector<int>{2});
  REQUIRE(prepare.undoes.size() == 1);
  CHECK(prepare.undoes[0].condition == "clean");
  CHECK(prepare.undoes[0].needed_by == std::vector<int>{exporting::kGoalConsumer});
  CHECK(prepare.undoes[0].restored_by == 3);
  CHECK(prepare.dependents == std::vector<int>{2, 3});
  CHECK(prepare.goal_depends);
  const auto& work = e.steps[1];
  REQUIRE(work.supports.size() == 1);
  CHECK(work.supports[0].condition == "done");
  CHECK(work.supports[0].consumers == std::vector<int>{3, exporting::kGoalConsumer});
  CHECK(work.dependents == std::vector<int>{3});
  CHECK(e.steps[2].supports[0].condition == "clean");
  CHECK(e.steps[2].supports[0].consumers == std::vector<int>{exporting::kGoalConsumer});
  CHECK(e.steps[2].dependents.empty());
  REQUIRE(e.from_start.size() == 1);
  CHECK(e.from_start[0].condition == "power");
  CHECK(e.from_start[0].consumers == std::vector<int>{1});
  CHECK(e.layout_conditions == 0);
}
