#include "model/lint.h"

#include <vector>

#include "model/grounding_size.h"

namespace goap::model {

namespace {

// producible[f][v]: some ground instance of fact f can have value v.
using Producible = std::vector<std::vector<bool>>;

bool satisfiable(const Condition& c, const Producible& p) {
  const auto& vals = p[c.term.fact.index()];
  for (std::size_t v = 0; v < vals.size(); ++v)
    if (vals[v] && c.holds(static_cast<int>(v))) return true;
  return false;
}

const Condition* first_unsatisfiable(const std::vector<Condition>& cs, const Producible& p) {
  for (const Condition& c : cs)
    if (!satisfiable(c, p)) return &c;
  return nullptr;
}

std::string why_not(const World& w, const Condition& c, const std::vector<Param>& params, const Producible& p) {
  const FactDecl& d = w.fact(c.term.fact);
  std::vector<std::string> have_values;
  const auto& vals = p[c.term.fact.index()];
  for (std::size_t v = 0; v < vals.size(); ++v)
    if (vals[v]) have_values.push_back(d.value_name(static_cast<int>(v)));
  std::string have;  // "a", "a or b", "a, b or c"
  for (std::size_t i = 0; i < have_values.size(); ++i)
    have += (i == 0 ? "" : i + 1 == have_values.size() ? " or " : ", ") + have_values[i];
  return "nothing makes '" + w.condition_text(c, params) + "' hold: '" + d.name + "' can only be " + have;
}

}  // namespace

void lint_world(const World& w, core::Diagnostics& diags) {
  std::vector<bool> read(w.facts.size()), written(w.facts.size());
  for (const Action& a : w.actions) {
    for (const Condition& c : a.pre) read[c.term.fact.index()] = true;
    for (const Effect& e : a.eff) written[e.term.fact.index()] = true;
  }
  for (const Goal& g : w.goals) {
    for (const Condition& c : g.want) read[c.term.fact.index()] = true;
    for (const Condition& c : g.when) read[c.term.fact.index()] = true;
  }
  for (std::size_t f = 0; f < w.facts.size(); ++f)
    if (!read[f] && !written[f])
      diags.warning(w.facts[f].loc, "fact '" + w.facts[f].name + "' is never read or written")
          .hint("no condition, goal or effect mentions it; remove it or use it");

  Producible p(w.facts.size());
  for (std::size_t f = 0; f < w.facts.size(); ++f) {
    p[f].assign(w.facts[f].domain_size(), false);
    p[f][static_cast<std::size_t>(w.facts[f].default_index)] = true;
    // The environment may put an external fact in any state; sensing will report it.
    if (w.facts[f].external) p[f].assign(p[f].size(), true);
  }
  for (const StateLine& l : w.state_lines) p[l.term.fact.index()][static_cast<std::size_t>(l.value)] = true;

  std::vector<bool> applied(w.actions.size());
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < w.actions.size(); ++i) {
      const Action& a = w.actions[i];
      if (applied[i] || first_unsatisfiable(a.pre, p) != nullptr) continue;
      applied[i] = true;
      changed = true;
      for (const Effect& e : a.eff) {
        auto& vals = p[e.term.fact.index()];
        if (e.op == EffOp::add) {
          vals.assign(vals.size(), true);  // some sequence of changes may reach any value
        } else {
          vals[static_cast<std::size_t>(e.value)] = true;
        }
      }
    }
  }
  for (std::size_t i = 0; i < w.actions.size(); ++i) {
    if (applied[i]) continue;
    const Action& a = w.actions[i];
    const Condition* c = first_unsatisfiable(a.pre, p);
    diags.warning(c->loc, "action '" + a.name + "' can never apply")
        .hint(why_not(w, *c, a.params, p) + " (neither the state nor any action that can apply)");
  }
  // Groundings that will be slow or hit the limits (issue #20: a 6-parameter action over 60
  // objects grew to 3.9 GB before the limits stopped it).
  const State state = w.initial_state();
  const std::vector<bool> fluent = fluent_facts(w);
  for (const Action& a : w.actions) {
    const BindingEstimate e = estimate_action_bindings(w, state, fluent, a);
    if (e.count > kManyGroundInstances)
      diags.warning(a.loc, "action '" + action_signature(w, a) + "' has about " + count_text(e.count) +
                               " ground instances (" + factors_text(e.factors) + " bindings), more than " +
                               count_text(kManyGroundInstances))
          .hint("grounding it may hit --max-ms or --max-memory-mb; give its parameters narrower types, or add "
                "preconditions on facts no action changes");
  }
  for (const Goal& g : w.goals) {
    const BindingEstimate e = estimate_goal_bindings(w, g);
    if (e.count > kManyGroundInstances)
      diags.warning(g.loc, "goal '" + g.name + "' has about " + count_text(e.count) + " ground instances (forall over " +
                               factors_text(e.factors) + " objects), more than " + count_text(kManyGroundInstances))
          .hint("grounding it may hit --max-ms or --max-memory-mb; give its forall parameters narrower types");
  }
  for (const Goal& g : w.goals) {
    if (const Condition* c = first_unsatisfiable(g.want, p))
      diags.warning(c->loc, "goal '" + g.name + "' can never be reached")
          .hint(why_not(w, *c, g.forall, p) + " (neither the state nor any action that can apply)");
  }
}

}  // namespace goap::model
