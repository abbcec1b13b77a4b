// Did you mean: the names closest to a mistyped one (a subcommand, a long option), for the
// command line's usage errors. Plain strings in, plain strings out: main.cc, the only file
// that knows CLI11, gathers the names and prints the message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace goap::cli {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring characters each cost 1 ("nxt" -> "next" is 1, "nxet" -> "next" is 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The names nearest to `typed`, in the order given, when any is near enough to be a plausible
// typo: at most 2 edits, and fewer than half of the longer name's length (so "ab" suggests no
// "run"). Empty when nothing is that close.
std::vector<std::string> closest_names(std::string_view typed, const std::vector<std::string>& names);

// " did you mean 'a'?" / " did you mean 'a' or 'b'?" with `prefix` before each name ("--"
// for options), or "" when `names` is empty.
std::string did_you_mean(const std::vector<std::string>& names, std::string_view prefix = "");

}  // namespace goap::cli
