// The generic `command` plugin: run one argv (no shell), fail on a timeout or an unexpected exit
// status. As a sensor it reports whether the command exits as expected ("true"/"false"), or
// with `report: output` its trimmed output, for int and enum facts (e.g. `cat /run/provider`).
// Over ssh, ssh's own failure (exit 255) makes the sensor fail (the fact is unknown), unless
// `ssh_failure: false` says that it reads false (a sensor of whether the host answers).
// With `host`, the argv runs on that host over ssh: the destination is checked and the argv goes
// as one quoted string (argv_guard.h), so the remote shell runs exactly the argv shown.
#include <algorithm>
#include <string>

#include "plugin_api/argv_guard.h"
#include "plugin_api/plugin.h"
#include "plugin_api/process.h"

// Running the argv on another host; the same for actions and sensors.
#define GOAP_COMMAND_SSH_PARAMS                                                                           \
  {"host", "host", "", "run the argv on this host over ssh (one quoted command); empty: run it here"},    \
      {"ssh_user", "user", "", "ssh's user; empty: ssh's default"},                                      \
      {"ssh_port", "int", "0", "ssh's port; 0: ssh's default"},                                          \
      {"ssh_identity", "string", "", "ssh's identity file (-i); empty: ssh's default"},                   \
      {"ssh_known_hosts", "string", "", "ssh's known-hosts file (UserKnownHostsFile); empty: ssh's default"}, \
      {"ssh_config", "string", "", "ssh's config file (-F): yours or root's, writable by no one else; none: no config; empty: ~/.ssh/config"},

namespace {

using goap::plugin::Call;
using goap::plugin::Outcome;

constexpr goap_param_info kActParams[] = {
    {"argv", "list", nullptr, "the program and its arguments; ${param} templates fill single elements"},
    {"timeout", "duration", "60s", "then the command's whole process group is killed"},
    {"expect_exit", "int-list", "0", "exit statuses that mean success"},
    {"cwd", "string", "", "working directory (default: goap's)"},
    GOAP_COMMAND_SSH_PARAMS
};
constexpr goap_param_info kSenseParams[] = {
    {"argv", "list", nullptr, "the program and its arguments"},
    {"timeout", "duration", "10s", "then the command's whole process group is killed"},
    {"expect_exit", "int-list", "0", "with report: exit, these statuses read as true"},
    {"report", "string", "exit", "exit: true when the status is expected, else false; output: the trimmed output"},
    {"ssh_failure", "string", "unknown",
     "with host: what ssh's own failure (exit 255: no connection, login or host key refused) reads as: unknown (the "
     "sensor fails) or false (for a sensor of whether the host answers)"},
    {"cwd", "string", "", "working directory (default: goap's)"},
    GOAP_COMMAND_SSH_PARAMS
};
constexpr goap_action_info kActions[] = {
    {"command", "Run one argv with a timeout; succeed on an expected exit status", kActParams, std::size(kActParams)},
};
constexpr goap_sensor_info kSensors[] = {
    {"command", "Run one argv; the fact is whether it exits as expected, or its output", "bool", kSenseParams,
     std::size(kSenseParams)},
};
constexpr goap_plugin_info kInfo = {GOAP_PLUGIN_API_VERSION, "command", "1.1.0",
                                    "Runs commands given as argv arrays: no shell, a timeout, expected exit statuses",
                                    kActions, std::size(kActions), kSensors, std::size(kSensors)};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n')) ++b;
  return s.substr(b);
}

Outcome handle(const Call& c) {
  auto argv = c.list("argv");
  if (argv.empty() || argv[0].empty()) return {GOAP_BAD_REQUEST, "'argv' is empty"};
  const bool over_ssh = !c.str("host").empty();
  const std::string ssh_failure = c.op() == GOAP_OP_SENSE ? c.str("ssh_failure") : "unknown";
  if (ssh_failure != "unknown" && ssh_failure != "false")
    return {GOAP_BAD_REQUEST, "'ssh_failure' is '" + ssh_failure + "': unknown or false"};
  if (over_ssh) {
    const goap::plugin::SshTarget t{c.str("ssh_user"), c.str("host"), c.integer("ssh_port"), c.str("ssh_identity"),
                                    c.str("ssh_known_hosts"), c.str("ssh_config")};
    argv = goap::plugin::ssh_argv(t, argv);
  }
  goap::plugin::ProcessOptions po;
  po.timeout = c.duration("timeout");
  po.cwd = c.str("cwd");
  const auto expect = c.integers("expect_exit");
  if (c.describing()) {
    c.emit("command", goap::plugin::quote_argv(argv));
    return Outcome::ok("");
  }
  c.debug("running " + goap::plugin::quote_argv(argv));
  // An action's output goes to the journal (the audit trail): it must fit one emitted record.
  if (c.op() != GOAP_OP_SENSE) po.max_output = 63 * 1024;
  const auto r = goap::plugin::run_process(argv, po);
  const bool expected = r.started && !r.timed_out && r.signal == 0 &&
                        std::find(expect.begin(), expect.end(), r.exit_code) != expect.end();
  if (c.op() == GOAP_OP_SENSE) {
    if (!r.started) return Outcome::failed(r.summary());
    if (r.timed_out) return Outcome::timeout(r.summary());
    if (c.str("report") == "output") {
      if (!expected) return Outcome::failed(r.summary() + ": " + goap::plugin::last_line(r.output));
      c.emit("value", trim(r.output));
      return Outcome::ok(r.summary());
    }
    // Over ssh, status 255 is ssh's own: the command never ran, so what it would have said is
    // unknown, not false (a host that briefly refused a login still holds its data).
    if (!expected && over_ssh && r.signal == 0 && r.exit_code == 255) {
      const std::string why = "ssh failed (exit 255): " + goap::plugin::last_line(r.output);
      if (ssh_failure == "unknown") return Outcome::failed(why);
      c.emit("value", "false");
      return Outcome::ok(why);
    }
    c.emit("value", expected ? "true" : "false");
    return Outcome::ok(r.summary());
  }
  // What the command printed, on success too: goap run keeps it with the step's attempt.
  if (!r.output.empty()) c.emit("output", r.output);
  if (r.timed_out) return Outcome::timeout(r.summary());
  if (!expected) return Outcome::failed(r.failure());
  return Outcome::ok(r.summary());
}

}  // namespace

GOAP_PLUGIN(kInfo, &handle)
