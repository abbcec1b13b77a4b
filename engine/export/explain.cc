#include "export/explain.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "export/plan_view.h"
#include "ground/grounder.h"
#include "heuristics/factory.h"
#include "search/search.h"

namespace goap::exporting {
namespace {

using model::GroundTerm;
using model::ObjectId;

std::string without_spaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

std::string ground_action_name(const model::World& w, const model::Action& a, const std::vector<ObjectId>& args) {
  std::string s = a.name;
  if (!args.empty()) {
    s += '(';
    for (std::size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + w.object(args[i]).name;
    s += ')';
  }
  return s;
}

// The allowed domain indices of a condition.
std::vector<std::uint32_t> allowed_by(const model::FactDecl& d, const model::Condition& c) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t v = 0; v < d.domain_size(); ++v)
    if (c.holds(static_cast<int>(v))) out.push_back(v);
  return out;
}

// Every type-correct binding of `params`, in declaration order (the last parameter varies fastest).
template <class Fn>
bool for_each_binding(const model::World& w, const std::vector<model::Param>& params, Fn&& fn) {
  std::vector<std::vector<ObjectId>> candidates;
  for (const model::Param& p : params) {
    candidates.push_back(w.objects_of(p.type));
    if (candidates.back().empty()) return true;
  }
  std::vector<std::size_t> idx(params.size(), 0);
  std::vector<ObjectId> binding(params.size());
  for (;;) {
    for (std::size_t i = 0; i < params.size(); ++i) binding[i] = candidates[i][idx[i]];
    if (!fn(binding)) return false;
    std::size_t i = params.size();
    while (i > 0) {
      --i;
      if (++idx[i] < candidates[i].size()) break;
      idx[i] = 0;
      if (i == 0) return true;
    }
    if (params.empty()) return true;
  }
}

class RelaxedWalk {
 public:
  RelaxedWalk(const model::World& w, const model::State& s, const std::vector<std::string>& without)
      : w_(w), s_(s) {
    for (const std::string& n : without) without_.insert(without_spaces(n));
    written_.assign(w.facts.size(), 0);
    for (const model::Action& a : w.actions) {
      if (without_.count(a.name)) continue;
      for (const model::Effect& e : a.eff) written_[e.term.fact.index()] = 1;
    }
  }

  void run(RelaxedAnalysis& out) {
    ground_actions(out);
    fixpoint();
    out.bindings = bindings_.size();
  }

  [[nodiscard]] bool reachable(std::uint32_t term, const std::vector<std::uint32_t>& allowed) const {
    for (std::uint32_t v : allowed)
      if (reached_[term][v]) return true;
    return false;
  }

  std::uint32_t term_id(const GroundTerm& t) {
    auto [it, fresh] = index_.emplace(t, static_cast<std::uint32_t>(terms_.size()));
    if (fresh) {
      terms_.push_back(t);
      const model::FactDecl& d = w_.fact(t.fact);
      reached_.emplace_back(d.domain_size(), 0);
      reached_.back()[static_cast<std::size_t>(s_.value(t, d))] = 1;
    }
    return it->second;
  }

  // Explains why (term, allowed) is unreachable; returns its node id.
  std::size_t explain(std::uint32_t term, const std::vector<std::uint32_t>& allowed, const std::string& text, int depth,
                      RelaxedAnalysis& out) {
    const auto key = std::make_pair(term, allowed);
    if (auto it = node_of_.find(key); it != node_of_.end()) return it->second;
    const GroundTerm& t = terms_[term];
    const model::FactDecl& d = w_.fact(t.fact);
    Unreachable u;
    u.condition = text;
    u.fact = w_.term_name(t);
    u.now = d.value_name(s_.value(t, d));
    u.is_bool = d.kind == model::ValueKind::boolean;
    u.wants_true = u.is_bool && allowed.size() == 1 && allowed[0] == 1;
    u.external = d.external;
    u.is_static = written_[t.fact.index()] == 0;
    const std::size_t id = out.nodes.size();
    out.nodes.push_back(std::move(u));
    node_of_.emplace(key, id);
    if (depth >= kMaxDepth || out.nodes.size() > 400) return id;
    out.nodes[id].explored = true;

    // The producers and their unreachable preconditions. Bindings of one action compete: the
    // ones held back by the fewest preconditions on *static* facts (no action writes them), then
    // by the fewest unreachable preconditions overall, are followed; every other binding that a
    // static fact holds back is the world's layout ruling it out (restart-agent(ezra, hermes-vps)
    // while ezra lives on allegro-vps; promote-backup(allegro-vps, allegro-vps) while only
    // standby_for(hermes-vps, allegro-vps) holds) and is counted, not followed. A static fact
    // that holds back every binding alike (rebuild-vps needs backup_fresh, which nothing makes
    // true) is the story, and is followed like any other.
    struct Candidate {
      const Binding* b;
      std::vector<std::pair<std::uint32_t, const model::Condition*>> blocked;
      const model::Condition* layout = nullptr;  // the first static precondition holding it back
      std::uint32_t layout_term = 0;
      std::size_t static_blocked = 0;
    };
    std::vector<Candidate> candidates;
    std::map<model::ActionId, std::pair<std::size_t, std::size_t>> best;  // action -> least (static, total) blocked
    for (const Binding& b : bindings_) {
      if (!produces(b, term, allowed)) continue;
      Candidate c{&b, {}, nullptr, 0, 0};
      for (const auto& [pt, cond] : b.pre) {
        if (reachable(pt, allowed_by(w_.fact(terms_[pt].fact), *cond))) continue;
        if (!written_[terms_[pt].fact.index()]) {
          ++c.static_blocked;
          if (c.layout == nullptr) {
            c.layout = cond;
            c.layout_term = pt;
          }
        }
        c.blocked.emplace_back(pt, cond);
      }
      const std::pair<std::size_t, std::size_t> rank{c.static_blocked, c.blocked.size()};
      auto [it, fresh] = best.emplace(b.action, rank);
      if (!fresh) it->second = std::min(it->second, rank);
      candidates.push_back(std::move(c));
    }
    for (const Candidate& c : candidates) {
      const std::pair<std::size_t, std::size_t> rank{c.static_blocked, c.blocked.size()};
      if (c.layout != nullptr && rank != best.at(c.b->action)) {
        Unreachable& node = out.nodes[id];
        ++node.ruled_out;
        if (node.ruled_out_examples.size() < 3)
          node.ruled_out_examples.push_back(c.b->name + " needs " + ground_condition_text(w_, terms_[c.layout_term], *c.layout));
        continue;
      }
      Unreachable::Producer p;
      p.action = c.b->name;
      for (const auto& [pt, cond] : c.blocked) {
        const std::vector<std::uint32_t> child_allowed = allowed_by(w_.fact(terms_[pt].fact), *cond);
        p.blocked.push_back(explain(pt, child_allowed, ground_condition_text(w_, terms_[pt], *cond), depth + 1, out));
      }
      out.nodes[id].producers.push_back(std::move(p));
    }
    return id;
  }

 private:
  struct Binding {
    model::ActionId action;
    std::string name;
    std::vector<std::pair<std::uint32_t, const model::Condition*>> pre;
    std::vector<std::pair<std::uint32_t, const model::Effect*>> eff;
  };

  void ground_actions(RelaxedAnalysis& out) {
    for (const model::Action& a : w_.actions) {
      if (without_.count(a.name)) continue;
      const bool more = for_each_binding(w_, a.params, [&](const std::vector<ObjectId>& args) {
        if (bindings_.size() >= kMaxBindings) {
          out.truncated = true;
          return false;
        }
        Binding b;
        b.action = model::ActionId::from(&a - w_.actions.data());
        b.name = ground_action_name(w_, a, args);
        if (without_.count(without_spaces(b.name))) return true;
        for (const model::Condition& c : a.pre) b.pre.emplace_back(term_id(model::bind_term(c.term, args)), &c);
        for (const model::Effect& e : a.eff) b.eff.emplace_back(term_id(model::bind_term(e.term, args)), &e);
        bindings_.push_back(std::move(b));
        return true;
      });
      if (!more) break;
    }
  }

  bool applicable(const Binding& b) const {
    for (const auto& [t, c] : b.pre) {
      bool ok = false;
      const auto& r = reached_[t];
      for (std::size_t v = 0; v < r.size() && !ok; ++v) ok = r[v] && c->holds(static_cast<int>(v));
      if (!ok) return false;
    }
    return true;
  }

  void fixpoint() {
    for (bool changed = true; changed;) {
      changed = false;
      for (const Binding& b : bindings_) {
        if (!applicable(b)) continue;
        for (const auto& [t, e] : b.eff) {
          auto& r = reached_[t];
          const int n = static_cast<int>(r.size());
          if (e->op == model::EffOp::assign) {
            if (e->value >= 0 && e->value < n && !r[e->value]) {
              r[e->value] = 1;
              changed = true;
            }
            continue;
          }
          const std::vector<char> before = r;
          for (int v = 0; v < n; ++v) {
            const int to = v + e->value;
            if (before[v] && to >= 0 && to < n && !r[to]) {
              r[to] = 1;
              changed = true;
            }
          }
        }
      }
    }
  }

  bool produces(const Binding& b, std::uint32_t term, const std::vector<std::uint32_t>& allowed) const {
    for (const auto& [t, e] : b.eff) {
      if (t != term) continue;
      if (e->op == model::EffOp::assign) {
        if (std::binary_search(allowed.begin(), allowed.end(), static_cast<std::uint32_t>(e->value))) return true;
        continue;
      }
      const int n = static_cast<int>(reached_[t].size());
      for (int v = 0; v < n; ++v) {
        const int to = v + e->value;
        if (to >= 0 && to < n && to != v && std::binary_search(allowed.begin(), allowed.end(), static_cast<std::uint32_t>(to)) &&
            !std::binary_search(allowed.begin(), allowed.end(), static_cast<std::uint32_t>(v)))
          return true;
      }
    }
    return false;
  }

  const model::World& w_;
  const model::State& s_;
  std::set<std::string> without_;
  std::vector<char> written_;  // by fact: some remaining action writes it
  std::unordered_map<GroundTerm, std::uint32_t, model::GroundTermHash> index_;
  std::vector<GroundTerm> terms_;
  std::vector<std::vector<char>> reached_;  // by term, by value
  std::vector<Binding> bindings_;
  std::map<std::pair<std::uint32_t, std::vector<std::uint32_t>>, std::size_t> node_of_;
};

}  // namespace

RelaxedAnalysis analyse_relaxed(const model::World& world, const model::State& state, model::GoalId goal,
                                const std::vector<std::string>& without) {
  RelaxedAnalysis out;
  RelaxedWalk walk(world, state, without);
  // Terms of the wanted conditions first, so that their ids exist before the fixpoint.
  const ground::GoalInstance gi = ground::instantiate_goal(world, goal, state, /*ignore_when=*/true);
  struct Wanted {
    std::uint32_t term;
    const GroundTerm* ground;
    const std::vector<std::uint32_t>* allowed;
  };
  std::vector<Wanted> wanted;
  for (const auto& [term, allowed] : gi.want) {
    if (allowed.size() == world.fact(term.fact).domain_size()) continue;
    wanted.push_back(Wanted{walk.term_id(term), &term, &allowed});
  }
  out.wanted_total = wanted.size();
  walk.run(out);
  for (const Wanted& w : wanted) {
    if (walk.reachable(w.term, *w.allowed)) continue;
    const std::size_t id = walk.explain(w.term, *w.allowed, wanted_text(world, *w.ground, *w.allowed), 0, out);
    if (std::find(out.wanted.begin(), out.wanted.end(), id) == out.wanted.end()) out.wanted.push_back(id);
  }
  for (std::size_t i = 0; i < out.nodes.size(); ++i)
    if (out.nodes[i].explored && out.nodes[i].producers.empty()) out.missing.push_back(i);
  return out;
}

std::string missing_piece_text(const Unreachable& u) {
  std::string s;
  if (u.is_bool)
    s = "no action makes " + u.fact + (u.wants_true ? " true" : " false") + ", and the state has it " + u.now;
  else
    s = "no action makes '" + u.condition + "' hold, and the state has " + u.fact + " = " + u.now;
  if (u.ruled_out > 0)
    s += " (the world's layout rules out " + u.ruled_out_examples.front() +
         (u.ruled_out > 1 ? " and " + std::to_string(u.ruled_out - 1) + " more" : std::string()) + ")";
  else if (u.is_static)
    s += " (no action changes " + u.fact.substr(0, u.fact.find('(')) + " at all)";
  if (u.external) s += "; it is external, so the world may change it: sense it again";
  return s;
}

std::vector<DropOne> drop_one_wanted(const model::World& world, const model::State& state, model::GoalId goal,
                                     const std::vector<std::string>& without, std::uint64_t max_expansions) {
  std::vector<DropOne> out;
  ground::GroundingError err;
  auto domain = ground::ground_domain(world, state, &err);
  if (!domain) return out;
  const ground::GoalInstance gi = ground::instantiate_goal(world, goal, state, /*ignore_when=*/true);
  std::set<std::string> gone;
  for (const std::string& n : without) gone.insert(without_spaces(n));
  std::size_t tried = 0;
  for (std::size_t skip = 0; skip < gi.want.size() && tried < 16; ++skip) {
    const auto& [term, allowed] = gi.want[skip];
    const model::FactDecl& d = world.fact(term.fact);
    if (allowed.size() == d.domain_size()) continue;
    if (std::binary_search(allowed.begin(), allowed.end(), static_cast<std::uint32_t>(state.value(term, d)))) continue;
    ++tried;
    ground::GoalInstance less = gi;
    less.want.erase(less.want.begin() + static_cast<std::ptrdiff_t>(skip));
    DropOne r;
    r.wanted = wanted_text(world, term, allowed);
    ground::GoalTask gt = ground::make_goal_task(world, *domain, less);
    if (!gt.statically_unsolvable) {
      auto& ops = gt.task.operators;
      ops.erase(std::remove_if(ops.begin(), ops.end(),
                               [&](const ground::Operator& op) {
                                 return gone.count(world.actions[op.action].name) || gone.count(without_spaces(op.name));
                               }),
                ops.end());
      auto h = heuristics::make_heuristic("lmcut", gt.task);
      search::SearchLimits limits;
      limits.max_expansions = max_expansions;
      const search::SearchResult res = search::search(gt.task, *h, search::SearchConfig::astar(), limits);
      r.solvable = res.status == search::SearchStatus::solved;
      r.cost = res.plan.cost;
    }
    out.push_back(std::move(r));
  }
  return out;
}

PlanExplanation explain_plan(const model::World& world, const model::State& state, model::GoalId goal,
                             const std::vector<exec::PlanStep>& plan) {
  PlanExplanation out;
  const std::size_t n = plan.size();
  std::vector<char> written_fact(world.facts.size(), 0);
  for (const model::Action& a : world.actions)
    for (const model::Effect& e : a.eff) written_fact[e.term.fact.index()] = 1;

  // Replay: the states before each step, and what each step writes.
  std::vector<model::State> states{state};
  std::vector<std::vector<GroundTerm>> writes(n);
  std::vector<std::vector<ObjectId>> args(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::uint32_t a : plan[i].args) args[i].push_back(ObjectId(a));
    const model::Action& a = world.actions[plan[i].action];
    for (const model::Effect& e : a.eff) writes[i].push_back(model::bind_term(e.term, args[i]));
    model::State next = states.back();
    apply_action(world, a, args[i], next);
    states.push_back(std::move(next));
  }
  const auto changes_term = [&](std::size_t step, const GroundTerm& t) {
    if (std::find(writes[step].begin(), writes[step].end(), t) == writes[step].end()) return false;
    const model::FactDecl& d = world.fact(t.fact);
    return states[step].value(t, d) != states[step + 1].value(t, d);
  };

  // Consumers: (consumer number, term, allowed values, text); step i is i + 1, the goal 0.
  struct Consumer {
    int who;
    std::size_t at;  // the index of the state it reads: step i reads states[i], the goal states[n]
    GroundTerm term;
    std::vector<std::uint32_t> allowed;
    std::string text;
  };
  std::vector<Consumer> consumers;
  for (std::size_t i = 0; i < n; ++i) {
    const model::Action& a = world.actions[plan[i].action];
    for (const model::Condition& c : a.pre) {
      GroundTerm t = model::bind_term(c.term, args[i]);
      const model::FactDecl& d = world.fact(t.fact);
      consumers.push_back(Consumer{static_cast<int>(i + 1), i, t, allowed_by(d, c), ground_condition_text(world, t, c)});
    }
  }
  const ground::GoalInstance gi = ground::instantiate_goal(world, goal, state, /*ignore_when=*/true);
  for (const auto& [t, allowed] : gi.want) {
    if (allowed.size() == world.fact(t.fact).domain_size()) continue;
    consumers.push_back(Consumer{kGoalConsumer, n, t, allowed, wanted_text(world, t, allowed)});
  }

  out.steps.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.steps[i].name = plan[i].name;
    out.steps[i].cost = plan[i].cost;
    out.steps[i].approval = world.actions[plan[i].action].approval;
  }
  const auto add_link = [](std::vector<Link>& links, const std::string& text, int who) {
    auto it = std::find_if(links.begin(), links.end(), [&](const Link& l) { return l.condition == text; });
    if (it == links.end()) {
      links.push_back(Link{text, {}});
      it = links.end() - 1;
    }
    if (std::find(it->consumers.begin(), it->consumers.end(), who) == it->consumers.end()) it->consumers.push_back(who);
  };
  const auto holds = [&](const model::State& s, const Consumer& c) {
    const int v = s.value(c.term, world.fact(c.term.fact));
    return std::binary_search(c.allowed.begin(), c.allowed.end(), static_cast<std::uint32_t>(v));
  };
  std::vector<std::set<int>> direct(n);  // step -> consumers it supports directly
  for (const Consumer& c : consumers) {
    // The establisher: the last step before the consumer that changed the fact (a step that
    // writes the value the fact already has establishes nothing).
    int est = -1;
    for (std::size_t k = c.at; k-- > 0;)
      if (changes_term(k, c.term)) {
        est = static_cast<int>(k);
        break;
      }
    if (est < 0) {
      if (written_fact[c.term.fact.index()])
        add_link(out.from_start, c.text, c.who);
      else
        ++out.layout_conditions;
      continue;
    }
    add_link(out.steps[static_cast<std::size_t>(est)].supports, c.text, c.who);
    direct[static_cast<std::size_t>(est)].insert(c.who);
    // Earlier steps that made the condition false before `est` restored it.
    for (int k = est - 1; k >= 0; --k) {
      const auto ks = static_cast<std::size_t>(k);
      if (!changes_term(ks, c.term) || !holds(states[ks], c) || holds(states[ks + 1], c)) continue;
      auto& undoes = out.steps[ks].undoes;
      auto it = std::find_if(undoes.begin(), undoes.end(), [&](const Undo& u) { return u.condition == c.text && u.restored_by == est + 1; });
      if (it == undoes.end()) {
        undoes.push_back(Undo{c.text, {}, est + 1});
        it = undoes.end() - 1;
      }
      if (std::find(it->needed_by.begin(), it->needed_by.end(), c.who) == it->needed_by.end()) it->needed_by.push_back(c.who);
      break;
    }
  }
  // Consumer lists: steps ascending, the goal last.
  const auto order = [](std::vector<int>& v) {
    std::sort(v.begin(), v.end(), [](int a, int b) {
      if (a == kGoalConsumer) return false;
      if (b == kGoalConsumer) return true;
      return a < b;
    });
  };
  for (auto& s : out.steps) {
    for (auto& l : s.supports) order(l.consumers);
    for (auto& u : s.undoes) order(u.needed_by);
  }
  for (auto& l : out.from_start) order(l.consumers);
  // Transitive dependents, from the last step back.
  std::vector<std::set<int>> all(n);
  std::vector<char> goal_dep(n, 0);
  for (std::size_t i = n; i-- > 0;) {
    for (int who : direct[i]) {
      if (who == kGoalConsumer) {
        goal_dep[i] = 1;
        continue;
      }
      all[i].insert(who);
      const auto j = static_cast<std::size_t>(who - 1);
      all[i].insert(all[j].begin(), all[j].end());
      goal_dep[i] = goal_dep[i] || goal_dep[j];
    }
    out.steps[i].dependents.assign(all[i].begin(), all[i].end());
    out.steps[i].goal_depends = goal_dep[i] != 0;
  }
  return out;
}

}  // namespace goap::exporting
