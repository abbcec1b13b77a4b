// Mutex groups: sets of boolean facts of which at most one is true in every reachable state, and
// the task rewrite that turns each group into one multi-valued variable.
//
// PDDL (and many YAML worlds) spell a multi-valued property as several booleans: a block is
// `on(a, *)`, `ontable(a)` or `holding(a)`, never two at once. Merging such a group into one
// variable whose values are its facts (plus `none` when none of them may hold) gives the search
// a state of a few bits instead of one per fact, and removes the operators whose preconditions
// ask for two facts of one group: they can never fire, yet the delete relaxation (h_max, LM-cut,
// h_FF) would happily use them. That check uses every invariant group found, not only the ones
// merged (Fast Downward's translator does the same): in depot, `drop(h, c, c, p)` asks for
// `clear(c)` and `lifting(h, c)`, which share a group the cover did not keep whole.
//
// Finding groups follows invariant synthesis (Helmert 2009, "Concise finite-domain
// representations for PDDL planning tasks", section 5), with one difference: a candidate is
// checked on the ground operators of the task, not on the action schemas.
//   - A candidate is a set of *parts*, at most one per fact name: `on(x, *)` says "facts named on
//     whose first argument is the candidate's parameter x, any second argument (the counted
//     position)". An instance of a candidate is one binding of its parameters; its group is the
//     boolean variables matching one of the parts.
//   - An instance is an invariant when at most one of its facts holds initially and every
//     operator that makes one of its facts true either (a) found it true already, or (b) makes
//     exactly one true and deletes another of them that its precondition requires. Operators
//     then never raise the count above one: the proof is induction over the reachable states.
//   - An instance failing (b) suggests a bigger candidate: add the fact the operator deletes
//     (from its preconditions) as a new part. Candidates start from every fact name with every
//     choice of counted position and grow this way, breadth first, up to `max_candidates`.
// Variables with a negative precondition (`x = false`) stay boolean: in a group, "not this
// value" is not one atom.
//
// Choosing groups: the largest group first, its facts removed from the others (each variable in
// at most one group), until no group of two or more is left (Fast Downward's translator does the
// same). A group whose operators cannot be written with plain var = value effects (a fact
// deleted without a precondition saying the group is in that fact) stays boolean.
//
// Determinism: candidates, instances and groups are visited in task order; equal inputs give
// equal groups. Nothing here reads the model beyond the fact names and arguments it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ground/budget.h"
#include "ground/task.h"
#include "model/world.h"

namespace goap::ground {

struct MutexGroupStats {
  std::size_t candidates = 0;    // candidates checked
  std::size_t groups = 0;        // groups merged into variables
  std::size_t merged_vars = 0;   // boolean variables those groups replaced
  std::size_t dead_operators = 0;  // operators dropped: two facts of one group in the precondition
  double ms = 0;
};

// The ground fact behind each task variable, or nullopt for one that is not a boolean fact
// (enumerations and integers are already multi-valued; they never join a group).
using VariableFacts = std::vector<std::optional<model::GroundTerm>>;

// Groups of variables (each sorted; groups in a deterministic order) of which at most one is
// true (value 1) in every state reachable from task.initial, each of two or more variables.
struct MutexGroups {
  std::vector<std::vector<std::uint32_t>> cover;       // disjoint: the ones to merge
  std::vector<std::vector<std::uint32_t>> invariants;  // every group found, overlapping, untrimmed
};

// `stats` (optional) gets the number of candidates checked. With a `budget` (budget.h) the search
// for groups runs under its limits and throws LimitExceeded when it runs out.
MutexGroups find_mutex_groups(const Task& task, const VariableFacts& facts, MutexGroupStats* stats = nullptr,
                              std::size_t max_candidates = 2000, Budget* budget = nullptr);

// Where each variable of a merged task comes from (merge_mutex_groups' optional output):
// `from[v]` is the one input variable a kept variable is, or a merged variable's members in value
// order (value i: member i true; a value past them: `none`); `merged[v]` says which.
struct MergeOrigin {
  std::vector<std::vector<std::uint32_t>> from;
  std::vector<std::uint8_t> merged;
};

// `task` with each encodable group of `groups.cover` merged into one variable (named after its
// facts; values: the facts in group order, then `none` when needed). Variables keep their
// relative order, a group taking the place of its first member. Operators keep their order,
// names, actions and arguments; operators whose precondition asks for two facts of one group
// (of the cover or the invariants) are applicable in no reachable state and are dropped. So the
// two tasks have the same plans, step for step. `origin` (optional) gets what each variable is.
Task merge_mutex_groups(const Task& task, const MutexGroups& groups, MutexGroupStats* stats,
                        MergeOrigin* origin = nullptr);

}  // namespace goap::ground
