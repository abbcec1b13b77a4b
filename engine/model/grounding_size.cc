#include "model/grounding_size.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace goap::model {

std::vector<bool> fluent_facts(const World& w) {
  std::vector<bool> fluent(w.facts.size(), false);
  for (const Action& a : w.actions)
    for (const Effect& e : a.eff) fluent[e.term.fact.index()] = true;
  return fluent;
}

BindingEstimate estimate_action_bindings(const World& w, const State& s, const std::vector<bool>& fluent,
                                         const Action& a) {
  std::vector<std::vector<ObjectId>> cand;
  for (const Param& p : a.params) cand.push_back(w.objects_of(p.type));
  BindingEstimate out;
  out.exact = a.relations.empty() && a.cost_terms.empty();
  bool never = false;
  for (const Condition& c : a.pre) {
    const FactDecl& f = w.fact(c.term.fact);
    if (fluent[c.term.fact.index()]) {
      // A fluent `f(...)` may become true for only some bindings (the lifted reachability joins
      // on it); other fluent conditions do not prune grounding's relaxation.
      if (f.kind == ValueKind::boolean && f.default_index == 0 && c.holds(1) && !c.holds(0)) out.exact = false;
      continue;
    }
    std::uint32_t param = UINT32_MAX;
    bool unary = true;
    for (const Arg& x : c.term.args) {
      if (x.kind != Arg::Kind::param) continue;
      if (param != UINT32_MAX && param != x.index) unary = false;
      param = x.index;
    }
    if (!unary) {
      out.exact = false;
      continue;
    }
    std::vector<ObjectId> b(a.params.size(), ObjectId::invalid());
    if (param == UINT32_MAX) {
      const GroundTerm t = bind_term(c.term, b);
      never = never || !c.holds(s.value(t, w.fact(t.fact)));
      continue;
    }
    auto& list = cand[param];
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](ObjectId o) {
                                b[param] = o;
                                const GroundTerm t = bind_term(c.term, b);
                                return !c.holds(s.value(t, f));
                              }),
               list.end());
  }
  out.count = never ? 0 : 1;
  for (const auto& list : cand) {
    out.count *= static_cast<double>(list.size());
    out.factors.push_back(list.size());
  }
  return out;
}

BindingEstimate estimate_goal_bindings(const World& w, const Goal& g) {
  BindingEstimate out;
  out.exact = g.when.empty();
  out.count = 1;
  for (const Param& p : g.forall) {
    out.factors.push_back(w.objects_of(p.type).size());
    out.count *= static_cast<double>(out.factors.back());
  }
  return out;
}

std::string action_signature(const World& w, const Action& a) {
  // PDDL worlds (the only ones with add_after_delete) show parameters as PDDL writes them.
  const bool pddl = w.add_after_delete;
  std::string sig = a.name;
  if (!a.params.empty()) {
    sig += '(';
    for (std::size_t i = 0; i < a.params.size(); ++i)
      sig += std::string(i == 0 ? "" : pddl ? " " : ", ") + (pddl ? "?" : "$") + a.params[i].name;
    sig += ')';
  }
  return sig;
}

std::string factors_text(const std::vector<std::size_t>& factors) {
  std::string out;
  for (std::size_t i = 0; i < factors.size(); ++i) out += (i ? " x " : "") + std::to_string(factors[i]);
  return out;
}

std::string count_text(double n) {
  if (!std::isfinite(n)) return "infinitely many";
  char buf[64];
  if (n >= 1e7) {
    std::snprintf(buf, sizeof buf, "%.1e", n);  // "4.7e+10" -> "4.7e10"
    std::string s = buf;
    std::size_t k = s.find('e') + 1;
    if (k < s.size() && s[k] == '+') s.erase(k, 1);
    while (k + 1 < s.size() && s[k] == '0') s.erase(k, 1);
    return s;
  }
  std::snprintf(buf, sizeof buf, "%.0f", n);
  const std::string digits = buf;
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace goap::model
