#include "search/heuristic.h"

namespace goap::search {

// Out of line so the vtable has one home.
Heuristic::~Heuristic() = default;

int Heuristic::successor_bound(int h, ground::OpId /*op*/, int cost) const {
  return h > cost ? h - cost : 0;
}

}  // namespace goap::search
