// The `restart-ollama` plugin: run the restart command, then poll Ollama's API (GET /api/tags)
// until it answers (and lists `model`, when given) or the timeout passes.
//
// The restart command is an argv. By default it is `systemctl restart -- <unit>` for a local
// host (host empty, localhost, 127.0.0.1 or ::1) and the same over ssh otherwise; `restart:`
// replaces it. Over ssh the destination is checked (argv_guard.h: `host` and `ssh_user` can
// never become ssh options) and the remote command goes as one quoted string, so the remote
// shell runs exactly that argv and the dry run shows the very argv that runs. Sensors: `api-ok`
// (the API answers /api/tags with a model list) and `model-present` (that list names `model`).
#include <algorithm>
#include <chrono>
#include <optional>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "plugin_api/argv_guard.h"
#include "plugin_api/http.h"
#include "plugin_api/plugin.h"
#include "plugin_api/process.h"
#include "plugin_api/ssh_tunnel.h"

namespace {

using goap::plugin::Call;
using goap::plugin::Outcome;
using Clock = std::chrono::steady_clock;

constexpr goap_param_info kActParams[] = {
    {"host", "host", "", "where Ollama runs; empty, localhost, 127.0.0.1 or ::1 (with no ssh_port): restart and probe locally, "
                         "else over ssh"},
    {"ssh_user", "user", "root", "for the ssh of the default restart command and of the probe's forward"},
    {"ssh_port", "int", "0", "ssh's port; 0: ssh's default (given, even a local host is reached over ssh)"},
    {"ssh_identity", "string", "", "ssh's identity file (-i); empty: ssh's default"},
    {"ssh_known_hosts", "string", "", "ssh's known-hosts file (UserKnownHostsFile); empty: ssh's default"},
    {"ssh_config", "string", "", "ssh's config file (-F): yours or root's, writable by no one else; none: no config; empty: ~/.ssh/config"},
    {"unit", "string", "ollama", "the systemd unit of the default restart command"},
    {"restart", "list", "", "the restart command as an argv; default: systemctl restart <unit> (over ssh for a remote host)"},
    {"probe", "url", nullptr, "Ollama's /api/tags as the host sees it, e.g. http://127.0.0.1:11434/api/tags (a remote "
                              "host's loopback, reached through an ssh forward)"},
    {"ca_file", "string", "", "https: a PEM file of the CAs to trust (e.g. a private CA); empty: the system's store. Certificates are always checked"},
    {"model", "string", "", "also wait until /api/tags lists this model"},
    {"timeout", "duration", "60s", "for the restart command and the wait together"},
    {"interval", "duration", "500ms", "pause between probes"},
};
constexpr goap_param_info kSenseParams[] = {
    {"host", "host", "", "where Ollama runs; empty, localhost, 127.0.0.1 or ::1 (with no ssh_port): probe directly, "
                         "else through an ssh forward from the host"},
    {"ssh_user", "user", "root", "for the ssh of the probe's forward"},
    {"ssh_port", "int", "0", "ssh's port; 0: ssh's default (given, even a local host is reached over ssh)"},
    {"ssh_identity", "string", "", "ssh's identity file (-i); empty: ssh's default"},
    {"ssh_known_hosts", "string", "", "ssh's known-hosts file (UserKnownHostsFile); empty: ssh's default"},
    {"ssh_config", "string", "", "ssh's config file (-F): yours or root's, writable by no one else; none: no config; empty: ~/.ssh/config"},
    {"probe", "url", nullptr, "Ollama's /api/tags as the host sees it"},
    {"ca_file", "string", "", "https: a PEM file of the CAs to trust (e.g. a private CA); empty: the system's store. Certificates are always checked"},
    {"model", "string", "", "model-present: the model to look for, e.g. hermes3:8b"},
    {"timeout", "duration", "5s", "for the request"},
};
constexpr goap_action_info kActions[] = {
    {"restart-ollama", "Restart Ollama and wait until its API answers", kActParams, std::size(kActParams)},
};
constexpr goap_sensor_info kSensors[] = {
    {"api-ok", "Whether GET /api/tags answers 200 with a model list", "bool", kSenseParams, std::size(kSenseParams)},
    {"model-present", "Whether /api/tags lists `model`", "bool", kSenseParams, std::size(kSenseParams)},
};
constexpr goap_plugin_info kInfo = {GOAP_PLUGIN_API_VERSION, "restart-ollama", "1.2.0",
                                    "Restarts Ollama and waits for its HTTP API; senses API health and models",
                                    kActions, std::size(kActions), kSensors, std::size(kSensors)};

bool is_local_name(const std::string& h) { return h.empty() || h == "localhost" || h == "127.0.0.1" || h == "::1"; }

// Local: restart and probe here. A local name with an ssh port given is a host reached over ssh
// (a lab's sshd on 127.0.0.1).
bool is_local(const Call& c) { return is_local_name(c.str("host")) && c.integer("ssh_port") == 0; }

goap::plugin::SshTarget ssh_target(const Call& c) {
  return {c.str("ssh_user"), c.str("host"), c.integer("ssh_port"), c.str("ssh_identity"), c.str("ssh_known_hosts"),
          c.str("ssh_config")};
}

goap::plugin::Url probe_url(const std::string& probe) {
  std::string error;
  auto u = goap::plugin::parse_url(probe, &error);
  if (!u) throw goap::plugin::BadRequest("'probe': " + error);
  return *u;
}

// A GET of the probe, through the forward when there is one. A connection the forward could not
// carry on (nothing listens on the host's side) says so in ssh's words.
goap::plugin::HttpResponse probe_once(const std::string& probe, std::chrono::milliseconds timeout,
                                      goap::plugin::HttpOptions options, goap::plugin::SshTunnel* tunnel) {
  if (tunnel) options.unix_socket = tunnel->socket_path();
  auto r = goap::plugin::http_get(probe, timeout, options);
  if (tunnel && !r.ok && !r.tls_error) {
    if (const std::string said = tunnel->last_said(); !said.empty()) r.error += " (ssh: " + said + ")";
  }
  return r;
}

// "" when /api/tags looks like Ollama's answer (and lists `model`), else why not.
std::string check_tags(const goap::plugin::HttpResponse& r, const std::string& model) {
  if (!r.ok) return r.error;
  if (r.status != 200) return "status " + std::to_string(r.status);
  if (r.body.find("\"models\"") == std::string::npos) return "the answer has no \"models\" list";
  if (!model.empty() && r.body.find("\"" + model + "\"") == std::string::npos) return "model '" + model + "' is not pulled";
  return {};
}

std::vector<std::string> restart_argv(const Call& c) {
  auto argv = c.list("restart");
  argv.erase(std::remove(argv.begin(), argv.end(), std::string()), argv.end());
  if (!argv.empty()) return argv;
  std::vector<std::string> local{"systemctl", "restart", "--", c.str("unit")};
  if (is_local(c)) return local;
  return goap::plugin::ssh_argv(ssh_target(c), local);
}

Outcome sense(const Call& c, const std::string& probe, const std::string& model, const goap::plugin::HttpOptions& tls) {
  if (c.kind() == "model-present" && model.empty()) throw goap::plugin::BadRequest("model-present needs 'model'");
  const auto timeout = c.duration("timeout");
  std::optional<goap::plugin::SshTunnel> tunnel;
  auto left = timeout;
  if (!is_local(c)) {
    const auto u = probe_url(probe);
    const auto start = Clock::now();
    tunnel.emplace(ssh_target(c), u.host, u.port, timeout);
    // Not "down": goap could not look (the host is unreachable, or its key is not the known one).
    if (!tunnel->ok()) return Outcome::failed("cannot reach " + c.str("host") + " over ssh to probe: " + tunnel->error());
    left = std::max(std::chrono::milliseconds(1),
                    timeout - std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start));
  }
  const auto r = probe_once(probe, left, tls, tunnel ? &*tunnel : nullptr);
  if (r.tls_error) return Outcome::failed(r.error);  // not "down": goap could not check
  const std::string why = check_tags(r, c.kind() == "model-present" ? model : "");
  c.emit("value", why.empty() ? "true" : "false");
  return Outcome::ok(why.empty() ? "healthy" : why);
}

Outcome handle(const Call& c) {
  const std::string probe = c.str("probe");
  const std::string model = c.str("model");
  const auto timeout = c.duration("timeout");
  goap::plugin::HttpOptions tls;
  tls.ca_file = c.str("ca_file");
  if (c.op() == GOAP_OP_SENSE) return sense(c, probe, model, tls);
  const auto argv = restart_argv(c);
  const bool remote = !is_local(c);
  const auto u = probe_url(probe);
  if (c.describing()) {
    c.emit("command", goap::plugin::quote_argv(argv));
    if (remote) c.emit("command", goap::plugin::quote_argv(goap::plugin::SshTunnel::describe(ssh_target(c), u.host, u.port)));
    c.emit("command", "GET " + probe + (remote ? " from " + c.str("host") + " through that forward" : "") +
                          " until it lists models" + (model.empty() ? "" : " including " + model) + " (timeout " +
                          c.str("timeout") + ")");
    return Outcome::ok("");
  }
  if (remote) goap::plugin::SshTunnel::describe(ssh_target(c), u.host, u.port);  // checked before anything runs
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  goap::plugin::ProcessOptions po;
  po.timeout = timeout;
  c.info("restarting: " + goap::plugin::quote_argv(argv));
  const auto r = goap::plugin::run_process(argv, po);
  if (r.timed_out) return Outcome::timeout("the restart command " + r.summary());
  if (!r.started || r.signal != 0 || r.exit_code != 0) {
    return Outcome::failed("the restart command failed: " + r.failure());
  }
  const auto interval = c.duration("interval");
  std::string why = "not probed";
  std::optional<goap::plugin::SshTunnel> tunnel;
  while (Clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (remote && (!tunnel || !tunnel->ok())) {
      // (Re)opened while the time lasts: the host may still be coming back.
      tunnel.reset();
      tunnel.emplace(ssh_target(c), u.host, u.port, left);
      if (!tunnel->ok()) {
        why = tunnel->error();
        c.debug(why);
        tunnel.reset();
        std::this_thread::sleep_for(interval);
        continue;
      }
      c.debug("probing through " + goap::plugin::quote_argv(goap::plugin::SshTunnel::describe(ssh_target(c), u.host, u.port)));
    }
    const auto r = probe_once(probe, left, tls, tunnel ? &*tunnel : nullptr);
    if (r.tls_error) return Outcome::failed("restarted, but " + r.error);  // waiting will not fix a certificate
    why = check_tags(r, model);
    if (why.empty()) {
      const double s = std::chrono::duration<double>(Clock::now() - start).count();
      char buf[128];
      std::snprintf(buf, sizeof buf, "Ollama answers /api/tags %.2f s after the restart%s", s,
                    remote ? " (probed from the host through ssh)" : "");
      return Outcome::ok(buf);
    }
    c.debug(probe + ": " + why);
    std::this_thread::sleep_for(interval);
  }
  return Outcome::timeout("restarted, but " + probe + (remote ? " (from " + c.str("host") + ")" : "") +
                          " did not become healthy within " + c.str("timeout") + " (last: " + why + ")");
}

}  // namespace

GOAP_PLUGIN(kInfo, &handle)
