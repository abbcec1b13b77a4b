#include "model/held.h"

namespace goap::model {

std::string HeldFacts::key(const GroundTerm& t, const Condition& c) {
  std::string k = std::to_string(t.fact.index());
  for (ObjectId o : t.args) k += "," + std::to_string(o.index());
  k += "|" + std::to_string(static_cast<int>(c.op)) + "|" + std::to_string(c.value) + "|" + std::to_string(c.held_for.count());
  return k;
}

bool condition_holds(const World& w, const State& state, const GroundTerm& t, const Condition& c, const HeldFacts* held) {
  if (!c.holds(state.value(t, w.fact(t.fact)))) return false;
  return c.held_for.count() == 0 || (held != nullptr && held->held(t, c));
}

}  // namespace goap::model
