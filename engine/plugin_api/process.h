// Running one command for a plugin: an argv (never a shell string), a timeout, captured output.
//
// The child gets its own process group, stdin from /dev/null, and stdout + stderr into one pipe
// (the last `max_output` bytes are kept, after a line saying how many were dropped). When the timeout passes, the whole group gets SIGTERM, then
// SIGKILL after `kill_grace`, so a command cannot leave helpers behind it. When the command exits
// by itself the group is left alone: a restart command may start a daemon on purpose. The child
// also dies with its parent (PR_SET_PDEATHSIG), so a killed worker takes its command with it.
//
// POSIX and the standard library only: this is part of the plugin support library.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace goap::plugin {

struct ProcessOptions {
  std::chrono::milliseconds timeout{30'000};
  std::chrono::milliseconds kill_grace{500};
  std::string cwd;                        // empty: inherit
  std::vector<std::string> env;           // extra "KEY=value" entries; each replaces an inherited KEY
  std::size_t max_output = 64 * 1024;
};

struct ProcessResult {
  bool started = false;    // false: fork or exec failed (see error)
  int exit_code = -1;      // when it exited normally
  int signal = 0;          // when a signal ended it
  bool timed_out = false;
  std::string output;      // stdout and stderr, interleaved: the last max_output bytes, after
                           // "[... N bytes dropped]\n" when there was more
  std::size_t dropped = 0; // bytes of output left out
  std::string error;       // why it did not start
  double ms = 0;
  // "exit 0", "exit 3", "killed by signal 9", "timed out after 2000 ms", "could not start: ..."
  [[nodiscard]] std::string summary() const;
  // summary(), then ": " and the last line of output when there is one: for failure messages.
  [[nodiscard]] std::string failure() const;
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options);

// How an argv reads in a terminal: each element shell-quoted when it needs it. For display only.
std::string quote_argv(const std::vector<std::string>& argv);

// The last non-empty line of a command's output, trimmed to `max` bytes: for one-line messages.
std::string last_line(const std::string& output, std::size_t max = 200);

}  // namespace goap::plugin
