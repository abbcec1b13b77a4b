// Text from input files on its way to a terminal.
//
// `terminal_safe` keeps printable text, UTF-8 included, and replaces every byte a terminal would
// act on with a visible escape: C0 controls except tab and newline (ESC, BEL, ...) and DEL as
// `\x1b`, C1 controls (U+0080..U+009F, e.g. CSI) as `\u009b`, and bytes that are not valid UTF-8
// as `\xff`. So a name or a log line cannot move the cursor, retitle the window or hide text.
#pragma once

#include <string>
#include <string_view>

namespace goap::core {

std::string terminal_safe(std::string_view s);

}  // namespace goap::core
