#include "pddl/reader.h"

#include <doctest/doctest.h>

namespace goap::pddl {
namespace {

const char* kDomain = R"((define (domain Shop)
  (:requirements :strips :typing :negative-preconditions :equality :action-costs)
  (:types van truck - vehicle vehicle place - object)
  (:constants Home - place)
  (:predicates (at ?v - vehicle ?p - place) (open ?p - place) (road ?a ?b - place))
  (:functions (total-cost) - number (dist ?a ?b - place) - number)
  (:action Drive
    :parameters (?v - vehicle ?from ?to - place)
    :precondition (and (at ?v ?from) (road ?from ?to) (not (= ?from ?to)) (not (open ?to)))
    :effect (and (at ?v ?to) (not (at ?v ?from)) (increase (total-cost) (dist ?from ?to))))
  (:action open-home
    :parameters (?p - place)
    :precondition (= ?p home)
    :effect (and (open ?p) (increase (total-cost) 2))))
)";

const char* kProblem = R"((define (problem shop-1) (:domain shop)
  (:objects V1 - van 2nd a.b - place)
  (:init (at v1 home) (road home 2nd) (= (dist home 2nd) 7) (= (total-cost) 0))
  (:goal (and (at v1 2nd) (not (open 2nd))))
  (:metric minimize (total-cost))))";

TEST_CASE("reader: a typed PDDL task becomes the same model the YAML loader builds") {
  core::SourceManager sm;
  core::Diagnostics diags;
  auto t = load_pddl_text("d.pddl", kDomain, "p.pddl", kProblem, sm, diags);
  REQUIRE(t);
  CHECK(diags.all().empty());
  const model::World& w = t->world;
  CHECK(t->domain_name == "shop");
  CHECK(t->problem_name == "shop-1");
  CHECK(t->general_cost);
  CHECK(w.add_after_delete);

  // Types: object first, parents resolved even when declared later.
  REQUIRE(w.types.size() == 5);
  CHECK(w.types[0].name == "object");
  const auto van = w.type_index.at("van");
  CHECK(w.is_subtype(van, w.type_index.at("vehicle")));
  CHECK(!w.is_subtype(w.type_index.at("place"), w.type_index.at("vehicle")));

  // Objects: constants first; names outside goap's grammar are mapped, PDDL names kept.
  REQUIRE(w.objects.size() == 4);
  CHECK(w.objects[0].name == "home");
  CHECK(w.objects[2].name == "x2nd");
  CHECK(w.objects[3].name == "a_b");
  CHECK(t->object_names == std::vector<std::string>{"home", "v1", "2nd", "a.b"});

  // Facts: typed bool declarations.
  const model::FactDecl& at = w.fact(w.fact_index.at("at"));
  CHECK(at.kind == model::ValueKind::boolean);
  CHECK(at.params == std::vector<model::TypeId>{w.type_index.at("vehicle"), w.type_index.at("place")});

  // Actions: preconditions, deletes before adds, equality relations, cost terms.
  const model::Action& drive = w.action(w.action_index.at("drive"));
  CHECK(t->action_names[0] == "drive");
  REQUIRE(drive.params.size() == 3);
  CHECK(drive.params[1].name == "from");
  REQUIRE(drive.pre.size() == 3);
  CHECK(w.condition_text(drive.pre[2], drive.params) == "not open($to)");
  REQUIRE(drive.eff.size() == 2);
  CHECK(w.effect_text(drive.eff[0], drive.params) == "not at($v, $from)");
  CHECK(w.effect_text(drive.eff[1], drive.params) == "at($v, $to)");
  REQUIRE(drive.relations.size() == 1);
  CHECK(!drive.relations[0].equal);
  CHECK(drive.cost == 0);
  REQUIRE(drive.cost_terms.size() == 1);
  const std::vector<model::ObjectId> b{model::ObjectId(1), model::ObjectId(0), model::ObjectId(2)};
  CHECK(w.action_cost(drive, b) == 7);
  CHECK(!w.action_cost(drive, {model::ObjectId(1), model::ObjectId(2), model::ObjectId(0)}));
  const model::Action& open_home = w.actions[1];
  CHECK(open_home.cost == 2);
  REQUIRE(open_home.relations.size() == 1);
  CHECK(open_home.relations[0].equal);
  CHECK(open_home.relations[0].rhs.kind == model::Arg::Kind::object);

  // :init -> state lines; the goal conjunction -> one goal.
  CHECK(w.state_lines.size() == 2);
  REQUIRE(w.goals.size() == 1);
  CHECK(w.goals[0].want.size() == 2);
  CHECK(w.condition_text(w.goals[0].want[1], {}) == "not open(x2nd)");
}

TEST_CASE("reader: without a metric every action costs 1 (unit cost)") {
  std::string problem = kProblem;
  problem.erase(problem.find("\n  (:metric"), std::string::npos);
  problem += ")";
  core::SourceManager sm;
  core::Diagnostics diags;
  auto t = load_pddl_text("d.pddl", kDomain, "p.pddl", problem, sm, diags);
  REQUIRE(t);
  CHECK(!t->general_cost);
  for (const model::Action& a : t->world.actions) {
    CHECK(a.cost == 1);
    CHECK(a.cost_terms.empty());
  }
}

TEST_CASE("reader: every error of a file is collected and located") {
  const char* domain = R"((define (domain d)
  (:requirements :strips :adl)
  (:predicates (p ?x) (q))
  (:action a :parameters (?x) :precondition (and (p ?x ?x) (r)) :effect (forall (?y) (q))))
)";
  const char* problem = "(define (problem x) (:domain d) (:init) (:goal (q)))";
  core::SourceManager sm;
  core::Diagnostics diags;
  CHECK(!load_pddl_text("d.pddl", domain, "p.pddl", problem, sm, diags));
  std::vector<std::string> got;
  for (const core::Diagnostic& d : diags.all())
    got.push_back(std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) + " " + d.message);
  const std::vector<std::string> want{
      "2:26 requirement ':adl' is not supported",
      "4:50 predicate 'p' takes 1 argument, not 2",
      "4:61 unknown predicate 'r'",
      "4:74 universal effects ('forall') are not supported",
  };
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(got[i] == want[i]);
}

TEST_CASE("reader: type mismatches in arguments are warnings, not errors") {
  const char* domain = R"((define (domain d) (:requirements :typing) (:types a b)
  (:predicates (p ?x - a))
  (:action act :parameters (?y - b) :precondition (p ?y) :effect (not (p ?y)))))";
  const char* problem = "(define (problem x) (:domain d) (:objects o - a q - b) (:init (p q)) (:goal (not (p o))))";
  core::SourceManager sm;
  core::Diagnostics diags;
  auto t = load_pddl_text("d.pddl", domain, "p.pddl", problem, sm, diags);
  REQUIRE(t);
  REQUIRE(diags.all().size() == 3);
  CHECK(diags.all()[0].severity == core::Severity::warning);
  CHECK(diags.all()[0].message == "'?y' is of type 'b', unrelated to type 'a'");
  CHECK(diags.all()[2].message == "'q' is of type 'b', not 'a'");
}

TEST_CASE("reader: name mapping is deterministic and collision-free") {
  const char* domain = "(define (domain d) (:predicates (p ?x)) (:action a :parameters (?x) :precondition (p ?x) :effect (not (p ?x))))";
  const char* problem = "(define (problem x) (:domain d) (:objects x1 1 x1-2 _a) (:init (p 1)) (:goal (not (p 1))))";
  core::SourceManager sm;
  core::Diagnostics diags;
  auto t = load_pddl_text("d.pddl", domain, "p.pddl", problem, sm, diags);
  REQUIRE(t);
  std::vector<std::string> names;
  for (const model::Object& o : t->world.objects) names.push_back(o.name);
  CHECK(names == std::vector<std::string>{"x1", "x1-2", "x1-2-2", "x_a"});
  CHECK(t->object_names == std::vector<std::string>{"x1", "1", "x1-2", "_a"});
}

}  // namespace
}  // namespace goap::pddl
