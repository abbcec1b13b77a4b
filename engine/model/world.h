// The lifted planning model: what the YAML (and later PDDL) front ends produce.
//
//   World
//   ├─ types      Type{name, parent}            `vps: {is: host}`; every type descends from `object`
//   ├─ objects    Object{name, type, attributes} `hermes-vps: {type: vps, address: ...}`
//   ├─ facts      FactDecl{name, params, kind}   `reachable(host): bool`, `n: int[0..3]`, enum[...]
//   ├─ actions    Action{params, pre, eff, cost, run, approval}
//   │             (+ PDDL only: `(= ?x ?y)` relations on the binding, costs from static functions)
//   ├─ functions  FunctionDecl{name, params, values}  PDDL `(road-length ?a ?b)`: static, costs only
//   ├─ goals      Goal{priority, forall, when, want}
//   └─ state      the current state: the facts' values where they differ from their default
//
// Values. Every fact has a finite domain and a value is stored as its *domain index*:
// bool 0 = false / 1 = true; enum: position of the value in the declaration; int[lo..hi]: v - lo.
// Conditions and effects keep their operand in that same index space (`n < 3` with lo = 0 stores 3;
// `n += 1` stores 1), so grounding never needs to know the kind of a fact.
//
// Ownership: the World owns everything; ids are indices into its vectors and stay valid for the
// World's lifetime. Every declaration keeps the SourceLoc it came from for diagnostics.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/diag.h"
#include "core/ids.h"

namespace goap::model {

using TypeId = core::StrongId<struct TypeTag>;
using ObjectId = core::StrongId<struct ObjectTag>;
using FactId = core::StrongId<struct FactTag>;
using ActionId = core::StrongId<struct ActionTag>;
using GoalId = core::StrongId<struct GoalTag>;
using FunctionId = core::StrongId<struct FunctionTag>;

struct Type {
  std::string name;
  TypeId parent;  // invalid only for the root type `object`
  core::SourceLoc loc;
};

struct Object {
  std::string name;
  TypeId type;
  std::vector<std::pair<std::string, std::string>> attributes;  // in file order
  core::SourceLoc loc;
  [[nodiscard]] const std::string* attribute(std::string_view key) const;
};

enum class ValueKind { boolean, enumeration, integer };

struct FactDecl {
  std::string name;
  std::vector<TypeId> params;
  ValueKind kind = ValueKind::boolean;
  std::vector<std::string> enum_values;  // enumeration only
  int lo = 0, hi = 1;                    // integer only (bool: 0..1, enum: 0..n-1 as indices)
  int default_index = 0;                 // bool false, first enum value, lower bound
  bool external = false;                 // changed by the environment (an outage), not only by actions
  core::SourceLoc loc;

  [[nodiscard]] std::uint32_t domain_size() const;
  // The display form of a domain index: "true", "kimi", "3".
  [[nodiscard]] std::string value_name(int index) const;
};

// An argument of a fact term: an object, or a parameter of the enclosing action / forall goal.
struct Arg {
  enum class Kind : std::uint8_t { object, param } kind = Kind::object;
  std::uint32_t index = 0;  // ObjectId value or parameter position
  friend bool operator==(const Arg&, const Arg&) = default;
};

struct Term {
  FactId fact;
  std::vector<Arg> args;
  friend bool operator==(const Term&, const Term&) = default;
};

enum class Cmp : std::uint8_t { eq, ne, lt, le, gt, ge };

// `f(a)` is {eq, 1}; `not f(a)` is {eq, 0}; `n < 3` is {lt, 3 - lo}.
// `not f(a) for 10m` is {eq, 0, held_for 10 min}: it also asks the run journal's sensed readings
// to show the condition held for that long (exec/memory.h). Only in `pre:` and `when:`.
struct Condition {
  Term term;
  Cmp op = Cmp::eq;
  int value = 1;  // domain index (may lie outside the domain for < <= > >=)
  core::SourceLoc loc;
  std::chrono::milliseconds held_for{0};  // 0: no `for`
  [[nodiscard]] bool holds(int index) const;
};

enum class EffOp : std::uint8_t { assign, add };

// `f(a)` is {assign, 1}; `not f(a)` {assign, 0}; `n += 2` {add, 2}; `n -= 1` {add, -1}.
struct Effect {
  Term term;
  EffOp op = EffOp::assign;
  int value = 1;
  core::SourceLoc loc;
};

struct Param {
  std::string name;
  TypeId type;
  core::SourceLoc loc;
};

// One `with:` entry: a string, or a list of strings (an argv); `${param}` templates kept verbatim.
struct WithValue {
  std::vector<std::string> items;
  bool is_list = false;
  core::SourceLoc loc;
};

struct RunSpec {
  std::string plugin;
  std::string kind;  // the plugin's action kind; empty: the one named like the action, else its first
  std::vector<std::pair<std::string, WithValue>> with;  // in file order
  core::SourceLoc loc;
};

// PDDL `:equality`: `(= ?x ?y)` (equal) or `(not (= ?x ?y))` in a precondition. A constraint on the
// binding, not on the state: the grounder checks it as soon as both sides are bound.
struct ArgRelation {
  Arg lhs, rhs;
  bool equal = true;
  core::SourceLoc loc;
  [[nodiscard]] bool holds(const std::vector<ObjectId>& binding) const;
};

// A static numeric function (PDDL `:action-costs`), e.g. `road-length(location, location)`. Its
// values come from the problem's `:init` and never change; cells not given are undefined. It is
// used only in action costs, so it never becomes part of the state.
struct FunctionDecl {
  std::string name;
  std::vector<TypeId> params;
  std::map<std::vector<ObjectId>, long long> values;
  core::SourceLoc loc;
};

// `(increase (total-cost) (road-length ?from ?to))`: one term of an action's cost.
struct CostTerm {
  FunctionId function;
  std::vector<Arg> args;
  core::SourceLoc loc;
};

// `budget: {max: 3, per: 1h}`: at most `max` executions of each ground action in any window of
// `per`, counted across runs from the journal (exec/memory.h).
struct ActionBudget {
  int max = 0;
  std::chrono::milliseconds per{0};
  core::SourceLoc loc;
};

struct Action {
  std::string name;
  std::string doc;
  std::vector<Param> params;
  std::vector<Condition> pre;
  std::vector<Effect> eff;
  int cost = 1;                          // the constant part of the cost
  std::vector<ArgRelation> relations;    // PDDL equality constraints; a binding must satisfy all
  std::vector<CostTerm> cost_terms;      // PDDL: added to `cost` per binding (World::action_cost)
  std::optional<RunSpec> run;
  bool approval = false;
  std::optional<ActionBudget> budget;
  core::SourceLoc loc;
};

struct Goal {
  std::string name;
  std::string doc;
  int priority = 0;
  std::vector<Param> forall;
  std::vector<Condition> when;  // empty and !has_when: relevant while `want` is unmet
  bool has_when = false;
  std::vector<Condition> want;
  // While its `want` holds, plans for lower-priority goals may not break it (exec/goal_planner.h).
  bool protect = true;
  core::SourceLoc loc;
};

// A fact term with every argument an object: one cell of the world state.
struct GroundTerm {
  FactId fact;
  std::vector<ObjectId> args;
  friend bool operator==(const GroundTerm&, const GroundTerm&) = default;
};

struct GroundTermHash {
  std::size_t operator()(const GroundTerm& t) const noexcept;
};

// A full world state: each ground fact's value, stored only where it differs from the default.
class State {
 public:
  [[nodiscard]] int value(const GroundTerm& t, const FactDecl& decl) const;
  void set(const GroundTerm& t, int index, const FactDecl& decl);
  [[nodiscard]] const std::unordered_map<GroundTerm, int, GroundTermHash>& cells() const { return cells_; }
  // A `kind: state` line or --set with `for D` (plan, next): the caller says the fact has had its
  // value for D up to now. Evidence for `c for D` conditions (model/held.h); set() forgets it.
  void set_held(const GroundTerm& t, std::chrono::milliseconds d) { held_[t] = d; }
  [[nodiscard]] const std::unordered_map<GroundTerm, std::chrono::milliseconds, GroundTermHash>& held() const { return held_; }
  void clear_held() { held_.clear(); }

 private:
  std::unordered_map<GroundTerm, int, GroundTermHash> cells_;
  std::unordered_map<GroundTerm, std::chrono::milliseconds, GroundTermHash> held_;
};

// One line of a `state:` list, resolved: which cell, which value, where it was written.
struct StateLine {
  GroundTerm term;
  int value = 0;
  core::SourceLoc loc;
  std::chrono::milliseconds held_for{0};  // `f(a) = v for 1h` in a state file or --set
};

struct World {
  std::string name;
  core::SourceLoc loc;
  std::vector<Type> types;  // types[0] is the root `object`
  std::vector<Object> objects;
  std::vector<FactDecl> facts;
  std::vector<Action> actions;
  std::vector<Goal> goals;
  std::vector<StateLine> state_lines;  // as written in the world; see initial_state()
  std::vector<std::string> files;      // every file loaded, world first
  std::vector<FunctionDecl> functions;  // PDDL static numeric functions (action costs)
  // PDDL effect semantics: when one ground action both deletes and adds a bool fact, the fact ends
  // true (deletes apply before adds). Without it such a binding is contradictory and not an operator.
  bool add_after_delete = false;
  // `escalate: ACTION`: the action `goap run` carries out when a relevant goal is stuck
  // (exec/escalation.h), at most once per (goal, cause) every `escalate_every`. Empty: none.
  std::string escalate;
  core::SourceLoc escalate_loc;
  std::int64_t escalate_every_ms = 3'600'000;

  std::unordered_map<std::string, TypeId> type_index;
  std::unordered_map<std::string, ObjectId> object_index;
  std::unordered_map<std::string, FactId> fact_index;
  std::unordered_map<std::string, ActionId> action_index;
  std::unordered_map<std::string, GoalId> goal_index;
  std::unordered_map<std::string, FunctionId> function_index;

  [[nodiscard]] const Type& type(TypeId id) const { return types[id.index()]; }
  [[nodiscard]] const Object& object(ObjectId id) const { return objects[id.index()]; }
  [[nodiscard]] const FactDecl& fact(FactId id) const { return facts[id.index()]; }
  [[nodiscard]] const Action& action(ActionId id) const { return actions[id.index()]; }
  [[nodiscard]] const Goal& goal(GoalId id) const { return goals[id.index()]; }
  [[nodiscard]] const FunctionDecl& function(FunctionId id) const { return functions[id.index()]; }

  [[nodiscard]] bool is_subtype(TypeId sub, TypeId super) const;
  // Objects whose type is `t` or a subtype of it, in declaration order.
  [[nodiscard]] std::vector<ObjectId> objects_of(TypeId t) const;
  // The cost of `a` under a full binding: its constant cost plus its cost terms. nullopt when a
  // cost term's value is undefined (PDDL: such a ground action is not applicable).
  [[nodiscard]] std::optional<long long> action_cost(const Action& a, const std::vector<ObjectId>& binding) const;
  // The world's own state (state_lines applied over the defaults).
  [[nodiscard]] State initial_state() const;

  // Display helpers: "reachable(hermes-vps)", "n < 3", "n += 1", "restart-ollama(hermes-vps)".
  [[nodiscard]] std::string term_name(const GroundTerm& t) const;
  [[nodiscard]] std::string term_text(const Term& t, const std::vector<Param>& params) const;
  [[nodiscard]] std::string condition_text(const Condition& c, const std::vector<Param>& params) const;
  [[nodiscard]] std::string effect_text(const Effect& e, const std::vector<Param>& params) const;
  [[nodiscard]] std::string state_line_text(const GroundTerm& t, int value) const;
};

// Binds a term's parameter arguments; `binding[i]` is the object for parameter i.
GroundTerm bind_term(const Term& t, const std::vector<ObjectId>& binding);

const char* cmp_text(Cmp op);

// "10m", "1h", "30s", "1d", "1500ms": the shortest exact way to write a duration.
std::string duration_text(std::chrono::milliseconds d);

}  // namespace goap::model
