// Internal to engine/pddl: the s-expression -> model::World translation (see reader.h).
//
// One Translator reads one domain and one problem. The domain's sections are read in dependency
// order whatever their order in the file (requirements, types, constants, predicates, functions,
// actions), then the problem's (objects, init, goal, metric). Every mistake is collected as a
// located diagnostic; the task is produced only when there was none.
//
// PDDL names are looked up through the translator's own maps (PDDL name -> id), since the World's
// indexes hold goap names, which differ for names outside goap's grammar (NameMap).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pddl/reader.h"
#include "pddl/sexpr.h"

namespace goap::pddl::detail {

// Deterministic PDDL name -> goap name: a valid name stays; otherwise characters outside
// [a-z0-9_-] become '_', a name not starting with a letter gets an 'x' in front, and a clash with
// a name already given gets "-2", "-3", ... appended.
class NameMap {
 public:
  std::string add(const std::string& pddl_name);

 private:
  std::unordered_set<std::string> taken_;
};

class Translator {
 public:
  explicit Translator(core::Diagnostics& diags) : diags_(diags) {}
  std::optional<PddlTask> run(const Node& domain, const Node& problem);

 private:
  struct Typed {
    const Node* name;
    const Node* type;  // nullptr: no `- type` given (object)
  };
  // The variables of an action (or none, for :init and :goal).
  struct Scope {
    const std::vector<model::Param>* params = nullptr;
    std::unordered_map<std::string, std::uint32_t> vars;  // "?x" -> position
    bool in_goal = false;
  };
  struct EffectLists {
    std::vector<model::Effect> adds, deletes;
    long long cost = 0;
    std::vector<model::CostTerm> cost_terms;
  };

  // translate_domain.cc
  bool read_domain(const Node& d);
  void read_requirements(const Node& sec);
  void read_types(const Node& sec);
  void read_objects(const Node& sec, bool constants);
  void read_predicates(const Node& sec);
  void read_functions(const Node& sec);
  void read_action(const Node& sec);
  std::vector<Typed> typed_list(const Node& list, std::size_t from, bool variables, const char* what);
  std::optional<model::TypeId> type_of(const Typed& t);

  // translate_formula.cc: conditions, effects, atoms, arguments.
  void read_condition(const Node& n, const Scope& s, std::vector<model::Condition>& out,
                      std::vector<model::ArgRelation>& relations, bool negated);
  std::optional<model::Term> read_atom(const Node& n, const Scope& s);
  std::optional<model::Arg> read_arg(const Node& n, const Scope& s, model::TypeId expected);
  void read_effect(const Node& n, const Scope& s, EffectLists& out);
  void read_increase(const Node& n, const Scope& s, EffectLists& out);
  std::optional<model::CostTerm> read_function_term(const Node& n, const Scope& s);
  void numeric_unsupported(const Node& at, const std::string& what);
  std::optional<long long> read_cost_number(const Node& n);

  // translate_problem.cc
  bool read_problem(const Node& p);
  void read_init(const Node& sec);
  void read_goal(const Node& sec);
  void read_metric(const Node& sec);

  // Shared checks.
  bool expect_sections(const Node& top, const char* kind, std::string& name);
  std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) const;
  template <class Map>
  static std::vector<std::string> keys(const Map& m) {
    std::vector<std::string> out;
    out.reserve(m.size());
    for (const auto& kv : m) out.push_back(kv.first);
    return out;
  }

  core::Diagnostics& diags_;
  model::World w_;
  PddlTask out_;
  std::unordered_map<std::string, model::TypeId> types_;
  std::unordered_map<std::string, model::ObjectId> objects_;
  std::unordered_map<std::string, model::FactId> preds_;
  std::unordered_map<std::string, model::FunctionId> functions_;
  std::unordered_map<std::string, model::ActionId> actions_;
  std::vector<std::string> fact_pddl_names_;      // by FactId
  NameMap type_names_, object_names_, fact_names_, function_names_, action_names_;
  std::unordered_set<model::ObjectId> untyped_objects_;  // declared with an unknown type: no type warnings
  bool total_cost_declared_ = false;
  bool problem_has_metric_ = false;
};

}  // namespace goap::pddl::detail
