#include "exec/goal_planner.h"

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <new>
#include <unordered_set>

#include "core/log.h"
#include "core/tsan.h"
#include "heuristics/factory.h"
#include "search/search.h"

namespace goap::exec {

const char* to_string(GoalStatus s) {
  switch (s) {
    case GoalStatus::inactive: return "inactive";
    case GoalStatus::satisfied: return "satisfied";
    case GoalStatus::plan: return "plan";
    case GoalStatus::unsolvable: return "unsolvable";
    case GoalStatus::limit: return "limit";
    case GoalStatus::unknown: return "unknown";
  }
  return "?";
}

namespace {

search::SearchConfig config_for(const PlannerOptions& o) {
  switch (o.algorithm) {
    case SearchAlgorithm::astar: return search::SearchConfig::astar();
    case SearchAlgorithm::weighted_astar: return search::SearchConfig::weighted_astar(o.weight, true);
    case SearchAlgorithm::greedy: return search::SearchConfig::greedy(true);
  }
  return search::SearchConfig::astar();
}

std::string without_spaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

// Drops the operators `without` names (whole actions or single ground actions).
std::size_t remove_operators(const model::World& world, const std::vector<std::string>& without, ground::Task& task) {
  if (without.empty()) return 0;
  std::vector<std::string> names;
  for (const std::string& w : without) names.push_back(without_spaces(w));
  const auto gone = [&](const ground::Operator& op) {
    const std::string& action = world.actions[op.action].name;
    const std::string ground = without_spaces(op.name);
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return n == action || n == ground; });
  };
  const std::size_t before = task.operators.size();
  task.operators.erase(std::remove_if(task.operators.begin(), task.operators.end(), gone), task.operators.end());
  return before - task.operators.size();
}

using TermSet = std::unordered_set<model::GroundTerm, model::GroundTermHash>;

// Drops the operators that read an unknown fact: a precondition on it, or an effect that adds to it.
std::size_t remove_unknown(const model::World& world, const TermSet& unknown, ground::Task& task) {
  if (unknown.empty()) return 0;
  const auto reads = [&](const ground::Operator& op) {
    const model::Action& a = world.actions[op.action];
    std::vector<model::ObjectId> binding;
    for (std::uint32_t x : op.args) binding.push_back(model::ObjectId::from(x));
    for (const model::Condition& c : a.pre)
      if (unknown.count(model::bind_term(c.term, binding))) return true;
    for (const model::Effect& e : a.eff)
      if (e.op == model::EffOp::add && unknown.count(model::bind_term(e.term, binding))) return true;
    return false;
  };
  const std::size_t before = task.operators.size();
  task.operators.erase(std::remove_if(task.operators.begin(), task.operators.end(), reads), task.operators.end());
  return before - task.operators.size();
}

// The unknown facts that decide whether `goal` is relevant or met: its `when` for every binding
// of its `forall` (unless `ignore_when`), its `want` where the `when` holds. Sorted, no repeats.
std::vector<model::GroundTerm> unknown_read(const model::World& world, const model::Goal& goal, const model::State& state,
                                            const TermSet& unknown, bool ignore_when) {
  std::vector<model::GroundTerm> out;
  if (unknown.empty()) return out;
  std::vector<std::vector<model::ObjectId>> choices;
  for (const model::Param& p : goal.forall) choices.push_back(world.objects_of(p.type));
  std::vector<std::size_t> at(choices.size(), 0);
  for (const auto& c : choices)
    if (c.empty()) return out;
  std::vector<model::ObjectId> binding(choices.size());
  for (;;) {
    for (std::size_t i = 0; i < choices.size(); ++i) binding[i] = choices[i][at[i]];
    bool when_unknown = false, when_holds = true;
    if (!ignore_when)
      for (const model::Condition& c : goal.when) {
        model::GroundTerm t = model::bind_term(c.term, binding);
        if (unknown.count(t)) {
          when_unknown = true;
          out.push_back(std::move(t));
        } else if (!c.holds(state.value(t, world.fact(t.fact)))) {
          when_holds = false;
        }
      }
    if (when_holds || when_unknown)
      for (const model::Condition& c : goal.want)
        if (model::GroundTerm t = model::bind_term(c.term, binding); unknown.count(t)) out.push_back(std::move(t));
    std::size_t i = 0;
    for (; i < choices.size(); ++i) {
      if (++at[i] < choices[i].size()) break;
      at[i] = 0;
    }
    if (i == choices.size()) break;
  }
  std::sort(out.begin(), out.end(), [](const model::GroundTerm& a, const model::GroundTerm& b) {
    return a.fact != b.fact ? a.fact < b.fact : a.args < b.args;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Drops the operators of actions with a `for` precondition that lacks its evidence.
std::size_t remove_unproven(const model::World& world, const model::HeldFacts* held, ground::Task& task) {
  const auto unproven = [&](const ground::Operator& op) {
    const model::Action& a = world.actions[op.action];
    for (const model::Condition& c : a.pre) {
      if (c.held_for.count() == 0) continue;
      std::vector<model::ObjectId> binding;
      for (std::uint32_t x : op.args) binding.push_back(model::ObjectId::from(x));
      if (held == nullptr || !held->held(model::bind_term(c.term, binding), c)) return true;
    }
    return false;
  };
  const std::size_t before = task.operators.size();
  task.operators.erase(std::remove_if(task.operators.begin(), task.operators.end(), unproven), task.operators.end());
  return before - task.operators.size();
}

// The search's trace hook: the first `limit` states in full, and the lowest h over all of them.
class Tracer final : public search::SearchObserver {
 public:
  Tracer(const ground::Task& task, std::size_t limit, GoalOutcome& out) : task_(task), limit_(limit), out_(out) {}
  void on_expand(const search::Expansion& e) override {
    if (out_.best_h < 0 || e.h < out_.best_h) {
      out_.best_h = e.h;
      out_.best_h_g = e.g;
    }
    if (out_.trace.size() >= limit_) return;
    TraceNode n;
    n.order = e.order;
    n.state = static_cast<std::uint32_t>(e.state.index());
    n.parent = e.parent.valid() ? static_cast<std::int64_t>(e.parent.index()) : -1;
    n.via = e.op.valid() ? task_.operators[e.op.index()].name : "";
    n.g = e.g;
    n.h = e.h;
    n.is_goal = e.is_goal;
    out_.trace.push_back(std::move(n));
  }

 private:
  const ground::Task& task_;
  std::size_t limit_;
  GoalOutcome& out_;
};

ground::GroundingLimits grounding_limits(const PlannerOptions& o) {
  ground::GroundingLimits l;
  l.max_ms = o.max_ms;
  l.max_memory_bytes = o.max_memory_bytes;
  return l;
}

// A protected goal's instances that hold now (ground/grounder.h: GoalInstance::holding).
struct Guard {
  model::GoalId goal;
  int priority = 0;
  ground::Protected holding;
};

std::string quoted_names(const model::World& world, const std::vector<model::GoalId>& goals) {
  std::string out;
  for (std::size_t i = 0; i < goals.size(); ++i)
    out += std::string(i == 0 ? "" : i + 1 == goals.size() ? " and " : ", ") + "'" + world.goal(goals[i]).name + "'";
  return out;
}

// `out` is unsolvable under protection: when the goal has a plan without it, name the protected
// goals that plan breaks and say so in the reason.
void explain_protection(const model::World& world, const ground::Domain& domain, const ground::GoalInstance& gi,
                        const PlannerOptions& o, const TermSet& unknown, const model::HeldFacts* held,
                        const std::string& heuristic, const std::vector<const Guard*>& guards, GoalOutcome& out) {
  ground::Budget budget(grounding_limits(o));
  ground::GoalTask free = ground::make_goal_task(world, domain, gi, budget);
  if (free.statically_unsolvable) return;
  remove_operators(world, o.without, free.task);
  remove_unknown(world, unknown, free.task);
  remove_unproven(world, held, free.task);
  auto h = heuristics::make_heuristic(heuristic, free.task);
  search::Searcher searcher(free.task);
  search::SearchLimits limits;
  limits.max_expansions = o.max_expansions;
  limits.max_ms = o.max_ms;
  limits.max_memory_bytes = o.max_memory_bytes;
  const search::SearchResult& r = searcher.solve(*h, config_for(o), limits);
  if (r.status != search::SearchStatus::solved) return;
  std::vector<std::string> steps;
  for (ground::OpId id : r.plan.steps) {
    ground::Operator op = free.task.operators[id.index()];
    steps.push_back(op.name);
    for (ground::VarVal& e : op.eff) e.var = free.domain_var[e.var];
    for (const Guard* g : guards)
      if (std::find(out.blocked_by.begin(), out.blocked_by.end(), g->goal) == out.blocked_by.end() &&
          ground::breaks(domain, op, g->holding))
        out.blocked_by.push_back(g->goal);
  }
  if (out.blocked_by.empty()) return;
  std::string plan;
  for (const std::string& s : steps) plan += (plan.empty() ? "" : ", ") + s;
  out.reason = "no plan that keeps " + quoted_names(world, out.blocked_by) + " holding (without protection: " + plan + ")";
}

// A protected condition on a fact this goal wants as well, with no value the protected goal would
// not allow: any plan for this goal ends with it holding, so passing through a state without it
// is part of this goal's own work (timmy-ops: a destructive step clears operator_notified, which
// every goal wants, and notify-operator restores it). It is kept at the end, not in every state.
bool restored_at_end(const ground::GoalInstance& gi, const std::pair<model::GroundTerm, std::vector<std::uint32_t>>& cond) {
  return std::any_of(gi.want.begin(), gi.want.end(), [&](const auto& w) {
    return w.first == cond.first && std::includes(cond.second.begin(), cond.second.end(), w.second.begin(), w.second.end());
  });
}

void plan_one(const model::World& world, const ground::Domain& domain, const ground::GoalInstance& gi,
              const PlannerOptions& o, const TermSet& unknown, const model::HeldFacts* held, const std::string& heuristic,
              const std::vector<const Guard*>& guards, GoalOutcome& out) {
  ground::Budget budget(grounding_limits(o));
  ground::Protected keep;
  for (const Guard* g : guards) {
    out.kept.push_back(g->goal);
    for (const auto& cond : g->holding)
      if (!restored_at_end(gi, cond)) keep.push_back(cond);
  }
  ground::GoalTask gt = ground::make_goal_task(world, domain, gi, budget, keep);
  out.operators_protected = gt.operators_protected;
  if (gt.statically_unsolvable) {
    out.status = GoalStatus::unsolvable;
    out.reason = gt.unsolvable_reason;
    return;
  }
  out.operators_removed = remove_operators(world, o.without, gt.task);
  out.operators_unknown = remove_unknown(world, unknown, gt.task);
  out.operators_unproven = remove_unproven(world, held, gt.task);
  auto h = heuristics::make_heuristic(heuristic, gt.task);
  search::Searcher searcher(gt.task);
  search::SearchLimits limits;
  limits.max_expansions = o.max_expansions;
  limits.max_ms = o.max_ms;
  limits.max_memory_bytes = o.max_memory_bytes;
  search::SearchConfig config = config_for(o);
  Tracer tracer(gt.task, o.trace_expansions, out);
  if (o.trace_expansions > 0 || o.track_progress) config.observer = &tracer;
  const search::SearchResult& r = searcher.solve(*h, config, limits);
  out.expanded = r.stats.expanded;
  out.generated = r.stats.generated;
  out.states = r.stats.states;
  out.bytes_per_state = r.stats.bytes_per_state;
  out.search_ms = r.stats.elapsed_ms;
  out.initial_h = r.stats.initial_h;
  switch (r.status) {
    case search::SearchStatus::solved:
      out.status = GoalStatus::plan;
      out.cost = r.plan.cost;
      for (ground::OpId id : r.plan.steps) {
        const ground::Operator& op = gt.task.operators[id.index()];
        out.plan.push_back(PlanStep{op.action, op.args, op.name, op.cost});
      }
      break;
    case search::SearchStatus::unsolvable:
      out.status = GoalStatus::unsolvable;
      out.reason = r.stats.initial_h == search::Heuristic::kInfinity
                       ? "the wanted facts are unreachable even ignoring delete effects"
                       : "every reachable state was explored (" + std::to_string(r.stats.expanded) + " expanded)";
      if (gt.operators_protected > 0) explain_protection(world, domain, gi, o, unknown, held, heuristic, guards, out);
      break;
    case search::SearchStatus::limit:
      out.status = GoalStatus::limit;
      out.reason = std::string(search::to_string(r.limit)) + " limit hit after " + std::to_string(r.stats.expanded) +
                   " expansions";
      break;
  }
}

}  // namespace

std::optional<Decision> decide(const model::World& world, const model::State& state, const PlannerOptions& o,
                               PlanningError* error) {
  const auto start = std::chrono::steady_clock::now();
  Decision d;
  d.algorithm = o.algorithm == SearchAlgorithm::astar ? "astar" : o.algorithm == SearchAlgorithm::greedy ? "gbfs" : "wastar";
  d.heuristic = !o.heuristic.empty() ? o.heuristic : (o.algorithm == SearchAlgorithm::astar ? "lmcut" : "ff");
  d.optimal = o.algorithm == SearchAlgorithm::astar && d.heuristic != "ff" && d.heuristic != "add";

  // Evidence for `for` conditions: the journal's (o.held, goap run) and the caller's word for
  // facts a state file or --set gave with `for D` (plan, next).
  model::HeldFacts held = o.held != nullptr ? *o.held : model::HeldFacts{};
  for (const auto& [t, dur] : state.held()) held.assume(t, state.value(t, world.fact(t.fact)), dur);

  // Grounding the actions gets the limits of one goal's search; so does each goal's instance.
  ground::Budget budget(grounding_limits(o));
  ground::GroundingError gerr;
  std::optional<ground::Domain> domain;
  try {
    domain = ground::ground_domain(world, state, &gerr, &budget);
    if (!domain) {
      if (error) error->message = gerr.message;
      return std::nullopt;
    }
  } catch (const ground::LimitExceeded& e) {
    // Nothing can be planned: every goal considered is at the limit, most important first.
    d.status = GoalStatus::limit;
    d.grounding_limit = e.message;
    core::log::info("grounding stopped: {}", e.message);
    for (std::size_t i = 0; i < world.goals.size(); ++i) {
      const auto id = model::GoalId::from(i);
      if (o.only_goal && *o.only_goal != id) continue;
      GoalOutcome g;
      g.goal = id;
      g.status = GoalStatus::limit;
      g.reason = e.message;
      g.grounding_limit = true;
      d.goals.push_back(std::move(g));
    }
    std::stable_sort(d.goals.begin(), d.goals.end(), [&](const GoalOutcome& a, const GoalOutcome& b) {
      const model::Goal& ga = world.goal(a.goal);
      const model::Goal& gb = world.goal(b.goal);
      return ga.priority != gb.priority ? ga.priority > gb.priority : ga.name < gb.name;
    });
    d.grounding.ms = budget.elapsed_ms();
    d.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return d;
  }
  d.grounding = domain->stats;

  const TermSet unknown(o.unknown.begin(), o.unknown.end());

  // A goal too big to ground (a wide `forall`) is a `limit` goal; the others are still planned.
  std::vector<ground::GoalInstance> instances;
  std::vector<std::string> too_big(world.goals.size());  // by goal id: why grounding it stopped, or ""
  for (std::size_t i = 0; i < world.goals.size(); ++i) {
    const auto id = model::GoalId::from(i);
    if (o.only_goal && *o.only_goal != id) continue;
    if (std::find(o.skip_goals.begin(), o.skip_goals.end(), id) != o.skip_goals.end()) continue;
    ground::Budget goal_budget(grounding_limits(o));
    try {
      instances.push_back(ground::instantiate_goal(world, id, state, o.only_goal.has_value(), goal_budget, &held));
    } catch (const ground::LimitExceeded& e) {
      too_big[i] = e.message;
      ground::GoalInstance gi;
      gi.goal = id;
      instances.push_back(std::move(gi));
    }
  }
  // Report goals most important first (ties by name): the order an operator reads them in.
  std::stable_sort(instances.begin(), instances.end(), [&](const auto& a, const auto& b) {
    const model::Goal& ga = world.goal(a.goal);
    const model::Goal& gb = world.goal(b.goal);
    return ga.priority != gb.priority ? ga.priority > gb.priority : ga.name < gb.name;
  });
  d.goals.resize(instances.size());
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    d.goals[i].goal = instances[i].goal;
    if (const std::string& why = too_big[instances[i].goal.index()]; !why.empty()) {
      d.goals[i].status = GoalStatus::limit;
      d.goals[i].reason = why;
      d.goals[i].grounding_limit = true;
    } else if (auto reads = unknown_read(world, world.goal(instances[i].goal), state, unknown, o.only_goal.has_value());
               !reads.empty()) {
      d.goals[i].status = GoalStatus::unknown;
      d.goals[i].reason = "it reads facts no sensor could read:";
      for (const auto& t : reads) d.goals[i].reason += " " + world.term_name(t);
      d.goals[i].unknown_read = std::move(reads);
    } else if (instances[i].status == ground::GoalInstance::Status::inactive) d.goals[i].status = GoalStatus::inactive;
    else if (instances[i].status == ground::GoalInstance::Status::satisfied) d.goals[i].status = GoalStatus::satisfied;
    else open.push_back(i);
  }
  // Protection: the instances of every protected goal that hold now. With only_goal the other
  // goals were not instantiated above: do it here (a goal too big to ground protects nothing).
  std::vector<Guard> guards;
  if (o.protect) {
    for (std::size_t i = 0; i < world.goals.size(); ++i) {
      const auto id = model::GoalId::from(i);
      if (!world.goal(id).protect) continue;
      Guard g{id, world.goal(id).priority, {}};
      if (!o.only_goal) {
        auto it = std::find_if(instances.begin(), instances.end(), [&](const auto& x) { return x.goal == id; });
        if (it == instances.end() || !too_big[i].empty()) continue;
        g.holding = it->holding;
      } else if (*o.only_goal != id) {
        ground::Budget goal_budget(grounding_limits(o));
        try {
          g.holding = ground::instantiate_goal(world, id, state, false, goal_budget, &held).holding;
        } catch (const ground::LimitExceeded& e) {
          core::log::info("goal '{}' is not protected: {}", world.goal(id).name, e.message);
          continue;
        }
      }
      if (!g.holding.empty()) guards.push_back(std::move(g));
    }
    std::stable_sort(guards.begin(), guards.end(), [&](const Guard& a, const Guard& b) {
      return a.priority != b.priority ? a.priority > b.priority : world.goal(a.goal).name < world.goal(b.goal).name;
    });
    for (const Guard& g : guards) d.protected_goals.push_back(g.goal);
  }
  const auto guards_of = [&](model::GoalId goal) {
    std::vector<const Guard*> out;
    for (const Guard& g : guards)
      if (g.priority > world.goal(goal).priority) out.push_back(&g);
    return out;
  };
  core::log::info("planning {} open goal{} ({} satisfied or inactive), {} with {}", open.size(),
                  open.size() == 1 ? "" : "s", d.goals.size() - open.size(), d.algorithm, d.heuristic);
  auto plan_open = [&](std::size_t k) {
    const std::size_t i = open[k];
    try {
      plan_one(world, *domain, instances[i], o, unknown, &held, d.heuristic, guards_of(instances[i].goal), d.goals[i]);
    } catch (const ground::LimitExceeded& e) {
      d.goals[i].status = GoalStatus::limit;
      d.goals[i].reason = e.message;
      d.goals[i].grounding_limit = true;
    } catch (const std::bad_alloc&) {
      d.goals[i].status = GoalStatus::limit;
      d.goals[i].reason = "memory limit: an allocation failed";
    }
    const GoalOutcome& g = d.goals[i];
    core::log::debug("goal {}: {} cost {} ({} expanded, {:.3f} ms){}{}", world.goal(g.goal).name, to_string(g.status),
                     g.cost, g.expanded, g.search_ms, g.reason.empty() ? "" : ": ", g.reason);
  };
  if (open.size() <= 1 || o.threads == 1) {
    // One goal (the common `next` on a mostly healthy fleet) gains nothing from workers, and
    // starting TBB's pool costs about 2 ms of a 5 ms `goap next` (measured with hyperfine).
    for (std::size_t k = 0; k < open.size(); ++k) plan_open(k);
  } else {
    std::unique_ptr<tbb::global_control> limit;
    if (o.threads > 0)
      limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                     static_cast<std::size_t>(o.threads));
    // What TBB orders inside its uninstrumented library, stated for ThreadSanitizer (core/tsan.h):
    // everything above before every body, every body before what follows. The body's own
    // address is the hand-out tag: a worker has it in a register (`this`) before it reads
    // anything this thread wrote, so the acquire comes first. Bodies release on a second tag,
    // `joined`, so that no body is ordered before another (a race between two bodies stays
    // visible). A lambda would have to read the tag's address
    // from its closure, and that read would be the unordered access. Releasing on &body also
    // makes the closure escape before the release, so its stores cannot sink past it. The index
    // form of parallel_for calls the body through a reference, never a copy.
    struct Body {
      const decltype(plan_open)* run;
      char joined = 0;
      void operator()(std::size_t k) const {
        core::tsan_acquire(this);
        (*run)(k);
        core::tsan_release(&joined);
      }
    };
    const Body body{&plan_open};
    core::tsan_release(&body);
    tbb::parallel_for(std::size_t{0}, open.size(), body);
    core::tsan_acquire(&body.joined);
  }
  // FORMAT.md section 4: highest priority with a plan; ties: lower cost, then name.
  for (std::size_t i = 0; i < d.goals.size(); ++i) {
    if (d.goals[i].status != GoalStatus::plan) continue;
    if (d.chosen < 0) {
      d.chosen = static_cast<int>(i);
      continue;
    }
    const GoalOutcome& best = d.goals[static_cast<std::size_t>(d.chosen)];
    const model::Goal& a = world.goal(d.goals[i].goal);
    const model::Goal& b = world.goal(best.goal);
    if (a.priority != b.priority ? a.priority > b.priority
                                 : d.goals[i].cost != best.cost ? d.goals[i].cost < best.cost : a.name < b.name)
      d.chosen = static_cast<int>(i);
  }
  if (d.chosen >= 0) {
    d.status = GoalStatus::plan;
  } else {
    const bool any_limit = std::any_of(d.goals.begin(), d.goals.end(), [](const GoalOutcome& g) { return g.status == GoalStatus::limit; });
    const bool any_unknown = std::any_of(d.goals.begin(), d.goals.end(), [](const GoalOutcome& g) {
      return g.status == GoalStatus::unknown || (g.status == GoalStatus::unsolvable && g.operators_unknown > 0);
    });
    d.status = any_limit     ? GoalStatus::limit
               : any_unknown ? GoalStatus::unknown
               : open.empty() ? GoalStatus::satisfied
                              : GoalStatus::unsolvable;
  }
  for (GoalOutcome& g : d.goals)
    if (g.status == GoalStatus::unsolvable && g.operators_unknown > 0)
      g.reason += (g.reason.empty() ? "" : "; ") + std::to_string(g.operators_unknown) + " ground action" +
                  (g.operators_unknown == 1 ? " was" : "s were") + " left out because they read unknown facts";
  if (d.status == GoalStatus::limit) {
    // No plan because grounding a goal stopped: say which (the search's limits speak for themselves).
    auto it = std::find_if(d.goals.begin(), d.goals.end(), [](const GoalOutcome& g) { return g.grounding_limit; });
    if (it != d.goals.end()) d.grounding_limit = it->reason;
  }
  d.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return d;
}

}  // namespace goap::exec
