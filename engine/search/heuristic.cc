#include "search/heuristic.h"

namespace goap::search {

// Out of line so the vtable has one home.
Heuristic::~Heuristic() = default;

int Heuristic::successor_bound(int h, ground::OpId /*op*/, int cost) const {
  return h > cost ? h - cost : 0;
}

void Heuristic::save_memo(std::vector<std::uint32_t>& /*out*/) const {}

int Heuristic::evaluate_from(const std::uint32_t* state, const std::uint32_t* /*memo*/,
                             std::size_t /*memo_size*/, ground::OpId /*op*/) {
  return evaluate(state, nullptr);
}

int Heuristic::refresh(const std::uint32_t* /*state*/, int h) { return h; }

}  // namespace goap::search
