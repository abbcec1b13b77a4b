#include "heuristics/factory.h"

#include <array>
#include <stdexcept>
#include <string>

#include "heuristics/blind.h"
#include "heuristics/hadd.h"
#include "heuristics/hff.h"
#include "heuristics/hmax.h"
#include "heuristics/lmcut.h"

namespace goap::heuristics {

namespace {
constexpr std::array<std::string_view, 5> kNames{"blind", "hmax", "add", "ff", "lmcut"};
}  // namespace

std::span<const std::string_view> heuristic_names() { return kNames; }

std::unique_ptr<search::Heuristic> make_heuristic(std::string_view name,
                                                  const ground::Task& task) {
  if (name == "blind") return std::make_unique<BlindHeuristic>(task);
  if (name == "hmax") return std::make_unique<HMaxHeuristic>(task);
  if (name == "add") return std::make_unique<HAddHeuristic>(task);
  if (name == "ff") return std::make_unique<FFHeuristic>(task);
  if (name == "lmcut") return std::make_unique<LMCutHeuristic>(task);
  std::string valid;
  for (std::string_view n : kNames) valid += (valid.empty() ? "" : ", ") + std::string(n);
  throw std::invalid_argument("unknown heuristic '" + std::string(name) + "' (valid: " + valid +
                              ")");
}

}  // namespace goap::heuristics
