#include "ground/mutex_groups.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <iterator>
#include <map>
#include <new>
#include <set>
#include <string>

namespace goap::ground {
namespace {

constexpr std::uint32_t kNo = 0xFFFFFFFFu;
constexpr std::int8_t kNoPosition = -1;

// One fact name in a candidate: parameter i of the candidate is argument pos[i] of the fact; the
// argument at `counted` (if any) may be anything.
struct Part {
  std::uint32_t fact = 0;
  std::vector<std::int8_t> pos;
  std::int8_t counted = kNoPosition;
  auto operator<=>(const Part&) const = default;
};

// Parts sorted by fact, at most one per fact, all with the same number of parameters.
using Candidate = std::vector<Part>;

using Key = std::vector<std::uint32_t>;  // one object per candidate parameter

// The operator lists the check needs, over eligible variables only, flattened per operator.
struct OpLists {
  std::vector<std::uint32_t> start;   // per operator: begin of its adds in `adds`
  std::vector<std::uint32_t> adds;    // variables set true
  std::vector<std::uint32_t> dstart;  // per operator: begin of its required deletes in `dels`
  std::vector<std::uint32_t> dels;    // variables set false that the precondition requires true
  std::vector<std::uint32_t> pstart;  // per operator: begin of its true preconditions in `pres`
  std::vector<std::uint32_t> pres;    // variables the precondition requires true
};

class Synthesis {
 public:
  Synthesis(const Task& task, const VariableFacts& facts) : task_(task), facts_(facts) {
    const std::size_t nvars = task.variables.size();
    eligible_.assign(nvars, 0);
    for (std::size_t v = 0; v < nvars; ++v) eligible_[v] = facts[v].has_value() && task.variables[v].domain == 2;
    for (const Operator& op : task.operators)
      for (const VarVal& p : op.pre)
        if (p.value == 0) eligible_[p.var] = 0;
    for (std::size_t v = 0; v < nvars; ++v) {
      if (eligible_[v] == 0) continue;
      const std::uint32_t f = facts[v]->fact.index();
      if (f >= by_fact_.size()) by_fact_.resize(f + 1);
      by_fact_[f].push_back(static_cast<std::uint32_t>(v));
    }
    for (const Operator& op : task.operators) {
      lists_.start.push_back(static_cast<std::uint32_t>(lists_.adds.size()));
      lists_.dstart.push_back(static_cast<std::uint32_t>(lists_.dels.size()));
      lists_.pstart.push_back(static_cast<std::uint32_t>(lists_.pres.size()));
      for (const VarVal& p : op.pre)
        if (eligible_[p.var] != 0 && p.value == 1) lists_.pres.push_back(p.var);
      for (const VarVal& e : op.eff) {
        if (eligible_[e.var] == 0) continue;
        if (e.value == 1) {
          lists_.adds.push_back(e.var);
        } else if (std::binary_search(lists_.pres.begin() + lists_.pstart.back(), lists_.pres.end(), e.var)) {
          lists_.dels.push_back(e.var);
        }
      }
    }
    lists_.start.push_back(static_cast<std::uint32_t>(lists_.adds.size()));
    lists_.dstart.push_back(static_cast<std::uint32_t>(lists_.dels.size()));
    lists_.pstart.push_back(static_cast<std::uint32_t>(lists_.pres.size()));
    instance_of_.assign(nvars, kNo);
  }

  // One single-part candidate per fact name and choice of counted argument (or none).
  std::vector<Candidate> initial_candidates() const {
    std::vector<Candidate> out;
    for (std::uint32_t f = 0; f < by_fact_.size(); ++f) {
      if (by_fact_[f].empty()) continue;
      const auto arity = static_cast<std::int8_t>(facts_[by_fact_[f].front()]->args.size());
      for (std::int8_t counted = kNoPosition; counted < arity; ++counted) {
        Part p{f, {}, counted};
        for (std::int8_t i = 0; i < arity; ++i)
          if (i != counted) p.pos.push_back(i);
        out.push_back({p});
      }
    }
    return out;
  }

  // Checks every instance of `c`: appends the groups of the instances that are invariants (two
  // or more variables) and the bigger candidates suggested by the instances that are not.
  void check(const Candidate& c, std::vector<std::vector<std::uint32_t>>& groups,
             std::set<Candidate>& proposals) {
    keys_.clear();
    members_.clear();
    std::map<Key, std::uint32_t> id_of;
    touched_.clear();
    for (const Part& part : c) {
      if (part.fact >= by_fact_.size()) continue;
      for (std::uint32_t v : by_fact_[part.fact]) {
        const Key key = key_of(part, v);
        const auto [it, inserted] = id_of.emplace(key, static_cast<std::uint32_t>(keys_.size()));
        if (inserted) {
          keys_.push_back(key);
          members_.emplace_back();
        }
        instance_of_[v] = it->second;
        members_[it->second].push_back(v);
        touched_.push_back(v);
      }
    }
    std::vector<std::uint8_t> bad(keys_.size(), 0);
    std::vector<std::uint32_t> initially(keys_.size(), 0);
    for (std::uint32_t v : touched_)
      if (task_.initial[v] == 1 && ++initially[instance_of_[v]] > 1) bad[instance_of_[v]] = 1;

    for (std::size_t o = 0; o < task_.operators.size(); ++o) {
      const auto adds_begin = lists_.adds.begin() + lists_.start[o];
      const auto adds_end = lists_.adds.begin() + lists_.start[o + 1];
      for (auto it = adds_begin; it != adds_end; ++it) {
        const std::uint32_t inst = instance_of_[*it];
        if (inst == kNo || bad[inst] != 0) continue;
        // Two facts of one instance made true at once: never an invariant.
        if (std::any_of(adds_begin, it, [&](std::uint32_t a) { return instance_of_[a] == inst; })) {
          bad[inst] = 1;
          continue;
        }
        if (std::binary_search(lists_.pres.begin() + lists_.pstart[o], lists_.pres.begin() + lists_.pstart[o + 1], *it))
          continue;  // (a) already true
        const auto dels_begin = lists_.dels.begin() + lists_.dstart[o];
        const auto dels_end = lists_.dels.begin() + lists_.dstart[o + 1];
        if (std::any_of(dels_begin, dels_end, [&](std::uint32_t d) { return instance_of_[d] == inst; }))
          continue;  // (b) balanced by a required delete
        bad[inst] = 1;
        for (auto d = dels_begin; d != dels_end; ++d) propose(c, keys_[inst], *d, proposals);
      }
    }
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (bad[i] != 0 || members_[i].size() < 2) continue;
      std::sort(members_[i].begin(), members_[i].end());
      groups.push_back(members_[i]);
    }
    for (std::uint32_t v : touched_) instance_of_[v] = kNo;
  }

 private:
  Key key_of(const Part& part, std::uint32_t v) const {
    const auto& args = facts_[v]->args;
    Key key(part.pos.size());
    for (std::size_t i = 0; i < part.pos.size(); ++i) key[i] = args[static_cast<std::size_t>(part.pos[i])].index();
    return key;
  }

  // The candidate `c` plus a part for variable d's fact that maps d into the instance `key`:
  // every way of finding the key's objects among d's arguments, at most one argument left over.
  void propose(const Candidate& c, const Key& key, std::uint32_t d, std::set<Candidate>& proposals) const {
    const model::GroundTerm& t = *facts_[d];
    const std::uint32_t fact = t.fact.index();
    if (std::any_of(c.begin(), c.end(), [&](const Part& p) { return p.fact == fact; })) return;
    const std::size_t n = t.args.size(), k = key.size();
    if (n != k && n != k + 1) return;
    std::vector<std::int8_t> pos(k);
    std::vector<std::uint8_t> used(n, 0);
    auto assign = [&](auto&& self, std::size_t i) -> void {
      if (i == k) {
        Part part{fact, pos, kNoPosition};
        for (std::size_t j = 0; j < n; ++j)
          if (used[j] == 0) part.counted = static_cast<std::int8_t>(j);
        Candidate bigger = c;
        bigger.insert(std::upper_bound(bigger.begin(), bigger.end(), part), part);
        proposals.insert(std::move(bigger));
        return;
      }
      for (std::size_t j = 0; j < n; ++j) {
        if (used[j] != 0 || t.args[j].index() != key[i]) continue;
        used[j] = 1;
        pos[i] = static_cast<std::int8_t>(j);
        self(self, i + 1);
        used[j] = 0;
      }
    };
    assign(assign, 0);
  }

  const Task& task_;
  const VariableFacts& facts_;
  std::vector<std::uint8_t> eligible_;
  std::vector<std::vector<std::uint32_t>> by_fact_;  // fact index -> eligible variables
  OpLists lists_;
  // Scratch of check().
  std::vector<std::uint32_t> instance_of_;  // variable -> instance of the current candidate
  std::vector<std::uint32_t> touched_;
  std::vector<Key> keys_;
  std::vector<std::vector<std::uint32_t>> members_;
};

// The largest group first, its variables removed from the rest, while groups of two remain.
std::vector<std::vector<std::uint32_t>> choose_cover(std::vector<std::vector<std::uint32_t>> pool, std::size_t nvars) {
  std::vector<std::uint8_t> covered(nvars, 0);
  std::vector<std::vector<std::uint32_t>> chosen;
  for (;;) {
    std::size_t best = kNo, best_size = 1;
    for (std::size_t i = 0; i < pool.size(); ++i) {
      auto& g = pool[i];
      std::erase_if(g, [&](std::uint32_t v) { return covered[v] != 0; });
      if (g.size() > best_size) {
        best = i;
        best_size = g.size();
      }
    }
    if (best == kNo) break;
    for (std::uint32_t v : pool[best]) covered[v] = 1;
    chosen.push_back(std::move(pool[best]));
    pool[best].clear();
  }
  return chosen;
}

MutexGroups find_groups(const Task& task, const VariableFacts& facts, MutexGroupStats* stats,
                        std::size_t max_candidates, Budget& budget) {
  budget.check_time();  // a stage starts only with time left
  Synthesis synthesis(task, facts);
  std::set<Candidate> seen;
  std::deque<Candidate> queue;
  for (Candidate& c : synthesis.initial_candidates())
    if (seen.insert(c).second) queue.push_back(std::move(c));
  std::vector<std::vector<std::uint32_t>> found;
  std::set<Candidate> proposals;
  std::size_t checked = 0;
  while (!queue.empty() && checked < max_candidates) {
    const Candidate c = std::move(queue.front());
    queue.pop_front();
    ++checked;
    proposals.clear();
    budget.tick(1 + task.operators.size());  // a check reads every operator
    synthesis.check(c, found, proposals);
    for (const Candidate& p : proposals)
      if (seen.insert(p).second) queue.push_back(p);
  }
  if (stats != nullptr) stats->candidates = checked;
  // The same group often comes from several candidates: keep the first of each.
  std::set<std::vector<std::uint32_t>> unique;
  MutexGroups out;
  for (auto& g : found) {
    std::sort(g.begin(), g.end());
    if (unique.insert(g).second) out.invariants.push_back(std::move(g));
  }
  out.cover = choose_cover(out.invariants, task.variables.size());
  for (auto& g : out.cover) std::sort(g.begin(), g.end());
  return out;
}

}  // namespace

MutexGroups find_mutex_groups(const Task& task, const VariableFacts& facts, MutexGroupStats* stats,
                              std::size_t max_candidates, Budget* budget) {
  Budget unlimited;
  Budget& bud = budget ? *budget : unlimited;
  const auto message = [&](GroundingLimitKind kind) {
    return "finding mutex groups among " + count_text(static_cast<double>(task.variables.size())) + " variables and " +
           count_text(static_cast<double>(task.operators.size())) + " ground actions stopped at " + bud.limit_text(kind);
  };
  try {
    return find_groups(task, facts, stats, max_candidates, bud);
  } catch (LimitExceeded& e) {
    if (e.message.empty()) e.message = message(e.kind);
    throw;
  } catch (const std::bad_alloc&) {
    throw LimitExceeded{GroundingLimitKind::allocation, message(GroundingLimitKind::allocation)};
  }
}


Task merge_mutex_groups(const Task& task, const MutexGroups& mutex, MutexGroupStats* stats, MergeOrigin* origin) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<std::vector<std::uint32_t>>& groups = mutex.cover;
  const std::size_t nvars = task.variables.size();
  // Which group (and which value in it) each variable is; kNo when it stays as it is.
  std::vector<std::uint32_t> group_of(nvars, kNo), index_in(nvars, kNo);
  for (std::uint32_t g = 0; g < groups.size(); ++g)
    for (std::uint32_t i = 0; i < groups[g].size(); ++i) {
      group_of[groups[g][i]] = g;
      index_in[groups[g][i]] = i;
    }

  // Operators whose precondition asks for two facts of one group, of the cover or not: never
  // applicable. Found through a per-variable index of the groups and a per-group stamp.
  std::vector<std::uint8_t> never(task.operators.size(), 0);
  {
    std::vector<std::vector<std::uint32_t>> groups_of(nvars);
    std::uint32_t n = 0;
    for (const auto* list : {&mutex.cover, &mutex.invariants})
      for (const auto& g : *list) {
        for (std::uint32_t v : g) groups_of[v].push_back(n);
        ++n;
      }
    std::vector<std::uint32_t> stamp(n, kNo);
    for (std::uint32_t o = 0; o < task.operators.size(); ++o)
      for (const VarVal& p : task.operators[o].pre) {
        if (p.value != 1) continue;
        for (std::uint32_t g : groups_of[p.var]) {
          if (stamp[g] == o) never[o] = 1;
          stamp[g] = o;
        }
      }
  }

  // Per group: encodable with plain effects, and whether it needs a `none` value.
  std::vector<std::uint8_t> ok(groups.size(), 1), needs_none(groups.size(), 0);
  for (std::uint32_t g = 0; g < groups.size(); ++g) {
    std::uint32_t true_initially = 0;
    for (std::uint32_t v : groups[g]) true_initially += task.initial[v] == 1 ? 1 : 0;
    if (true_initially == 0) needs_none[g] = 1;
    if (true_initially > 1) ok[g] = 0;  // not a mutex group: a caller's bug, but stay correct
  }
  // Per operator and group: the required fact, the fact made true, and whether any is deleted.
  struct Touch {
    std::uint32_t group, pre = kNo, add = kNo;
    bool deletes_pre = false, deletes_other = false;
  };
  std::vector<Touch> touches;
  auto touch_of = [&](std::uint32_t g) -> Touch& {
    for (Touch& t : touches)
      if (t.group == g) return t;
    touches.push_back(Touch{g});
    return touches.back();
  };
  auto scan = [&](const Operator& op) {
    touches.clear();
    for (const VarVal& p : op.pre) {
      const std::uint32_t g = group_of[p.var];
      if (g == kNo) continue;
      Touch& t = touch_of(g);
      if (p.value == 0) ok[g] = 0;  // a negative precondition (find_mutex_groups never groups one)
      else t.pre = p.var;  // the only one: operators asking for two are never[] and not scanned
    }
    for (const VarVal& e : op.eff) {
      const std::uint32_t g = group_of[e.var];
      if (g == kNo) continue;
      Touch& t = touch_of(g);
      if (e.value == 1) {
        if (t.add != kNo) ok[g] = 0;
        t.add = e.var;
      } else if (e.var == t.pre) {
        t.deletes_pre = true;
      } else {
        t.deletes_other = true;
      }
    }
  };
  for (std::size_t o = 0; o < task.operators.size(); ++o) {
    if (never[o] != 0) continue;
    const Operator& op = task.operators[o];
    scan(op);
    for (const Touch& t : touches) {
      // An add sets the group to the added fact: right in every reachable state, since at most
      // one fact of the group holds after it too (the balancing delete may sit in another group
      // once the cover has split the groups).
      if (t.add != kNo) continue;
      if (t.deletes_pre) needs_none[t.group] = 1;
      // A delete with no precondition in the group would be "if the group is this fact, none":
      // a conditional effect. The group stays boolean.
      else if (t.deletes_other && t.pre == kNo) ok[t.group] = 0;
    }
  }
  // The goal on each group: the values every condition on its members allows.
  std::vector<std::vector<std::uint32_t>> goal_values(groups.size());
  for (const GoalCondition& c : task.goal) {
    const std::uint32_t g = group_of[c.var];
    if (g == kNo) continue;
    if (c.values.size() != 1) {
      ok[g] = 0;  // "true or false": a goal a bool fact always meets; not worth a special case
      continue;
    }
    const auto domain = static_cast<std::uint32_t>(groups[g].size() + needs_none[g]);
    std::vector<std::uint32_t> allowed;
    for (std::uint32_t i = 0; i < domain; ++i)
      if ((i == index_in[c.var]) == (c.values.front() == 1)) allowed.push_back(i);
    if (goal_values[g].empty()) {
      goal_values[g] = std::move(allowed);
    } else {
      std::vector<std::uint32_t> both;
      std::set_intersection(goal_values[g].begin(), goal_values[g].end(), allowed.begin(), allowed.end(),
                            std::back_inserter(both));
      goal_values[g] = std::move(both);
    }
    if (goal_values[g].empty()) ok[g] = 0;  // contradictory: the boolean form says so plainly
  }
  for (std::uint32_t v = 0; v < nvars; ++v)
    if (group_of[v] != kNo && ok[group_of[v]] == 0) group_of[v] = kNo;

  // Variables: each in place, a group where its first member was.
  Task out;
  if (origin != nullptr) *origin = MergeOrigin{};
  std::vector<std::uint32_t> new_var(nvars, kNo), group_var(groups.size(), kNo);
  for (std::uint32_t v = 0; v < nvars; ++v) {
    const std::uint32_t g = group_of[v];
    if (g == kNo) {
      new_var[v] = static_cast<std::uint32_t>(out.variables.size());
      out.variables.push_back(task.variables[v]);
      out.initial.push_back(task.initial[v]);
      if (origin != nullptr) {
        origin->from.push_back({v});
        origin->merged.push_back(0);
      }
      continue;
    }
    if (group_var[g] != kNo) continue;
    group_var[g] = static_cast<std::uint32_t>(out.variables.size());
    if (origin != nullptr) {
      origin->from.push_back(groups[g]);
      origin->merged.push_back(1);
    }
    Variable merged;
    std::uint32_t initial = static_cast<std::uint32_t>(groups[g].size());  // `none` unless one holds
    for (std::uint32_t i = 0; i < groups[g].size(); ++i) {
      const std::uint32_t member = groups[g][i];
      merged.name += (i == 0 ? "" : " | ") + task.variables[member].name;
      merged.value_names.push_back(task.variables[member].name);
      if (task.initial[member] == 1) initial = i;
    }
    if (needs_none[g] != 0) merged.value_names.push_back("none");
    merged.domain = static_cast<std::uint32_t>(merged.value_names.size());
    out.variables.push_back(std::move(merged));
    out.initial.push_back(initial);
  }
  for (std::uint32_t v = 0; v < nvars; ++v)
    if (group_of[v] != kNo) new_var[v] = group_var[group_of[v]];

  // From here on scan() sees only the groups that are merged (group_of forgot the others).
  std::size_t dead = 0;
  for (std::size_t o = 0; o < task.operators.size(); ++o) {
    if (never[o] != 0) {
      ++dead;
      continue;
    }
    const Operator& op = task.operators[o];
    scan(op);
    Operator merged{op.name, op.action, op.args, {}, {}, op.cost};
    for (const VarVal& p : op.pre)
      merged.pre.push_back(group_of[p.var] == kNo ? VarVal{new_var[p.var], p.value} : VarVal{new_var[p.var], index_in[p.var]});
    for (const VarVal& e : op.eff) {
      const std::uint32_t g = group_of[e.var];
      if (g == kNo) merged.eff.push_back(VarVal{new_var[e.var], e.value});
    }
    for (const Touch& t : touches) {
      if (t.add != kNo) merged.eff.push_back(VarVal{group_var[t.group], index_in[t.add]});
      else if (t.deletes_pre) merged.eff.push_back(VarVal{group_var[t.group], static_cast<std::uint32_t>(groups[t.group].size())});
      // else: it deletes facts its precondition says are false; nothing changes.
    }
    auto by_var = [](const VarVal& a, const VarVal& b) { return a.var < b.var; };
    std::sort(merged.pre.begin(), merged.pre.end(), by_var);
    std::sort(merged.eff.begin(), merged.eff.end(), by_var);
    out.operators.push_back(std::move(merged));
  }
  for (const GoalCondition& c : task.goal)
    if (group_of[c.var] == kNo) out.goal.push_back(GoalCondition{new_var[c.var], c.values});
  for (std::uint32_t g = 0; g < groups.size(); ++g)
    if (group_var[g] != kNo && !goal_values[g].empty()) out.goal.push_back(GoalCondition{group_var[g], goal_values[g]});
  std::sort(out.goal.begin(), out.goal.end(), [](const GoalCondition& a, const GoalCondition& b) { return a.var < b.var; });

  if (stats != nullptr) {
    stats->groups = 0;
    stats->merged_vars = 0;
    for (std::uint32_t g = 0; g < groups.size(); ++g) {
      if (group_var[g] == kNo) continue;
      ++stats->groups;
      stats->merged_vars += groups[g].size();
    }
    stats->dead_operators = dead;
    stats->ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }
  return out;
}

}  // namespace goap::ground
