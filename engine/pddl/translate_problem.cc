// The problem half of the translation: objects, :init, :goal, :metric; and the whole run.
#include "pddl/translator.h"

namespace goap::pddl::detail {

std::optional<PddlTask> Translator::run(const Node& domain, const Node& problem) {
  const std::size_t errors_before = diags_.error_count();
  if (!read_domain(domain)) return std::nullopt;
  // A broken domain would bury the problem's own mistakes under follow-on errors.
  if (diags_.error_count() != errors_before) return std::nullopt;
  if (!read_problem(problem)) return std::nullopt;
  if (diags_.error_count() != errors_before) return std::nullopt;

  out_.general_cost = problem_has_metric_;
  if (!out_.general_cost) {
    // Without (:metric minimize (total-cost)) plans are measured in steps (as Fast Downward does).
    for (model::Action& a : w_.actions) {
      a.cost = 1;
      a.cost_terms.clear();
    }
  }
  w_.add_after_delete = true;
  out_.world = std::move(w_);
  return std::move(out_);
}

bool Translator::read_problem(const Node& p) {
  if (!expect_sections(p, "problem", out_.problem_name)) return false;
  w_.name = NameMap().add(out_.problem_name);
  w_.loc = p.loc;
  std::vector<const Node*> objs, inits, goals, metrics;
  for (std::size_t i = 2; i < p.items.size(); ++i) {
    const Node& sec = p.items[i];
    const std::string_view h = sec.head();
    if (h == ":domain") {
      if (sec.items.size() != 2 || !sec.items[1].is_atom())
        diags_.error(sec.loc, "expected '(:domain NAME)'");
      else if (sec.items[1].text != out_.domain_name)
        diags_.warning(sec.items[1].loc, "this problem is for domain '" + sec.items[1].text + "', but the domain is '" +
                                             out_.domain_name + "'");
    } else if (h == ":requirements") {
      read_requirements(sec);
    } else if (h == ":objects") {
      objs.push_back(&sec);
    } else if (h == ":init") {
      inits.push_back(&sec);
    } else if (h == ":goal") {
      goals.push_back(&sec);
    } else if (h == ":metric") {
      metrics.push_back(&sec);
    } else if (h == ":constraints") {
      diags_.error(sec.items[0].loc, "constraints are not supported");
    } else {
      diags_.error(sec.items[0].loc, "unknown problem section '" + std::string(h) + "'")
          .hint("a problem has :domain, :requirements, :objects, :init, :goal and :metric sections");
    }
  }
  for (const Node* s : objs) read_objects(*s, false);
  for (const Node* s : inits) read_init(*s);
  if (goals.empty()) diags_.error(p.loc, "the problem has no (:goal ...)");
  for (std::size_t i = 0; i < goals.size(); ++i) {
    if (i > 0)
      diags_.error(goals[i]->items[0].loc, "a second (:goal ...)").note(goals[0]->items[0].loc, "the first is here");
    else
      read_goal(*goals[i]);
  }
  for (const Node* s : metrics) read_metric(*s);
  return true;
}

void Translator::read_init(const Node& sec) {
  Scope none;
  for (std::size_t i = 1; i < sec.items.size(); ++i) {
    const Node& n = sec.items[i];
    if (!n.is_list() || n.head().empty()) {
      diags_.error(n.loc, "expected a fact such as '(on a b)' here");
      continue;
    }
    const std::string_view h = n.head();
    if (h == "=") {
      // (= (road-length a b) 10), or (= (total-cost) 0)
      if (n.items.size() != 3 || !n.items[1].is_list() || !n.items[2].is_atom()) {
        diags_.error(n.loc, "expected '(= (function object ...) number)'");
        continue;
      }
      const Node& fn = n.items[1];
      if (fn.is_form("total-cost")) continue;  // the metric starts wherever it starts
      auto term = read_function_term(fn, none);
      auto value = read_cost_number(n.items[2]);
      if (!term || !value) continue;
      std::vector<model::ObjectId> key;
      for (const model::Arg& a : term->args) key.push_back(model::ObjectId(a.index));
      auto& values = w_.functions[term->function.index()].values;
      if (auto [it, fresh] = values.emplace(std::move(key), *value); !fresh && it->second != *value)
        diags_.error(n.loc, "this value was already given as " + std::to_string(it->second));
      continue;
    }
    bool negated = false;
    const Node* atom = &n;
    if (h == "not") {
      // The initial state is closed-world: a negative literal only restates the default.
      if (n.items.size() != 2 || !n.items[1].is_list()) {
        diags_.error(n.loc, "expected '(not (fact object ...))'");
        continue;
      }
      atom = &n.items[1];
      negated = true;
    }
    auto t = read_atom(*atom, none);
    if (!t || negated) continue;
    model::GroundTerm g{t->fact, {}};
    for (const model::Arg& a : t->args) g.args.push_back(model::ObjectId(a.index));
    w_.state_lines.push_back(model::StateLine{std::move(g), 1, n.loc});
  }
}

void Translator::read_goal(const Node& sec) {
  if (sec.items.size() != 2) {
    diags_.error(sec.loc, "expected '(:goal CONDITION)'");
    return;
  }
  Scope none;
  none.in_goal = true;
  model::Goal g;
  g.name = "goal";
  g.loc = sec.loc;
  std::vector<model::ArgRelation> relations;  // stays empty: read_condition rejects '=' here
  read_condition(sec.items[1], none, g.want, relations, false);
  w_.goal_index.emplace(g.name, model::GoalId::from(w_.goals.size()));
  w_.goals.push_back(std::move(g));
}

void Translator::read_metric(const Node& sec) {
  if (sec.items.size() == 3 && sec.items[1].is_atom("minimize") && sec.items[2].is_form("total-cost") &&
      sec.items[2].items.size() == 1) {
    problem_has_metric_ = true;
    return;
  }
  diags_.error(sec.loc, "unsupported metric: goap minimizes '(total-cost)' only")
      .hint("write '(:metric minimize (total-cost))'");
}

}  // namespace goap::pddl::detail
