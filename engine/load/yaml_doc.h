// Reading one YAML file safely, and mapping yaml-cpp nodes back to file positions.
// Internal to engine/load (the only module that includes yaml-cpp).
//
// `read_yaml_file` enforces the documented input limits before and after yaml-cpp sees the text:
//   - at most kMaxFileBytes (4 MiB) per file; UTF-8 text without NUL bytes;
//   - one YAML document per file;
//   - nesting at most kMaxDepth (64) levels, and at most kMaxNodesPerByte nodes per input byte
//     when aliases are followed (an alias bomb expands far beyond that and is refused);
//   - duplicate mapping keys are errors (yaml-cpp 0.7 accepts them silently).
// Each problem is one located diagnostic; the function returns nullopt if the file is unusable.
#pragma once

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diag.h"
#include "load/expr.h"
#include "model/world.h"

namespace goap::load::detail {

inline constexpr std::size_t kMaxFileBytes = 4u << 20;
inline constexpr int kMaxDepth = 64;
inline constexpr std::size_t kMaxNodesPerByte = 4;

struct YamlFile {
  std::uint32_t file = 0;  // index in the SourceManager
  YAML::Node root;
};

// Registers `text` under `display_path` and parses it. Errors go to `diags`.
std::optional<YamlFile> parse_yaml(std::string display_path, std::string text, core::SourceManager& sm,
                                   core::Diagnostics& diags, core::SourceLoc used_from = {});

// Reads a file from disk through core::read_input_file (regular files only, never /proc or /sys,
// at most kMaxFileBytes). A file that can't be read is an error at `used_from`; nothing of its
// text is kept.
std::optional<std::string> read_file_text(const std::string& path, const std::string& display_path,
                                          core::SourceManager& sm, core::Diagnostics& diags,
                                          core::SourceLoc used_from = {});

// True when the text declares a goap kind (`kind: world|actions|goals|state|sensors` as a key at
// the start of a line, YAML or JSON). Only such files are read through `uses:`: anything else is
// not a goap input, and goap prints nothing of it.
bool declares_goap_kind(std::string_view text);

// True when some line starts with a `kind` key, whatever its value (`kind: wrld`, `- kind:`,
// `[kind, world]`). Only such files show source lines in their diagnostics (parse_yaml): a file
// that never says it is a goap file (say /etc/shadow given as a world) is located, not quoted.
bool names_a_kind(std::string_view text);

// read_file_text, then parse_yaml.
std::optional<YamlFile> read_yaml_file(const std::string& path, const std::string& display_path,
                                       core::SourceManager& sm, core::Diagnostics& diags,
                                       core::SourceLoc used_from = {});

// The location of a node (1-based), underlining a scalar's text; falls back to `fallback`.
core::SourceLoc loc_of(const YAML::Node& n, std::uint32_t file, const core::SourceManager& sm,
                       core::SourceLoc fallback = {});

// A scalar's text with the byte -> file position map (handles quotes; escapes map to the start).
SourceText scalar_text(const YAML::Node& n, std::uint32_t file, const core::SourceManager& sm);

// The items of a list of expressions. In a flow list (`[f(a, b), g]`) yaml-cpp splits `f(a, b)` at
// the comma; an item with an unclosed '(' takes the following items, joined by ", ", until it
// closes (FORMAT.md section 3). A lone scalar is a list of one. Non-scalar items are reported.
std::vector<SourceText> expression_list(const YAML::Node& n, std::uint32_t file, const core::SourceManager& sm,
                                        core::Diagnostics& diags, const std::string& what);

const char* node_kind_name(const YAML::Node& n);

// A plugin's `with:` mapping (an action's `run:` or a sensor): each parameter one value or a
// list of values, kept as written, in file order. `check` sees every value (template checks)
// and returns false to reject it. A parameter written without a value is kept with no items
// when `allow_empty`, else reported. An absent or empty `with` reads as no parameters.
struct WithRead {
  bool is_map = true;  // false: `with` is not a mapping (reported) and nothing was read
  bool ok = true;      // false: some parameter was reported
};
WithRead read_with(const YAML::Node& with, std::uint32_t file, const core::SourceManager& sm,
                   core::Diagnostics& diags, bool allow_empty, const std::function<bool(const YAML::Node&)>& check,
                   std::vector<std::pair<std::string, model::WithValue>>& out);

// `map[key]`, or an undefined node when `map` is not a mapping or lacks the key. (A missing key
// read through a const yaml-cpp node is a "zombie" that throws on every use; this never does.)
YAML::Node get(const YAML::Node& map, const std::string& key);

}  // namespace goap::load::detail
