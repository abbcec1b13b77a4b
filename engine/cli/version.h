// `goap --version`: the version, the plugin API version plugins must be built for, and the git
// commit the binary was built from (vcs_tag in engine/cli/meson.build; "unknown" outside a git
// checkout). Its own small file: a new commit recompiles only version.cc, not main.cc.
#pragma once

#include <string>

namespace goap::cli {

std::string version_text();
// The same as one JSON document (`goap --version --json`):
// {"format_version": 1, "version": "0.1.0", "plugin_api": 1, "commit": "1c78ebc8d3ea"}.
std::string version_json();

}  // namespace goap::cli
