#include "export/plan_view.h"

#include <algorithm>

#include "export/explain.h"
#include "ground/grounder.h"

namespace goap::exporting {
namespace {

std::vector<model::ObjectId> object_ids(const std::vector<std::uint32_t>& args) {
  std::vector<model::ObjectId> out;
  out.reserve(args.size());
  for (std::uint32_t a : args) out.push_back(model::ObjectId(a));
  return out;
}

bool allows(const std::vector<std::uint32_t>& allowed, int value) {
  return value >= 0 && std::binary_search(allowed.begin(), allowed.end(), static_cast<std::uint32_t>(value));
}

}  // namespace

std::string wanted_text(const model::World& w, const model::GroundTerm& t, const std::vector<std::uint32_t>& allowed) {
  const model::FactDecl& d = w.fact(t.fact);
  const std::string name = w.term_name(t);
  if (d.kind == model::ValueKind::boolean && allowed.size() == 1) return allowed[0] != 0 ? name : "not " + name;
  if (allowed.size() == 1) return name + " = " + d.value_name(static_cast<int>(allowed[0]));
  // A contiguous run of ints reads best as a comparison.
  if (d.kind == model::ValueKind::integer && !allowed.empty() &&
      allowed.back() - allowed.front() + 1 == allowed.size()) {
    const bool from_lo = allowed.front() == 0;
    const bool to_hi = allowed.back() + 1 == d.domain_size();
    if (from_lo && !to_hi) return name + " <= " + d.value_name(static_cast<int>(allowed.back()));
    if (to_hi && !from_lo) return name + " >= " + d.value_name(static_cast<int>(allowed.front()));
  }
  std::string s = name + " in {";
  for (std::size_t i = 0; i < allowed.size(); ++i) s += (i ? ", " : "") + d.value_name(static_cast<int>(allowed[i]));
  return s + "}";
}

std::string ground_condition_text(const model::World& world, const model::GroundTerm& term, const model::Condition& c) {
  model::Condition bound = c;
  bound.term.fact = term.fact;
  bound.term.args.clear();
  for (model::ObjectId o : term.args) bound.term.args.push_back(model::Arg{model::Arg::Kind::object, o.value()});
  return world.condition_text(bound, {});
}

std::vector<FactChange> apply_action(const model::World& world, const model::Action& action,
                                     const std::vector<model::ObjectId>& args, model::State& state) {
  // Effects happen at once: compute every new value from the state before, then write.
  std::vector<std::pair<model::GroundTerm, int>> writes;
  std::vector<FactChange> changes;
  for (const model::Effect& e : action.eff) {
    model::GroundTerm t = model::bind_term(e.term, args);
    const model::FactDecl& d = world.fact(t.fact);
    const int before = state.value(t, d);
    int after = e.op == model::EffOp::assign ? e.value : before + e.value;
    after = std::clamp(after, 0, static_cast<int>(d.domain_size()) - 1);
    if (after != before)
      changes.push_back(FactChange{world.term_name(t), d.value_name(before), d.value_name(after), world.state_line_text(t, after)});
    writes.emplace_back(std::move(t), after);
  }
  for (const auto& [t, v] : writes) state.set(t, v, world.fact(t.fact));
  return changes;
}

PlanView make_plan_view(const model::World& world, const model::State& state, const exec::Decision& d) {
  PlanView v;
  v.world = world.name;
  v.status = exec::to_string(d.status);
  v.optimal = d.optimal;
  v.algorithm = d.algorithm;
  v.heuristic = d.heuristic;
  v.stats.total_ms = d.total_ms;
  v.stats.ground_ms = d.grounding.ms;
  v.stats.operators = d.grounding.operators_kept;
  v.stats.variables = d.grounding.variables;

  for (std::size_t i = 0; i < d.goals.size(); ++i) {
    const exec::GoalOutcome& g = d.goals[i];
    GoalRow row;
    row.name = world.goal(g.goal).name;
    row.priority = world.goal(g.goal).priority;
    row.status = exec::to_string(g.status);
    if (g.status == exec::GoalStatus::plan) {
      row.cost = g.cost;
      row.steps = g.plan.size();
    }
    row.reason = g.reason;
    row.chosen = static_cast<int>(i) == d.chosen;
    v.goals.push_back(std::move(row));
    v.stats.expanded += g.expanded;
    v.stats.generated += g.generated;
    v.stats.states += g.states;
    v.stats.search_ms += g.search_ms;
  }

  // The goal to draw: the chosen one, else the only one planned (plan --goal without a plan).
  const exec::GoalOutcome* shown = nullptr;
  if (d.chosen >= 0) shown = &d.goals[static_cast<std::size_t>(d.chosen)];
  else if (d.goals.size() == 1) shown = &d.goals.front();
  v.states.emplace_back();
  if (shown == nullptr) return v;

  const model::Goal& goal = world.goal(shown->goal);
  v.goal = goal.name;
  v.priority = goal.priority;
  v.goal_doc = goal.doc;
  v.search_tree = shown->trace;
  if (d.chosen >= 0) v.cost = shown->cost;

  if (shown->status == exec::GoalStatus::unsolvable) {
    const RelaxedAnalysis a = analyse_relaxed(world, state, shown->goal);
    for (std::size_t id : a.missing) v.missing.push_back(missing_piece_text(a.nodes[id]));
  }
  model::State s = state;
  for (const exec::PlanStep& step : shown->plan) {
    const model::Action& a = world.actions[step.action];
    StepView sv;
    sv.action = a.name;
    sv.name = step.name;
    sv.cost = step.cost;
    sv.approval = a.approval;
    sv.doc = a.doc;
    sv.changes = apply_action(world, a, object_ids(step.args), s);
    StateView st;
    st.changed = sv.changes;
    v.states.push_back(std::move(st));
    v.steps.push_back(std::move(sv));
  }
  if (d.chosen >= 0) v.states.back().is_goal = true;

  // Grounding that stopped at a limit may have stopped on this very goal: do not ground it again.
  if (!d.grounding_limit.empty()) return v;
  const ground::GoalInstance gi = ground::instantiate_goal(world, shown->goal, state, /*ignore_when=*/true);
  for (const auto& [term, allowed] : gi.want) {
    const model::FactDecl& decl = world.fact(term.fact);
    if (allowed.size() == decl.domain_size()) continue;  // wants nothing in particular
    v.wanted.push_back(WantedView{wanted_text(world, term, allowed), allows(allowed, state.value(term, decl)),
                                  allows(allowed, s.value(term, decl))});
  }
  return v;
}

}  // namespace goap::exporting
