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
