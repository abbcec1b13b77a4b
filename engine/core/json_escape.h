// JSON string quoting without a JSON library (used by the log facade and hand-written output).
#pragma once

#include <string>
#include <string_view>

namespace goap::core {

// `s` as a JSON string literal, quotes included; control characters escaped, bytes >= 0x80 kept.
std::string json_quote(std::string_view s);

}  // namespace goap::core
