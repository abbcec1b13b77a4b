#include "ground/grounder.h"

#include <doctest/doctest.h>

#include <algorithm>

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

ground::Domain ground_it(const model::World& w) {
  ground::GroundingError err;
  auto d = ground::ground_domain(w, w.initial_state(), &err);
  INFO(err.message);
  REQUIRE(d.has_value());
  return std::move(*d);
}

std::vector<std::string> op_names(const ground::Task& t) {
  std::vector<std::string> out;
  for (const auto& op : t.operators) out.push_back(op.name);
  return out;
}

}  // namespace

TEST_CASE("an int increment splits into one operator per value that stays in range") {
  const auto w = load_text(R"(
kind: world
facts: {n: "int[0..3]", done: bool}
actions:
  inc: {pre: [n < 3], eff: [n += 1]}
  inc2: {eff: [n += 2]}
  finish: {pre: [n = 3], eff: [done]}
)");
  const auto d = ground_it(w);
  // inc: from 0, 1, 2; inc2: from 0 and 1 only (2 + 2 would leave the range); finish: one.
  const auto names = op_names(d.task);
  CHECK(std::count(names.begin(), names.end(), "inc") == 3);
  CHECK(std::count(names.begin(), names.end(), "inc2") == 2);
  for (const auto& op : d.task.operators) {
    if (op.name != "inc2") continue;
    REQUIRE(op.pre.size() == 1);
    CHECK(op.eff.front().value == op.pre.front().value + 2);
  }
}

TEST_CASE("static preconditions prune bindings, subtypes bind to parameters of their parent type") {
  const auto w = load_text(R"(
kind: world
types: {place: {}, room: {is: place}}
objects: {a: place, b: room, c: room}
facts: {link(place, place): bool, at(place): bool}
state: [link(a, b), link(b, c), at(a)]
actions:
  move: {params: {x: place, y: place}, pre: [link($x, $y), at($x)], eff: [at($y), not at($x)]}
)");
  const auto d = ground_it(w);
  CHECK(d.stats.bindings == 2);  // only the two linked pairs survive the static check
  CHECK(op_names(d.task) == std::vector<std::string>{"move(a, b)", "move(b, c)"});
  // `link` is static: not a variable.
  for (const auto& v : d.task.variables) CHECK(v.name.rfind("link", 0) != 0);
}

TEST_CASE("relaxed reachability drops operators that can never fire and folds constants") {
  const auto w = load_text(R"(
kind: world
facts: {key: bool, door_open: bool, inside: bool, never: bool}
actions:
  open: {pre: [key], eff: [door_open]}
  enter: {pre: [door_open], eff: [inside]}
  magic: {pre: [never], eff: [key]}
  unmagic: {pre: [never], eff: [not never]}
)");
  const auto d = ground_it(w);
  CHECK(d.task.operators.empty());
  CHECK(d.task.variables.empty());
}

TEST_CASE("an enum '!=' precondition becomes one operator per allowed, reachable value") {
  const auto w = load_text(R"(
kind: world
facts: {mode: "enum[a, b, c]", ok: bool}
actions:
  set-a: {eff: [mode = a]}
  set-c: {eff: [mode = c]}
  go: {pre: [mode != a], eff: [ok]}
)");
  const auto d = ground_it(w);
  // go splits over b and c; nothing ever sets b, so only the c copy survives reachability.
  const auto names = op_names(d.task);
  CHECK(std::count(names.begin(), names.end(), "go") == 1);
}

TEST_CASE("forall goals with when are instantiated per binding") {
  const auto w = load_text(R"(
kind: world
types: {agent: {}}
objects: {x: agent, y: agent, z: agent}
facts: {running(agent): bool, enabled(agent): bool}
state: [enabled(x), enabled(y), running(y)]
actions:
  start: {params: {a: agent}, pre: [enabled($a)], eff: [running($a)]}
goals:
  all-running: {forall: {a: agent}, when: [enabled($a)], want: [running($a)]}
  none-enabled: {when: [enabled(z)], want: [running(z)]}
)");
  const auto s = w.initial_state();
  const auto g = ground::instantiate_goal(w, model::GoalId::from(0), s, false);
  CHECK(g.status == ground::GoalInstance::Status::open);
  REQUIRE(g.want.size() == 2);  // x and y are enabled; z is not, so it is not wanted
  CHECK(w.term_name(g.want[0].first) == "running(x)");
  CHECK(ground::instantiate_goal(w, model::GoalId::from(1), s, false).status == ground::GoalInstance::Status::inactive);
  // plan --goal ignores when: running(z) is then wanted, and nothing can start z.
  const auto forced = ground::instantiate_goal(w, model::GoalId::from(1), s, true);
  CHECK(forced.status == ground::GoalInstance::Status::open);
  const auto d = ground_it(w);
  const auto gt = ground::make_goal_task(w, d, forced);
  CHECK(gt.statically_unsolvable);
  CHECK(gt.unsolvable_reason == "no action that can apply changes 'running(z)': it is false and the goal wants true");
}

TEST_CASE("a goal task keeps only the operators relevant to its goal") {
  const auto w = load_text(R"(
kind: world
facts: {a: bool, b: bool, c: bool, d: bool}
actions:
  make-a: {eff: [a]}
  make-b: {pre: [a], eff: [b]}
  make-c: {eff: [c]}
  make-d: {pre: [c], eff: [d]}
goals:
  want-b: {want: [b]}
)");
  const auto d = ground_it(w);
  CHECK(d.task.operators.size() == 4);
  const auto gi = ground::instantiate_goal(w, model::GoalId::from(0), w.initial_state(), false);
  const auto gt = ground::make_goal_task(w, d, gi);
  CHECK(op_names(gt.task) == std::vector<std::string>{"make-a", "make-b"});
  CHECK(gt.task.variables.size() == 2);
  CHECK(gt.task.validate().empty());
}

TEST_CASE("grounding under a budget stops at the limit and names the action and its estimate") {
  std::string text = R"(
kind: world
name: wide
types:
  thing: {}
objects:
)";
  for (int i = 0; i < 40; ++i) text += "  o" + std::to_string(i) + ": thing\n";
  text += R"(facts:
  ready(thing): bool
  linked(thing, thing, thing, thing): bool
actions:
  prepare:
    params: {a: thing}
    eff: [ready($a)]
  link:
    params: {a: thing, b: thing, c: thing, d: thing}
    pre: [ready($a), ready($b), ready($c), ready($d)]
    eff: [linked($a, $b, $c, $d)]
)";
  const auto w = load_text(text);
  ground::GroundingLimits limits;
  limits.max_memory_bytes = std::size_t{8} << 20;
  ground::Budget budget(limits);
  ground::GroundingError err;
  try {
    (void)ground::ground_domain(w, w.initial_state(), &err, &budget);
    FAIL("grounding 40^4 bindings fit in 8 MiB");
  } catch (const ground::LimitExceeded& e) {
    CHECK(e.kind == ground::GroundingLimitKind::memory);
    CHECK(e.message.find("grounding action 'link($a, $b, $c, $d)' would create about 2,560,000 ground actions "
                         "(40 x 40 x 40 x 40 bindings)") == 0);
    CHECK(e.message.find("the memory limit (8 MiB)") != std::string::npos);
  }
  // Without a budget the same world grounds (the limits are the caller's choice).
  ground::GroundingLimits none;
  ground::Budget unlimited(none);
  auto small = load_text(R"(
kind: world
name: small
types: {thing: {}}
objects: {a: thing, b: thing}
facts: {ready(thing): bool}
actions:
  prepare: {params: {x: thing}, eff: [ready($x)]}
)");
  CHECK(ground::ground_domain(small, small.initial_state(), &err, &unlimited).has_value());
}

TEST_CASE("a forall goal too big for the memory limit is refused before it is built") {
  std::string text = "kind: world\nname: g\ntypes: {thing: {}}\nobjects:\n";
  for (int i = 0; i < 30; ++i) text += "  o" + std::to_string(i) + ": thing\n";
  text += R"(facts:
  ok(thing, thing, thing): bool
actions:
  fix: {params: {a: thing}, eff: ['ok($a, $a, $a)']}
goals:
  all-ok:
    priority: 1
    forall: {a: thing, b: thing, c: thing}
    want: ['ok($a, $b, $c)']
)";
  const auto w = load_text(text);
  ground::GroundingLimits limits;
  limits.max_memory_bytes = std::size_t{1} << 20;
  ground::Budget budget(limits);
  try {
    (void)ground::instantiate_goal(w, model::GoalId::from(0), w.initial_state(), false, budget);
    FAIL("27,000 wanted facts fit in 1 MiB");
  } catch (const ground::LimitExceeded& e) {
    CHECK(e.message == "grounding goal 'all-ok' (forall over 30 x 30 x 30 objects) would create about 27,000 wanted "
                       "facts, more than the memory limit (1 MiB)");
  }
  // Unlimited, the same goal grounds every binding once.
  CHECK(ground::instantiate_goal(w, model::GoalId::from(0), w.initial_state(), false).want.size() == 27000);
}

TEST_CASE("counts in grounding messages") {
  CHECK(ground::count_text(0) == "0");
  CHECK(ground::count_text(2560000) == "2,560,000");
  CHECK(ground::count_text(4.6656e10) == "4.7e10");
  CHECK(ground::bytes_text(256.0 * (1 << 20)) == "256 MiB");
}
