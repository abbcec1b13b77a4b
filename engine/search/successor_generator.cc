#include "search/successor_generator.h"

#include <algorithm>
#include <utility>

namespace goap::search {

std::vector<ground::OpId> operators_by_name(const ground::Task& task) {
  std::vector<ground::OpId> order;
  order.reserve(task.operators.size());
  for (std::size_t i = 0; i < task.operators.size(); ++i) order.push_back(ground::OpId::from(i));
  std::stable_sort(order.begin(), order.end(), [&](ground::OpId a, ground::OpId b) {
    return task.operators[a.index()].name < task.operators[b.index()].name;
  });
  return order;
}

SuccessorGenerator::SuccessorGenerator(const ground::Task& task) : by_rank_(operators_by_name(task)) {
  std::vector<Pending> all;
  all.reserve(task.operators.size());
  for (std::size_t i = 0; i < task.operators.size(); ++i)
    all.push_back(Pending{static_cast<std::uint32_t>(i), 0});
  build(task, std::move(all));
  // The tree holds operators as their ranks in the name order, so sorting a state's applicable
  // operators by name is sorting plain integers.
  std::vector<std::uint32_t> rank(by_rank_.size());
  for (std::size_t r = 0; r < by_rank_.size(); ++r) rank[by_rank_[r].index()] = static_cast<std::uint32_t>(r);
  for (ground::OpId& op : ops_) op = ground::OpId(rank[op.index()]);
}

std::uint32_t SuccessorGenerator::build(const ground::Task& task, std::vector<Pending> pending) {
  const auto self = static_cast<std::uint32_t>(nodes_.size());
  nodes_.emplace_back();

  // Operators with nothing left to test apply at this node.
  const auto ops_begin = static_cast<std::uint32_t>(ops_.size());
  std::uint32_t var = kNone;
  for (const Pending& p : pending) {
    const auto& pre = task.operators[p.op].pre;
    if (p.pos == pre.size()) ops_.push_back(ground::OpId(p.op));
    else var = std::min(var, pre[p.pos].var);
  }
  nodes_[self].ops_begin = ops_begin;
  nodes_[self].ops_end = static_cast<std::uint32_t>(ops_.size());
  if (var == kNone) return self;

  // Switch on the smallest variable still to be tested.
  const std::uint32_t domain = task.variables[var].domain;
  std::vector<std::vector<Pending>> by_value(domain);
  std::vector<Pending> dont_care;
  for (const Pending& p : pending) {
    const auto& pre = task.operators[p.op].pre;
    if (p.pos == pre.size()) continue;
    if (pre[p.pos].var == var) by_value[pre[p.pos].value].push_back(Pending{p.op, p.pos + 1});
    else dont_care.push_back(p);
  }
  pending.clear();
  pending.shrink_to_fit();  // the recursion below can be deep on big tasks

  const auto children = static_cast<std::uint32_t>(children_.size());
  children_.resize(children_.size() + domain, kNone);
  nodes_[self].var = var;
  nodes_[self].children = children;
  for (std::uint32_t v = 0; v < domain; ++v) {
    if (by_value[v].empty()) continue;
    const std::uint32_t child = build(task, std::move(by_value[v]));
    children_[children + v] = child;
  }
  if (!dont_care.empty()) {
    const std::uint32_t child = build(task, std::move(dont_care));
    nodes_[self].dont_care = child;
  }
  return self;
}

void SuccessorGenerator::visit(std::uint32_t node, const std::uint32_t* state,
                               std::vector<ground::OpId>& out) const {
  // Loop on the don't-care chain, recurse only into the value child: the depth stays at most the
  // number of switch variables on one path.
  while (node != kNone) {
    const Node& n = nodes_[node];
    out.insert(out.end(), ops_.begin() + n.ops_begin, ops_.begin() + n.ops_end);
    if (n.var == kNone) return;
    const std::uint32_t child = children_[n.children + state[n.var]];
    if (child != kNone) visit(child, state, out);
    node = n.dont_care;
  }
}

void SuccessorGenerator::generate(const std::uint32_t* state,
                                  std::vector<ground::OpId>& out) const {
  out.clear();
  visit(0, state, out);
  // Ranks into operators, in place: an OpId wraps a 32-bit index like a rank does.
  std::sort(out.begin(), out.end());
  for (ground::OpId& op : out) op = by_rank_[op.index()];
}

void applicable_by_scan(const ground::Task& task, const std::uint32_t* state,
                        std::vector<ground::OpId>& out) {
  out.clear();
  for (const ground::OpId op : operators_by_name(task))
    if (task.applicable(task.operators[op.index()], state)) out.push_back(op);
}

}  // namespace goap::search
