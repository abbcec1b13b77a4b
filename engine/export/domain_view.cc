#include "export/domain_view.h"

#include <algorithm>

namespace goap::exporting {
namespace {

std::string type_text(const model::FactDecl& d) {
  switch (d.kind) {
    case model::ValueKind::boolean: return "bool";
    case model::ValueKind::integer: return "int[" + std::to_string(d.lo) + ".." + std::to_string(d.hi) + "]";
    case model::ValueKind::enumeration: {
      std::string s = "enum[";
      for (std::size_t i = 0; i < d.enum_values.size(); ++i) s += (i ? ", " : "") + d.enum_values[i];
      return s + "]";
    }
  }
  return "?";
}

// What a precondition asks of its fact, without the fact's name: "" (true), "not", "< 3", "= none".
std::string condition_label(const model::World& w, const model::Condition& c) {
  const model::FactDecl& d = w.fact(c.term.fact);
  if (d.kind == model::ValueKind::boolean && (c.op == model::Cmp::eq || c.op == model::Cmp::ne))
    return (c.op == model::Cmp::eq) == (c.value != 0) ? "" : "not";
  const std::string operand = d.kind == model::ValueKind::integer ? std::to_string(c.value + d.lo) : d.value_name(c.value);
  return std::string(model::cmp_text(c.op)) + " " + operand;
}

std::string effect_label(const model::World& w, const model::Effect& e) {
  const model::FactDecl& d = w.fact(e.term.fact);
  if (e.op == model::EffOp::add) return (e.value >= 0 ? "+= " : "-= ") + std::to_string(e.value >= 0 ? e.value : -e.value);
  if (d.kind == model::ValueKind::boolean) return e.value != 0 ? "sets" : "clears";
  return "= " + d.value_name(e.value);
}

}  // namespace

DomainView make_domain_view(const model::World& w) {
  DomainView v;
  v.world = w.name;
  std::vector<char> written(w.facts.size(), 0);
  for (const model::Action& a : w.actions)
    for (const model::Effect& e : a.eff) written[e.term.fact.index()] = 1;
  for (std::size_t i = 0; i < w.facts.size(); ++i) {
    const model::FactDecl& d = w.facts[i];
    std::string sig = d.name;
    if (!d.params.empty()) {
      sig += '(';
      for (std::size_t k = 0; k < d.params.size(); ++k) sig += (k ? ", " : "") + w.type(d.params[k]).name;
      sig += ')';
    }
    v.facts.push_back(DomainView::Fact{d.name, sig, type_text(d), d.external, written[i] == 0});
  }
  for (std::size_t ai = 0; ai < w.actions.size(); ++ai) {
    const model::Action& a = w.actions[ai];
    std::string sig = a.name;
    if (!a.params.empty()) {
      sig += '(';
      for (std::size_t k = 0; k < a.params.size(); ++k)
        sig += (k ? ", " : "") + a.params[k].name + ": " + w.type(a.params[k].type).name;
      sig += ')';
    }
    v.actions.push_back(DomainView::Action{a.name, sig, a.cost, a.approval});
    const std::size_t first = v.edges.size();
    auto edge = [&](std::size_t fact, bool produces) -> DomainView::Edge& {
      for (std::size_t i = first; i < v.edges.size(); ++i)
        if (v.edges[i].fact == fact && v.edges[i].produces == produces) return v.edges[i];
      v.edges.push_back(DomainView::Edge{fact, ai, produces, {}, false});
      return v.edges.back();
    };
    auto add_label = [](DomainView::Edge& e, std::string label) {
      if (std::find(e.labels.begin(), e.labels.end(), label) == e.labels.end()) e.labels.push_back(std::move(label));
    };
    for (const model::Condition& c : a.pre) add_label(edge(c.term.fact.index(), false), condition_label(w, c));
    for (const model::Effect& e : a.eff) {
      DomainView::Edge& ed = edge(e.term.fact.index(), true);
      add_label(ed, effect_label(w, e));
      if (w.fact(e.term.fact).kind == model::ValueKind::boolean && e.op == model::EffOp::assign && e.value == 0)
        ed.clears = true;
    }
  }
  return v;
}

std::string edge_label(const DomainView::Edge& e) {
  std::string s;
  for (const std::string& l : e.labels) {
    if (l.empty()) continue;
    s += (s.empty() ? "" : ", ") + l;
  }
  // A read of both `f` and `not f` (rare) shows both.
  if (!s.empty() && std::find(e.labels.begin(), e.labels.end(), "") != e.labels.end() && !e.produces) s = "true, " + s;
  return s;
}

}  // namespace goap::exporting
