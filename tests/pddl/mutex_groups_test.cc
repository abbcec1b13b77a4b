// Mutex groups (ground/mutex_groups.h) on real PDDL tasks, against definitions that share nothing
// with the synthesis: every group is checked over the explicit reachable state space, and the
// merged task must have the same optimal cost, with plans that replay on the boolean task.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <unordered_set>

#include "ground/grounder.h"
#include "ground/mutex_groups.h"
#include "heuristics/factory.h"
#include "pddl/reader.h"
#include "test_support.h"
#include "search/search.h"
#include "search/test_tasks.h"

namespace goap {
namespace {

struct Loaded {
  std::optional<pddl::PddlTask> pddl;
  std::optional<ground::Domain> domain;
  ground::GoalTask goal;
  ground::VariableFacts facts;
};

Loaded load(const std::string& dir, const std::string& problem) {
  Loaded l;
  core::SourceManager sm;
  core::Diagnostics diags;
  l.pddl = pddl::load_pddl_text(dir + "/domain.pddl", testing::read_file("instances/" + dir + "/domain.pddl"), problem,
                                testing::read_file("instances/" + dir + "/" + problem), sm, diags);
  REQUIRE(l.pddl);
  const model::World& w = l.pddl->world;
  ground::GroundingError err;
  l.domain = ground::ground_domain(w, w.initial_state(), &err);
  REQUIRE(l.domain);
  const auto goal = ground::instantiate_goal(w, model::GoalId::from(0), w.initial_state(), true);
  l.goal = ground::make_goal_task(w, *l.domain, goal);
  for (std::uint32_t dv : l.goal.domain_var) l.facts.emplace_back(l.domain->var_terms[dv]);
  return l;
}

// Every group has at most one true variable in every state reachable from the initial one.
void check_at_most_one(const ground::Task& task, const std::vector<std::vector<std::uint32_t>>& groups,
                       std::size_t cap) {
  for (const auto& s : testing::reachable_states(task, cap))
    for (const auto& g : groups) {
      int count = 0;
      for (std::uint32_t v : g) count += s[v] == 1 ? 1 : 0;
      CHECK(count <= 1);
    }
}

// -1 when unsolvable.
long long cost_or_unsolvable(const ground::Task& t) {
  auto h = heuristics::make_heuristic("blind", t);
  search::Searcher searcher(t);
  const auto& r = searcher.solve(*h, search::SearchConfig::astar(), search::SearchLimits{});
  return r.status == search::SearchStatus::solved ? r.plan.cost : -1;
}

int optimal_cost(const ground::Task& t, search::Plan* plan) {
  auto h = heuristics::make_heuristic("blind", t);
  search::Searcher searcher(t);
  const auto& r = searcher.solve(*h, search::SearchConfig::astar(), search::SearchLimits{});
  REQUIRE(r.status == search::SearchStatus::solved);
  if (plan != nullptr) *plan = r.plan;
  return static_cast<int>(r.plan.cost);
}

// `explore`: also check the groups over the explicit state space (small instances only).
void check_instance(const std::string& dir, const std::string& problem, bool explore = true) {
  CAPTURE(dir);
  Loaded l = load(dir, problem);
  const ground::Task& task = l.goal.task;
  const auto groups = ground::find_mutex_groups(task, l.facts);

  // The cover: two or more variables a group, disjoint. Every group found, the cover's and the
  // overlapping rest: at most one true in every reachable state.
  std::set<std::uint32_t> used;
  for (const auto& g : groups.cover) {
    CHECK(g.size() >= 2);
    for (std::uint32_t v : g) CHECK(used.insert(v).second);
  }
  if (explore) {
    check_at_most_one(task, groups.cover, 200000);
    check_at_most_one(task, groups.invariants, 200000);
  }

  // The merged task: valid, smaller, same optimal cost; its plan replays on the boolean task.
  ground::MutexGroupStats stats;
  const ground::Task merged = ground::merge_mutex_groups(task, groups, &stats);
  CHECK(merged.validate().empty());
  CHECK(stats.groups == groups.cover.size());
  CHECK(merged.variables.size() == task.variables.size() - stats.merged_vars + stats.groups);
  CHECK(merged.operators.size() + stats.dead_operators == task.operators.size());
  search::Plan plan;
  CHECK(optimal_cost(merged, &plan) == optimal_cost(task, nullptr));
  std::map<std::pair<std::uint32_t, std::vector<std::uint32_t>>, ground::OpId> by_binding;
  for (std::size_t i = 0; i < task.operators.size(); ++i)
    by_binding[{task.operators[i].action, task.operators[i].args}] = ground::OpId::from(i);
  search::Plan replay;
  for (ground::OpId id : plan.steps) {
    const ground::Operator& op = merged.operators[id.index()];
    replay.steps.push_back(by_binding.at({op.action, op.args}));
  }
  replay.cost = plan.cost;
  CHECK(search::validate_plan(task, replay).empty());
}

TEST_CASE("mutex groups: sound on every test instance, and the merged task plans alike") {
  check_instance("gripper", "prob01.pddl");
  check_instance("blocks", "probBLOCKS-4-0.pddl");
  check_instance("satellite", "p01-pfile1.pddl");
  check_instance("elevators", "p01.pddl", false);  // a few hundred thousand states
  check_instance("courier", "problem.pddl");
  check_instance("add-wins", "problem.pddl");
}

TEST_CASE("mutex groups: under the grounding limits, a limit that names the stage") {
  Loaded l = load("blocks", "probBLOCKS-4-0.pddl");
  ground::GroundingLimits limits;
  limits.max_ms = -1;  // already past
  ground::Budget budget(limits);
  try {
    (void)ground::find_mutex_groups(l.goal.task, l.facts, nullptr, 2000, &budget);
    FAIL("no limit");
  } catch (const ground::LimitExceeded& e) {
    CHECK(e.kind == ground::GroundingLimitKind::time);
    CHECK(e.message.rfind("finding mutex groups among ", 0) == 0);
    CHECK(e.message.find("stopped at the time limit (-1 ms)") != std::string::npos);
  }
  ground::Budget ample;  // no limits: the same groups as without a budget
  CHECK(ground::find_mutex_groups(l.goal.task, l.facts, nullptr, 2000, &ample).cover ==
        ground::find_mutex_groups(l.goal.task, l.facts).cover);
}

TEST_CASE("mutex groups: blocks world needs one variable per block position and clear fact") {
  // The textbook encoding: per block, where it is (on another block, on the table or held) and
  // whether something is on it; the hand is free or holds one block. Whatever cover is chosen,
  // 4 blocks take at most 2 * 4 + 1 variables instead of 29 booleans.
  Loaded l = load("blocks", "probBLOCKS-4-0.pddl");
  const auto groups = ground::find_mutex_groups(l.goal.task, l.facts);
  const ground::Task merged = ground::merge_mutex_groups(l.goal.task, groups, nullptr);
  // 16 on(x, y) (on(a, a) is relaxed-reachable), 4 ontable, 4 clear, 4 holding, handempty.
  CHECK(l.goal.task.variables.size() == 29);
  CHECK(merged.variables.size() <= 9);
}

TEST_CASE("mutex groups: sound and plan-preserving on random tasks with planted invariants") {
  // A robot at one of k places (sometimes nowhere), m flags; moves keep "at most one place",
  // while teleports, vanishing, blind deletes and negative preconditions each break or block a
  // group at random. Whatever synthesis finds must hold in every reachable state, and merging
  // must keep the optimal cost (or unsolvability).
  std::uint64_t x = 88172645463325252ull;
  auto next = [&](std::uint32_t n) {  // xorshift64: the same tasks everywhere
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<std::uint32_t>(x % n);
  };
  int with_groups = 0;
  for (int round = 0; round < 1500; ++round) {
    CAPTURE(round);
    search::testing::TaskBuilder b;
    ground::VariableFacts facts;
    auto term = [](std::uint32_t fact, std::uint32_t arg) {
      return model::GroundTerm{model::FactId::from(fact), {model::ObjectId::from(arg)}};
    };
    const std::uint32_t k = 2 + next(4), m = 1 + next(3);
    const std::uint32_t start = next(k + 1);  // == k: nowhere
    std::vector<std::uint32_t> at, flag;
    for (std::uint32_t i = 0; i < k; ++i) {
      at.push_back(b.var("at(" + std::to_string(i) + ")", 2, i == start ? 1 : 0));
      facts.emplace_back(term(0, i));
    }
    for (std::uint32_t j = 0; j < m; ++j) {
      flag.push_back(b.var("flag(" + std::to_string(j) + ")", 2, next(2)));
      facts.emplace_back(term(1, j));
    }
    const std::uint32_t nops = 3 + next(8);
    for (std::uint32_t o = 0; o < nops; ++o) {
      const std::uint32_t i = next(k), j = next(k), f = next(m);
      std::vector<ground::VarVal> pre, eff;
      switch (next(10)) {
        case 0: eff = {{at[j], 1}}; break;                        // teleport: breaks the group
        case 1: pre = {{at[i], 1}}; eff = {{at[i], 0}}; break;    // vanish: needs `none`
        case 2: eff = {{at[i], 0}}; break;                        // blind delete: not encodable
        case 3: pre = {{at[i], 0}}; eff = {{flag[f], 1}}; break;  // negative precondition
        case 4: case 5: pre = {{flag[f], next(2)}}; eff = {{flag[f], next(2)}}; break;
        default:
          pre = {{at[i], 1}};
          if (next(3) == 0) pre.push_back({flag[f], next(2)});
          if (i != j) eff = {{at[i], 0}, {at[j], 1}};
          else eff = {{flag[f], 1}};
      }
      b.op("op" + std::to_string(o), pre, eff, static_cast<int>(next(3)));
    }
    b.goal(at[next(k)], {next(2)});
    if (next(2) == 0) b.goal(flag[next(m)], {next(2)});
    const ground::Task task = b.build();
    REQUIRE(task.validate().empty());

    const auto groups = ground::find_mutex_groups(task, facts);
    check_at_most_one(task, groups.invariants, 100000);
    ground::MutexGroupStats stats;
    const ground::Task merged = ground::merge_mutex_groups(task, groups, &stats);
    REQUIRE(merged.validate().empty());
    with_groups += stats.groups > 0 ? 1 : 0;
    CHECK(cost_or_unsolvable(merged) == cost_or_unsolvable(task));
  }
  // The generator must plant groups often enough for the test to say something.
  MESSAGE("tasks with a merged group: " << with_groups);
  CHECK(with_groups > 300);
}

TEST_CASE("mutex groups: merging, by hand") {
  search::testing::TaskBuilder b;
  // at-a/at-b/at-c: where the robot is (exactly one); held: a separate fact.
  const auto a = b.var("at-a", 2, 1);
  const auto bb = b.var("at-b", 2, 0);
  const auto held = b.var("held", 2, 0);
  const auto c = b.var("at-c", 2, 0);
  b.op("go-a-b", {{a, 1}}, {{a, 0}, {bb, 1}});
  b.op("go-b-c", {{bb, 1}}, {{bb, 0}, {c, 1}});
  b.op("impossible", {{a, 1}, {c, 1}}, {{held, 1}});  // asks for two places at once
  b.op("grab-at-c", {{c, 1}}, {{held, 1}});
  b.op("vanish", {{c, 1}}, {{c, 0}});                 // the robot can be nowhere: needs `none`
  b.goal(held, {1});
  b.goal(a, {0});
  const ground::Task task = b.build();

  SUBCASE("found by synthesis") {
    ground::VariableFacts facts(task.variables.size());
    // Facts: at(a), at(b), held(), at(c): one fact name "at" with a counted argument.
    auto term = [](std::uint32_t fact, std::vector<std::uint32_t> args) {
      model::GroundTerm t{model::FactId::from(fact), {}};
      for (std::uint32_t x : args) t.args.push_back(model::ObjectId::from(x));
      return t;
    };
    facts[a] = term(0, {0});
    facts[bb] = term(0, {1});
    facts[held] = term(1, {});
    facts[c] = term(0, {2});
    const auto groups = ground::find_mutex_groups(task, facts);
    REQUIRE(groups.cover.size() == 1);
    CHECK(groups.cover[0] == std::vector<std::uint32_t>{a, bb, c});
  }

  ground::MutexGroupStats stats;
  const ground::Task m = ground::merge_mutex_groups(task, ground::MutexGroups{{{a, bb, c}}, {}}, &stats);
  REQUIRE(m.validate().empty());
  CHECK(stats.dead_operators == 1);
  REQUIRE(m.variables.size() == 2);
  // The group sits where at-a was; its values are the facts, then `none`.
  CHECK(m.variables[0].name == "at-a | at-b | at-c");
  CHECK(m.variables[0].value_names == std::vector<std::string>{"at-a", "at-b", "at-c", "none"});
  CHECK(m.variables[1].name == "held");
  CHECK(m.initial == std::vector<std::uint32_t>{0, 0});
  REQUIRE(m.operators.size() == 4);
  CHECK(m.operators[0].pre == std::vector<ground::VarVal>{{0, 0}});
  CHECK(m.operators[0].eff == std::vector<ground::VarVal>{{0, 1}});
  CHECK(m.operators[2].name == "grab-at-c");
  CHECK(m.operators[3].eff == std::vector<ground::VarVal>{{0, 3}});
  // "not at-a": any other value of the group, `none` included.
  REQUIRE(m.goal.size() == 2);
  CHECK(m.goal[0].var == 0);
  CHECK(m.goal[0].values == std::vector<std::uint32_t>{1, 2, 3});
  CHECK(optimal_cost(m, nullptr) == optimal_cost(task, nullptr));

  SUBCASE("a delete without a precondition in the group keeps it boolean") {
    search::testing::TaskBuilder b2;
    const auto x = b2.var("x", 2, 1);
    const auto y = b2.var("y", 2, 0);
    b2.op("x-to-y", {{x, 1}}, {{x, 0}, {y, 1}});
    b2.op("clear-y", {}, {{y, 0}});  // "if y then none": conditional
    b2.goal(y, {1});
    const ground::Task t2 = b2.build();
    const ground::Task m2 = ground::merge_mutex_groups(t2, ground::MutexGroups{{{x, y}}, {}}, &stats);
    CHECK(stats.groups == 0);
    CHECK(m2.variables.size() == 2);
  }

  SUBCASE("a group left out of the cover still rules operators out") {
    // {x, y} is merged; {x, z} is an invariant too (x is left by going to y or to z), so `bad`,
    // which asks for x and z, never fires, though x and z are in no merged group together.
    search::testing::TaskBuilder b3;
    const auto x = b3.var("x", 2, 1);
    const auto y = b3.var("y", 2, 0);
    const auto z = b3.var("z", 2, 0);
    const auto done = b3.var("done", 2, 0);
    b3.op("go-y", {{x, 1}}, {{x, 0}, {y, 1}});
    b3.op("go-z", {{x, 1}}, {{x, 0}, {z, 1}});
    b3.op("bad", {{x, 1}, {z, 1}}, {{done, 1}});
    b3.op("finish", {{z, 1}}, {{done, 1}});
    b3.goal(done, {1});
    const ground::Task t3 = b3.build();
    const ground::Task m3 = ground::merge_mutex_groups(t3, ground::MutexGroups{{{x, y}}, {{x, y}, {x, z}}}, &stats);
    REQUIRE(m3.validate().empty());
    CHECK(stats.dead_operators == 1);
    REQUIRE(m3.operators.size() == 3);
    CHECK(m3.operators[2].name == "finish");
    CHECK(optimal_cost(m3, nullptr) == optimal_cost(t3, nullptr));
  }
}

}  // namespace
}  // namespace goap
