#include "search/search.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

namespace goap::search {

namespace {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string_view to_string(SearchStatus s) {
  switch (s) {
    case SearchStatus::solved: return "solved";
    case SearchStatus::unsolvable: return "unsolvable";
    case SearchStatus::limit: return "limit";
  }
  return "?";
}

std::string_view to_string(LimitKind k) {
  switch (k) {
    case LimitKind::none: return "none";
    case LimitKind::expansions: return "expansions";
    case LimitKind::time: return "time";
    case LimitKind::memory: return "memory";
  }
  return "?";
}

std::string_view to_string(SearchKind k) {
  switch (k) {
    case SearchKind::astar: return "astar";
    case SearchKind::weighted_astar: return "weighted_astar";
    case SearchKind::greedy: return "greedy";
  }
  return "?";
}

Searcher::Searcher(const ground::Task& task)
    : task_(task),
      successors_(task),
      registry_(task),
      state_(task.variables.size()),
      child_(task.variables.size()),
      packed_(registry_.words_per_state()),
      child_packed_(registry_.words_per_state()),
      is_preferred_(task.operators.size(), 0) {}

int Searcher::evaluate(Heuristic& heuristic, const std::uint32_t* state,
                       std::vector<ground::OpId>* preferred) {
  ++result_.stats.evaluated;
  const int h = heuristic.evaluate(state, preferred);
  if (h < 0) {
    throw std::logic_error("heuristic " + std::string(heuristic.name()) +
                           " returned a negative value");
  }
  return h;
}

int Searcher::next_queue(bool regular, bool preferred) {
  if (!regular && !preferred) return -1;
  // The lower priority goes first, ties to the regular list; each turn costs one point.
  const int q = !preferred ? 0 : !regular ? 1 : (priority_[1] < priority_[0] ? 1 : 0);
  ++priority_[q];
  return q;
}

// Checked before each expansion: the expansion count, and the clock every 1024 expansions.
LimitKind Searcher::expansion_limit(const SearchLimits& limits) const {
  const std::uint64_t expanded = result_.stats.expanded;
  if (expanded >= limits.max_expansions) return LimitKind::expansions;
  if (expanded != 0 && expanded % 1024 == 0 && static_cast<double>(now_ns() - start_ns_) / 1e6 > limits.max_ms)
    return LimitKind::time;
  return LimitKind::none;
}

std::size_t Searcher::memory_bytes() const {
  return registry_.memory_bytes() + nodes_.capacity() * sizeof(Node) + open_[0].memory_bytes() +
         open_[1].memory_bytes() + lazy_open_[0].memory_bytes() + lazy_open_[1].memory_bytes();
}

void Searcher::generate(const SearchConfig& config, const std::uint32_t* state) {
  successors_.generate(state, applicable_);
  if (!config.stubborn_sets) return;
  result_.stats.pruned += stubborn_->prune(state, applicable_);
  result_.stats.pruning_off = !stubborn_->active();
}

void Searcher::extract_plan(StateId goal, const ground::ObjectSymmetries* symmetries) {
  Plan& plan = result_.plan;
  plan.steps.clear();
  plan.cost = 0;
  path_.clear();
  for (StateId id = goal; nodes_[id.index()].parent.valid(); id = nodes_[id.index()].parent) {
    const ground::OpId op = nodes_[id.index()].op;
    plan.steps.push_back(op);
    path_.push_back(nodes_[id.index()].parent);
    plan.cost += task_.operators[op.index()].cost;
  }
  std::reverse(plan.steps.begin(), plan.steps.end());
  std::reverse(path_.begin(), path_.end());
  if (symmetries == nullptr) return;
  // The steps apply to canonical states. Keep a renaming R (a word of generators, applied last
  // entry first) with real state = R(canonical state): at the start canonical = P(initial) for
  // the generators P that canonicalize applied, so R is P's inverse, the same word since every
  // generator is its own inverse. A step op from canonical c is R(op) from the real state, which
  // leads to R(op(c)); canonicalizing op(c) applies generators Q, so R grows by Q's inverse.
  renaming_.clear();
  std::copy(task_.initial.begin(), task_.initial.end(), child_.begin());
  symmetries->canonicalize(child_.data(), &renaming_);
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const ground::OpId op = plan.steps[i];
    ground::OpId real = op;
    for (std::size_t j = renaming_.size(); j-- > 0;) real = symmetries->map_op(renaming_[j], real);
    plan.steps[i] = real;
    registry_.packer().unpack(registry_.packed(path_[i]), child_.data());
    for (const ground::VarVal& e : task_.operators[op.index()].eff) child_[e.var] = e.value;
    applied_.clear();
    symmetries->canonicalize(child_.data(), &applied_);
    renaming_.insert(renaming_.end(), applied_.begin(), applied_.end());
  }
}

const SearchResult& Searcher::finish(SearchStatus status, LimitKind limit) {
  result_.status = status;
  result_.limit = limit;
  SearchStats& s = result_.stats;
  s.states = registry_.size();
  s.bytes_per_state = registry_.bytes_per_state();
  s.memory_bytes = memory_bytes();
  s.elapsed_ms = static_cast<double>(now_ns() - start_ns_) / 1e6;
  return result_;
}

const SearchResult& Searcher::solve(Heuristic& heuristic, const SearchConfig& config,
                                    const SearchLimits& limits) {
  if (config.kind == SearchKind::astar && config.use_preferred_operators)
    throw std::invalid_argument("preferred operators need greedy or weighted A*, not A*");
  if (config.kind == SearchKind::weighted_astar && config.weight < 1)
    throw std::invalid_argument("weighted A* needs a weight >= 1");
  if (config.lazy && config.kind != SearchKind::greedy && config.use_preferred_operators)
    throw std::invalid_argument("deferred evaluation in A* takes no preferred operators");
  if (task_.initial.size() != task_.variables.size())
    throw std::invalid_argument("the initial state has the wrong number of values");
  const ground::ObjectSymmetries* symmetries =
      config.symmetries != nullptr && !config.symmetries->empty() ? config.symmetries : nullptr;
  if (symmetries != nullptr && config.lazy && config.kind == SearchKind::greedy)
    throw std::invalid_argument("symmetry reduction needs the best-first loop, not lazy greedy search");

  start_ns_ = now_ns();
  result_.plan.steps.clear();
  result_.plan.cost = 0;
  result_.stats = SearchStats{};
  registry_.clear();
  nodes_.clear();
  open_[0].clear();
  open_[1].clear();
  lazy_open_[0].clear();
  lazy_open_[1].clear();
  priority_[0] = priority_[1] = 0;
  if (config.stubborn_sets) {
    if (!stubborn_) stubborn_.emplace(task_);
    stubborn_->reset();
  }
  if (config.lazy && config.kind == SearchKind::greedy) return solve_lazy(heuristic, config, limits);

  const std::int64_t g_weight = config.kind == SearchKind::greedy ? 0 : 1;
  const std::int64_t h_weight = config.kind == SearchKind::weighted_astar ? config.weight : 1;
  const bool reopen = config.kind != SearchKind::greedy;
  const bool use_preferred = config.use_preferred_operators;
  const bool deferred = config.lazy;  // A* or weighted A*: evaluate a state when it is popped
  const StatePacker& packer = registry_.packer();
  const std::size_t nvars = state_.size();
  const std::size_t words = packed_.size();
  SearchStats& stats = result_.stats;

  auto push = [&](StateId id, std::int64_t g, int h, bool preferred) {
    const std::int64_t f = g_weight * g + h_weight * h;
    open_[0].push(f, h, id);
    if (preferred) open_[1].push(f, h, id);
  };

  // The initial state.
  std::copy(task_.initial.begin(), task_.initial.end(), state_.begin());
  if (symmetries != nullptr) symmetries->canonicalize(state_.data());
  packer.pack(state_.data(), packed_.data());
  const StateId init = registry_.insert_or_get(packed_.data()).id;
  const int h0 = evaluate(heuristic, state_.data(), nullptr);
  stats.initial_h = h0;
  if (h0 == Heuristic::kInfinity) return finish(SearchStatus::unsolvable, LimitKind::none);
  nodes_.push_back(Node{0, h0, StateId::invalid(), ground::OpId::invalid(), Status::open, true});
  push(init, 0, h0, use_preferred);
  int best_h = h0;
  // Deferred: the state the heuristic evaluated last, expanded right after, and its value; only
  // then may the heuristic's successor_bound be asked (for other states: h - cost).
  StateId bound_from = init;
  int bound_h = h0;
  std::uint64_t observed = 0;

  for (;;) {
    if (memory_bytes() > limits.max_memory_bytes)
      return finish(SearchStatus::limit, LimitKind::memory);
    const int q = next_queue(!open_[0].empty(), !open_[1].empty());
    if (q < 0) return finish(SearchStatus::unsolvable, LimitKind::none);
    const OpenList::Entry entry = open_[q].pop();
    {
      const Node& n = nodes_[entry.id.index()];
      if (n.status != Status::open || g_weight * n.g + h_weight * n.h != entry.f) continue;  // stale
    }

    std::copy_n(registry_.packed(entry.id), words, packed_.data());
    packer.unpack(packed_.data(), state_.data());
    const auto observe = [&](bool is_goal) {
      const Node& n = nodes_[entry.id.index()];
      config.observer->on_expand(
          Expansion{observed++, entry.id, n.parent, n.op, n.g, n.h, is_goal, state_.data()});
    };
    if (task_.is_goal(state_.data())) {
      if (config.observer != nullptr) observe(true);
      extract_plan(entry.id, symmetries);
      return finish(SearchStatus::solved, LimitKind::none);
    }
    if (!nodes_[entry.id.index()].evaluated) {
      // Deferred: the key used the parent's h, a lower bound. Evaluate now; if the state's f
      // grows, it goes back in line with its own key. A smaller h keeps the bound (pathmax).
      const int h = evaluate(heuristic, state_.data(), nullptr);
      Node& n = nodes_[entry.id.index()];
      n.evaluated = true;
      if (h == Heuristic::kInfinity) {
        n.status = Status::dead_end;
        continue;
      }
      if (h > n.h) {
        n.h = h;
        push(entry.id, n.g, h, false);
        continue;
      }
      bound_from = entry.id;
      bound_h = h;
    }
    if (const LimitKind hit = expansion_limit(limits); hit != LimitKind::none)
      return finish(SearchStatus::limit, hit);
    if (config.observer != nullptr) observe(false);

    nodes_[entry.id.index()].status = Status::closed;
    const std::int64_t g = nodes_[entry.id.index()].g;
    const int parent_h = nodes_[entry.id.index()].h;
    ++stats.expanded;

    if (use_preferred) {
      evaluate(heuristic, state_.data(), &preferred_);
      for (ground::OpId op : preferred_) is_preferred_[op.index()] = 1;
    }
    generate(config, state_.data());
    for (const ground::OpId op_id : applicable_) {
      ++stats.generated;
      const ground::Operator& op = task_.operators[op_id.index()];
      if (symmetries != nullptr) {
        // The canonical child: its values are needed anyway.
        std::copy_n(state_.data(), nvars, child_.data());
        for (const ground::VarVal& e : op.eff) child_[e.var] = e.value;
        symmetries->canonicalize(child_.data());
        packer.pack(child_.data(), child_packed_.data());
      } else {
        std::copy_n(packed_.data(), words, child_packed_.data());
        for (const ground::VarVal& e : op.eff) packer.set(child_packed_.data(), e.var, e.value);
      }
      const std::int64_t child_g = g + op.cost;
      const bool preferred = use_preferred && is_preferred_[op_id.index()] != 0;
      const auto [child, inserted] = registry_.insert_or_get(child_packed_.data());

      if (inserted && deferred) {
        // h(parent) - cost(op) bounds h*(child) from below whenever h(parent) is admissible (the
        // parent's h may be a bound itself: pathmax); the heuristic may know a better bound.
        int h = std::max(parent_h - op.cost, 0);
        if (bound_from == entry.id) h = std::max(h, heuristic.successor_bound(bound_h, op_id, op.cost));
        nodes_.push_back(Node{child_g, h, entry.id, op_id, Status::open, false});
        push(child, child_g, h, false);
        continue;
      }
      if (inserted) {
        // Only a new state needs its values spelled out, for the heuristic.
        if (symmetries == nullptr) {
          std::copy_n(state_.data(), nvars, child_.data());
          for (const ground::VarVal& e : op.eff) child_[e.var] = e.value;
        }
        const int h = evaluate(heuristic, child_.data(), nullptr);
        const bool dead = h == Heuristic::kInfinity;
        nodes_.push_back(
            Node{child_g, h, entry.id, op_id, dead ? Status::dead_end : Status::open, true});
        if (dead) continue;
        if (h < best_h) {
          best_h = h;
          if (use_preferred) priority_[1] -= config.preferred_boost;
        }
        push(child, child_g, h, preferred);
        continue;
      }

      Node& c = nodes_[child.index()];
      if (c.status == Status::dead_end || child_g >= c.g) continue;
      const bool was_closed = c.status == Status::closed;
      c.g = child_g;
      c.parent = entry.id;
      c.op = op_id;
      if (was_closed && !reopen) continue;  // greedy: a better parent, but no second expansion
      if (was_closed) {
        c.status = Status::open;
        ++stats.reopened;
      }
      // Greedy's f ignores g: an open state's entry is still current, pushing again would only
      // duplicate it.
      if (was_closed || g_weight != 0) push(child, child_g, c.h, preferred);
    }
    if (use_preferred)
      for (ground::OpId op : preferred_) is_preferred_[op.index()] = 0;
  }
}

// The lazy loop: `current` is a state just created (registered, its values in state_); evaluate
// it, expand it into pending successors keyed by its h, then pop pending successors until one
// leads to a state not seen before.
const SearchResult& Searcher::solve_lazy(Heuristic& heuristic, const SearchConfig& config,
                                         const SearchLimits& limits) {
  const bool use_preferred = config.use_preferred_operators;
  const StatePacker& packer = registry_.packer();
  const std::size_t words = packed_.size();
  SearchStats& stats = result_.stats;

  std::copy(task_.initial.begin(), task_.initial.end(), state_.begin());
  packer.pack(state_.data(), packed_.data());
  StateId current = registry_.insert_or_get(packed_.data()).id;
  nodes_.push_back(Node{0, 0, StateId::invalid(), ground::OpId::invalid(), Status::open, true});
  int best_h = Heuristic::kInfinity;
  std::uint64_t observed = 0;

  for (;;) {
    const int h = evaluate(heuristic, state_.data(), use_preferred ? &preferred_ : nullptr);
    nodes_[current.index()].h = h;
    if (stats.evaluated == 1) stats.initial_h = h;
    const auto observe = [&](bool is_goal) {
      const Node& n = nodes_[current.index()];
      config.observer->on_expand(
          Expansion{observed++, current, n.parent, n.op, n.g, n.h, is_goal, state_.data()});
    };
    if (h == Heuristic::kInfinity) {
      nodes_[current.index()].status = Status::dead_end;
    } else if (task_.is_goal(state_.data())) {
      if (config.observer != nullptr) observe(true);
      extract_plan(current, nullptr);
      return finish(SearchStatus::solved, LimitKind::none);
    } else {
      if (const LimitKind hit = expansion_limit(limits); hit != LimitKind::none)
        return finish(SearchStatus::limit, hit);
      if (config.observer != nullptr) observe(false);
      nodes_[current.index()].status = Status::closed;
      ++stats.expanded;
      if (best_h == Heuristic::kInfinity) {
        best_h = h;
      } else if (h < best_h) {
        best_h = h;
        if (use_preferred) priority_[1] -= config.preferred_boost;
      }
      if (use_preferred)
        for (ground::OpId op : preferred_) is_preferred_[op.index()] = 1;
      generate(config, state_.data());
      for (const ground::OpId op : applicable_) {
        ++stats.generated;
        lazy_open_[0].push(h, h, PendingSuccessor{current, op});
        if (use_preferred && is_preferred_[op.index()] != 0) lazy_open_[1].push(h, h, PendingSuccessor{current, op});
      }
      if (use_preferred)
        for (ground::OpId op : preferred_) is_preferred_[op.index()] = 0;
    }

    // The next state: the first pending successor that is new (a state seen before was
    // evaluated then; greedy search never reopens).
    for (;;) {
      if (memory_bytes() > limits.max_memory_bytes)
        return finish(SearchStatus::limit, LimitKind::memory);
      const int q = next_queue(!lazy_open_[0].empty(), !lazy_open_[1].empty());
      if (q < 0) return finish(SearchStatus::unsolvable, LimitKind::none);
      const PendingSuccessor next = lazy_open_[q].pop().id;
      const ground::Operator& op = task_.operators[next.op.index()];
      std::copy_n(registry_.packed(next.parent), words, packed_.data());
      for (const ground::VarVal& e : op.eff) packer.set(packed_.data(), e.var, e.value);
      const auto [child, inserted] = registry_.insert_or_get(packed_.data());
      if (!inserted) continue;
      nodes_.push_back(Node{nodes_[next.parent.index()].g + op.cost, 0, next.parent, next.op, Status::open, true});
      packer.unpack(packed_.data(), state_.data());
      current = child;
      break;
    }
  }
}

SearchResult search(const ground::Task& task, Heuristic& heuristic, const SearchConfig& config,
                    const SearchLimits& limits) {
  Searcher searcher(task);
  return searcher.solve(heuristic, config, limits);
}

}  // namespace goap::search
