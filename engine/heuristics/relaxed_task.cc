#include "heuristics/relaxed_task.h"

#include <algorithm>

namespace goap::heuristics {

namespace {

// Builds a CSR index atom -> operators from each operator's atom list.
template <class AtomsOf>
void build_index(std::size_t num_atoms, std::size_t num_ops, AtomsOf atoms_of,
                 std::vector<std::uint32_t>& start, std::vector<std::uint32_t>& list) {
  start.assign(num_atoms + 1, 0);
  for (std::uint32_t o = 0; o < num_ops; ++o)
    for (std::uint32_t a : atoms_of(o)) ++start[a + 1];
  for (std::size_t a = 0; a < num_atoms; ++a) start[a + 1] += start[a];
  list.assign(start.back(), 0);
  std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
  for (std::uint32_t o = 0; o < num_ops; ++o)  // increasing o: each list ends up sorted
    for (std::uint32_t a : atoms_of(o)) list[fill[a]++] = o;
}

}  // namespace

RelaxedTask::RelaxedTask(const ground::Task& task) : task_(&task) {
  const std::size_t nvars = task.variables.size();
  var_offset_.resize(nvars);
  std::uint32_t next = 0;
  for (std::size_t v = 0; v < nvars; ++v) {
    var_offset_[v] = next;
    next += task.variables[v].domain;
  }
  std::vector<std::uint32_t> condition_atom(task.goal.size(), kNoOp);
  for (std::size_t i = 0; i < task.goal.size(); ++i)
    if (task.goal[i].values.size() > 1) condition_atom[i] = next++;
  true_atom_ = next++;
  goal_atom_ = next++;
  num_atoms_ = next;

  // An atom is *needed* when some relaxed operator has it as a precondition (the goal operators
  // included). Reaching any other atom helps nothing, so effects and state atoms leave them out:
  // with PDDL's binary facts that is every "false" value, half the atoms.
  needed_.assign(num_atoms_, 0);
  for (const ground::Operator& o : task.operators)
    for (const ground::VarVal& p : o.pre) needed_[atom(p.var, p.value)] = 1;
  for (const ground::GoalCondition& g : task.goal)
    for (std::uint32_t value : g.values) needed_[atom(g.var, value)] = 1;
  for (std::size_t i = 0; i < task.goal.size(); ++i)
    if (condition_atom[i] != kNoOp) needed_[condition_atom[i]] = 1;
  needed_[true_atom_] = 1;
  needed_[goal_atom_] = 1;
  state_vars_.clear();
  for (std::uint32_t v = 0; v < nvars; ++v)
    for (std::uint32_t value = 0; value < task.variables[v].domain; ++value)
      if (needed_[atom(v, value)] != 0) {
        state_vars_.push_back(v);
        break;
      }

  auto add_op = [&](const std::vector<std::uint32_t>& pre, const std::vector<std::uint32_t>& eff,
                    int cost, ground::OpId original) {
    Op op{};
    op.pre_begin = static_cast<std::uint32_t>(pre_pool_.size());
    if (pre.empty()) pre_pool_.push_back(true_atom_);
    else pre_pool_.insert(pre_pool_.end(), pre.begin(), pre.end());
    op.pre_end = static_cast<std::uint32_t>(pre_pool_.size());
    op.eff_begin = static_cast<std::uint32_t>(eff_pool_.size());
    for (std::uint32_t e : eff)
      if (needed_[e] != 0 && std::find(pre.begin(), pre.end(), e) == pre.end()) eff_pool_.push_back(e);
    op.eff_end = static_cast<std::uint32_t>(eff_pool_.size());
    op.cost = cost;
    op.original = original;
    ops_.push_back(op);
  };

  std::vector<std::uint32_t> pre_atoms, eff_atoms;
  for (std::size_t i = 0; i < task.operators.size(); ++i) {
    const ground::Operator& o = task.operators[i];
    pre_atoms.clear();
    eff_atoms.clear();
    for (const ground::VarVal& p : o.pre) pre_atoms.push_back(atom(p.var, p.value));
    for (const ground::VarVal& e : o.eff) eff_atoms.push_back(atom(e.var, e.value));
    add_op(pre_atoms, eff_atoms, o.cost, ground::OpId::from(i));
  }
  num_task_ops_ = task.operators.size();

  std::vector<std::uint32_t> goal_pre;
  for (std::size_t i = 0; i < task.goal.size(); ++i) {
    const ground::GoalCondition& g = task.goal[i];
    if (condition_atom[i] == kNoOp) {
      goal_pre.push_back(atom(g.var, g.values.front()));
      continue;
    }
    for (std::uint32_t value : g.values)
      add_op({atom(g.var, value)}, {condition_atom[i]}, 0, ground::OpId::invalid());
    goal_pre.push_back(condition_atom[i]);
  }
  std::sort(goal_pre.begin(), goal_pre.end());
  add_op(goal_pre, {goal_atom_}, 0, ground::OpId::invalid());

  // An operator left without effects reaches nothing: the explorations need not visit it.
  build_index(num_atoms_, ops_.size(),
              [&](std::uint32_t o) { return eff(o).empty() ? std::span<const std::uint32_t>{} : pre(o); },
              pre_of_start_, pre_of_);
  build_index(num_atoms_, ops_.size(), [&](std::uint32_t o) { return eff(o); }, ach_start_, ach_);
}

void RelaxedTask::state_atoms(const std::uint32_t* state, std::vector<std::uint32_t>& out) const {
  out.clear();
  for (std::uint32_t v : state_vars_) {
    const std::uint32_t a = var_offset_[v] + state[v];
    if (needed_[a] != 0) out.push_back(a);
  }
  out.push_back(true_atom_);
}

}  // namespace goap::heuristics
