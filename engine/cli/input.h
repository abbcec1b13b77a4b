// Reading what plan, next and validate share: the world, then the state overrides
// (--state FILE|-, then each --set line, later ones winning). Diagnostics are printed here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/diag.h"
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

// The state the world starts in, with a --state file and --set lines applied over it (later ones
// win). nullopt: errors, rendered with `sm` (which holds the world's files) as read_input does.
std::optional<model::State> read_state(const model::World& world, const std::string& state_file,
                                       const std::vector<std::string>& set_lines, core::SourceManager& sm,
                                       const CommonOptions& common, std::string* errors = nullptr);

// The whole of a file, or of stdin for "-", read through core::read_input_file (regular files
// only, never /proc or /sys, never blocking) and at most `max_bytes`. nullopt when it can't be
// read (message printed).
inline constexpr std::size_t kMaxStateFileBytes = std::size_t{4} << 20;  // the YAML cap (README Limits)
std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes = std::size_t{256} << 20);

// Which file a path named when it was read: a file edited, replaced or touched since reads as
// another (mtime has nanoseconds; size catches an edit within one clock tick).
struct FileIdentity {
  std::uint64_t dev = 0, ino = 0, size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

// The identity `path` has now (following symlinks); nullopt when it cannot be stat'ed.
std::optional<FileIdentity> identify(const std::string& path);

struct RegularFile {
  std::string text;       // the whole file, at most max_bytes
  FileIdentity identity;  // of the file the text came from (fstat on the descriptor read)
};

// core::read_input_file with the identity of what was read, for caches: regular files only,
// never /proc or /sys, never blocking, at most `max_bytes`. nullopt: *error says why, as
// "'PATH' is a FIFO; ..." or "'PATH' is larger than the limit of 4 MiB" (terminal-safe).
std::optional<RegularFile> read_regular_file(const std::string& path, std::size_t max_bytes, std::string* error);

}  // namespace goap::cli
