// Choosing what to do: plan every relevant goal (in parallel, on TBB workers) and pick one.
//
// FORMAT.md section 4: every goal whose `when` holds and whose `want` is unmet is planned; the
// answer is the highest-priority goal that has a plan, ties to the lower cost, then the name.
// Goals already met are `satisfied`; goals whose `when` is false are `inactive`.
// With `only_goal` set, that goal alone is planned whatever its `when` says.
//
// Unknown facts (PlannerOptions::unknown: sensors failed to read them) are never acted on: a
// ground action whose precondition reads one (or whose `+=`/`-=` effect does) is left out
// (GoalOutcome::operators_unknown), and a goal whose `when` reads one, or whose `want` reads one
// where the `when` holds, is `unknown`: not planned, and not reported satisfied on a guess.
//
// Protection (PlannerOptions::protect): a goal that holds now is protected, unless it says
// `protect: false`. "Holds now" is per ground instance: a binding of its `forall` (the goal itself
// without one) whose `when` holds (or that has none) and whose whole `want` holds. No plan for a
// goal of LOWER priority may pass through a state that breaks a protected instance: its search
// runs on a task without the operators that would (ground/grounder.h, make_goal_task), so it is
// optimal among the plans that keep them. Goals of equal priority do not protect each other
// (neither is more important; the tie rule picks one, FORMAT.md section 4), and a goal never
// constrains its own plan. A protected fact that the planned goal wants as well (with no value the
// protected goal would not allow) is kept at the end of the plan rather than in every state: the
// plan must end with it anyway, so breaking it on the way is part of the goal's own work (the
// `operator_notified` pattern: a destructive step clears it, notify-operator restores it).
// A goal whose plan would have to break a protected goal is
// `unsolvable` with the reason "no plan that keeps 'G' holding" (`blocked_by` names G).
//
// Determinism: each goal is planned by its own searcher over its own task; threads only decide
// *when* a goal is planned, never what its answer is, so the output is the same at any thread count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ground/grounder.h"
#include "model/held.h"
#include "model/world.h"

namespace goap::exec {

enum class SearchAlgorithm { astar, weighted_astar, greedy };

struct PlannerOptions {
  std::optional<model::GoalId> only_goal;
  SearchAlgorithm algorithm = SearchAlgorithm::astar;
  int weight = 2;           // weighted A*
  std::string heuristic;    // empty: lmcut for A*, ff (with preferred operators) otherwise
  int threads = 0;          // 0: TBB's default (all cores)
  std::uint64_t max_expansions = 5'000'000;
  double max_ms = 60'000;
  std::size_t max_memory_bytes = std::size_t{2} << 30;
  // Plan as if these did not exist: action names ("rebuild-vps") or ground actions
  // ("rebuild-vps(hermes-vps)", spaces optional). For `goap explain --without`.
  std::vector<std::string> without;
  // Goals left out of this decision altogether (not planned, not in Decision::goals): `goap run`
  // works on other goals while these wait for an approval (exec/approvals.h).
  std::vector<model::GoalId> skip_goals;
  // Evidence for `c for D` conditions (model/held.h), from the run journal; nullptr (plan, next):
  // none, so no `for` condition holds. A ground action whose `for` precondition lacks evidence is
  // left out like `without`; a goal's `when` with a `for` holds only with its evidence.
  const model::HeldFacts* held = nullptr;
  std::size_t trace_expansions = 0;  // record the first N states each search acts on (--search-tree)
  bool track_progress = false;       // record the lowest h the search reached (explain on a limit)
  // Facts whose value goap does not know (a sensor failed): see the top of this file.
  std::vector<model::GroundTerm> unknown;
  bool protect = true;               // protect goals that hold now (see above)
};

struct PlanStep {
  std::uint32_t action = 0;          // model::ActionId value
  std::vector<std::uint32_t> args;   // model::ObjectId values, in parameter order
  std::string name;                  // "restart-ollama(hermes-vps)"
  int cost = 0;
};

// One state a search acted on (PlannerOptions::trace_expansions), in the order it did.
struct TraceNode {
  std::uint64_t order = 0;
  std::uint32_t state = 0;   // the search's state id: names a node of the search tree
  std::int64_t parent = -1;  // the parent's state id, -1 for the initial state
  std::string via;           // the ground action from the parent, "" for the initial state
  std::int64_t g = 0;
  int h = 0;
  bool is_goal = false;
};

// unknown: the goal reads a fact in PlannerOptions::unknown, so whether it holds is not known.
enum class GoalStatus { inactive, satisfied, plan, unsolvable, limit, unknown };
const char* to_string(GoalStatus s);

struct GoalOutcome {
  model::GoalId goal;
  GoalStatus status = GoalStatus::inactive;
  std::vector<PlanStep> plan;
  long long cost = 0;
  std::string reason;        // why unsolvable / which limit
  bool grounding_limit = false;  // the limit stopped grounding (ground/budget.h), not the search
  std::uint64_t expanded = 0, generated = 0;
  std::size_t states = 0, bytes_per_state = 0;
  double search_ms = 0;
  int initial_h = 0;
  std::vector<TraceNode> trace;  // the first trace_expansions states the search acted on
  int best_h = -1;               // track_progress: the lowest h among them all (-1: not tracked)
  std::int64_t best_h_g = 0;     // and the g of the first state that had it
  std::size_t operators_removed = 0;  // ground actions left out because of `without`
  std::size_t operators_unknown = 0;  // ground actions left out: they read an unknown fact
  std::vector<model::GroundTerm> unknown_read;  // status unknown: the unknown facts it reads
  std::size_t operators_unproven = 0;  // ground actions left out: a `for` precondition lacks evidence
  // Protection (see above): the higher-priority goals this goal's search kept holding, and
  // when it is unsolvable only because of them, the ones every plan would break.
  std::vector<model::GoalId> kept;
  std::vector<model::GoalId> blocked_by;
  std::size_t operators_protected = 0;  // ground actions left out because they would break one
};

struct Decision {
  std::vector<GoalOutcome> goals;  // every goal considered, highest priority first, then by name
  int chosen = -1;                 // index into goals, or -1
  // The answer's status (FORMAT.md section 5); `unknown` when no goal has a plan and some goal
  // is unknown, or a goal is unsolvable only because actions reading unknown facts were left out.
  GoalStatus status = GoalStatus::satisfied;
  std::string heuristic;
  std::string algorithm;
  bool optimal = true;             // false for satisficing configurations
  ground::GroundingStats grounding;
  double total_ms = 0;
  // Grounding hit a limit (ground/budget.h) before any goal could be planned: status is limit and
  // this says which action or goal, its estimated count and which limit. Empty otherwise.
  std::string grounding_limit;
  // Every goal with at least one instance that holds now and is protected (see above), by
  // priority then name.
  std::vector<model::GoalId> protected_goals;
};

struct PlanningError {
  std::string message;
};

// Grounds `world` for `state`, plans, decides. Errors only for a model that cannot be grounded.
// Grounding runs under the same time and memory limits as each goal's search: a grounding that
// would exceed them stops early and the Decision says `limit` (grounding_limit says why); a goal
// whose own task or search runs out of memory (std::bad_alloc included) is a `limit` goal.
std::optional<Decision> decide(const model::World& world, const model::State& state, const PlannerOptions& options,
                               PlanningError* error);

}  // namespace goap::exec
