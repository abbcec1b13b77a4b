// Text from input files and plugins, made safe to print on a terminal.
//
// ESC, OSC, BEL and the other control characters in a world name, a plugin's message or its log
// can move the cursor, retitle the window or rewrite what the user sees. terminal_safe() keeps
// newline and tab, keeps well-formed UTF-8 other than the C1 controls, and writes everything
// else visibly: C0 bytes, DEL and bytes that are not UTF-8 as \xNN, C1 controls (U+0080..U+009F)
// as \u00NN. JSON output needs none of this: the JSON writer escapes control characters.
#pragma once

#include <string>
#include <string_view>

namespace goap::core {

std::string terminal_safe(std::string_view s);

}  // namespace goap::core
