// Calling a plugin, isolated: every invoke runs in a forked child process.
//
// The child (its own process group, dying with its parent) calls goap_plugin_invoke and sends
// its logs, emitted values and the response back over a pipe. The parent waits up to a hard
// deadline. A plugin that segfaults, aborts (an exception thrown through its noexcept entry
// point ends in std::terminate), exits without answering or hangs costs only that child: the
// outcome says which, and a hung child's whole process group is killed.
//
// Parameters: `check_params` compares `with:` names and values against what the plugin
// declares (unknown names, missing required ones, values of the wrong type); `with_defaults`
// adds the declared defaults, so a plugin always sees every parameter it declares.
#pragma once

#include <chrono>
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

struct InvokeResult {
  Outcome outcome = Outcome::unavailable;
  int status = GOAP_FAILED;  // the plugin's own status, when it answered
  std::string message;       // the plugin's message, or what went wrong with the child
  std::vector<std::pair<std::string, std::string>> emitted;
  std::vector<LogLine> logs;
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
};

// Runs the invoke in a child process. Log lines are also handed to `on_log` as they arrive.
InvokeResult invoke_isolated(const LoadedPlugin& plugin, const Invocation& call,
                             void (*on_log)(void* ctx, const std::string& plugin, const LogLine& line) = nullptr,
                             void* ctx = nullptr);

}  // namespace goap::plugin_host
