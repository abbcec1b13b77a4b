// The logging facade: the one way goap code logs.
//
// Quiet by default (warnings and errors only); `-v` adds info, `-vv` debug, `-vvv` trace.
// `--log-json` writes one JSON object per line ({"ts","level","msg"}) for machines. Everything
// goes to stderr so stdout stays the command's answer. Behind the facade is spdlog; this header
// keeps spdlog out of every file that merely logs (only log.cc includes it).
// Plugins get the same sink through `sink()` (a plugin never configures logging itself).
#pragma once

#include <fmt/format.h>

#include <memory>
#include <string_view>
#include <utility>

namespace spdlog {
class logger;
}

namespace goap::core::log {

enum class Level { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 6 };

// verbosity 0: warn, 1: info, 2: debug, >= 3: trace. Safe to call again (tests, the CLI).
void init(int verbosity, bool json);
[[nodiscard]] bool enabled(Level level);
void write(Level level, std::string_view message);
// The logger the host hands to plugins and subsystems.
std::shared_ptr<spdlog::logger> sink();

template <class... A>
void trace(fmt::format_string<A...> f, A&&... a) {
  if (enabled(Level::trace)) write(Level::trace, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void debug(fmt::format_string<A...> f, A&&... a) {
  if (enabled(Level::debug)) write(Level::debug, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void info(fmt::format_string<A...> f, A&&... a) {
  if (enabled(Level::info)) write(Level::info, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void warn(fmt::format_string<A...> f, A&&... a) {
  if (enabled(Level::warn)) write(Level::warn, fmt::format(f, std::forward<A>(a)...));
}
template <class... A>
void error(fmt::format_string<A...> f, A&&... a) {
  if (enabled(Level::error)) write(Level::error, fmt::format(f, std::forward<A>(a)...));
}

}  // namespace goap::core::log
