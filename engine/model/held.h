// Evidence for `c for D` conditions (world.h, Condition::held_for), ground.
//
// Whether a condition has held for long enough is not a property of one state: it comes from
// the run journal's record of sensed readings (exec/memory.h), evaluated once before planning.
// This is the planner's side of it: the set of ground `for` conditions that have the evidence.
// A `for` condition holds iff its plain condition holds in the state AND it is in the set, so
// without a HeldFacts (plan, next: no journal) no `for` condition holds.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "model/world.h"

namespace goap::model {

class HeldFacts {
 public:
  // `c` (with its held_for) has held for long enough, for the ground fact `t`.
  void add(const GroundTerm& t, const Condition& c) { keys_.insert(key(t, c)); }
  // The caller's word (a state file's `f = v for D`): `t` has had value `value` for `d`.
  void assume(const GroundTerm& t, int value, std::chrono::milliseconds d) { assumed_[t] = {value, d}; }
  [[nodiscard]] bool held(const GroundTerm& t, const Condition& c) const {
    if (keys_.contains(key(t, c))) return true;
    auto it = assumed_.find(t);
    return it != assumed_.end() && c.holds(it->second.first) && it->second.second >= c.held_for;
  }
  [[nodiscard]] std::size_t size() const { return keys_.size(); }

 private:
  static std::string key(const GroundTerm& t, const Condition& c);
  std::unordered_set<std::string> keys_;
  std::unordered_map<GroundTerm, std::pair<int, std::chrono::milliseconds>, GroundTermHash> assumed_;
};

// `c` bound to `t` holds in `state`, and, when it has a `for`, `held` has the evidence for it.
bool condition_holds(const World& w, const State& state, const GroundTerm& t, const Condition& c, const HeldFacts* held);

}  // namespace goap::model
