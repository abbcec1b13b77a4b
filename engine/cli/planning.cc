#include "cli/planning.h"

#include <cstdio>

namespace goap::cli {

exec::PlannerOptions planner_options(const PlanOptions& o) {
  exec::PlannerOptions po;
  po.algorithm = o.search == "gbfs"     ? exec::SearchAlgorithm::greedy
                 : o.search == "wastar" ? exec::SearchAlgorithm::weighted_astar
                                        : exec::SearchAlgorithm::astar;
  po.weight = o.weight;
  po.heuristic = o.heuristic;
  po.threads = o.threads;
  po.max_expansions = static_cast<std::uint64_t>(o.max_expansions);
  po.max_ms = o.max_ms;
  po.max_memory_bytes = static_cast<std::size_t>(o.max_memory_mb) << 20;
  return po;
}

nlohmann::ordered_json step_json(const model::World& w, const exec::PlanStep& s, model::State& state,
                                 const std::vector<std::string>* commands) {
  using json = nlohmann::ordered_json;
  const model::Action& a = w.actions[s.action];
  json args = json::object();
  for (std::size_t i = 0; i < a.params.size() && i < s.args.size(); ++i) args[a.params[i].name] = w.objects[s.args[i]].name;
  std::vector<model::ObjectId> binding;
  for (std::uint32_t x : s.args) binding.push_back(model::ObjectId::from(x));
  // Effects apply simultaneously: every value is computed from the state before the step.
  std::vector<std::pair<model::GroundTerm, int>> after;
  for (const model::Effect& e : a.eff) {
    model::GroundTerm t = model::bind_term(e.term, binding);
    const model::FactDecl& d = w.fact(t.fact);
    after.emplace_back(t, e.op == model::EffOp::assign ? e.value : state.value(t, d) + e.value);
  }
  json effects = json::array();
  for (const auto& [t, v] : after) {
    effects.push_back(w.state_line_text(t, v));
    state.set(t, v, w.fact(t.fact));
  }
  json command = nullptr;
  if (commands) {
    std::string text;
    for (const auto& c : *commands) text += (text.empty() ? "" : "\n") + c;
    command = text;
  }
  return json{{"action", a.name}, {"args", std::move(args)}, {"cost", s.cost}, {"approval", a.approval},
              {"effects", std::move(effects)}, {"command", std::move(command)}};
}

int exit_code(exec::GoalStatus status) {
  switch (status) {
    case exec::GoalStatus::plan:
    case exec::GoalStatus::satisfied:
    case exec::GoalStatus::inactive: return kOk;
    case exec::GoalStatus::unsolvable: return kNoPlan;
    case exec::GoalStatus::limit: return kLimit;
    case exec::GoalStatus::unknown: return kFactsUnknown;
  }
  return kInternal;
}

void report_grounding_limit(const std::string& message) {
  std::fprintf(stderr,
               "goap: no plan: %s\n  hint: give the parameters narrower types or static preconditions, or raise "
               "--max-ms / --max-memory-mb\n",
               message.c_str());
}

}  // namespace goap::cli
