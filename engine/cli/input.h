// Reading what plan, next and validate share: the world, then the state overrides
// (--state FILE|-, then each --set line, later ones winning). Diagnostics are printed here.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "model/world.h"

namespace goap::cli {

struct Input {
  model::World world;
  model::State state;
};

// nullopt: errors were printed (to stderr, or appended to `errors` when given: `goap batch` puts
// them on the request's own line); the exit code is kInvalidInput.
std::optional<Input> read_input(const std::string& world_path, const std::string& state_file,
                                const std::vector<std::string>& set_lines, const CommonOptions& common,
                                std::string* errors = nullptr);

// The whole of a file, or of stdin for "-", read through core::read_input_file (regular files
// only, never /proc or /sys, never blocking) and at most `max_bytes`. nullopt when it can't be
// read (message printed).
inline constexpr std::size_t kMaxStateFileBytes = std::size_t{4} << 20;  // the YAML cap (README Limits)
std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes = std::size_t{256} << 20);

}  // namespace goap::cli
