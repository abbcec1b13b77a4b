#include "search/stubborn_sets.h"

#include <algorithm>

namespace goap::search {

namespace {

// CSR from (atom, op) pairs, ops in increasing order per atom.
void build_csr(std::size_t num_atoms, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs,
               std::vector<std::uint32_t>& start, std::vector<std::uint32_t>& items) {
  start.assign(num_atoms + 1, 0);
  for (const auto& [a, op] : pairs) ++start[a + 1];
  for (std::size_t a = 0; a < num_atoms; ++a) start[a + 1] += start[a];
  items.resize(pairs.size());
  std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
  for (const auto& [a, op] : pairs) items[fill[a]++] = op;
}

}  // namespace

StubbornSets::StubbornSets(const ground::Task& task) : task_(task) {
  var_offset_.reserve(task.variables.size());
  std::uint32_t num_atoms = 0;
  for (const ground::Variable& v : task.variables) {
    var_offset_.push_back(num_atoms);
    num_atoms += v.domain;
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> achievers, users;
  for (std::uint32_t o = 0; o < task.operators.size(); ++o) {
    for (const ground::VarVal& e : task.operators[o].eff) achievers.emplace_back(atom(e.var, e.value), o);
    for (const ground::VarVal& p : task.operators[o].pre) users.emplace_back(atom(p.var, p.value), o);
  }
  build_csr(num_atoms, achievers, ach_start_, ach_);
  build_csr(num_atoms, users, use_start_, use_);
  for (const ground::GoalCondition& g : task.goal) {
    std::uint32_t n = 0;
    for (std::uint32_t d : g.values) n += ach_start_[atom(g.var, d) + 1] - ach_start_[atom(g.var, d)];
    goal_achievers_.push_back(n);
  }
  op_mark_.assign(task.operators.size(), 0);
  applicable_mark_.assign(task.operators.size(), 0);
  ach_mark_.assign(num_atoms, 0);
  use_mark_.assign(num_atoms, 0);
  queue_.reserve(task.operators.size());
}

void StubbornSets::reset() {
  active_ = true;
  states_ = seen_ = pruned_ = 0;
}

void StubbornSets::add(std::uint32_t op) {
  if (op_mark_[op] == stamp_) return;
  op_mark_[op] = stamp_;
  queue_.push_back(op);
  if (applicable_mark_[op] == stamp_) --applicable_left_;
}

void StubbornSets::add_achievers(std::uint32_t a) {
  if (ach_mark_[a] == stamp_) return;
  ach_mark_[a] = stamp_;
  for (std::uint32_t i = ach_start_[a]; i < ach_start_[a + 1]; ++i) add(ach_[i]);
}

void StubbornSets::add_users(std::uint32_t a) {
  if (use_mark_[a] == stamp_) return;
  use_mark_[a] = stamp_;
  for (std::uint32_t i = use_start_[a]; i < use_start_[a + 1]; ++i) add(use_[i]);
}

// Every operator `op` interferes with: for an effect v := d, the operators that need or write
// another value of v; for a precondition v = d, the operators that write another value of v.
void StubbornSets::add_interfering(const ground::Operator& op) {
  for (const ground::VarVal& e : op.eff) {
    const std::uint32_t domain = task_.variables[e.var].domain;
    for (std::uint32_t d = 0; d < domain; ++d) {
      if (d == e.value) continue;
      add_users(atom(e.var, d));
      add_achievers(atom(e.var, d));
    }
  }
  for (const ground::VarVal& p : op.pre) {
    const std::uint32_t domain = task_.variables[p.var].domain;
    for (std::uint32_t d = 0; d < domain; ++d)
      if (d != p.value) add_achievers(atom(p.var, d));
  }
}

std::size_t StubbornSets::prune(const std::uint32_t* state, std::vector<ground::OpId>& applicable) {
  if (!active_) return 0;
  // The goal condition to start from: the unsatisfied one with the fewest achievers.
  std::size_t start = task_.goal.size();
  for (std::size_t i = 0; i < task_.goal.size(); ++i) {
    const ground::GoalCondition& g = task_.goal[i];
    if (std::binary_search(g.values.begin(), g.values.end(), state[g.var])) continue;
    if (start == task_.goal.size() || goal_achievers_[i] < goal_achievers_[start]) start = i;
  }
  if (start == task_.goal.size()) return 0;  // a goal state

  if (++stamp_ == 0) {  // wrapped: forget every mark once
    std::fill(op_mark_.begin(), op_mark_.end(), 0);
    std::fill(ach_mark_.begin(), ach_mark_.end(), 0);
    std::fill(use_mark_.begin(), use_mark_.end(), 0);
    std::fill(applicable_mark_.begin(), applicable_mark_.end(), 0);
    stamp_ = 1;
  }
  queue_.clear();
  for (ground::OpId op : applicable) applicable_mark_[op.index()] = stamp_;
  applicable_left_ = applicable.size();
  for (std::uint32_t d : task_.goal[start].values) add_achievers(atom(task_.goal[start].var, d));
  // queue_ only grows, and each operator enters it once. Once every applicable operator is in,
  // the set prunes nothing: stop there.
  for (std::size_t i = 0; i < queue_.size() && applicable_left_ != 0; ++i) {
    const ground::Operator& op = task_.operators[queue_[i]];
    // Not applicable: the unsatisfied precondition with the fewest achievers not in yet.
    std::uint32_t enabling = kNone, fewest = kNone;
    for (const ground::VarVal& p : op.pre) {
      if (state[p.var] == p.value) continue;
      const std::uint32_t a = atom(p.var, p.value);
      const std::uint32_t missing = ach_mark_[a] == stamp_ ? 0 : ach_start_[a + 1] - ach_start_[a];
      if (missing < fewest) {
        enabling = a;
        fewest = missing;
      }
    }
    if (enabling != kNone) add_achievers(enabling);
    else add_interfering(op);
  }

  const std::size_t before = applicable.size();
  if (applicable_left_ != 0)
    std::erase_if(applicable, [&](ground::OpId op) { return op_mark_[op.index()] != stamp_; });
  const std::size_t removed = before - applicable.size();
  pruned_ += removed;
  seen_ += before;
  if (++states_ == kCheckAfter && static_cast<double>(pruned_) < kMinPrunedRatio * static_cast<double>(seen_))
    active_ = false;
  return removed;
}

}  // namespace goap::search
