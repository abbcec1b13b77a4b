// Calling a plugin, isolated: every invoke runs in forked child processes.
//
// Two of them. The supervisor starts a session of its own (its pid is the session and process
// group id), becomes a child subreaper (PR_SET_CHILD_SUBREAPER: every orphaned descendant, even
// one that called setsid, becomes its child) and holds one end of a socket pair whose other end
// only goap holds: the lifeline. Once goap has said go (after the journal recorded the session,
// see `on_start`), it forks the worker, which dies with it (PR_SET_PDEATHSIG), calls
// goap_plugin_invoke and sends its logs, emitted values and the response back over a pipe.
//
// The step is over when the supervisor says so, not at end of file on the pipe (a descendant
// that inherited the pipe may hold it open for ever): when the worker exits, the supervisor
// sends its wait status over the lifeline and exits. A worker that answered (exit 0) may leave a
// daemon behind on purpose (a restart command starting a service); a worker that crashed or
// exited without answering has every descendant killed first. When the lifeline closes (goap
// gave up on a hung plugin, or goap itself died, even by kill -9), the supervisor kills every
// descendant, setsid or not, waits until they are gone, and exits.
//
// What goap keeps is bounded: a record (log line, emitted value, answer) longer than 64 KiB is
// cut there with a note of the bytes dropped, the logs kept in the result are the last 64 KiB,
// emitted values at most 1 MiB, the child's stdout + stderr the last 16 KiB. Log lines are
// handed to `on_log` as they arrive.
//
// Parameters: `check_params` compares `with:` names and values against what the plugin
// declares (unknown names, missing required ones, values of the wrong type); `with_defaults`
// adds the declared defaults, so a plugin always sees every parameter it declares.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "plugin_host/plugin_host.h"

namespace goap::plugin_host {

struct Param {
  std::string name;
  std::vector<std::string> items;
  bool is_list = false;
};

struct ParamIssue {
  std::string param;    // the `with:` key concerned (or the missing one)
  std::string message;
  std::string hint;
};

// `templated`: values still hold ${...} templates; their types are not checked (goap check).
std::vector<ParamIssue> check_params(const KindInfo& kind, const std::vector<Param>& params, bool templated);
std::vector<Param> with_defaults(const KindInfo& kind, std::vector<Param> params);

// The hard limit for one invoke: the `timeout` parameter (when the kind declares one) plus
// `grace`, else `fallback`.
std::chrono::milliseconds hard_timeout(const std::vector<Param>& params, std::chrono::milliseconds grace,
                                       std::chrono::milliseconds fallback);

enum class Outcome {
  ok,          // status GOAP_OK
  failed,      // the plugin answered with another status
  crashed,     // killed by a signal (segfault, abort after an exception) or exited without answering
  hung,        // no answer before the hard deadline: killed
  unavailable  // the child could not be started
};
const char* to_string(Outcome o);

struct LogLine {
  int level = GOAP_LOG_INFO;
  std::string message;
};

// The process that carries out one invoke: its session id (the supervisor's pid) and the
// supervisor's start time in clock ticks after boot (/proc/PID/stat field 22), which tells a
// reused pid apart.
struct StepProcess {
  std::int64_t sid = 0;
  std::int64_t start = 0;
};

// The start time of `pid` from /proc/PID/stat, 0 when there is no such process.
std::int64_t process_start_time(std::int64_t pid);

// What an interrupted invoke left behind (goap was killed, its supervisor too): every process
// still in session `p.sid` gets SIGKILL, unless the session id now belongs to another process
// (its leader runs with another start time). Gives a supervisor that is still cleaning up a
// moment to finish first, and waits until the processes are gone. Returns how many it killed.
int stop_step_process(const StepProcess& p);

struct InvokeResult {
  Outcome outcome = Outcome::unavailable;
  int status = GOAP_FAILED;  // the plugin's own status, when it answered
  std::string message;       // the plugin's message, or what went wrong with the child
  std::vector<std::pair<std::string, std::string>> emitted;
  std::vector<LogLine> logs;     // the last 64 KiB of them
  std::size_t logs_dropped = 0;  // bytes of log left out of `logs` (all of it went to on_log)
  std::string output;            // the plugin process's own stdout + stderr: the last 16 KiB
  double ms = 0;
  [[nodiscard]] bool ok() const { return outcome == Outcome::ok; }
  // The first value emitted under `key`, or "".
  [[nodiscard]] std::string value(const std::string& key) const;
};

struct Invocation {
  int op = GOAP_OP_ACT;
  std::string kind;
  std::string action;  // the world's action (or sensor's fact), for messages
  std::vector<Param> params;
  std::chrono::milliseconds deadline{60'000};
  // Called with the invoke's process before the plugin starts (the journal records it there).
  std::function<void(const StepProcess&)> on_start;
};

// Runs the invoke in a child process. Log lines are also handed to `on_log` as they arrive.
InvokeResult invoke_isolated(const LoadedPlugin& plugin, const Invocation& call,
                             void (*on_log)(void* ctx, const std::string& plugin, const LogLine& line) = nullptr,
                             void* ctx = nullptr);

}  // namespace goap::plugin_host
