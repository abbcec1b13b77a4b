#include "ground/grounder.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <limits>
#include <new>
#include <unordered_map>

#include "core/log.h"
#include "ground/lifted_reachability.h"
#include "model/held.h"

namespace goap::ground {
namespace {

using model::Action;
using model::Condition;
using model::Effect;
using model::GroundTerm;
using model::ObjectId;
using model::World;

// Values 0..domain-1 that satisfy every condition in `conds` (all on the same ground fact).
std::vector<std::uint32_t> allowed_values(std::uint32_t domain, const std::vector<const Condition*>& conds) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t v = 0; v < domain; ++v) {
    bool ok = true;
    for (const Condition* c : conds) ok = ok && c->holds(static_cast<int>(v));
    if (ok) out.push_back(v);
  }
  return out;
}

class DomainBuilder {
 public:
  DomainBuilder(const World& w, const model::State& s, Domain& d, Budget& budget) : w_(w), s_(s), d_(d), budget_(budget) {
    fluent_ = model::fluent_facts(w);
  }

  bool build(GroundingError* error) {
    const std::vector<std::vector<Binding>> bindings = reachable_bindings(w_, s_, fluent_, budget_);
    for (std::size_t ai = 0; ai < w_.actions.size(); ++ai) {
      try {
        for (const Binding& b : bindings[ai])
          if (!instantiate(w_.actions[ai], ai, b, error)) return false;
      } catch (LimitExceeded& e) {
        if (e.message.empty()) e.message = limit_message(ai, bindings[ai].size(), e.kind);
        throw;
      } catch (const std::bad_alloc&) {
        throw LimitExceeded{GroundingLimitKind::allocation, limit_message(ai, bindings[ai].size(), GroundingLimitKind::allocation)};
      }
    }
    return true;
  }

 private:
  std::string limit_message(std::size_t ai, std::size_t bindings, GroundingLimitKind kind) const {
    return action_estimate_text(w_, ai, model::estimate_action_bindings(w_, s_, fluent_, w_.actions[ai])) + " (" + count_text(static_cast<double>(bindings)) +
           " reachable); it stopped at " + budget_.limit_text(kind) + " with " +
           count_text(static_cast<double>(d_.task.operators.size())) + " ground actions built";
  }

  std::uint32_t var_for(const GroundTerm& t) {
    auto [it, fresh] = d_.var_of.emplace(t, static_cast<std::uint32_t>(d_.var_terms.size()));
    if (fresh) {
      const model::FactDecl& decl = w_.fact(t.fact);
      budget_.charge(sizeof(Variable) + 2 * (sizeof(GroundTerm) + heap_bytes(t.args.size(), sizeof(ObjectId))) + 64 +
                     decl.domain_size() * (sizeof(std::string) + 8));
      Variable v;
      v.name = w_.term_name(t);
      v.domain = decl.domain_size();
      v.value_names.reserve(v.domain);
      for (std::uint32_t i = 0; i < v.domain; ++i) v.value_names.push_back(decl.value_name(static_cast<int>(i)));
      d_.task.variables.push_back(std::move(v));
      d_.task.initial.push_back(static_cast<std::uint32_t>(s_.value(t, decl)));
      d_.var_terms.push_back(t);
    }
    return it->second;
  }

  bool instantiate(const Action& a, std::size_t ai, const std::vector<ObjectId>& binding, GroundingError* error) {
    budget_.tick();
    int cost = a.cost;
    if (!a.cost_terms.empty()) {
      // PDDL costs from static functions: an undefined value makes the ground action inapplicable.
      const std::optional<long long> c = w_.action_cost(a, binding);
      if (!c) return true;
      if (*c > std::numeric_limits<int>::max()) {
        if (error) error->message = "action '" + a.name + "' costs more than " + std::to_string(std::numeric_limits<int>::max());
        return false;
      }
      cost = static_cast<int>(*c);
    }
    ++d_.stats.bindings;
    // Fluent preconditions, gathered per variable.
    std::vector<std::pair<std::uint32_t, std::vector<const Condition*>>> pre_conds;
    for (const Condition& c : a.pre) {
      if (!fluent_[c.term.fact.index()]) continue;
      const std::uint32_t v = var_for(model::bind_term(c.term, binding));
      auto it = std::find_if(pre_conds.begin(), pre_conds.end(), [&](const auto& p) { return p.first == v; });
      if (it == pre_conds.end())
        pre_conds.push_back({v, {&c}});
      else
        it->second.push_back(&c);
    }
    struct EffVar {
      std::uint32_t var;
      const Effect* eff;
    };
    std::vector<EffVar> effs;
    for (const Effect& e : a.eff) {
      const std::uint32_t v = var_for(model::bind_term(e.term, binding));
      bool merged = false;
      for (EffVar& prev : effs) {
        if (prev.var != v) continue;
        const bool both_assign = prev.eff->op == model::EffOp::assign && e.op == model::EffOp::assign;
        if (both_assign && prev.eff->value == e.value) {
          merged = true;
        } else if (both_assign && w_.add_after_delete && w_.fact(e.term.fact).kind == model::ValueKind::boolean) {
          // PDDL: a delete and an add of the same atom leave it true.
          if (e.value != 0) prev.eff = &e;
          merged = true;
        } else {
          // Two effects that land on the same ground fact (f($a), f($b) with a = b): contradictory
          // unless they agree; such a binding is not an operator.
          return true;
        }
      }
      if (!merged) effs.push_back({v, &e});
    }
    // The variables the operator must split over: a condition allowing several (but not all)
    // values, or an effect that depends on the current value (`+=`).
    struct Split {
      std::uint32_t var;
      std::vector<std::uint32_t> values;
    };
    std::vector<VarVal> fixed_pre;
    std::vector<Split> splits;
    for (auto& [v, conds] : pre_conds) {
      const auto allowed = allowed_values(d_.task.variables[v].domain, conds);
      if (allowed.empty()) return true;  // contradictory preconditions: never applicable
      const bool has_add = std::any_of(effs.begin(), effs.end(), [&, var = v](const EffVar& e) { return e.var == var && e.eff->op == model::EffOp::add; });
      if (allowed.size() == 1)
        fixed_pre.push_back({v, allowed.front()});
      else if (allowed.size() < d_.task.variables[v].domain || has_add)
        splits.push_back({v, allowed});
    }
    for (const EffVar& e : effs) {
      if (e.eff->op != model::EffOp::add) continue;
      const bool covered = std::any_of(fixed_pre.begin(), fixed_pre.end(), [&](const VarVal& p) { return p.var == e.var; }) ||
                           std::any_of(splits.begin(), splits.end(), [&](const Split& s) { return s.var == e.var; });
      if (!covered) {
        Split s{e.var, {}};
        for (std::uint32_t x = 0; x < d_.task.variables[e.var].domain; ++x) s.values.push_back(x);
        splits.push_back(std::move(s));
      }
    }
    std::size_t combos = 1;
    for (const Split& s : splits) {
      combos *= s.values.size();
      if (combos > kMaxSplitsPerBinding) {
        if (error)
          error->message = "action '" + a.name + "' splits into more than " + std::to_string(kMaxSplitsPerBinding) +
                           " operators for one binding (conditions like '!=' or '<' over wide int or enum ranges multiply); "
                           "narrow the ranges or split the action";
        return false;
      }
    }
    std::vector<std::size_t> idx(splits.size(), 0);
    const std::string name = op_name(a, binding);
    for (;;) {
      Operator op;
      op.action = static_cast<std::uint32_t>(ai);
      op.args.reserve(binding.size());
      for (ObjectId o : binding) op.args.push_back(o.value());
      op.cost = cost;
      op.name = name;
      op.pre = fixed_pre;
      for (std::size_t i = 0; i < splits.size(); ++i) op.pre.push_back({splits[i].var, splits[i].values[idx[i]]});
      std::sort(op.pre.begin(), op.pre.end(), [](const VarVal& x, const VarVal& y) { return x.var < y.var; });
      bool in_range = true;
      for (const EffVar& e : effs) {
        long long nv = e.eff->value;
        if (e.eff->op == model::EffOp::add) {
          auto it = std::find_if(op.pre.begin(), op.pre.end(), [&](const VarVal& p) { return p.var == e.var; });
          nv = static_cast<long long>(it->value) + e.eff->value;
          if (nv < 0 || nv >= static_cast<long long>(d_.task.variables[e.var].domain)) {
            in_range = false;  // would leave the int's range: not applicable here
            break;
          }
        }
        auto it = std::find_if(op.pre.begin(), op.pre.end(), [&](const VarVal& p) { return p.var == e.var; });
        if (it != op.pre.end() && it->value == static_cast<std::uint32_t>(nv)) continue;  // changes nothing
        op.eff.push_back({e.var, static_cast<std::uint32_t>(nv)});
      }
      budget_.tick();
      if (in_range && !op.eff.empty()) {
        std::sort(op.eff.begin(), op.eff.end(), [](const VarVal& x, const VarVal& y) { return x.var < y.var; });
        budget_.charge(operator_bytes(op));
        d_.task.operators.push_back(std::move(op));
        ++d_.stats.operators_built;
      }
      // Next combination (odometer).
      std::size_t i = 0;
      while (i < idx.size() && ++idx[i] == splits[i].values.size()) idx[i++] = 0;
      if (i == idx.size()) break;
    }
    return true;
  }

  std::string op_name(const Action& a, const std::vector<ObjectId>& binding) const {
    std::string s = a.name;
    if (!binding.empty()) {
      s += '(';
      for (std::size_t i = 0; i < binding.size(); ++i) s += (i ? ", " : "") + w_.object(binding[i]).name;
      s += ')';
    }
    return s;
  }

  const World& w_;
  const model::State& s_;
  Domain& d_;
  Budget& budget_;
  std::vector<bool> fluent_;
};

// Keeps the operators reachable in the delete relaxation and folds variables that can only
// ever hold their current value.
void prune_unreachable(Domain& d, Budget& budget) {
  Task& t = d.task;
  const std::size_t nv = t.variables.size();
  std::vector<std::size_t> offset(nv + 1, 0);
  for (std::size_t v = 0; v < nv; ++v) offset[v + 1] = offset[v] + t.variables[v].domain;
  std::vector<char> reached(offset[nv], 0);
  std::vector<std::vector<std::uint32_t>> waiting(offset[nv]);  // atom -> operators needing it
  std::vector<std::uint32_t> missing(t.operators.size());
  std::vector<char> fired(t.operators.size(), 0);
  std::deque<std::size_t> queue;
  auto reach = [&](std::size_t atom) {
    if (!reached[atom]) {
      reached[atom] = 1;
      queue.push_back(atom);
    }
  };
  std::vector<std::uint32_t> ready;
  for (std::uint32_t i = 0; i < t.operators.size(); ++i) {
    budget.tick();
    missing[i] = static_cast<std::uint32_t>(t.operators[i].pre.size());
    for (const VarVal& p : t.operators[i].pre) waiting[offset[p.var] + p.value].push_back(i);
    if (missing[i] == 0) ready.push_back(i);
  }
  auto fire = [&](std::uint32_t i) {
    if (fired[i]) return;
    fired[i] = 1;
    for (const VarVal& e : t.operators[i].eff) reach(offset[e.var] + e.value);
  };
  for (std::size_t v = 0; v < nv; ++v) reach(offset[v] + t.initial[v]);
  for (std::uint32_t i : ready) fire(i);
  while (!queue.empty()) {
    const std::size_t atom = queue.front();
    queue.pop_front();
    for (std::uint32_t i : waiting[atom])
      if (--missing[i] == 0) fire(i);
  }
  // Variables with one reachable value are constants.
  std::vector<std::uint32_t> new_index(nv, UINT32_MAX);
  std::vector<std::uint32_t> kept_vars;
  for (std::size_t v = 0; v < nv; ++v) {
    std::size_t n = 0;
    for (std::size_t a = offset[v]; a < offset[v + 1]; ++a) n += reached[a] ? 1 : 0;
    if (n > 1) {
      new_index[v] = static_cast<std::uint32_t>(kept_vars.size());
      kept_vars.push_back(static_cast<std::uint32_t>(v));
    }
  }
  Task out;
  std::vector<GroundTerm> terms;
  for (std::uint32_t v : kept_vars) {
    out.variables.push_back(std::move(t.variables[v]));
    out.initial.push_back(t.initial[v]);
    terms.push_back(d.var_terms[v]);
  }
  for (std::uint32_t i = 0; i < t.operators.size(); ++i) {
    budget.tick();
    if (!fired[i]) continue;
    Operator& op = t.operators[i];
    auto remap = [&](std::vector<VarVal>& atoms) {
      std::vector<VarVal> kept;
      for (const VarVal& a : atoms)
        if (new_index[a.var] != UINT32_MAX) kept.push_back({new_index[a.var], a.value});
      atoms = std::move(kept);  // order preserved: renumbering is monotone
    };
    remap(op.pre);
    remap(op.eff);
    if (op.eff.empty()) continue;
    out.operators.push_back(std::move(op));
  }
  d.task = std::move(out);
  d.var_terms = std::move(terms);
  d.var_of.clear();
  for (std::uint32_t v = 0; v < d.var_terms.size(); ++v) d.var_of.emplace(d.var_terms[v], v);
  d.stats.operators_kept = d.task.operators.size();
  d.stats.variables = d.task.variables.size();
}

}  // namespace

std::size_t operator_bytes(const Operator& op) {
  return sizeof(Operator) + (op.name.size() > 15 ? heap_bytes(op.name.size() + 1, 1) : 0) +
         heap_bytes(op.args.size(), sizeof(std::uint32_t)) + heap_bytes(op.pre.size(), sizeof(VarVal)) +
         heap_bytes(op.eff.size(), sizeof(VarVal));
}

std::optional<Domain> ground_domain(const model::World& world, const model::State& state, GroundingError* error,
                                    Budget* budget) {
  Budget unlimited;
  Budget& bud = budget ? *budget : unlimited;
  const auto start = std::chrono::steady_clock::now();
  Domain d;
  d.state = state;
  DomainBuilder b(world, state, d, bud);
  if (!b.build(error)) return std::nullopt;
  try {
    prune_unreachable(d, bud);
  } catch (LimitExceeded& e) {
    if (e.message.empty())
      e.message = "pruning " + count_text(static_cast<double>(d.task.operators.size())) + " ground actions stopped at " +
                  bud.limit_text(e.kind);
    throw;
  } catch (const std::bad_alloc&) {
    throw LimitExceeded{GroundingLimitKind::allocation, "pruning " + count_text(static_cast<double>(d.task.operators.size())) +
                                                        " ground actions stopped at " + bud.limit_text(GroundingLimitKind::allocation)};
  }
  d.stats.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  core::log::debug("grounded {} bindings into {} operators, {} kept over {} variables in {:.3f} ms", d.stats.bindings,
                   d.stats.operators_built, d.stats.operators_kept, d.stats.variables, d.stats.ms);
  return d;
}

namespace {

// "goal 'g' (forall over 60 x 60 objects)".
std::string goal_subject(const World& w, const model::Goal& g) {
  std::string out = "goal '" + g.name + "'";
  if (!g.forall.empty()) out += " (forall over " + model::factors_text(model::estimate_goal_bindings(w, g).factors) + " objects)";
  return out;
}

double forall_bindings(const World& w, const model::Goal& g) { return model::estimate_goal_bindings(w, g).count; }

// One wanted fact with its allowed values, its hash-map index entry included.
std::size_t want_bytes(std::size_t args, std::size_t values) {
  return 2 * (sizeof(std::pair<GroundTerm, std::vector<std::uint32_t>>) + heap_bytes(args, sizeof(ObjectId))) +
         heap_bytes(values, sizeof(std::uint32_t)) + 48;
}

GoalInstance instantiate(const model::World& w, model::GoalId id, const model::State& state, bool ignore_when,
                         Budget& budget, const model::HeldFacts* held) {
  const model::Goal& g = w.goal(id);
  GoalInstance gi;
  gi.goal = id;
  // Without `when`, every binding wants its facts: the count is exact, so refuse one too big
  // for the memory limit before building any of it.
  const double wanted = forall_bindings(w, g) * static_cast<double>(g.want.size());
  if (ignore_when || g.when.empty()) {
    double bytes = 0;
    for (const Condition& c : g.want) bytes += static_cast<double>(want_bytes(c.term.args.size(), 1));
    if (!budget.fits(forall_bindings(w, g) * bytes))
      throw LimitExceeded{GroundingLimitKind::memory, {}};
  }
  std::vector<std::vector<ObjectId>> candidates;
  for (const model::Param& p : g.forall) candidates.push_back(w.objects_of(p.type));
  std::vector<ObjectId> binding;
  bool any_active = false, all_hold = true;
  std::unordered_map<GroundTerm, std::size_t, model::GroundTermHash> index;  // wanted fact -> position in gi.want
  auto holds = [&](const Condition& c) {
    const GroundTerm t = model::bind_term(c.term, binding);
    return c.holds(state.value(t, w.fact(t.fact)));
  };
  auto visit = [&](auto&& self, std::size_t k) -> void {
    budget.tick();
    if (k == g.forall.size()) {
      bool active = true;
      if (!ignore_when)
        for (const Condition& c : g.when)
          active = active && model::condition_holds(w, state, model::bind_term(c.term, binding), c, held);
      if (!active) return;
      any_active = true;
      const bool binding_holds = std::all_of(g.want.begin(), g.want.end(), holds);
      for (const Condition& c : g.want) {
        all_hold = all_hold && holds(c);
        GroundTerm t = model::bind_term(c.term, binding);
        const model::FactDecl& decl = w.fact(t.fact);
        std::vector<std::uint32_t> allowed;
        for (std::uint32_t v = 0; v < decl.domain_size(); ++v)
          if (c.holds(static_cast<int>(v))) allowed.push_back(v);
        // Two wanted conditions on one fact: keep the values both allow.
        auto it = index.find(t);
        if (it == index.end()) {
          budget.charge(want_bytes(t.args.size(), allowed.size()));
          index.emplace(t, gi.want.size());
          gi.want.emplace_back(std::move(t), std::move(allowed));
        } else {
          auto& prev = gi.want[it->second].second;
          std::vector<std::uint32_t> both;
          std::set_intersection(prev.begin(), prev.end(), allowed.begin(), allowed.end(), std::back_inserter(both));
          prev = std::move(both);
        }
      }
      if (binding_holds)
        for (const Condition& c : g.want) {
          GroundTerm t = model::bind_term(c.term, binding);
          const model::FactDecl& decl = w.fact(t.fact);
          std::vector<std::uint32_t> allowed;
          for (std::uint32_t v = 0; v < decl.domain_size(); ++v)
            if (c.holds(static_cast<int>(v))) allowed.push_back(v);
          budget.charge(want_bytes(t.args.size(), allowed.size()));
          gi.holding.emplace_back(std::move(t), std::move(allowed));
        }
      return;
    }
    for (ObjectId o : candidates[k]) {
      binding.push_back(o);
      self(self, k + 1);
      binding.pop_back();
    }
  };
  try {
    visit(visit, 0);
  } catch (LimitExceeded& e) {
    if (e.message.empty())
      e.message = "grounding " + goal_subject(w, g) + " would create about " + count_text(wanted) +
                  " wanted facts; it stopped at " + budget.limit_text(e.kind) + " with " +
                  count_text(static_cast<double>(gi.want.size())) + " built";
    throw;
  }
  if (!any_active)
    gi.status = GoalInstance::Status::inactive;
  else if (all_hold)
    gi.status = GoalInstance::Status::satisfied;
  else
    gi.status = GoalInstance::Status::open;
  return gi;
}

}  // namespace

GoalInstance instantiate_goal(const model::World& w, model::GoalId id, const model::State& state, bool ignore_when,
                              const model::HeldFacts* held) {
  Budget unlimited;
  return instantiate(w, id, state, ignore_when, unlimited, held);
}

GoalInstance instantiate_goal(const model::World& w, model::GoalId id, const model::State& state, bool ignore_when,
                              Budget& budget, const model::HeldFacts* held) {
  try {
    return instantiate(w, id, state, ignore_when, budget, held);
  } catch (LimitExceeded& e) {
    if (e.message.empty()) {
      const model::Goal& g = w.goal(id);
      e.message = "grounding " + goal_subject(w, g) + " would create about " +
                  count_text(forall_bindings(w, g) * static_cast<double>(g.want.size())) + " wanted facts, more than " +
                  budget.limit_text(e.kind);
    }
    throw;
  } catch (const std::bad_alloc&) {
    const model::Goal& g = w.goal(id);
    throw LimitExceeded{GroundingLimitKind::allocation,
                        "grounding " + goal_subject(w, g) + " would create about " +
                            count_text(forall_bindings(w, g) * static_cast<double>(g.want.size())) +
                            " wanted facts; it stopped at " + budget.limit_text(GroundingLimitKind::allocation)};
  }
}

namespace {

// keep, in Domain variables: var -> allowed values (empty: not kept).
std::vector<std::vector<std::uint32_t>> kept_values(const Domain& d, const Protected& keep) {
  std::vector<std::vector<std::uint32_t>> kept(keep.empty() ? 0 : d.task.variables.size());
  std::vector<char> seen(kept.size(), 0);
  for (const auto& [term, allowed] : keep) {
    auto it = d.var_of.find(term);
    if (it == d.var_of.end()) continue;  // nothing changes it
    auto& k = kept[it->second];
    if (!seen[it->second]) {
      k = allowed;
      seen[it->second] = 1;
    } else {
      std::vector<std::uint32_t> both;
      std::set_intersection(k.begin(), k.end(), allowed.begin(), allowed.end(), std::back_inserter(both));
      k = std::move(both);
    }
    if (k.empty()) k.push_back(UINT32_MAX);  // nothing allowed: every change breaks it
  }
  return kept;
}

bool breaks_kept(const Operator& op, const std::vector<std::vector<std::uint32_t>>& kept) {
  if (kept.empty()) return false;
  return std::any_of(op.eff.begin(), op.eff.end(), [&](const VarVal& e) {
    const auto& k = kept[e.var];
    return !k.empty() && !std::binary_search(k.begin(), k.end(), e.value);
  });
}

GoalTask goal_task(const model::World& w, const Domain& d, const GoalInstance& gi, Budget& budget, const Protected& keep) {
  GoalTask gt;
  const Task& full = d.task;
  const auto kept = kept_values(d, keep);
  std::vector<char> broken(kept.empty() ? 0 : full.operators.size(), 0);
  for (std::size_t i = 0; i < broken.size(); ++i) broken[i] = breaks_kept(full.operators[i], kept) ? 1 : 0;
  std::vector<GoalCondition> goal;  // in Domain variable numbers
  for (const auto& [term, allowed] : gi.want) {
    const model::FactDecl& tdecl = w.fact(term.fact);
    if (allowed.size() == tdecl.domain_size()) continue;  // wants nothing in particular
    if (allowed.empty()) {
      if (!gt.statically_unsolvable) {
        gt.statically_unsolvable = true;
        gt.unsolvable_reason = "the goal wants contradicting values of '" + w.term_name(term) + "'";
      }
      continue;
    }
    auto it = d.var_of.find(term);
    if (it == d.var_of.end()) {
      // Nothing can change this fact: it keeps its current value.
      const int cur = d.state.value(term, w.fact(term.fact));
      if (!std::binary_search(allowed.begin(), allowed.end(), static_cast<std::uint32_t>(cur)) && !gt.statically_unsolvable) {
        gt.statically_unsolvable = true;
        const model::FactDecl& decl = w.fact(term.fact);
        std::string want;
        for (std::size_t i = 0; i < allowed.size(); ++i) want += (i ? " or " : "") + decl.value_name(static_cast<int>(allowed[i]));
        gt.unsolvable_reason = "no action that can apply changes '" + w.term_name(term) + "': it is " +
                               decl.value_name(cur) + " and the goal wants " + want;
      }
      continue;
    }
    goal.push_back({it->second, allowed});
  }
  // Backward relevance: variables the goal needs, and the preconditions of operators that
  // change them, transitively.
  const std::size_t nv = full.variables.size();
  std::vector<char> relevant_var(nv, 0), relevant_op(full.operators.size(), 0);
  for (const GoalCondition& g : goal) relevant_var[g.var] = 1;
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < full.operators.size(); ++i) {
      budget.tick();
      if (relevant_op[i] || (!broken.empty() && broken[i])) continue;
      const Operator& op = full.operators[i];
      if (std::none_of(op.eff.begin(), op.eff.end(), [&](const VarVal& e) { return relevant_var[e.var] != 0; })) continue;
      relevant_op[i] = 1;
      changed = true;
      for (const VarVal& p : op.pre) relevant_var[p.var] = 1;
    }
  }
  std::vector<std::uint32_t> new_index(nv, UINT32_MAX);
  for (std::uint32_t v = 0; v < nv; ++v) {
    if (!relevant_var[v]) continue;
    new_index[v] = static_cast<std::uint32_t>(gt.task.variables.size());
    gt.task.variables.push_back(full.variables[v]);
    gt.task.initial.push_back(full.initial[v]);
    gt.domain_var.push_back(v);
  }
  for (std::size_t i = 0; i < full.operators.size(); ++i) {
    if (!relevant_op[i]) continue;
    budget.tick();
    budget.charge(operator_bytes(full.operators[i]));
    Operator op = full.operators[i];
    std::vector<VarVal> eff;
    for (const VarVal& e : op.eff)
      if (new_index[e.var] != UINT32_MAX) eff.push_back({new_index[e.var], e.value});
    for (VarVal& p : op.pre) p.var = new_index[p.var];
    op.eff = std::move(eff);
    gt.task.operators.push_back(std::move(op));
  }
  for (GoalCondition& g : goal) g.var = new_index[g.var];
  std::sort(goal.begin(), goal.end(), [](const GoalCondition& a, const GoalCondition& b) { return a.var < b.var; });
  gt.task.goal = std::move(goal);
  gt.operators_protected = static_cast<std::size_t>(std::count(broken.begin(), broken.end(), 1));
  return gt;
}

}  // namespace

GoalTask make_goal_task(const model::World& w, const Domain& d, const GoalInstance& gi, const Protected& keep) {
  Budget unlimited;
  return goal_task(w, d, gi, unlimited, keep);
}

bool breaks(const Domain& d, const Operator& op, const Protected& keep) {
  return breaks_kept(op, kept_values(d, keep));
}

GoalTask make_goal_task(const model::World& w, const Domain& d, const GoalInstance& gi, Budget& budget,
                        const Protected& keep) {
  const auto message = [&](GroundingLimitKind kind) {
    return "building the task of goal '" + w.goal(gi.goal).name + "' from " +
           count_text(static_cast<double>(d.task.operators.size())) + " ground actions stopped at " + budget.limit_text(kind);
  };
  try {
    return goal_task(w, d, gi, budget, keep);
  } catch (LimitExceeded& e) {
    if (e.message.empty()) e.message = message(e.kind);
    throw;
  } catch (const std::bad_alloc&) {
    throw LimitExceeded{GroundingLimitKind::allocation, message(GroundingLimitKind::allocation)};
  }
}

}  // namespace goap::ground
