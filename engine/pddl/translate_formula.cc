// Conditions, effects, atoms and their arguments: the formulas of actions, :init and :goal.
#include <charconv>

#include "core/names.h"
#include "pddl/translator.h"

namespace goap::pddl::detail {
namespace {

constexpr long long kMaxCost = 100'000'000;  // one cost value; a whole action stays far below INT_MAX

bool is_numeric_comparison(std::string_view h) { return h == "<" || h == ">" || h == "<=" || h == ">="; }
bool is_numeric_effect(std::string_view h) {
  return h == "decrease" || h == "assign" || h == "scale-up" || h == "scale-down";
}

}  // namespace

void Translator::numeric_unsupported(const Node& at, const std::string& what) {
  diags_.error(at.loc, what + " is not supported: numeric functions may only be action costs")
      .hint("goap reads '(increase (total-cost) N)' and '(increase (total-cost) (f ?x ...))' with f static");
}

std::optional<model::Arg> Translator::read_arg(const Node& n, const Scope& s, model::TypeId expected) {
  if (!n.is_atom()) {
    if (n.is_list() && !n.head().empty() && functions_.count(std::string(n.head())) != 0)
      numeric_unsupported(n, "a numeric fluent as an argument");
    else
      diags_.error(n.loc, "expected a variable or an object here");
    return std::nullopt;
  }
  if (n.text[0] == '?') {
    auto it = s.vars.find(n.text);
    if (it == s.vars.end()) {
      auto& d = diags_.error(n.loc, "unknown variable '" + n.text + "'");
      if (s.vars.empty()) {
        d.hint(s.in_goal ? "the goal names objects, not variables" : "this action has no parameters");
      } else {
        const std::string h = did_you_mean(n.text, keys(s.vars));
        if (!h.empty()) d.hint(h);
      }
      return std::nullopt;
    }
    const model::TypeId t = (*s.params)[it->second].type;
    if (expected.valid() && !w_.is_subtype(t, expected) && !w_.is_subtype(expected, t))
      diags_.warning(n.loc, "'" + n.text + "' is of type '" + w_.type(t).name + "', unrelated to type '" +
                                w_.type(expected).name + "'");
    return model::Arg{model::Arg::Kind::param, it->second};
  }
  auto it = objects_.find(n.text);
  if (it == objects_.end()) {
    auto& d = diags_.error(n.loc, "undeclared object '" + n.text + "'");
    const std::string h = did_you_mean(n.text, keys(objects_));
    if (!h.empty())
      d.hint(h);
    else
      d.hint(s.params != nullptr ? "declare it in the domain's (:constants ...)" : "declare it in (:objects ...)");
    return std::nullopt;
  }
  const model::TypeId t = w_.object(it->second).type;
  if (expected.valid() && !w_.is_subtype(t, expected) && untyped_objects_.count(it->second) == 0)
    diags_.warning(n.loc, "'" + n.text + "' is of type '" + w_.type(t).name + "', not '" + w_.type(expected).name + "'");
  return model::Arg{model::Arg::Kind::object, it->second.value()};
}

std::optional<model::Term> Translator::read_atom(const Node& n, const Scope& s) {
  const std::string name(n.head());
  if (name.empty()) {
    diags_.error(n.loc, "expected a predicate such as '(on ?x ?y)' here");
    return std::nullopt;
  }
  auto it = preds_.find(name);
  if (it == preds_.end()) {
    if (functions_.count(name) != 0 || name == "total-cost") {
      numeric_unsupported(n, "the numeric fluent '" + name + "' in a condition");
      return std::nullopt;
    }
    auto& d = diags_.error(n.items[0].loc, "unknown predicate '" + name + "'");
    const std::string h = did_you_mean(name, keys(preds_));
    if (!h.empty()) d.hint(h);
    return std::nullopt;
  }
  const model::FactDecl& f = w_.fact(it->second);
  const std::size_t given = n.items.size() - 1;
  if (given != f.params.size()) {
    diags_.error(n.loc, "predicate '" + name + "' takes " + std::to_string(f.params.size()) +
                            (f.params.size() == 1 ? " argument" : " arguments") + ", not " + std::to_string(given))
        .note(f.loc, "'" + name + "' declared here");
    return std::nullopt;
  }
  model::Term t{it->second, {}};
  bool ok = true;
  for (std::size_t i = 1; i < n.items.size(); ++i) {
    auto a = read_arg(n.items[i], s, f.params[i - 1]);
    if (!a) {
      ok = false;
      continue;
    }
    t.args.push_back(*a);
  }
  if (!ok) return std::nullopt;
  return t;
}

void Translator::read_condition(const Node& n, const Scope& s, std::vector<model::Condition>& out,
                                std::vector<model::ArgRelation>& relations, bool negated) {
  const char* where = s.in_goal ? "in the goal" : "in a precondition";
  if (!n.is_list()) {
    diags_.error(n.loc, "expected a condition such as '(on ?x ?y)' here, not '" + n.text + "'");
    return;
  }
  if (n.items.empty()) return;  // `()`: the empty conjunction
  const std::string_view h = n.head();
  if (h == "and" && !negated) {
    for (std::size_t i = 1; i < n.items.size(); ++i) read_condition(n.items[i], s, out, relations, false);
    return;
  }
  if (h == "not") {
    if (n.items.size() != 2) {
      diags_.error(n.loc, "'not' takes one condition");
      return;
    }
    if (negated) {
      diags_.error(n.loc, "'not' inside 'not' is not supported").hint("write the condition without the double negation");
      return;
    }
    read_condition(n.items[1], s, out, relations, true);
    return;
  }
  if (h == "or" || h == "imply" || (h == "and" && negated)) {
    diags_.error(n.items[0].loc, std::string(negated ? "a negated 'and'" : "'" + std::string(h) + "'") +
                                     " is a disjunction, which is not supported " + where)
        .hint("this needs :disjunctive-preconditions, which goap does not support");
    return;
  }
  if (h == "exists") {
    diags_.error(n.items[0].loc, std::string("'exists' is not supported ") + where)
        .hint("this needs :existential-preconditions, which goap does not support");
    return;
  }
  if (h == "forall") {
    diags_.error(n.items[0].loc, std::string("'forall' is not supported ") + where)
        .hint("this needs :universal-preconditions, which goap does not support");
    return;
  }
  if (is_numeric_comparison(h)) {
    numeric_unsupported(n, "the numeric comparison '" + std::string(h) + "'");
    return;
  }
  if (h == "=") {
    if (n.items.size() != 3) {
      diags_.error(n.loc, "'=' takes two arguments");
      return;
    }
    if (n.items[1].is_list() || n.items[2].is_list()) {
      numeric_unsupported(n, "a numeric comparison");
      return;
    }
    if (s.in_goal) {
      diags_.error(n.loc, "equality is not supported in the goal").hint("equality may constrain an action's parameters");
      return;
    }
    auto l = read_arg(n.items[1], s, {});
    auto r = read_arg(n.items[2], s, {});
    if (l && r) relations.push_back(model::ArgRelation{*l, *r, !negated, n.loc});
    return;
  }
  if (h == "when") {
    diags_.error(n.items[0].loc, "'when' is an effect, not a condition");
    return;
  }
  auto t = read_atom(n, s);
  if (!t) return;
  model::Condition c;
  c.term = std::move(*t);
  c.op = model::Cmp::eq;
  c.value = negated ? 0 : 1;
  c.loc = n.loc;
  out.push_back(std::move(c));
}

void Translator::read_effect(const Node& n, const Scope& s, EffectLists& out) {
  if (!n.is_list()) {
    diags_.error(n.loc, "expected an effect such as '(on ?x ?y)' here, not '" + n.text + "'");
    return;
  }
  if (n.items.empty()) return;
  const std::string_view h = n.head();
  if (h == "and") {
    for (std::size_t i = 1; i < n.items.size(); ++i) read_effect(n.items[i], s, out);
    return;
  }
  if (h == "when") {
    diags_.error(n.items[0].loc, "conditional effects ('when') are not supported")
        .hint("this needs :conditional-effects, which goap does not support");
    return;
  }
  if (h == "forall") {
    diags_.error(n.items[0].loc, "universal effects ('forall') are not supported")
        .hint("this needs :conditional-effects, which goap does not support");
    return;
  }
  if (h == "increase") {
    read_increase(n, s, out);
    return;
  }
  if (is_numeric_effect(h)) {
    numeric_unsupported(n, "the numeric effect '" + std::string(h) + "'");
    return;
  }
  if (h == "=" || h == "or" || h == "exists" || h == "imply" || is_numeric_comparison(h)) {
    diags_.error(n.items[0].loc, "'" + std::string(h) + "' is a condition, not an effect");
    return;
  }
  bool negated = false;
  const Node* atom = &n;
  if (h == "not") {
    if (n.items.size() != 2 || !n.items[1].is_list()) {
      diags_.error(n.loc, "'not' in an effect takes one atom, such as '(not (on ?x ?y))'");
      return;
    }
    atom = &n.items[1];
    negated = true;
    const std::string_view inner = atom->head();
    if (inner == "and" || inner == "not" || inner == "when" || inner == "forall" || inner == "increase") {
      diags_.error(atom->items[0].loc, "'not' in an effect takes one atom, not '" + std::string(inner) + "'");
      return;
    }
  }
  auto t = read_atom(*atom, s);
  if (!t) return;
  model::Effect e;
  e.term = std::move(*t);
  e.op = model::EffOp::assign;
  e.value = negated ? 0 : 1;
  e.loc = n.loc;
  (negated ? out.deletes : out.adds).push_back(std::move(e));
}

std::optional<long long> Translator::read_cost_number(const Node& n) {
  const std::string& t = n.text;
  long long v = 0;
  const char* end = t.data() + t.size();
  auto [p, ec] = std::from_chars(t.data(), end, v);
  // Accept "3" and "3.0" (some generators write decimals); reject 2.5, -1, 1e3.
  bool ok = ec == std::errc() && p != t.data();
  if (ok && p != end) {
    ok = *p == '.' && p + 1 != end;
    for (const char* q = p + 1; ok && q != end; ++q) ok = *q == '0';
  }
  if (!ok) {
    diags_.error(n.loc, "expected a whole number here, not '" + t + "'").hint("action costs are whole numbers");
    return std::nullopt;
  }
  if (v < 0) {
    diags_.error(n.loc, "action costs must not be negative");
    return std::nullopt;
  }
  if (v > kMaxCost) {
    diags_.error(n.loc, "action cost " + t + " is too large (at most " + std::to_string(kMaxCost) + ")");
    return std::nullopt;
  }
  return v;
}

std::optional<model::CostTerm> Translator::read_function_term(const Node& n, const Scope& s) {
  const std::string name(n.head());
  auto it = functions_.find(name);
  if (it == functions_.end()) {
    auto& d = diags_.error(n.loc, "unknown function '" + name + "'");
    const std::string h = did_you_mean(name, keys(functions_));
    if (!h.empty()) d.hint(h);
    return std::nullopt;
  }
  const model::FunctionDecl& f = w_.function(it->second);
  if (n.items.size() - 1 != f.params.size()) {
    diags_.error(n.loc, "function '" + name + "' takes " + std::to_string(f.params.size()) +
                            (f.params.size() == 1 ? " argument" : " arguments") + ", not " +
                            std::to_string(n.items.size() - 1))
        .note(f.loc, "'" + name + "' declared here");
    return std::nullopt;
  }
  model::CostTerm t{it->second, {}, n.loc};
  for (std::size_t i = 1; i < n.items.size(); ++i) {
    auto a = read_arg(n.items[i], s, f.params[i - 1]);
    if (!a) return std::nullopt;
    t.args.push_back(*a);
  }
  return t;
}

void Translator::read_increase(const Node& n, const Scope& s, EffectLists& out) {
  if (n.items.size() != 3) {
    diags_.error(n.loc, "'increase' takes a fluent and a value, such as '(increase (total-cost) 1)'");
    return;
  }
  const Node& target = n.items[1];
  if (!target.is_form("total-cost")) {
    if (target.is_list() && !target.head().empty())
      numeric_unsupported(target, "the numeric fluent '" + std::string(target.head()) + "'");
    else
      diags_.error(target.loc, "expected '(total-cost)' here");
    return;
  }
  if (target.items.size() != 1) {
    diags_.error(target.loc, "'total-cost' takes no arguments");
    return;
  }
  const Node& value = n.items[2];
  if (value.is_atom()) {
    if (value.text[0] == '?') {
      numeric_unsupported(value, "a variable as a cost");
      return;
    }
    if (auto v = read_cost_number(value)) out.cost += *v;
    return;
  }
  if (value.head().empty() || value.head() == "total-cost" || value.head() == "+" || value.head() == "*" ||
      value.head() == "-" || value.head() == "/") {
    numeric_unsupported(value, "this cost expression");
    return;
  }
  if (auto t = read_function_term(value, s)) out.cost_terms.push_back(std::move(*t));
}

}  // namespace goap::pddl::detail
