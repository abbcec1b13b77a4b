#include "search/plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace goap::search {

std::string validate_plan(const ground::Task& task, const Plan& plan) {
  // Deliberately naive: plain loops over the task, no packed states, no successor generator.
  std::vector<std::uint32_t> state = task.initial;
  if (state.size() != task.variables.size()) return "the initial state has the wrong size";
  long long cost = 0;
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const ground::OpId id = plan.steps[i];
    const std::string step = "step " + std::to_string(i + 1);
    if (!id.valid() || id.index() >= task.operators.size())
      return step + ": no operator with id " + std::to_string(id.value());
    const ground::Operator& op = task.operators[id.index()];
    for (const ground::VarVal& p : op.pre) {
      if (p.var >= state.size()) return step + " (" + op.name + "): precondition on no variable";
      if (state[p.var] != p.value) {
        const ground::Variable& var = task.variables[p.var];
        return step + " (" + op.name + "): precondition " + var.name + " = " +
               std::to_string(p.value) + " does not hold (it is " + std::to_string(state[p.var]) +
               ")";
      }
    }
    for (const ground::VarVal& e : op.eff) {
      if (e.var >= state.size()) return step + " (" + op.name + "): effect on no variable";
      state[e.var] = e.value;
    }
    cost += op.cost;
  }
  for (const ground::GoalCondition& g : task.goal) {
    if (g.var >= state.size()) return "a goal condition names no variable";
    bool ok = false;
    for (std::uint32_t v : g.values) ok = ok || state[g.var] == v;
    if (!ok)
      return "the goal condition on " + task.variables[g.var].name + " does not hold at the end";
  }
  if (cost != plan.cost)
    return "the plan claims cost " + std::to_string(plan.cost) + " but its steps cost " +
           std::to_string(cost);
  return {};
}

}  // namespace goap::search
