#include "ground/task.h"

#include <algorithm>
#include <string>

namespace goap::ground {

bool Task::is_goal(const std::uint32_t* state) const {
  for (const GoalCondition& g : goal) {
    const std::uint32_t v = state[g.var];
    if (g.values.size() == 1) {
      if (g.values.front() != v) return false;
    } else if (!std::binary_search(g.values.begin(), g.values.end(), v)) {
      return false;
    }
  }
  return true;
}

bool Task::applicable(const Operator& op, const std::uint32_t* state) const {
  for (const VarVal& p : op.pre)
    if (state[p.var] != p.value) return false;
  return true;
}

std::string Task::validate() const {
  const auto nvars = variables.size();
  if (initial.size() != nvars) return "initial state has the wrong number of values";
  for (std::size_t v = 0; v < nvars; ++v)
    if (initial[v] >= variables[v].domain) return "initial value out of range for " + variables[v].name;
  auto check_atoms = [&](const std::vector<VarVal>& atoms, const std::string& what) -> std::string {
    for (std::size_t i = 0; i < atoms.size(); ++i) {
      if (atoms[i].var >= nvars) return what + ": unknown variable";
      if (atoms[i].value >= variables[atoms[i].var].domain) return what + ": value out of range";
      if (i > 0 && atoms[i - 1].var >= atoms[i].var) return what + ": not sorted or repeated variable";
    }
    return {};
  };
  for (const Operator& op : operators) {
    if (op.cost < 0) return op.name + ": negative cost";
    if (auto e = check_atoms(op.pre, op.name + " pre"); !e.empty()) return e;
    if (auto e = check_atoms(op.eff, op.name + " eff"); !e.empty()) return e;
  }
  for (std::size_t i = 0; i < goal.size(); ++i) {
    const auto& g = goal[i];
    if (g.var >= nvars || g.values.empty()) return "bad goal condition";
    if (i > 0 && goal[i - 1].var >= g.var) return "goal not sorted by variable";
    for (std::size_t k = 0; k < g.values.size(); ++k) {
      if (g.values[k] >= variables[g.var].domain) return "goal value out of range";
      if (k > 0 && g.values[k - 1] >= g.values[k]) return "goal values not sorted";
    }
  }
  return {};
}

}  // namespace goap::ground
