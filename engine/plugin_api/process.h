// Running one command for a plugin: an argv (never a shell string), a timeout, captured output.
//
// The child gets its own process group, stdin from /dev/null, and stdout + stderr into one pipe
// (the last `max_output` bytes are kept, after a line saying how many were dropped). When the timeout passes, the whole group gets SIGTERM, then
// SIGKILL after `kill_grace`, so a command cannot leave helpers behind it. When the command exits
// by itself the group is left alone: a restart command may start a daemon on purpose. The child
// also dies with its parent (PR_SET_PDEATHSIG), so a killed worker takes its command with it.
//
// A BackgroundProcess is the same child (own group, /dev/null stdin, captured output, dies with
// its parent) that runs beside the plugin, e.g. an ssh tunnel, until stop(): then its whole
// group gets SIGTERM, then SIGKILL after `kill_grace`. Its destructor stops it, so a plugin that
// returns or throws never leaves it behind.
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

class BackgroundProcess {
 public:
  // Starts `argv` (options.timeout is not used: the owner decides when it ends).
  BackgroundProcess(const std::vector<std::string>& argv, const ProcessOptions& options);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  [[nodiscard]] bool started() const { return result_.started; }
  // What it wrote so far (as far as running() or stop() read it).
  [[nodiscard]] const std::string& output() const { return result_.output; }
  // Why it did not start.
  [[nodiscard]] const std::string& error() const { return result_.error; }
  // False once it has exited (reaped here); reads what it wrote so far.
  bool running();
  // Ends it as described above (a no-op after the first call) and returns how it ended and
  // what it wrote. `signal` is the signal that ended it; `timed_out` stays false.
  const ProcessResult& stop();

 private:
  ProcessOptions options_;
  ProcessResult result_;
  int pid_ = -1;
  int out_ = -1;
  bool exited_ = false;
  bool stopped_ = false;
};

// How an argv reads in a terminal: each element shell-quoted when it needs it. For display only.
std::string quote_argv(const std::vector<std::string>& argv);

// The last non-empty line of a command's output, trimmed to `max` bytes: for one-line messages.
std::string last_line(const std::string& output, std::size_t max = 200);

}  // namespace goap::plugin
