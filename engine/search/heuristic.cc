#include "search/heuristic.h"

namespace goap::search {

// Out of line so the vtable has one home.
Heuristic::~Heuristic() = default;

}  // namespace goap::search
