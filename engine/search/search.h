// The best-first search: one eager loop, configured as A*, weighted A* or greedy best-first.
//
//   priority f = g_weight * g + h_weight * h      A*: (1, 1)   weighted A*: (1, w)   greedy: (0, 1)
//
// The loop pops the best open state (ties: smaller h, then earlier insertion; an expanded state's
// successors are inserted by action name, successor_generator.h), tests the goal on
// expansion (so A* with an admissible heuristic returns an optimal plan), generates successors with
// the SuccessorGenerator, evaluates each new state once, and keeps duplicates out through the
// StateRegistry. When a cheaper path reaches a state already seen, A* and weighted A* reopen it,
// even when closed: that keeps A* optimal with admissible but inconsistent heuristics (LM-cut) and
// with zero-cost operators. Greedy only re-points the parent (its f ignores g). A heuristic value
// of Heuristic::kInfinity marks a dead end, which is never expanded.
//
// With `use_preferred_operators` (greedy and weighted A* only) successors reached by an operator
// the heuristic prefers also go to a second open list; the loop alternates between the two and
// gives the preferred list `preferred_boost` extra turns each time a new best h is found (Fast
// Downward's boosted alternation).
//
// Deferred evaluation (`SearchConfig::lazy` with A* or weighted A*): a new successor is queued
// with a lower bound on its h in place of its own h, and evaluated only when popped. The bound is
// h(parent) - cost(op) (at least 0), or the heuristic's `successor_bound` when the parent was the
// state it evaluated last (LM-cut: h(parent) minus the landmark costs op is charged with, which
// keeps every successor reached by an operator outside the parent's landmarks on the parent's f).
// Either never exceeds h*(successor) when h(parent) is admissible, so A* stays optimal. When
// the evaluation raises f the state goes back on the open list with its real key; otherwise it is
// expanded at once (a smaller h keeps the parent's bound: pathmax). It expands about the states
// eager A* does; the saving is every successor never popped, which on wide tasks with few
// expansions (miconic) is most of them. Needs no preferred operators.
//
// Incremental evaluation (`SearchConfig::incremental`, deferred A* and weighted A*, with a
// heuristic that says `incremental()`): every evaluated state keeps its memo (LM-cut: its
// landmarks and their costs) in one pool, and a popped state is evaluated from the memo of its
// parent (the node's parent when popped) and the operator between them. LM-cut then starts from
// the parent's landmarks that the operator is not in, which are still landmarks with their costs
// still a cost partitioning, and cuts only what is left: a few cuts instead of one per landmark.
// The value may differ from LM-cut from scratch, either way, and stays admissible. A state that a
// symmetry renamed is not its parent's successor as such and is evaluated from scratch. The memo
// pool counts toward the memory limit (blocks-9: 2.1 MB -> 9.1 MB).
//   Inherited landmarks drift along a path, so some values are checked from scratch as well
// (Heuristic::refresh), and the larger value, with its memo, is kept: every value while the
// search has used fewer than 64 (the first states' landmarks are inherited by all the rest),
// then those at or below the state's bound (the state is expanded at once, and its successors
// inherit its landmarks). Where that seldom pays (of the first 256 checks, or of any later
// multiple of 256, fewer than one in 32 raised a value) the checks switch off for the rest of
// the search (`stats.refresh_off`). The checks are decided and counted in the order the search
// uses the values, so the helper thread changes nothing. On the benchmark set (67 instances,
// one thread), against no checks: depot p13 22,700 -> 12,182 expansions (LM-cut from scratch:
// 15,634; Fast Downward 14,430), elevators p13 2,143 -> 1,241, visitall 04-half 21 -> 17 (FD
// 16), and blocks and logistics switch off after 256 checks that raised nothing; search time
// over the set about the same (16.8 s -> 17.3 s, with successors by name). Checks at the bound
// alone left visitall 04-half at 20; checking everything cost 26 s.
//
// Evaluating ahead (`SearchConfig::helper_heuristic`, deferred A* and weighted A*): a helper
// thread (search/evaluation_helper.h) evaluates, with a second heuristic object, states near the
// front of the open list that still wait for their evaluation, and keeps their successor bounds.
// When the loop pops such a state it takes the known value instead of evaluating; everything else
// goes on exactly as if it had evaluated the state itself (incremental: from the same parent's
// memo; a value from a parent the state has since left is dropped), so the plan and every statistic but
// `evaluated_ahead`, the memory and the times are those of the search without a helper (unless a
// memory or time limit stops it). The open list is only read to pick the states. If the loop
// pops a state the helper is still evaluating, it evaluates other waiting states ahead itself
// meanwhile, waits a little if there are none, and evaluates the state itself as a last resort
// (the helper may have been descheduled). A dive
// (a state's best child popped right after it) stays sequential; the parallel work is the states
// beside it, nearly all of which A* pops later: about 1.5x on the benchmark set's larger tasks.
// The values ahead live in a hash map, so a solve with a helper allocates as it goes.
//
// Pruning (`SearchConfig::stubborn_sets`): the applicable operators of an expanded state are cut
// down to its strong stubborn set (search/stubborn_sets.h), in every loop. It keeps A* optimal and
// greedy search complete; `stats.pruned` counts the operators removed. Pruning switches itself off
// for the rest of a search that gives it too little to remove (`stats.pruning_off`).
//
// Symmetry reduction (`SearchConfig::symmetries`, best-first loop only): every state is replaced
// by its canonical representative (ground/symmetries.h) before it is looked up, so one state
// stands for its whole class of symmetric states (DKS). The parent pointers then link canonical
// states by operators applied to canonical parents; extract_plan rebuilds the real plan forward
// from the initial state, renaming each operator by the symmetries that took the real state to
// the canonical one. A* stays optimal: a symmetry maps plans onto plans of equal cost, so h* is
// the same on a whole class. With stubborn sets the set is computed on the canonical state;
// that combination keeps optimality too (Wehrle, Helmert, Shleyfman and Katz 2015), and the
// tests check it on symmetric tasks in every mode.
//
// Lazy greedy search (`SearchConfig::lazy` with greedy, Fast Downward's lazy_greedy) is the one
// other loop: it queues (state, operator) pairs with the parent's h and creates and evaluates a
// successor only when it pops it, so a state with many successors costs one evaluation per
// successor actually visited, not per successor generated. Preferred successors go to the second
// list, with the same boosted alternation. It never reopens a state. Its shape (pending successors
// instead of states on the open list) is different enough that folding it into the eager loop
// would put a branch on every line; the two share everything else (registry, side table,
// successor generator, limits, plan extraction).
//
// Data layout: per-state data (g, h, parent, creating operator, status) is a side table indexed by
// StateId; states themselves live packed in the registry. Stale open-list entries (a state pushed
// again with a better f, or already closed) are skipped when popped.
//
// Observing: `SearchConfig::observer`, when set, is told about every state the loop takes off the
// open list and acts on (expanded, or recognised as the goal), in that order, with its g and h.
// It is for debugging views (`goap plan --search-tree`) and progress reports (`goap explain`) and
// cannot change what the search does. Off (null) it costs one predictable branch per expansion.
//
// Ownership and reuse: a `Searcher` is bound to one task (it keeps `const Task&` and builds the
// successor generator once). Each `solve` reads `task.initial` and `task.goal` afresh, so a caller
// may change the initial state between solves (a GOAP agent replanning from a new world state);
// the operators and variables must not change, and since the relaxation heuristics compile the
// goal in at construction, a new goal wants a new heuristic (blind reads it live). The
// searcher keeps every buffer between solves: after the first solve of a given size, solving again
// allocates nothing (the heuristic must keep that promise too). Not thread-safe; run independent
// searches on independent Searchers. Deterministic: same task and config, same plan, byte for byte.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ground/symmetries.h"
#include "ground/task.h"
#include "search/evaluation_helper.h"
#include "search/heuristic.h"
#include "search/open_list.h"
#include "search/plan.h"
#include "search/state_registry.h"
#include "search/stubborn_sets.h"
#include "search/successor_generator.h"

namespace goap::search {

enum class SearchKind { astar, weighted_astar, greedy };

// One state the loop acted on, as reported to a SearchObserver.
struct Expansion {
  std::uint64_t order = 0;  // 0, 1, 2, ... in the order the loop acted on them
  StateId state;
  StateId parent;    // invalid for the initial state
  ground::OpId op;   // the operator from `parent`; invalid for the initial state
  std::int64_t g = 0;
  int h = 0;
  bool is_goal = false;                // the goal state: the search stops here, no expansion
  const std::uint32_t* values = nullptr;  // the state's values; valid during the call only
};

// The optional trace hook (see the header comment). Called on the searching thread.
class SearchObserver {
 public:
  virtual ~SearchObserver() = default;
  virtual void on_expand(const Expansion& e) = 0;
};

struct SearchConfig {
  SearchKind kind = SearchKind::astar;
  int weight = 1;                        // weighted_astar only: f = g + weight * h, weight >= 1
  bool use_preferred_operators = false;  // greedy and weighted_astar only
  bool lazy = false;                     // deferred evaluation (see above); not with preferred A*
  bool stubborn_sets = false;            // prune successors with strong stubborn sets (see below)
  int preferred_boost = 1000;            // extra turns for the preferred list on progress
  // Search over canonical states (see above); not with lazy greedy search. Not owned; must
  // describe this task and outlive the solve. Null or empty: off.
  const ground::ObjectSymmetries* symmetries = nullptr;
  SearchObserver* observer = nullptr;    // optional trace hook; not owned
  // Deferred A* and weighted A* only: a helper thread evaluates states ahead with this second
  // heuristic object (of the same kind as the search's; see above). Not owned; null: one thread.
  Heuristic* helper_heuristic = nullptr;
  // Deferred A* and weighted A* only: evaluate a state from its parent's memo when the heuristic
  // is incremental (see above). Off, or with another heuristic: every evaluation from scratch.
  bool incremental = false;

  static SearchConfig astar(bool deferred = false) {
    SearchConfig c;
    c.lazy = deferred;
    return c;
  }
  static SearchConfig weighted_astar(int w, bool preferred = false) {
    return {SearchKind::weighted_astar, w, preferred};
  }
  static SearchConfig greedy(bool preferred = false) {
    return {SearchKind::greedy, 1, preferred};
  }
  static SearchConfig lazy_greedy(bool preferred = false) {
    SearchConfig c{SearchKind::greedy, 1, preferred};
    c.lazy = true;
    return c;
  }
};

// Every limit defaults to "none".
struct SearchLimits {
  std::uint64_t max_expansions = std::numeric_limits<std::uint64_t>::max();
  double max_ms = std::numeric_limits<double>::infinity();  // checked every 1024 expansions
  std::size_t max_memory_bytes = std::numeric_limits<std::size_t>::max();
};

enum class SearchStatus { solved, unsolvable, limit };
enum class LimitKind { none, expansions, time, memory };

struct SearchStats {
  std::uint64_t expanded = 0;   // states whose successors were generated
  std::uint64_t generated = 0;  // successor states produced (duplicates included)
  std::uint64_t evaluated = 0;  // heuristic values the search used (some may be evaluated ahead)
  std::uint64_t evaluated_ahead = 0;  // evaluated ahead (SearchConfig::helper_heuristic), used
                                      // or not; depends on timing
  std::uint64_t evaluated_incremental = 0;  // of `evaluated`: from the parent's memo
  std::uint64_t refreshed = 0;       // of those: checked from scratch as well (see above)
  std::uint64_t refresh_raised = 0;  // of those: the value from scratch was larger and was kept
  bool refresh_off = false;          // the checks switched themselves off (too few raised)
  std::uint64_t reopened = 0;   // closed states put back on the open list by a cheaper path
  std::uint64_t pruned = 0;     // applicable operators stubborn sets kept out of `generated`
  bool pruning_off = false;     // stubborn sets switched themselves off (too little to prune)
  std::size_t states = 0;       // distinct states stored
  std::size_t bytes_per_state = 0;  // packed state size
  std::size_t memory_bytes = 0;     // registry + side tables + open lists, as checked by the limit
  double elapsed_ms = 0;
  int initial_h = 0;  // Heuristic::kInfinity when the initial state is a dead end
};

struct SearchResult {
  SearchStatus status = SearchStatus::unsolvable;
  LimitKind limit = LimitKind::none;  // which limit stopped the search when status == limit
  Plan plan;                          // the plan when status == solved, else empty
  SearchStats stats;
};

[[nodiscard]] std::string_view to_string(SearchStatus s);
[[nodiscard]] std::string_view to_string(LimitKind k);
[[nodiscard]] std::string_view to_string(SearchKind k);

class Searcher {
 public:
  explicit Searcher(const ground::Task& task);
  explicit Searcher(ground::Task&&) = delete;  // it keeps a reference: no temporaries

  // Runs one search from task.initial. The returned reference stays valid until the next solve or
  // the Searcher's destruction. Throws std::invalid_argument for a contradictory config
  // (preferred operators with A*, weight < 1, deferred weighted A* with preferred operators,
  // symmetries with lazy greedy search) or an initial state of the wrong size.
  const SearchResult& solve(Heuristic& heuristic, const SearchConfig& config = {},
                            const SearchLimits& limits = {});

  [[nodiscard]] const SearchResult& result() const { return result_; }
  [[nodiscard]] const ground::Task& task() const { return task_; }

 private:
  enum class Status : std::uint8_t { open, closed, dead_end };
  struct Node {
    std::int64_t g;
    int h;
    StateId parent;  // invalid for the initial state
    ground::OpId op; // the operator from parent; invalid for the initial state
    Status status;
    bool evaluated;  // false: h is the parent's bound, not yet the heuristic's (deferred A*)
    // The state is parent[op] as generated (no symmetry renamed it): incremental evaluation may
    // start from the parent's memo.
    bool inherits = true;
  };
  // Where a state's memo (Heuristic::save_memo) is in memo_.
  struct MemoSpan {
    std::uint64_t begin = 0;
    std::uint32_t size = 0;
  };

  int evaluate(Heuristic& heuristic, const std::uint32_t* state,
               std::vector<ground::OpId>* preferred);
  int counted(const Heuristic& heuristic, int h);  // stats.evaluated; a negative h throws
  const SearchResult& solve_lazy(Heuristic& heuristic, const SearchConfig& config,
                                 const SearchLimits& limits);
  int next_queue(bool regular, bool preferred);  // 0 regular, 1 preferred, -1 both empty
  void generate(const SearchConfig& config, const std::uint32_t* state);  // into applicable_
  // Deferred A* with a helper (evaluating ahead, see above).
  void find_waiting(int q, std::int64_t g_weight, std::int64_t h_weight, std::size_t max);
  void feed_helper(int q, std::int64_t g_weight, std::int64_t h_weight);
  void collect_ahead();
  void file_ahead(std::uint32_t state, int h, const std::vector<SuccessorBound>& bounds, StateId parent,
                  MemoSpan memo, Refresh refresh);
  int evaluate_popped(Heuristic& heuristic, StateId id, int q, std::int64_t g_weight,
                      std::int64_t h_weight, bool& known);
  // Incremental evaluation: the state whose memo evaluates `id`, or invalid (from scratch).
  [[nodiscard]] StateId memo_parent(StateId id) const;
  // The value at or below which an incremental value of `id` is checked from scratch, or -1.
  // It only ever narrows as the search goes on.
  [[nodiscard]] int refresh_at(StateId id) const;
  // Whether a value of `id` found ahead, whose check was `refresh`, is what this thread would
  // find now; if so, `refresh` becomes the check it would make now.
  [[nodiscard]] bool checked_alike(StateId id, Refresh& refresh) const;
  // Evaluates `id` (its values at `values`) on this thread's heuristic, from memo_parent's memo
  // when there is one; with incremental evaluation its own memo goes to memo_ (`memo`).
  int evaluate_here(Heuristic& heuristic, StateId id, const std::uint32_t* values, MemoSpan& memo,
                    Refresh& refresh);
  void store_memo(StateId id, MemoSpan memo);
  int use_value(const Heuristic& heuristic, StateId id, int h, MemoSpan memo, Refresh refresh);
  void extract_plan(StateId goal, const ground::ObjectSymmetries* symmetries);
  [[nodiscard]] LimitKind expansion_limit(const SearchLimits& limits) const;  // none: go on
  [[nodiscard]] std::size_t memory_bytes() const;
  const SearchResult& finish(SearchStatus status, LimitKind limit);

  const ground::Task& task_;
  SuccessorGenerator successors_;
  std::optional<StubbornSets> stubborn_;  // built on the first solve that asks for it
  StateRegistry registry_;
  std::vector<Node> nodes_;  // indexed by StateId
  OpenList open_[2];         // [0] every state, [1] states reached by a preferred operator
  LazyOpenList lazy_open_[2];  // the same two lists for lazy search
  int priority_[2] = {0, 0};

  // Scratch, kept between solves.
  std::vector<std::uint32_t> state_, child_;
  std::vector<std::uint32_t> side_state_;   // values of a state evaluated ahead on this thread
  std::vector<std::uint64_t> packed_, child_packed_;
  std::vector<ground::OpId> applicable_, preferred_;
  std::vector<std::uint8_t> is_preferred_;  // by operator index
  // Deferred A*: the state whose successor bounds are at hand (expanded after its evaluation),
  // its value, and where its bounds are: still in the heuristic (the state it evaluated last),
  // or kept in kept_bounds_ (evaluated ahead, or the heuristic has moved on since).
  StateId bound_from_ = StateId::invalid();
  int bound_h_ = 0;
  bool bound_kept_ = false;
  std::vector<SuccessorBound> kept_bounds_, known_bounds_;
  std::vector<int> op_bound_;  // by operator index: a kept bound while expanding, else 0

  // Incremental evaluation (SearchConfig::incremental with an incremental heuristic): the memo of
  // every evaluated state, by state index, in one pool.
  bool incremental_ = false;
  bool refresh_on_ = false;  // incremental values are checked from scratch (see above)
  std::vector<std::uint32_t> memo_;
  std::vector<MemoSpan> memo_span_;

  // Evaluating ahead (SearchConfig::helper_heuristic): values found for states not popped yet,
  // by state index, each with its successor bounds ([begin, end) in ahead_bounds_, a pool with
  // live_bounds_ entries still in use).
  struct Ahead {
    int h;
    std::uint32_t begin, end;
    StateId parent;  // whose memo it was evaluated from (memo_parent then), or invalid
    MemoSpan memo;   // its own memo, in memo_
    Refresh refresh;  // what its check from scratch did
  };
  std::optional<EvaluationHelper> helper_;  // built by the first solve that asks for one
  bool helper_active_ = false;              // this solve uses it
  std::unordered_map<std::uint32_t, Ahead> ahead_;
  std::vector<SuccessorBound> ahead_bounds_, pool_scratch_;
  std::size_t live_bounds_ = 0;
  std::vector<ground::OpId> ahead_ops_;
  std::vector<OpenList::Entry> peeked_;
  std::vector<StateId> waiting_;
  std::vector<StateId> path_;                // extract_plan
  std::vector<std::uint32_t> renaming_, applied_;

  std::int64_t start_ns_ = 0;
  SearchResult result_;
};

// One-shot convenience: builds a Searcher, solves, returns a copy of the result.
[[nodiscard]] SearchResult search(const ground::Task& task, Heuristic& heuristic,
                                  const SearchConfig& config = {},
                                  const SearchLimits& limits = {});

}  // namespace goap::search
