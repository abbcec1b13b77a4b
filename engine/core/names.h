// Name helpers shared by the loaders and the CLI: the name grammar and "did you mean".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace goap::core {

// True when `s` matches the name grammar `[a-z][a-z0-9_-]*`.
bool is_valid_name(std::string_view s);

// Levenshtein distance (insert, delete, substitute: 1 each; adjacent swap: 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// Up to `max` candidates close enough to `name` to be a likely typo, closest first, ties by name.
std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string>& candidates,
                                       std::size_t max = 3);

// "did you mean 'a'?" / "did you mean 'a' or 'b'?" / "" when there is nothing close.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

// "'a', 'b' and 'c'"
std::string quoted_list(const std::vector<std::string>& items);

}  // namespace goap::core
