// Heuristics by name: the one place that maps a user-facing name to a heuristic class.
//
//   blind  BlindHeuristic   admissible
//   hmax   HMaxHeuristic    admissible
//   add    HAddHeuristic
//   ff     FFHeuristic      preferred operators
//   lmcut  LMCutHeuristic   admissible
//
// The returned heuristic keeps a reference to `task`, which must outlive it.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "ground/task.h"
#include "search/heuristic.h"

namespace goap::heuristics {

// Throws std::invalid_argument naming the valid names when `name` is not one of them.
[[nodiscard]] std::unique_ptr<search::Heuristic> make_heuristic(std::string_view name,
                                                                const ground::Task& task);
std::unique_ptr<search::Heuristic> make_heuristic(std::string_view, ground::Task&&) = delete;

// The valid names, in the order above.
[[nodiscard]] std::span<const std::string_view> heuristic_names();

}  // namespace goap::heuristics
