// Object symmetries: swaps of interchangeable objects that map the task onto itself.
//
// In gripper every ball starts in one room and must reach the other, so the states "ball1 in the
// left hand" and "ball2 in the left hand" have the same future, up to renaming. A search that
// stores one state per class of such states (Pochter, Zohar and Rosenschein 2011; Domshlak,
// Katz and Shleyfman 2012, "DKS") expands exponentially fewer states there and the same plan
// cost everywhere: a symmetry maps every plan onto a plan of equal cost.
//
// What is found: transpositions of two objects a and b whose renaming (a <-> b in every fact
// and operator argument) is an automorphism of the ground task:
//   - every variable maps onto a variable of the same shape (a fact onto a fact, a merged group
//     onto a group whose facts are the renamed members; `none` onto `none`);
//   - every operator maps onto the operator with the renamed arguments, with equal cost and the
//     renamed preconditions and effects;
//   - the initial state and the goal map onto themselves.
// Checked on the ground task, so static facts, action costs and domain constants are taken into
// account without looking at the PDDL: a difference in any of them shows as a missing or
// different operator. Objects that pass with one another form a class (the transpositions of a
// class generate its whole symmetric group: (x y) = (r x)(r y)(r x)); each class contributes the
// swaps of neighbours as generators. Candidates are first grouped by how often they appear at
// each argument position of each action, so objects that cannot be alike are never compared.
//
// Canonical states: `canonicalize` applies generators while one makes the state
// lexicographically smaller (Fast Downward's greedy canonicalisation with generators). The
// result is symmetric to the input, and usually the same for all symmetric inputs; when it is
// not, the search keeps two copies of a class, which costs time, never correctness.
//
// Plans: a search over canonical states records the operator applied to each canonical parent.
// `canonicalize` can report the generators it applied, and `map_op` renames an operator, so the
// real plan is rebuilt forward from the initial state (search.cc, extract_plan).
//
// Ownership: plain data, read-only after construction; safe to share between threads.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "ground/mutex_groups.h"
#include "ground/budget.h"
#include "ground/task.h"
#include "model/world.h"

namespace goap::ground {

// What a task variable stands for, in terms an object renaming acts on.
struct VarFacts {
  // false: the one ground fact facts[0], whose values a renaming keeps (a boolean, an
  // enumeration). true: value i says "facts[i] holds", a value past them "none of them".
  bool group = false;
  std::vector<model::GroundTerm> facts;
};

// The facts behind the variables of a task merged by merge_mutex_groups, from the ground fact
// of each variable before merging.
std::vector<VarFacts> merged_variable_facts(const std::vector<model::GroundTerm>& before, const MergeOrigin& origin);

// A swap of two objects, as it acts on the task. An involution: it is its own inverse.
struct SymmetryGenerator {
  std::uint32_t a = 0, b = 0;             // the objects swapped (model object indices), a < b
  std::vector<std::uint32_t> support;      // variables it moves or whose values it permutes, increasing
  std::vector<std::uint32_t> partner;      // per support entry: the entry of the image variable
  std::vector<std::uint32_t> value_begin;  // per support entry: where its value map starts in `values`
  std::vector<std::uint32_t> values;       // value x of support[j] -> the value on its image variable
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ops;  // (operator, image) when they differ, by operator
};

struct SymmetryStats {
  std::size_t classes = 0;     // classes of two or more interchangeable objects
  std::size_t objects = 0;     // objects in those classes
  std::size_t generators = 0;
  std::size_t checked = 0;     // object pairs checked
  double ms = 0;
};

class ObjectSymmetries {
 public:
  ObjectSymmetries() = default;
  explicit ObjectSymmetries(std::vector<SymmetryGenerator> generators, std::vector<std::vector<std::uint32_t>> classes);

  [[nodiscard]] bool empty() const { return generators_.empty(); }
  [[nodiscard]] const std::vector<SymmetryGenerator>& generators() const { return generators_; }
  // The classes of interchangeable objects (object indices, increasing), each of two or more.
  [[nodiscard]] const std::vector<std::vector<std::uint32_t>>& classes() const { return classes_; }

  // Replaces `state` (one value per variable) by a symmetric state, lexicographically as small as
  // greedy descent over the generators gets it. Appends the generators applied, in order, to
  // `applied` when given: the state is the input with those applied in turn.
  void canonicalize(std::uint32_t* state, std::vector<std::uint32_t>* applied = nullptr) const;
  // Generator g applied to `state`, in place.
  void apply(std::uint32_t g, std::uint32_t* state) const;
  // The operator generator g maps `op` onto.
  [[nodiscard]] OpId map_op(std::uint32_t g, OpId op) const;

 private:
  [[nodiscard]] bool makes_smaller(const SymmetryGenerator& g, const std::uint32_t* state) const;

  std::vector<SymmetryGenerator> generators_;
  std::vector<std::vector<std::uint32_t>> classes_;
};

// The object symmetries of `task`. `facts` has one entry per variable; `num_objects` bounds the
// object indices in operator arguments and facts. Returns none (empty) for a task it cannot
// reason about: two operators with the same action and arguments (a split binding), or facts
// that do not describe the variables. `max_checks` caps the pairs compared. With a `budget`
// (budget.h) it runs under its limits and throws LimitExceeded when it runs out.
ObjectSymmetries find_object_symmetries(const Task& task, const std::vector<VarFacts>& facts, std::size_t num_objects,
                                        SymmetryStats* stats = nullptr, std::size_t max_checks = 20000,
                                        Budget* budget = nullptr);

}  // namespace goap::ground
