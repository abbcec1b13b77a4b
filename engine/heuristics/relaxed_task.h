// The delete relaxation of a Task, as atoms and relaxed operators: the structure h_max, h_add,
// h_FF and LM-cut all explore.
//
// Atoms: one per (variable, value), numbered atom(var, value) = offset[var] + value; then one
// artificial atom per goal condition with several allowed values ("x in {a, b}"); then `true_atom`
// (holds in every state) and `goal_atom`.
// Relaxed operators, in this order:
//   - one per task operator (index == OpId), preconditions -> effects, same cost. An operator
//     without preconditions gets `true_atom`, so every operator has at least one precondition and
//     the explorations need no special case. Effects equal to a precondition are dropped: they
//     add nothing in the relaxation. So are effects on atoms no operator needs (see needed()),
//     and an operator left without effects is in no precondition_of() list.
//   - per multi-valued goal condition and per allowed value: value atom -> condition atom, cost 0.
//     The condition atom is then as cheap as the cheapest allowed value, which keeps h_max and
//     LM-cut admissible for "var in {values}" goals.
//   - the goal operator: single-valued goal atoms + condition atoms (or true_atom) -> goal_atom,
//     cost 0. h(state) is the cost of goal_atom.
// Operators are "relaxed" but not split into unary ones: an operator with k effects fires once and
// reaches all k (the same atom costs as splitting, fewer operators to scan).
//
// Invariants: every list is sorted and duplicate-free; `precondition_of(a)` and `achievers(a)`
// list operators by increasing index. Immutable after construction; the explorations that use it
// keep their own per-evaluation scratch. It keeps a pointer to the Task (`task()`), which must
// outlive it, as the heuristics that own it already require.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ground/task.h"

namespace goap::heuristics {

class RelaxedTask {
 public:
  static constexpr std::uint32_t kNoOp = 0xFFFFFFFFu;

  struct Op {
    std::uint32_t pre_begin, pre_end;  // range in the precondition pool
    std::uint32_t eff_begin, eff_end;  // range in the effect pool
    int cost;
    ground::OpId original;  // invalid for the artificial goal operators
  };

  explicit RelaxedTask(const ground::Task& task);

  [[nodiscard]] const ground::Task& task() const { return *task_; }
  [[nodiscard]] std::size_t num_atoms() const { return num_atoms_; }
  [[nodiscard]] std::size_t num_ops() const { return ops_.size(); }
  [[nodiscard]] std::size_t num_task_ops() const { return num_task_ops_; }
  [[nodiscard]] std::uint32_t atom(std::uint32_t var, std::uint32_t value) const {
    return var_offset_[var] + value;
  }
  [[nodiscard]] std::uint32_t true_atom() const { return true_atom_; }
  [[nodiscard]] std::uint32_t goal_atom() const { return goal_atom_; }

  [[nodiscard]] const Op& op(std::uint32_t i) const { return ops_[i]; }
  [[nodiscard]] std::span<const std::uint32_t> pre(std::uint32_t i) const {
    return {pre_pool_.data() + ops_[i].pre_begin, ops_[i].pre_end - ops_[i].pre_begin};
  }
  [[nodiscard]] std::span<const std::uint32_t> eff(std::uint32_t i) const {
    return {eff_pool_.data() + ops_[i].eff_begin, ops_[i].eff_end - ops_[i].eff_begin};
  }
  // Operators with atom `a` among their preconditions.
  [[nodiscard]] std::span<const std::uint32_t> precondition_of(std::uint32_t a) const {
    return {pre_of_.data() + pre_of_start_[a], pre_of_start_[a + 1] - pre_of_start_[a]};
  }
  // Operators with atom `a` among their effects.
  [[nodiscard]] std::span<const std::uint32_t> achievers(std::uint32_t a) const {
    return {ach_.data() + ach_start_[a], ach_start_[a + 1] - ach_start_[a]};
  }

  // True when some relaxed operator has `a` as a precondition. Effects list needed atoms only.
  [[nodiscard]] bool needed(std::uint32_t a) const { return needed_[a] != 0; }

  // Writes the needed atoms true in `state` (at most one per variable, then true_atom) into `out`.
  void state_atoms(const std::uint32_t* state, std::vector<std::uint32_t>& out) const;

 private:
  const ground::Task* task_;
  std::vector<std::uint32_t> var_offset_;
  std::size_t num_atoms_ = 0;
  std::size_t num_task_ops_ = 0;
  std::uint32_t true_atom_ = 0, goal_atom_ = 0;
  std::vector<Op> ops_;
  std::vector<std::uint32_t> pre_pool_, eff_pool_;
  std::vector<std::uint8_t> needed_;            // per atom
  std::vector<std::uint32_t> state_vars_;       // variables with at least one needed value
  std::vector<std::uint32_t> pre_of_start_, pre_of_;  // CSR: atom -> operators with effects
  std::vector<std::uint32_t> ach_start_, ach_;        // CSR: atom -> operators
};

}  // namespace goap::heuristics
