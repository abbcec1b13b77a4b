// The `goap pddl` pipeline as a function: parse -> ground -> goal task -> one search -> validate
// twice. Shared by `goap pddl` (cmd_pddl.cc) and `goap batch` (cmd_batch.cc) so both answer alike.
//
// Nothing here prints: diagnostics come back rendered in `errors`, and the caller decides where
// they go. Safe to call from several threads at once (every call owns its model and searcher).
#pragma once

#include <string>
#include <vector>

#include "cli/commands.h"
#include "ground/grounder.h"
#include "ground/mutex_groups.h"
#include "ground/symmetries.h"
#include "search/search.h"

namespace goap::cli {

struct PddlSolved {
  bool loaded = false;       // false: input errors (rendered in `errors`); kInvalidInput
  bool internal_error = false;  // a plan failed validation (a bug); message in `errors`
  std::string errors;
  std::string status;        // plan | satisfied | unsolvable | limit
  std::string reason;
  std::string heuristic;
  bool deferred = false;     // A* evaluated states when popping them (SearchConfig::lazy)
  bool incremental = false;  // ... from their parent's memo when the heuristic can (SearchConfig::incremental)
  std::string pruning;       // none | stubborn-sets, as used
  std::string symmetry;      // none | object, as used
  std::string domain_name, problem_name;
  bool general_cost = false;
  long long cost = 0;
  std::vector<std::string> plan;  // "(pick-up b)", one per step
  search::SearchStats stats;
  double parse_ms = 0, ground_ms = 0;
  std::size_t operators = 0, variables = 0;
  ground::GroundingStats grounding;
  ground::MutexGroupStats mutex;
  ground::SymmetryStats symmetries;
};

PddlSolved solve_pddl(const PddlOptions& o, const CommonOptions& common);

// Empty, or why the options cannot go together (a usage error; solve_pddl assumes none).
std::string symmetry_conflict(const PddlOptions& o);

}  // namespace goap::cli
