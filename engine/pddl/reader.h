// Reading PDDL into the model (the public face of engine/pddl).
//
// A domain and a problem file become the same model::World the YAML loader builds, so every
// grounding, search and heuristic serves both:
//   (:types t - parent)          -> model::Type          (every type descends from `object`)
//   (:constants ...) (:objects ...) -> model::Object     (constants first, in file order)
//   (:predicates (p ?x - t))     -> bool model::FactDecl with typed params
//   (:action ...)                -> model::Action: pre (atoms, `not` atoms), eff (deletes before
//                                   adds), `(= ?x ?y)` / `(not (= ?x ?y))` as ArgRelations, and the
//                                   cost from `(increase (total-cost) N | (f ?x ...))`
//   (:functions (f ?x - t) - number) + `(= (f a) 3)` in :init -> model::FunctionDecl (costs only)
//   (:init ...)                  -> World::state_lines
//   (:goal ...)                  -> one model::Goal, named "goal", whose `want` is the conjunction
// The World's `add_after_delete` is set: PDDL lets an add win over a delete of the same atom.
//
// Supported: STRIPS, :typing, :negative-preconditions, :equality, :action-costs. Any other
// requirement, and any construct beyond these (or, forall, when, numeric conditions, ...), is a
// located error that names it. Names are case-insensitive and read lower-cased; a name outside
// goap's grammar `[a-z][a-z0-9_-]*` (e.g. `1st` or `a.b`) gets a deterministic goap name and keeps
// its PDDL spelling in `action_names` / `object_names`, which IPC plans are written with.
//
// Costs: with `(:metric minimize (total-cost))` each action costs what its `increase` effects add
// (0 without one): "general cost". Without the metric every action costs 1: "unit cost".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diag.h"
#include "model/world.h"

namespace goap::pddl {

struct PddlTask {
  model::World world;
  std::vector<std::string> action_names;  // by model::ActionId: the PDDL name, lower-cased
  std::vector<std::string> object_names;  // by model::ObjectId: the PDDL name, lower-cased
  bool general_cost = false;              // the problem minimizes total-cost
  std::string domain_name, problem_name;
};

// Reads both files (up to kMaxFileBytes each: a larger one is a located error, read no further). Every diagnostic goes to `diags`, with the file text
// kept in `sm` for rendering; the task is returned only when there was no error.
std::optional<PddlTask> load_pddl(const std::string& domain_path, const std::string& problem_path,
                                  core::SourceManager& sm, core::Diagnostics& diags);

// The same from text in memory (tests, fuzzing); the paths are only display names.
std::optional<PddlTask> load_pddl_text(const std::string& domain_path, std::string domain_text,
                                       const std::string& problem_path, std::string problem_text,
                                       core::SourceManager& sm, core::Diagnostics& diags);

// 4 MiB, as for a YAML file (load/yaml_doc.h). The largest bundled instance is far below it;
// parsing and translating a 4 MiB problem takes about 2 s and 150 MB (a 9.8 MB one took 16 s and
// 715 MB before there was a cap).
inline constexpr std::size_t kMaxFileBytes = std::size_t{4} << 20;

}  // namespace goap::pddl
