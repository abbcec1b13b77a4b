// Loading goap YAML files into the model (the public face of engine/load).
//
// A world file pulls in action and goal files through `uses:` (paths and globs relative to the
// file that names them; cycles, missing files and globs that match nothing are errors). Every
// diagnostic of the whole load is collected; the World is returned only when there was no error.
// All file text is kept in the caller's SourceManager so diagnostics can be rendered later.
//
// Input limits (documented in README "Limits"): 4 MiB per file, 64 levels of nesting, one YAML
// document per file, no alias expansion beyond 4 nodes per input byte, UTF-8 text only. Every
// file is read through core::read_input_file: regular files only, never /proc or /sys.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/diag.h"
#include "model/world.h"

namespace goap::load {

// `uses:` stays inside the world's tree: the folder of the world file (symbolic links resolved),
// or the folder above it when the world sits in a folder named `worlds` (the bundled layout:
// worlds/, plugins/, goals/ side by side). A target outside is an error at its `uses:` entry and
// is not read. A glob matches at most kMaxGlobMatches files, reads at most kMaxGlobEntries
// directory entries, and never lists a folder outside the tree or under /proc, /sys or /dev.
// A `uses:` target must declare a goap kind (`kind: actions` or `kind: goals`); anything else is
// refused unparsed, so no message can quote it.
struct LoadOptions {
  std::vector<std::string> allow_outside;  // more trees `uses:` may read (--allow-outside DIR)
};
inline constexpr std::size_t kMaxGlobMatches = 1000;
inline constexpr std::size_t kMaxGlobEntries = 100000;

// Loads a world and everything it uses.
std::optional<model::World> load_world(const std::string& path, core::SourceManager& sm, core::Diagnostics& diags,
                                       const LoadOptions& options = {});

// Same, from text already in memory (tests, fuzzing); `uses:` resolve relative to `path`'s folder.
std::optional<model::World> load_world_text(const std::string& path, std::string text, core::SourceManager& sm,
                                            core::Diagnostics& diags, const LoadOptions& options = {});

// A `kind: state` document (YAML, or JSON, which is YAML) resolved against `world`.
std::optional<std::vector<model::StateLine>> load_state_text(const std::string& display_name, std::string text,
                                                             const model::World& world, core::SourceManager& sm,
                                                             core::Diagnostics& diags);

// One state line such as `ollama_restarts = 2` or `not disk_ok(hermes-vps)` (the CLI's --set).
std::optional<model::StateLine> parse_state_line(const std::string& display_name, const std::string& line,
                                                 const model::World& world, core::SourceManager& sm,
                                                 core::Diagnostics& diags);

// Applies state lines over a state (later lines win).
void apply_state_lines(const model::World& world, const std::vector<model::StateLine>& lines, model::State& state);

// `goap check FILE`: a world is loaded fully (plus its uses and its <stem>.sensors.yaml); an
// actions, goals or state file on its own is checked for structure and expression syntax only; a
// sensors file is checked against the world beside it. Every file read is also searched for
// secrets written into it (load/secrets.h: warnings). Returns the world if FILE is one.
std::optional<model::World> check_file(const std::string& path, core::SourceManager& sm, core::Diagnostics& diags,
                                       const LoadOptions& options = {});

}  // namespace goap::load
