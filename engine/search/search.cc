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
      side_state_(task.variables.size()),
      packed_(registry_.words_per_state()),
      child_packed_(registry_.words_per_state()),
      is_preferred_(task.operators.size(), 0),
      op_bound_(task.operators.size(), 0) {}

int Searcher::evaluate(Heuristic& heuristic, const std::uint32_t* state,
                       std::vector<ground::OpId>* preferred) {
  return counted(heuristic, heuristic.evaluate(state, preferred));
}

// Every value the search uses, evaluated here or ahead, passes through here once.
int Searcher::counted(const Heuristic& heuristic, int h) {
  ++result_.stats.evaluated;
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
         open_[1].memory_bytes() + lazy_open_[0].memory_bytes() + lazy_open_[1].memory_bytes() +
         (ahead_bounds_.capacity() + pool_scratch_.capacity()) * sizeof(SuccessorBound) +
         ahead_.size() * (sizeof(std::uint32_t) + sizeof(Ahead) + 2 * sizeof(void*)) +
         memo_.capacity() * sizeof(std::uint32_t) + memo_span_.capacity() * sizeof(MemoSpan);
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

// Up to `max` open states near the front that still wait for their evaluation and are neither
// known nor with the helper, best first, into waiting_. Reads the first entries of the open
// list's heap (the best ones are among them) without changing it.
void Searcher::find_waiting(int q, std::int64_t g_weight, std::int64_t h_weight, std::size_t max) {
  constexpr std::size_t kLookAt = 32;
  const std::vector<OpenList::Entry>& heap = open_[q].heap();
  peeked_.clear();
  for (std::size_t i = 0; i < heap.size() && i < kLookAt; ++i) {
    const OpenList::Entry& e = heap[i];
    const Node& n = nodes_[e.id.index()];
    if (n.status != Status::open || g_weight * n.g + h_weight * n.h != e.f) continue;  // stale
    if (n.evaluated || ahead_.contains(e.id.index()) || helper_->in_flight(e.id.index())) continue;
    peeked_.push_back(e);
  }
  const std::size_t n = std::min(max, peeked_.size());
  std::partial_sort(peeked_.begin(), peeked_.begin() + static_cast<std::ptrdiff_t>(n), peeked_.end(),
                    OpenList::before);
  waiting_.clear();
  for (std::size_t i = 0; i < n; ++i) waiting_.push_back(peeked_[i].id);
}

// Fills the helper's free slots with waiting states (not the goal: the search stops there).
void Searcher::feed_helper(int q, std::int64_t g_weight, std::int64_t h_weight) {
  if (helper_->full()) return;
  find_waiting(q, g_weight, h_weight, EvaluationHelper::kDepth - helper_->outstanding());
  for (const StateId id : waiting_) {
    std::uint32_t* values = helper_->next_values(incremental_);
    registry_.packer().unpack(registry_.packed(id), values);
    if (task_.is_goal(values)) continue;
    if (const StateId parent = memo_parent(id); parent.valid()) {
      const MemoSpan m = memo_span_[parent.index()];
      helper_->next_from(parent.index(), memo_.data() + m.begin, m.size, nodes_[id.index()].op, refresh_at(id));
    }
    helper_->post(id.index());
  }
}

// Files the helper's finished values, unless this thread evaluated the state meanwhile.
void Searcher::collect_ahead() {
  for (; helper_->done(); helper_->pop()) {
    const EvaluationHelper::Slot& slot = helper_->front();
    if (slot.error) std::rethrow_exception(slot.error);
    ++result_.stats.evaluated_ahead;
    if (nodes_[slot.tag].evaluated) continue;
    const MemoSpan memo{memo_.size(), static_cast<std::uint32_t>(slot.memo.size())};
    memo_.insert(memo_.end(), slot.memo.begin(), slot.memo.end());
    file_ahead(slot.tag, slot.h, slot.bounds,
               slot.from_op.valid() ? StateId::from(slot.origin) : StateId::invalid(), memo, slot.refresh);
  }
}

void Searcher::file_ahead(std::uint32_t state, int h, const std::vector<SuccessorBound>& bounds,
                          StateId parent, MemoSpan memo, Refresh refresh) {
  // Consumed entries leave their bounds behind in the pool: squeeze them out now and then.
  if (ahead_bounds_.size() > 4096 && ahead_bounds_.size() > 2 * live_bounds_) {
    pool_scratch_.clear();
    for (auto& [id, a] : ahead_) {
      const auto begin = static_cast<std::uint32_t>(pool_scratch_.size());
      pool_scratch_.insert(pool_scratch_.end(), ahead_bounds_.begin() + a.begin, ahead_bounds_.begin() + a.end);
      a.begin = begin;
      a.end = static_cast<std::uint32_t>(pool_scratch_.size());
    }
    ahead_bounds_.swap(pool_scratch_);
  }
  const auto begin = static_cast<std::uint32_t>(ahead_bounds_.size());
  ahead_bounds_.insert(ahead_bounds_.end(), bounds.begin(), bounds.end());
  live_bounds_ += bounds.size();
  ahead_.emplace(state, Ahead{h, begin, static_cast<std::uint32_t>(ahead_bounds_.size()), parent, memo, refresh});
}

// Deferred A*: the value of the popped state `id` (its values in state_), which waits for its
// evaluation. With a helper it may be known already (`known`; its successor bounds then go to
// known_bounds_); the search goes on exactly as if it had been evaluated here.
int Searcher::evaluate_popped(Heuristic& heuristic, StateId id, int q, std::int64_t g_weight,
                              std::int64_t h_weight, bool& known) {
  known = false;
  if (helper_active_ && helper_->in_flight(id.index())) {
    // The helper has this very state in hand: rather than wait, evaluate the next waiting
    // states here until it is done. If it is not done by then, this thread evaluates the state
    // too (the helper may have been descheduled), and the helper's value is dropped.
    for (;;) {
      collect_ahead();
      if (!helper_->in_flight(id.index())) break;
      find_waiting(q, g_weight, h_weight, 1);
      if (waiting_.empty()) {
        helper_->wait_done();  // nothing else to do; the helper is about one evaluation away
        collect_ahead();
        break;
      }
      const StateId next = waiting_.front();
      registry_.packer().unpack(registry_.packed(next), side_state_.data());
      if (task_.is_goal(side_state_.data())) break;
      if (bound_from_.valid() && !bound_kept_) {
        // The heuristic gives bound_from_'s successor bounds only until it evaluates again.
        registry_.packer().unpack(registry_.packed(bound_from_), child_.data());
        keep_successor_bounds(heuristic, bound_h_, child_.data(), successors_, task_, ahead_ops_, kept_bounds_);
        bound_kept_ = true;
      }
      ++result_.stats.evaluated_ahead;
      MemoSpan memo;
      Refresh refresh;
      const int h = evaluate_here(heuristic, next, side_state_.data(), memo, refresh);
      keep_successor_bounds(heuristic, h, side_state_.data(), successors_, task_, ahead_ops_, known_bounds_);
      file_ahead(next.index(), h, known_bounds_, memo_parent(next), memo, refresh);
    }
  }
  if (helper_active_) {
    if (const auto it = ahead_.find(id.index()); it != ahead_.end()) {
      const Ahead a = it->second;
      ahead_.erase(it);
      // A value from a parent the state has since left for a cheaper one is dropped: this
      // thread evaluates it from the new parent's memo, so that is what counts. So is one whose
      // check from scratch this thread would not repeat now (checked_alike).
      Refresh refresh = a.refresh;
      if (a.parent == memo_parent(id) && checked_alike(id, refresh)) {
        known = true;
        known_bounds_.assign(ahead_bounds_.begin() + a.begin, ahead_bounds_.begin() + a.end);
        live_bounds_ -= a.end - a.begin;
        return use_value(heuristic, id, a.h, a.memo, refresh);
      }
      live_bounds_ -= a.end - a.begin;
    }
  }
  // This thread's heuristic: what it held for bound_from_ is gone.
  if (!bound_kept_) bound_from_ = StateId::invalid();
  MemoSpan memo;
  Refresh refresh;
  const int h = evaluate_here(heuristic, id, state_.data(), memo, refresh);
  return use_value(heuristic, id, h, memo, refresh);
}

// The popped state's value, evaluated here or ahead (from memo_parent's memo, if any), and its memo.
// The checks from scratch are counted here, in the order the search uses the values, and switch
// off for good once 256 or more of them raised fewer than one value in 32: where the values from
// the parent's memo are as good as those from scratch they only cost time.
int Searcher::use_value(const Heuristic& heuristic, StateId id, int h, MemoSpan memo, Refresh refresh) {
  SearchStats& stats = result_.stats;
  if (memo_parent(id).valid()) ++stats.evaluated_incremental;
  if (incremental_) store_memo(id, memo);
  if (refresh_on_ && refresh.tried) {
    ++stats.refreshed;
    if (refresh.raised) ++stats.refresh_raised;
    constexpr std::uint64_t kEvery = 256, kRatio = 32;
    if (stats.refreshed % kEvery == 0 && stats.refresh_raised * kRatio < stats.refreshed) {
      refresh_on_ = false;
      stats.refresh_off = true;
    }
  }
  return counted(heuristic, h);
}

StateId Searcher::memo_parent(StateId id) const {
  const Node& n = nodes_[id.index()];
  return incremental_ && n.inherits && n.parent.valid() ? n.parent : StateId::invalid();
}

int Searcher::refresh_at(StateId id) const {
  constexpr std::uint64_t kCheckEveryFirst = 64;
  if (!refresh_on_) return -1;
  if (result_.stats.evaluated < kCheckEveryFirst) return Heuristic::kInfinity - 1;
  return nodes_[id.index()].h;  // an unevaluated state's bound stays put until it is evaluated
}

// refresh_at only narrows, so a check made ahead is one this thread would make now too, except
// near a narrowing: a value checked for nothing is as good as unchecked, one the check raised is not.
bool Searcher::checked_alike(StateId id, Refresh& refresh) const {
  if (refresh.before < 0) return true;  // from scratch: nothing to check
  const bool now = refresh.before != Heuristic::kInfinity && refresh.before <= refresh_at(id);
  if (now == refresh.tried) return true;
  if (now || refresh.raised) return false;
  refresh.tried = false;
  return true;
}

// A parent's memo is there: it was evaluated (here or ahead) before it was expanded.
int Searcher::evaluate_here(Heuristic& heuristic, StateId id, const std::uint32_t* values, MemoSpan& memo,
                            Refresh& refresh) {
  const StateId parent = memo_parent(id);
  int h = 0;
  refresh = Refresh{};
  if (parent.valid()) {
    const MemoSpan m = memo_span_[parent.index()];
    h = evaluate_from_memo(heuristic, values, memo_.data() + m.begin, m.size, nodes_[id.index()].op,
                           refresh_at(id), refresh);
  } else {
    h = heuristic.evaluate(values, nullptr);
  }
  if (incremental_) {
    memo.begin = memo_.size();
    heuristic.save_memo(memo_);
    memo.size = static_cast<std::uint32_t>(memo_.size() - memo.begin);
  }
  return h;
}

void Searcher::store_memo(StateId id, MemoSpan memo) {
  if (memo_span_.size() <= id.index()) memo_span_.resize(std::max(nodes_.size(), std::size_t{id.index()} + 1));
  memo_span_[id.index()] = memo;
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
  ahead_.clear();
  ahead_bounds_.clear();
  live_bounds_ = 0;
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
  if (deferred && config.helper_heuristic != nullptr) {
    if (!helper_ || &helper_->heuristic() != config.helper_heuristic)
      helper_.emplace(*config.helper_heuristic, successors_, task_);
  }
  helper_active_ = deferred && config.helper_heuristic != nullptr;
  incremental_ = deferred && config.incremental && heuristic.incremental() &&
                 (!helper_active_ || config.helper_heuristic->incremental());
  refresh_on_ = incremental_;
  memo_.clear();
  memo_span_.clear();
  // The helper may be reading states when the search returns or throws: wait for it.
  struct DrainHelper {
    EvaluationHelper* helper;
    ~DrainHelper() {
      if (helper != nullptr) helper->drain();
    }
  } drain_on_exit{helper_active_ ? &*helper_ : nullptr};
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
  if (incremental_) {
    heuristic.save_memo(memo_);
    store_memo(init, MemoSpan{0, static_cast<std::uint32_t>(memo_.size())});
  }
  stats.initial_h = h0;
  if (h0 == Heuristic::kInfinity) return finish(SearchStatus::unsolvable, LimitKind::none);
  nodes_.push_back(Node{0, h0, StateId::invalid(), ground::OpId::invalid(), Status::open, true});
  push(init, 0, h0, use_preferred);
  int best_h = h0;
  bound_from_ = init;
  bound_h_ = h0;
  bound_kept_ = false;
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
    if (helper_active_) {
      collect_ahead();
      feed_helper(q, g_weight, h_weight);
    }
    if (!nodes_[entry.id.index()].evaluated) {
      // Deferred: the key used the parent's h, a lower bound. Evaluate now; if the state's f
      // grows, it goes back in line with its own key. A smaller h keeps the bound (pathmax).
      bool known = false;
      const int h = evaluate_popped(heuristic, entry.id, q, g_weight, h_weight, known);
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
      bound_from_ = entry.id;
      bound_h_ = h;
      bound_kept_ = known;
      if (known) kept_bounds_.swap(known_bounds_);
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
    // The successor bounds of a state evaluated ahead were kept with its value.
    const bool bounds_kept = bound_from_ == entry.id && bound_kept_;
    if (bounds_kept)
      for (const auto& [op, b] : kept_bounds_) op_bound_[op.index()] = b;
    for (const ground::OpId op_id : applicable_) {
      ++stats.generated;
      const ground::Operator& op = task_.operators[op_id.index()];
      bool renamed = false;  // the canonical child is not op's successor as such
      if (symmetries != nullptr) {
        // The canonical child: its values are needed anyway.
        std::copy_n(state_.data(), nvars, child_.data());
        for (const ground::VarVal& e : op.eff) child_[e.var] = e.value;
        applied_.clear();
        symmetries->canonicalize(child_.data(), &applied_);
        renamed = !applied_.empty();
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
        if (bounds_kept) h = std::max(h, op_bound_[op_id.index()]);
        else if (bound_from_ == entry.id) h = std::max(h, heuristic.successor_bound(bound_h_, op_id, op.cost));
        nodes_.push_back(Node{child_g, h, entry.id, op_id, Status::open, false, !renamed});
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
      c.inherits = !renamed;
      if (was_closed && !reopen) continue;  // greedy: a better parent, but no second expansion
      if (was_closed) {
        c.status = Status::open;
        ++stats.reopened;
      }
      // Greedy's f ignores g: an open state's entry is still current, pushing again would only
      // duplicate it.
      if (was_closed || g_weight != 0) push(child, child_g, c.h, preferred);
    }
    if (bounds_kept)
      for (const auto& [op, b] : kept_bounds_) op_bound_[op.index()] = 0;
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
