#include "model/replay.h"

#include <algorithm>

namespace goap::model {

ReplayResult replay(const World& w, const State& initial, const std::vector<ReplayStep>& plan) {
  ReplayResult r;
  r.final_state = initial;
  State& s = r.final_state;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const ReplayStep& step = plan[i];
    auto fail = [&](std::string msg) {
      r.ok = false;
      r.failed_step = i + 1;
      r.error = "step " + std::to_string(i + 1) + " (" + step.action + "): " + std::move(msg);
      return r;
    };
    auto ait = w.action_index.find(step.action);
    if (ait == w.action_index.end()) return fail("unknown action");
    const Action& a = w.action(ait->second);
    if (step.args.size() != a.params.size())
      return fail("takes " + std::to_string(a.params.size()) + " arguments, the plan gives " + std::to_string(step.args.size()));
    std::vector<ObjectId> binding;
    for (const Param& p : a.params) {
      const std::string* obj = nullptr;
      for (const auto& [k, v] : step.args)
        if (k == p.name) obj = &v;
      if (obj == nullptr) return fail("no argument for parameter '" + p.name + "'");
      auto oit = w.object_index.find(*obj);
      if (oit == w.object_index.end()) return fail("unknown object '" + *obj + "'");
      if (!w.is_subtype(w.object(oit->second).type, p.type))
        return fail("'" + *obj + "' is not a " + w.type(p.type).name);
      binding.push_back(oit->second);
    }
    for (const ArgRelation& rel : a.relations)
      if (!rel.holds(binding)) return fail(std::string("parameters that must be ") + (rel.equal ? "equal are not" : "distinct are equal"));
    const std::optional<long long> cost = w.action_cost(a, binding);
    if (!cost) return fail("its cost is undefined for these arguments");
    for (const Condition& c : a.pre) {
      const GroundTerm t = bind_term(c.term, binding);
      if (!c.holds(s.value(t, w.fact(t.fact))))
        return fail("precondition '" + w.condition_text(c, a.params) + "' does not hold: '" + w.term_name(t) + "' is " +
                    w.fact(t.fact).value_name(s.value(t, w.fact(t.fact))));
    }
    // Effects apply at once, computed from the state before the action.
    std::vector<std::pair<GroundTerm, int>> writes;
    for (const Effect& e : a.eff) {
      const GroundTerm t = bind_term(e.term, binding);
      const FactDecl& d = w.fact(t.fact);
      int v = e.value;
      if (e.op == EffOp::add) {
        v = s.value(t, d) + e.value;
        if (v < 0 || v >= static_cast<int>(d.domain_size()))
          return fail("'" + w.effect_text(e, a.params) + "' would take '" + w.term_name(t) + "' outside " +
                      std::to_string(d.lo) + ".." + std::to_string(d.hi));
      }
      writes.emplace_back(t, v);
    }
    // PDDL (add_after_delete): deletes apply first, so an add of the same atom wins.
    if (w.add_after_delete)
      std::stable_partition(writes.begin(), writes.end(), [&](const auto& wr) {
        return w.fact(wr.first.fact).kind == ValueKind::boolean && wr.second == 0;
      });
    for (const auto& [t, v] : writes) s.set(t, v, w.fact(t.fact));
    r.cost += *cost;
  }
  r.ok = true;
  return r;
}

bool goal_holds(const World& w, GoalId id, const State& s, std::string* unmet) {
  const Goal& g = w.goal(id);
  std::vector<std::vector<ObjectId>> cands;
  for (const Param& p : g.forall) cands.push_back(w.objects_of(p.type));
  std::vector<ObjectId> binding;
  bool ok = true;
  auto visit = [&](auto&& self, std::size_t k) -> void {
    if (!ok) return;
    if (k == g.forall.size()) {
      for (const Condition& c : g.want) {
        const GroundTerm t = bind_term(c.term, binding);
        if (!c.holds(s.value(t, w.fact(t.fact)))) {
          ok = false;
          if (unmet) *unmet = w.condition_text(c, g.forall) + " (" + w.term_name(t) + " is " +
                              w.fact(t.fact).value_name(s.value(t, w.fact(t.fact))) + ")";
          return;
        }
      }
      return;
    }
    for (ObjectId o : cands[k]) {
      binding.push_back(o);
      self(self, k + 1);
      binding.pop_back();
    }
  };
  visit(visit, 0);
  return ok;
}

}  // namespace goap::model
