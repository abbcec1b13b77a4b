// Evidence for `c for D` conditions (world.h, Condition::held_for), ground.
//
// Whether a condition has held for long enough is not a property of one state: it comes from
// the run journal's record of sensed readings (exec/memory.h), evaluated once before planning.
// This is the planner's side of it: the set of ground `for` conditions that have the evidence.
// A `for` condition holds iff its plain condition holds in the state AND it is in the set, so
// without a HeldFacts (plan, next: no journal) no `for` condition holds.
#pragma once

#include <string>
#include <unordered_set>

#include "model/world.h"

namespace goap::model {

class HeldFacts {
 public:
  // `c` (with its held_for) has held for long enough, for the ground fact `t`.
  void add(const GroundTerm& t, const Condition& c) { keys_.insert(key(t, c)); }
  [[nodiscard]] bool held(const GroundTerm& t, const Condition& c) const { return keys_.contains(key(t, c)); }
  [[nodiscard]] std::size_t size() const { return keys_.size(); }

 private:
  static std::string key(const GroundTerm& t, const Condition& c);
  std::unordered_set<std::string> keys_;
};

// `c` bound to `t` holds in `state`, and, when it has a `for`, `held` has the evidence for it.
bool condition_holds(const World& w, const State& state, const GroundTerm& t, const Condition& c, const HeldFacts* held);

}  // namespace goap::model
