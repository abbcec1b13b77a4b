// The `rebuild-vps` plugin: run the provisioning command (an argv, e.g. the provider's CLI
// rebuilding a droplet), then wait until the host is healthy: its `health` URL answers 200, or,
// without one, its SSH port accepts connections. The world marks the action `approval: true`:
// a rebuild wipes the host.
//
// Action `power-cycle-vps`: the same two phases with the provider's hard-reset command (e.g.
// `doctl compute droplet-action power-cycle`): the cheap, non-destructive try before a rebuild.
//
// Sensor `healthy`: the same health check, once.
//
// `provision` is the world's argv, run as given (no shell); goap refuses a step whose template
// would start one of its elements with '-' before a literal "--" (exec/binding.h), so an
// attribute cannot become an option of the provider's CLI.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <string>
#include <thread>

#include "plugin_api/http.h"
#include "plugin_api/plugin.h"
#include "plugin_api/process.h"

namespace {

using goap::plugin::Call;
using goap::plugin::Outcome;
using Clock = std::chrono::steady_clock;

constexpr goap_param_info kActParams[] = {
    {"provision", "list", nullptr, "the provisioning command as an argv, e.g. [doctl, compute, droplet-action, rebuild, ...]"},
    {"address", "host", "", "the host's address, for the SSH port check"},
    {"health", "string", "", "a health URL that must answer 200; empty: the SSH port must accept connections"},
    {"ca_file", "string", "", "https: a PEM file of the CAs to trust (e.g. a private CA); empty: the system's store. Certificates are always checked"},
    {"ssh_port", "int", "22", "the port of the default health check"},
    {"timeout", "duration", "30m", "for provisioning and the wait together"},
    {"interval", "duration", "2s", "pause between health checks"},
};
constexpr goap_param_info kCycleParams[] = {
    {"provision", "list", nullptr, "the power-cycle command as an argv, e.g. [doctl, compute, droplet-action, power-cycle, ...]"},
    {"address", "host", "", "the host's address, for the SSH port check"},
    {"health", "string", "", "a health URL that must answer 200; empty: the SSH port must accept connections"},
    {"ssh_port", "int", "22", "the port of the default health check"},
    {"timeout", "duration", "10m", "for the power cycle and the wait together"},
    {"interval", "duration", "2s", "pause between health checks"},
};
constexpr goap_param_info kSenseParams[] = {
    {"address", "host", "", "the host's address, for the SSH port check"},
    {"health", "string", "", "a health URL that must answer 200; empty: the SSH port must accept connections"},
    {"ca_file", "string", "", "https: a PEM file of the CAs to trust (e.g. a private CA); empty: the system's store. Certificates are always checked"},
    {"ssh_port", "int", "22", "the port of the default health check"},
    {"timeout", "duration", "5s", "for the check"},
};
constexpr goap_action_info kActions[] = {
    {"rebuild-vps", "Provision the host again, then wait until it is healthy", kActParams, std::size(kActParams)},
    {"power-cycle-vps", "Power-cycle (hard reset) the host, then wait until it is healthy", kCycleParams,
     std::size(kCycleParams)},
};
constexpr goap_sensor_info kSensors[] = {
    {"healthy", "Whether the host's health URL answers 200 (or its SSH port accepts connections)", "bool", kSenseParams,
     std::size(kSenseParams)},
};
constexpr goap_plugin_info kInfo = {GOAP_PLUGIN_API_VERSION, "rebuild-vps", "1.1.0",
                                    "Re-provisions a host with a command and waits for it to become healthy", kActions,
                                    std::size(kActions), kSensors, std::size(kSensors)};

std::string tcp_check(const std::string& host, int port, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res); rc != 0)
    return "cannot resolve " + host + ": " + gai_strerror(rc);
  std::string why = "no address";
  for (addrinfo* a = res; a; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int rc = connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      if (poll(&p, 1, static_cast<int>(timeout.count())) == 1) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        rc = err == 0 ? 0 : -1;
        if (err) why = std::string("port ") + std::to_string(port) + ": " + strerror(err);
      } else {
        why = "port " + std::to_string(port) + ": timed out";
      }
    } else if (rc != 0) {
      why = "port " + std::to_string(port) + ": " + strerror(errno);
    }
    close(fd);
    if (rc == 0) {
      freeaddrinfo(res);
      return {};
    }
  }
  freeaddrinfo(res);
  return why;
}

// "" when healthy, else why not.
std::string health(const Call& c, std::chrono::milliseconds timeout) {
  const std::string url = c.str("health");
  if (!url.empty()) {
    const auto r = goap::plugin::http_get(url, timeout, goap::plugin::HttpOptions{c.str("ca_file")});
    if (!r.ok) return r.error;
    return r.status == 200 ? "" : url + ": status " + std::to_string(r.status);
  }
  if (c.str("address").empty()) throw goap::plugin::BadRequest("give 'health' (a URL) or 'address' (for the SSH port)");
  return tcp_check(c.str("address"), static_cast<int>(c.integer("ssh_port")), timeout);
}

Outcome handle(const Call& c) {
  const auto timeout = c.duration("timeout");
  if (c.op() == GOAP_OP_SENSE) {
    const std::string why = health(c, timeout);
    c.emit("value", why.empty() ? "true" : "false");
    return Outcome::ok(why.empty() ? "healthy" : why);
  }
  const auto argv = c.list("provision");
  if (argv.empty() || argv[0].empty()) return {GOAP_BAD_REQUEST, "'provision' is empty"};
  const std::string target = c.str("health").empty() ? c.str("address") + ":" + c.str("ssh_port") + " accepts connections"
                                                       : c.str("health") + " answers 200";
  if (c.describing()) {
    c.emit("command", goap::plugin::quote_argv(argv));
    c.emit("command", "wait until " + target + " (timeout " + c.str("timeout") + ")");
    return Outcome::ok("");
  }
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  goap::plugin::ProcessOptions po;
  po.timeout = timeout;
  const bool cycle = c.kind() == "power-cycle-vps";
  c.info(std::string(cycle ? "power-cycling: " : "provisioning: ") + goap::plugin::quote_argv(argv));
  const auto r = goap::plugin::run_process(argv, po);
  if (r.timed_out) return Outcome::timeout(std::string(cycle ? "power cycle " : "provisioning ") + r.summary());
  if (!r.started || r.signal != 0 || r.exit_code != 0) {
    return Outcome::failed(std::string(cycle ? "power cycle failed: " : "provisioning failed: ") + r.failure());
  }
  const auto interval = c.duration("interval");
  std::string why;
  while (Clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    why = health(c, std::min(left, std::chrono::milliseconds(5000)));
    if (why.empty()) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f s", std::chrono::duration<double>(Clock::now() - start).count());
      return Outcome::ok(std::string(cycle ? "power-cycled; " : "provisioned; ") + target + " after " + buf);
    }
    c.debug(why);
    std::this_thread::sleep_for(std::min(interval, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())));
  }
  return Outcome::timeout("provisioned, but not healthy within " + c.str("timeout") + " (last: " + why + ")");
}

}  // namespace

GOAP_PLUGIN(kInfo, &handle)
