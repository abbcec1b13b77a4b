// Object symmetries (ground/symmetries.h) on PDDL tasks, against definitions that share nothing
// with the finder: every generator is checked to be an automorphism of the explicit reachable
// state space, canonical states are checked against the generators they report, and A* over
// canonical states must keep the optimal cost with plans that validate on the real task.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "ground/grounder.h"
#include "ground/mutex_groups.h"
#include "ground/symmetries.h"
#include "heuristics/factory.h"
#include "pddl/reader.h"
#include "test_support.h"
#include "search/search.h"

namespace goap {
namespace {

struct Loaded {
  std::optional<pddl::PddlTask> pddl;
  ground::Task task;
  std::vector<ground::VarFacts> facts;
  ground::ObjectSymmetries symmetries;

  [[nodiscard]] std::string object(std::uint32_t o) const { return pddl->object_names[o]; }
  // The classes as object names, for readable checks.
  [[nodiscard]] std::set<std::set<std::string>> classes() const {
    std::set<std::set<std::string>> out;
    for (const auto& c : symmetries.classes()) {
      std::set<std::string> names;
      for (std::uint32_t o : c) names.insert(object(o));
      out.insert(names);
    }
    return out;
  }
};

// `merge`: with mutex groups merged into multi-valued variables, as `goap pddl` does by default.
Loaded load_text(const std::string& domain, const std::string& problem, bool merge) {
  Loaded l;
  core::SourceManager sm;
  core::Diagnostics diags;
  l.pddl = pddl::load_pddl_text("domain.pddl", domain, "problem.pddl", problem, sm, diags);
  REQUIRE(l.pddl);
  const model::World& w = l.pddl->world;
  ground::GroundingError err;
  const auto dom = ground::ground_domain(w, w.initial_state(), &err);
  REQUIRE(dom);
  const auto goal = ground::instantiate_goal(w, model::GoalId::from(0), w.initial_state(), true);
  ground::GoalTask gt = ground::make_goal_task(w, *dom, goal);
  std::vector<model::GroundTerm> terms;
  for (std::uint32_t dv : gt.domain_var) terms.push_back(dom->var_terms[dv]);
  l.task = gt.task;
  if (merge) {
    ground::VariableFacts vf(terms.begin(), terms.end());
    ground::MergeOrigin origin;
    l.task = ground::merge_mutex_groups(gt.task, ground::find_mutex_groups(gt.task, vf), nullptr, &origin);
    l.facts = ground::merged_variable_facts(terms, origin);
  } else {
    for (const auto& t : terms) l.facts.push_back(ground::VarFacts{false, {t}});
  }
  l.symmetries = ground::find_object_symmetries(l.task, l.facts, w.objects.size());
  return l;
}

Loaded load(const std::string& dir, const std::string& problem, bool merge) {
  return load_text(testing::read_file("instances/" + dir + "/domain.pddl"), testing::read_file("instances/" + dir + "/" + problem), merge);
}

// Every generator maps the reachable state space onto itself: reachable states onto reachable
// states, goal states onto goal states, and each transition s -op-> s' onto
// g(s) -g(op)-> g(s') with the same cost. It is an involution on states and operators.
void check_automorphisms(const Loaded& l) {
  const ground::Task& t = l.task;
  const auto states = testing::reachable_states(t, 200000);
  const std::set<std::vector<std::uint32_t>> reachable(states.begin(), states.end());
  const auto& gens = l.symmetries.generators();
  for (std::uint32_t g = 0; g < gens.size(); ++g) {
    CAPTURE(l.object(gens[g].a));
    CAPTURE(l.object(gens[g].b));
    for (std::size_t o = 0; o < t.operators.size(); ++o) {
      const ground::OpId image = l.symmetries.map_op(g, ground::OpId::from(o));
      CHECK(l.symmetries.map_op(g, image) == ground::OpId::from(o));
      CHECK(t.operators[image.index()].cost == t.operators[o].cost);
    }
    for (const auto& s : states) {
      auto gs = s;
      l.symmetries.apply(g, gs.data());
      REQUIRE(reachable.count(gs) == 1);
      CHECK(t.is_goal(gs.data()) == t.is_goal(s.data()));
      auto back = gs;
      l.symmetries.apply(g, back.data());
      CHECK(back == s);
      for (std::size_t o = 0; o < t.operators.size(); ++o) {
        const ground::Operator& op = t.operators[o];
        const ground::Operator& image = t.operators[l.symmetries.map_op(g, ground::OpId::from(o)).index()];
        REQUIRE(t.applicable(image, gs.data()) == t.applicable(op, s.data()));
        if (!t.applicable(op, s.data())) continue;
        auto next = testing::successor(op, s);
        l.symmetries.apply(g, next.data());
        CHECK(next == testing::successor(image, gs));
      }
    }
  }
  // Canonical states: reachable, a fixed point, equal for a state and its images, and the
  // reported generators lead there.
  std::size_t classes = 0;
  std::set<std::vector<std::uint32_t>> canonical;
  for (const auto& s : states) {
    auto c = s;
    std::vector<std::uint32_t> applied;
    l.symmetries.canonicalize(c.data(), &applied);
    CHECK(reachable.count(c) == 1);
    auto replay = s;
    for (std::uint32_t g : applied) l.symmetries.apply(g, replay.data());
    CHECK(replay == c);
    auto again = c;
    l.symmetries.canonicalize(again.data());
    CHECK(again == c);
    classes += canonical.insert(c).second ? 1 : 0;
  }
  if (!gens.empty()) CHECK(classes < states.size());
}

long long astar_cost(const Loaded& l, bool symmetries, bool deferred, bool pruning, const std::string& heuristic) {
  auto h = heuristics::make_heuristic(heuristic, l.task);
  search::Searcher searcher(l.task);
  auto config = search::SearchConfig::astar(deferred);
  config.stubborn_sets = pruning;
  if (symmetries) config.symmetries = &l.symmetries;
  const auto& r = searcher.solve(*h, config, search::SearchLimits{});
  REQUIRE(r.status == search::SearchStatus::solved);
  // The plan is for the real task, step by step, though the search saw canonical states only.
  CHECK(search::validate_plan(l.task, r.plan).empty());
  return r.plan.cost;
}

void check_search(const Loaded& l) {
  const long long optimal = astar_cost(l, false, false, false, "blind");
  for (bool deferred : {false, true})
    for (bool pruning : {false, true})
      for (const char* h : {"blind", "lmcut"}) {
        CAPTURE(deferred);
        CAPTURE(pruning);
        CAPTURE(h);
        CHECK(astar_cost(l, true, deferred, pruning, h) == optimal);
      }
}

TEST_CASE("symmetries: gripper's balls and grippers are interchangeable, rooms are not") {
  for (bool merge : {true, false}) {
    CAPTURE(merge);
    const Loaded l = load("gripper", "prob01.pddl", merge);
    CHECK(l.classes() == std::set<std::set<std::string>>{{"ball1", "ball2", "ball3", "ball4"}, {"left", "right"}});
    CHECK(l.symmetries.generators().size() == 4);  // neighbours in each class
    check_automorphisms(l);
    check_search(l);
  }
}

TEST_CASE("symmetries: under the grounding limits, a limit that names the stage") {
  const Loaded l = load("gripper", "prob01.pddl", true);
  ground::GroundingLimits limits;
  limits.max_ms = -1;  // already past
  ground::Budget budget(limits);
  try {
    (void)ground::find_object_symmetries(l.task, l.facts, l.pddl->world.objects.size(), nullptr, 20000, &budget);
    FAIL("no limit");
  } catch (const ground::LimitExceeded& e) {
    CHECK(e.message.rfind("finding object symmetries among ", 0) == 0);
  }
  ground::Budget ample;
  CHECK(ground::find_object_symmetries(l.task, l.facts, l.pddl->world.objects.size(), nullptr, 20000, &ample).classes() ==
        l.symmetries.classes());
}

TEST_CASE("symmetries: sound on every test instance; A* over canonical states stays optimal") {
  for (const auto& [dir, problem] : std::vector<std::pair<std::string, std::string>>{
           {"blocks", "probBLOCKS-4-0.pddl"}, {"satellite", "p01-pfile1.pddl"}, {"courier", "problem.pddl"},
           {"add-wins", "problem.pddl"}}) {
    CAPTURE(dir);
    const Loaded l = load(dir, problem, true);
    check_automorphisms(l);
    check_search(l);
  }
  // Blocks with distinct goal positions: no two blocks are alike.
  CHECK(load("blocks", "probBLOCKS-4-0.pddl", true).symmetries.empty());
}

// A courier moves packages between places; `road` and `(fee ?p)` are static.
const char* kCourier = R"((define (domain courier)
  (:requirements :strips :typing :action-costs)
  (:types place package)
  (:predicates (at ?p - package ?l - place) (truck ?l - place) (loaded ?p - package) (road ?a ?b - place))
  (:functions (total-cost) - number (fee ?p - package) - number)
  (:action drive :parameters (?a ?b - place) :precondition (and (truck ?a) (road ?a ?b))
    :effect (and (not (truck ?a)) (truck ?b) (increase (total-cost) 1)))
  (:action load :parameters (?p - package ?l - place) :precondition (and (truck ?l) (at ?p ?l))
    :effect (and (not (at ?p ?l)) (loaded ?p) (increase (total-cost) (fee ?p))))
  (:action unload :parameters (?p - package ?l - place) :precondition (and (truck ?l) (loaded ?p))
    :effect (and (at ?p ?l) (not (loaded ?p)) (increase (total-cost) 1)))))";

std::string courier_problem(const std::string& init, const std::string& goal) {
  return "(define (problem p) (:domain courier) (:objects x y z - place p1 p2 p3 - package) (:init (truck x) "
         "(road x y) (road y x) (road y z) (road z y) (= (total-cost) 0) " + init + ") (:goal (and " + goal +
         ")) (:metric minimize (total-cost)))";
}

TEST_CASE("symmetries: what tells objects apart") {
  const std::string fees = "(= (fee p1) 1) (= (fee p2) 1) (= (fee p3) 1) ";
  const std::string start = "(at p1 x) (at p2 x) (at p3 x) ";
  SUBCASE("same start, same goal, same fee: all three packages") {
    const Loaded l = load_text(kCourier, courier_problem(fees + start, "(at p1 z) (at p2 z) (at p3 z)"), true);
    CHECK(l.classes() == std::set<std::set<std::string>>{{"p1", "p2", "p3"}});
    check_automorphisms(l);
    check_search(l);
  }
  SUBCASE("a different goal") {
    const Loaded l = load_text(kCourier, courier_problem(fees + start, "(at p1 z) (at p2 z) (at p3 y)"), true);
    CHECK(l.classes() == std::set<std::set<std::string>>{{"p1", "p2"}});
    check_automorphisms(l);
  }
  SUBCASE("a different start") {
    const Loaded l = load_text(kCourier, courier_problem(fees + "(at p1 x) (at p2 y) (at p3 x)", "(at p1 z) (at p2 z) (at p3 z)"), true);
    CHECK(l.classes() == std::set<std::set<std::string>>{{"p1", "p3"}});
    check_search(l);
  }
  SUBCASE("a different cost, from a static function") {
    const Loaded l = load_text(kCourier, courier_problem("(= (fee p1) 1) (= (fee p2) 2) (= (fee p3) 1) " + start,
                                                         "(at p1 z) (at p2 z) (at p3 z)"),
                               true);
    CHECK(l.classes() == std::set<std::set<std::string>>{{"p1", "p3"}});
    check_search(l);
  }
  SUBCASE("places: x and z are mirror images only if the truck and the packages agree") {
    // The road x - y - z is symmetric, but the truck starts at x: no place swap.
    const Loaded l = load_text(kCourier, courier_problem(fees + start, "(at p1 z) (at p2 z) (at p3 z)"), true);
    for (const auto& c : l.classes()) CHECK(c.count("x") == 0);
  }
}

}  // namespace
}  // namespace goap
