#include "ground/lifted_reachability.h"

#include <algorithm>
#include <limits>
#include <new>
#include <unordered_map>

namespace goap::ground {
namespace {

using model::Action;
using model::Arg;
using model::Condition;
using model::GroundTerm;
using model::ObjectId;

bool is_positive_bool(const Condition& c, const model::FactDecl& f) {
  return f.kind == model::ValueKind::boolean && f.default_index == 0 && c.holds(1) && !c.holds(0);
}

// The heap a kept binding of `n` parameters takes (the outer vector's slot included).
std::size_t binding_bytes(std::size_t n) { return sizeof(Binding) + heap_bytes(n, sizeof(ObjectId)); }

// An atom's copy in atoms_, its index_ entry and its by_fact_ / by_arg_ entries.
std::size_t atom_bytes(const GroundTerm& t) {
  return 2 * (sizeof(GroundTerm) + heap_bytes(t.args.size(), sizeof(ObjectId))) + 48 + 4 * (1 + t.args.size());
}

class Explorer {
 public:
  Explorer(const model::World& w, const model::State& s, const std::vector<bool>& fluent, Budget& budget)
      : w_(w), s_(s), fluent_(fluent), budget_(budget), by_fact_(w.facts.size()), triggers_(w.facts.size()),
        out_(w.actions.size()) {
    for (std::size_t ai = 0; ai < w.actions.size(); ++ai) {
      const Action& a = w.actions[ai];
      Info info;
      for (const Condition& c : a.pre) {
        if (is_positive_bool(c, w.fact(c.term.fact))) {
          triggers_[c.term.fact.index()].push_back({static_cast<std::uint32_t>(ai), static_cast<std::uint32_t>(info.joinable.size())});
          info.joinable.push_back(&c);
        } else if (!fluent[c.term.fact.index()]) {
          info.checked.push_back(&c);  // static: exact
        }  // else relaxed away
      }
      for (const model::Param& p : a.params) {
        info.candidates.push_back(w.objects_of(p.type));
        std::vector<char> ok(w.objects.size(), 0);
        for (ObjectId o : info.candidates.back()) ok[o.index()] = 1;
        info.allowed.push_back(std::move(ok));
      }
      for (const model::Effect& e : a.eff)
        if (w.fact(e.term.fact).kind == model::ValueKind::boolean && e.op == model::EffOp::assign && e.value != 0)
          info.adds.push_back(&e);
      info_.push_back(std::move(info));
    }
  }

  std::vector<std::vector<Binding>> run() {
    try {
      return explore();
    } catch (LimitExceeded& e) {
      if (e.message.empty()) e.message = limit_message(e.kind);
      throw;
    } catch (const std::bad_alloc&) {
      throw LimitExceeded{GroundingLimitKind::allocation, limit_message(GroundingLimitKind::allocation)};
    }
  }

 private:
  // Refuses, before enumerating anything, an action whose estimate is exact and too big.
  void check_estimates() {
    for (std::size_t ai = 0; ai < w_.actions.size(); ++ai) {
      // Every type-correct binding fitting is the usual case, and needs no look at the state.
      double all = static_cast<double>(binding_bytes(info_[ai].candidates.size()));
      for (const auto& c : info_[ai].candidates) all *= static_cast<double>(c.size());
      if (budget_.fits(all)) continue;
      const model::BindingEstimate e = model::estimate_action_bindings(w_, s_, fluent_, w_.actions[ai]);
      const double bytes = e.count * static_cast<double>(binding_bytes(e.factors.size()));
      if (e.exact && !budget_.fits(bytes))
        throw LimitExceeded{GroundingLimitKind::memory,
                            action_estimate_text(w_, ai, e) + "; their bindings alone need about " +
                                bytes_text(bytes) + ", more than " +
                                budget_.limit_text(GroundingLimitKind::memory)};
    }
  }

  std::string limit_message(GroundingLimitKind kind) const {
    if (!in_action_) return "grounding the state's facts stopped at " + budget_.limit_text(kind);
    return action_estimate_text(w_, action_, model::estimate_action_bindings(w_, s_, fluent_, w_.actions[action_])) +
           "; it stopped at " + budget_.limit_text(kind) + " with " +
           count_text(static_cast<double>(out_[action_].size())) + " found";
  }

  std::vector<std::vector<Binding>> explore() {
    check_estimates();
    // The atoms true in the state, in a fixed order.
    std::vector<GroundTerm> initial;
    for (const auto& [t, v] : s_.cells())
      if (w_.fact(t.fact).kind == model::ValueKind::boolean && v != 0) initial.push_back(t);
    std::sort(initial.begin(), initial.end(), [](const GroundTerm& a, const GroundTerm& b) {
      return a.fact != b.fact ? a.fact < b.fact : a.args < b.args;
    });
    for (GroundTerm& t : initial) add_atom(std::move(t));
    // Actions with no positive bool precondition fire from the start.
    for (std::size_t ai = 0; ai < info_.size(); ++ai) {
      if (!info_[ai].joinable.empty()) continue;
      start(ai);
      complete(0);
    }
    for (std::uint32_t t = 0; t < atoms_.size(); ++t) {
      const GroundTerm atom = atoms_[t];  // a copy: emitting may grow atoms_
      for (const auto& [ai, j] : triggers_[atom.fact.index()]) {
        start(ai);
        if (!unify(*info_[ai].joinable[j], atom) || !partial_ok()) continue;
        trigger_ = j;
        now_ = t;
        done_.assign(info_[ai].joinable.size(), 0);
        done_[j] = 1;
        join(info_[ai].joinable.size() - 1);
      }
    }
    in_action_ = false;
    for (auto& bindings : out_) {
      std::sort(bindings.begin(), bindings.end());
      bindings.erase(std::unique(bindings.begin(), bindings.end()), bindings.end());
    }
    return std::move(out_);
  }

  struct Info {
    std::vector<const Condition*> joinable;  // positive bool preconditions
    std::vector<const Condition*> checked;   // other static preconditions, checked exactly
    std::vector<std::vector<ObjectId>> candidates;  // by parameter: objects of its type
    std::vector<std::vector<char>> allowed;         // by parameter, by object: of its type
    std::vector<const model::Effect*> adds;         // bool effects that make an atom true
  };

  static std::uint64_t arg_key(model::FactId f, std::size_t pos, ObjectId o) {
    return (static_cast<std::uint64_t>(f.value()) << 40) ^ (static_cast<std::uint64_t>(pos) << 32) ^ o.value();
  }

  void add_atom(GroundTerm t) {
    auto [it, fresh] = index_.emplace(t, static_cast<std::uint32_t>(atoms_.size()));
    budget_.tick();
    if (!fresh) return;
    budget_.charge(atom_bytes(t));
    const std::uint32_t id = it->second;
    by_fact_[t.fact.index()].push_back(id);
    for (std::size_t k = 0; k < t.args.size(); ++k) by_arg_[arg_key(t.fact, k, t.args[k])].push_back(id);
    atoms_.push_back(std::move(t));
  }

  void start(std::size_t ai) {
    action_ = ai;
    in_action_ = true;
    binding_.assign(w_.actions[ai].params.size(), ObjectId::invalid());
    trail_.clear();
  }

  // Binds the condition's parameters to the atom's objects; on a mismatch undoes its own bindings.
  bool unify(const Condition& c, const GroundTerm& atom) {
    const std::size_t mark = trail_.size();
    const Info& info = info_[action_];
    for (std::size_t k = 0; k < c.term.args.size(); ++k) {
      const Arg& a = c.term.args[k];
      const ObjectId o = atom.args[k];
      bool ok;
      if (a.kind == Arg::Kind::object) {
        ok = a.index == o.value();
      } else if (binding_[a.index].valid()) {
        ok = binding_[a.index] == o;
      } else {
        ok = info.allowed[a.index][o.index()] != 0;
        if (ok) {
          binding_[a.index] = o;
          trail_.push_back(a.index);
        }
      }
      if (!ok) {
        undo(mark);
        return false;
      }
    }
    return true;
  }

  void undo(std::size_t mark) {
    while (trail_.size() > mark) {
      binding_[trail_.back()] = ObjectId::invalid();
      trail_.pop_back();
    }
  }

  bool bound(const Arg& a) const { return a.kind == Arg::Kind::object || binding_[a.index].valid(); }

  // Equality relations and static conditions whose parameters are all bound.
  bool partial_ok() const {
    const Action& a = w_.actions[action_];
    for (const model::ArgRelation& r : a.relations)
      if (bound(r.lhs) && bound(r.rhs) && !r.holds(binding_)) return false;
    for (const Condition* c : info_[action_].checked) {
      if (!std::all_of(c->term.args.begin(), c->term.args.end(), [&](const Arg& x) { return bound(x); })) continue;
      const GroundTerm t = model::bind_term(c->term, binding_);
      if (!c->holds(s_.value(t, w_.fact(t.fact)))) return false;
    }
    return true;
  }

  // The atoms that could match joinable precondition j: the shortest index list over its bound arguments.
  const std::vector<std::uint32_t>* candidates_for(const Condition& c) const {
    const std::vector<std::uint32_t>* best = &by_fact_[c.term.fact.index()];
    for (std::size_t k = 0; k < c.term.args.size(); ++k) {
      const Arg& a = c.term.args[k];
      if (!bound(a)) continue;
      const ObjectId o = a.kind == Arg::Kind::object ? ObjectId(a.index) : binding_[a.index];
      auto it = by_arg_.find(arg_key(c.term.fact, k, o));
      if (it == by_arg_.end()) return &empty_;
      if (it->second.size() < best->size()) best = &it->second;
    }
    return best;
  }

  void join(std::size_t remaining) {
    if (remaining == 0) {
      complete(0);
      return;
    }
    const Info& info = info_[action_];
    std::size_t j = info.joinable.size();
    const std::vector<std::uint32_t>* list = nullptr;
    for (std::size_t k = 0; k < info.joinable.size(); ++k) {
      if (done_[k]) continue;
      const auto* l = candidates_for(*info.joinable[k]);
      if (list == nullptr || l->size() < list->size()) {
        list = l;
        j = k;
      }
    }
    // Semi-naive: joinable preconditions before the trigger take atoms processed strictly before
    // the current one, those after it take the current one too, so each binding is found once.
    const std::uint32_t limit = j < trigger_ ? now_ : now_ + 1;
    done_[j] = 1;
    for (std::size_t k = 0; k < list->size(); ++k) {
      const std::uint32_t id = (*list)[k];  // by index: emitting may grow the list
      if (id >= limit) break;
      budget_.tick();
      const std::size_t mark = trail_.size();
      if (unify(*info.joinable[j], atoms_[id])) {
        if (partial_ok()) join(remaining - 1);
        undo(mark);
      }
    }
    done_[j] = 0;
  }

  // Enumerates the parameters no joinable precondition binds, then emits the binding.
  void complete(std::size_t p) {
    const Info& info = info_[action_];
    while (p < binding_.size() && binding_[p].valid()) ++p;
    if (p == binding_.size()) {
      if (!partial_ok()) return;
      const Action& a = w_.actions[action_];
      if (!a.cost_terms.empty() && !w_.action_cost(a, binding_)) return;  // undefined cost: never applicable
      budget_.charge(binding_bytes(binding_.size()));
      out_[action_].push_back(binding_);
      for (const model::Effect* e : info.adds) add_atom(model::bind_term(e->term, binding_));
      return;
    }
    for (ObjectId o : info.candidates[p]) {
      budget_.tick();
      binding_[p] = o;
      if (partial_ok()) complete(p + 1);
    }
    binding_[p] = ObjectId::invalid();
  }

  const model::World& w_;
  const model::State& s_;
  const std::vector<bool>& fluent_;
  Budget& budget_;
  bool in_action_ = false;  // action_ names the action being enumerated
  std::vector<Info> info_;
  std::vector<GroundTerm> atoms_;  // in processing order; the id of an atom is its position
  std::unordered_map<GroundTerm, std::uint32_t, model::GroundTermHash> index_;
  std::vector<std::vector<std::uint32_t>> by_fact_;                     // fact -> atom ids, ascending
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_arg_;  // (fact, position, object) -> ids
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> triggers_;  // fact -> (action, joinable)
  const std::vector<std::uint32_t> empty_;
  std::vector<std::vector<Binding>> out_;

  // The binding under construction.
  std::size_t action_ = 0;
  Binding binding_;
  std::vector<std::uint32_t> trail_;  // parameters bound, for undo
  std::vector<char> done_;
  std::uint32_t trigger_ = 0, now_ = 0;
};

}  // namespace

std::vector<std::vector<Binding>> reachable_bindings(const model::World& world, const model::State& state,
                                                     const std::vector<bool>& fluent, Budget& budget) {
  return Explorer(world, state, fluent, budget).run();
}

std::string action_estimate_text(const model::World& w, std::size_t ai, const model::BindingEstimate& e) {
  std::string out = "grounding action '" + model::action_signature(w, w.actions[ai]) + "' would create about " +
                    count_text(e.count) + " ground actions";
  if (e.factors.size() > 1) out += " (" + model::factors_text(e.factors) + " bindings)";
  return out;
}

}  // namespace goap::ground
