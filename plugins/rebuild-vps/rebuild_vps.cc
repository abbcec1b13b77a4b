// The `rebuild-vps` plugin: a DigitalOcean droplet, driven through `doctl` by its NAME.
//
// Every action first finds the droplet's numeric id (`doctl compute droplet list --format
// ID,Name,PublicIPv4 --no-header`, exact name match; two droplets of one name are refused, never
// guessed between), then acts on that id:
//
//   power-cycle-vps  hard reset (droplet-action power-cycle), then wait until address:ssh_port
//                    accepts connections (or `health` answers 200). The cheap, non-destructive try.
//   power-off-vps    power off (droplet-action power-off), then wait until address:ssh_port
//                    does NOT accept connections: fencing a primary is only done when it is seen down.
//   rebuild-vps      rebuild from `image` (droplet-action rebuild); a droplet that no longer exists
//                    is created again (droplet create NAME, with `reserved_ip` assigned to it).
//                    Then: wait for the ssh port, fetch the new host key (ssh-keyscan), replace
//                    exactly that host's entry in `ssh_known_hosts` (known_hosts.h), and prove an
//                    ssh login with that file before reporting success. This is the only place a
//                    host key is ever replaced, and only after a rebuild or creation carried out here.
//
// Kinds are declared mildest first: a world action not named like a kind gets power-cycle-vps.
// Sensor `healthy`: the ssh port accepts connections (or `health` answers 200), once.
//
// The provider token never appears on an argv or in a message: it comes from `token_file` or
// goap's environment and reaches doctl as DIGITALOCEAN_ACCESS_TOKEN in its environment only.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "plugin_api/argv_guard.h"
#include "plugin_api/http.h"
#include "plugin_api/known_hosts.h"
#include "plugin_api/plugin.h"
#include "plugin_api/process.h"
#include "doctl.h"

namespace {

using namespace rebuild_vps;
using goap::plugin::BadRequest;
using goap::plugin::Call;
using goap::plugin::Outcome;
using Clock = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

#define DOCTL_PARAMS                                                                                                  \
  {"droplet", "host", nullptr, "the droplet's name; its numeric id is looked up before every action"},              \
      {"doctl", "string", "doctl", "the provider CLI program (doctl or a stand-in speaking its subcommands)"},      \
      {"token_file", "string", "",                                                                                  \
       "a file holding the API token (passed to doctl as DIGITALOCEAN_ACCESS_TOKEN, never on its argv); empty: "   \
       "DIGITALOCEAN_ACCESS_TOKEN from goap's environment"},                                                        \
      {"address", "host", nullptr, "the host's address (the reserved IP, if it has one), for the ssh port"},        \
      {"ssh_port", "int", "22", "the host's ssh port"}

constexpr goap_param_info kCycleParams[] = {
    DOCTL_PARAMS,
    {"health", "string", "", "a health URL that must answer 200; empty: the ssh port must accept connections"},
    {"ca_file", "string", "", "https: a PEM file of the CAs to trust (e.g. a private CA); empty: the system's store. Certificates are always checked"},
    {"timeout", "duration", "10m", "for the power cycle and the wait together"},
    {"interval", "duration", "2s", "pause between checks"},
};
constexpr goap_param_info kOffParams[] = {
    DOCTL_PARAMS,
    {"timeout", "duration", "5m", "for the power-off and the wait until the ssh port is closed together"},
    {"interval", "duration", "2s", "pause between checks"},
};
constexpr goap_param_info kRebuildParams[] = {
    DOCTL_PARAMS,
    {"image", "string", nullptr, "the image slug or id to rebuild (or create) from, e.g. debian-12-x64"},
    {"region", "string", "", "for creating a droplet that no longer exists, e.g. fra1 (without it, a lost droplet is an error)"},
    {"size", "string", "", "for creating a droplet that no longer exists, e.g. s-2vcpu-4gb"},
    {"reserved_ip", "string", "", "a reserved IPv4 address to assign to a newly created droplet"},
    {"ssh_keys", "list", "", "for creating: the provider's ssh key ids or fingerprints to install (--ssh-keys)"},
    {"ssh_user", "user", "root", "who the ssh login after the rebuild logs in as"},
    {"ssh_identity", "string", "", "ssh's identity file (-i) for that login; empty: ssh's default"},
    {"ssh_known_hosts", "string", nullptr, "the known-hosts file whose entry for the host is replaced after the rebuild"},
    {"ssh_config", "string", "", "ssh's config file (-F): yours or root's, writable by no one else; none: no config; empty: ~/.ssh/config"},
    {"timeout", "duration", "30m", "for everything: provisioning, the wait, the new host key and the login"},
    {"interval", "duration", "2s", "pause between checks"},
};
#undef DOCTL_PARAMS
constexpr goap_param_info kSenseParams[] = {
    {"address", "host", "", "the host's address, for the ssh port check"},
    {"health", "string", "", "a health URL that must answer 200; empty: the ssh port must accept connections"},
    {"ca_file", "string", "", "https: a PEM file of the CAs to trust (e.g. a private CA); empty: the system's store. Certificates are always checked"},
    {"ssh_port", "int", "22", "the port of the default health check"},
    {"timeout", "duration", "5s", "for the check"},
};
constexpr goap_action_info kActions[] = {
    {"power-cycle-vps", "Power-cycle (hard reset) the droplet, then wait until it is healthy", kCycleParams,
     std::size(kCycleParams)},
    {"power-off-vps", "Power the droplet off (fencing), then wait until its ssh port is closed", kOffParams,
     std::size(kOffParams)},
    {"rebuild-vps", "Rebuild the droplet from its image (create it if it is gone), take its new host key, prove an ssh login",
     kRebuildParams, std::size(kRebuildParams)},
};
constexpr goap_sensor_info kSensors[] = {
    {"healthy", "Whether the host's health URL answers 200 (or its ssh port accepts connections)", "bool", kSenseParams,
     std::size(kSenseParams)},
};
constexpr goap_plugin_info kInfo = {GOAP_PLUGIN_API_VERSION, "rebuild-vps", "2.0.0",
                                    "Rebuilds, re-creates, power-cycles and powers off DigitalOcean droplets through doctl",
                                    kActions, std::size(kActions), kSensors, std::size(kSensors)};

// ------------------------------------------------------------------------------ checks

enum class Port { open, closed, unknown };

// Whether host:port accepts a TCP connection; `why` says why not. A name that does not resolve
// is `unknown`: it proves nothing about the machine.
Port tcp_check(const std::string& host, int port, ms timeout, std::string& why) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res); rc != 0) {
    why = "cannot resolve " + host + ": " + gai_strerror(rc);
    return Port::unknown;
  }
  why = "no address";
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
        if (err) why = "port " + std::to_string(port) + ": " + strerror(err);
      } else {
        why = "port " + std::to_string(port) + ": timed out";
      }
    } else if (rc != 0) {
      why = "port " + std::to_string(port) + ": " + strerror(errno);
    }
    close(fd);
    if (rc == 0) {
      freeaddrinfo(res);
      why.clear();
      return Port::open;
    }
  }
  freeaddrinfo(res);
  return Port::closed;
}

// "" when healthy, else why not.
std::string health(const Call& c, ms timeout) {
  const std::string url = c.str("health");
  if (!url.empty()) {
    const auto r = goap::plugin::http_get(url, timeout, goap::plugin::HttpOptions{c.str("ca_file")});
    if (!r.ok) return r.error;
    return r.status == 200 ? "" : url + ": status " + std::to_string(r.status);
  }
  if (c.str("address").empty()) throw BadRequest("give 'health' (a URL) or 'address' (for the ssh port)");
  std::string why;
  tcp_check(c.str("address"), static_cast<int>(c.integer("ssh_port")), timeout, why);
  return why;
}

// A provider slug (image, region, size): letters, digits, '.', '_', '-', not starting with '-'.
void require_slug(const Call& c, const char* param, bool required) {
  const std::string v = c.str(param);
  if (v.empty()) {
    if (required) throw BadRequest(std::string("'") + param + "' is empty");
    return;
  }
  const bool ok = v.size() <= 100 && v[0] != '-' && std::all_of(v.begin(), v.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
  });
  if (!ok)
    throw BadRequest(std::string("'") + param + "' must be a provider slug (letters, digits, '.', '_', '-', not starting with '-'), not '" +
                     goap::plugin::printable(v) + "'");
}

void require_ipv4(const std::string& param, const std::string& v) {
  in_addr a{};
  if (!v.empty() && inet_pton(AF_INET, v.c_str(), &a) != 1)
    throw BadRequest("'" + param + "' must be an IPv4 address, not '" + goap::plugin::printable(v) + "'");
}

std::string seconds_since(Clock::time_point start) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(Clock::now() - start).count());
  return buf;
}

ms left(Clock::time_point deadline) {
  return std::max(ms(0), std::chrono::duration_cast<ms>(deadline - Clock::now()));
}

void pause(const Call& c, Clock::time_point deadline) {
  std::this_thread::sleep_for(std::min(c.duration("interval"), left(deadline)));
}

// ------------------------------------------------------------------------------ the actions

goap::plugin::SshTarget ssh_target(const Call& c) {
  return {c.str("ssh_user"), c.str("address"), c.integer("ssh_port"), c.str("ssh_identity"), c.str("ssh_known_hosts"),
          c.str("ssh_config")};
}

// The login that proves the new key: ssh_argv's call, which says StrictHostKeyChecking=yes
// itself, so no ssh config file can turn it off for this check.
std::vector<std::string> login_argv(const Call& c) { return goap::plugin::ssh_argv(ssh_target(c), {"true"}); }

std::vector<std::string> keygen_find_argv(const std::string& pattern, const std::string& file) {
  return {"ssh-keygen", "-F", pattern, "-f", file};
}

void validate(const Call& c) {
  goap::plugin::require_value("droplet", "host", c.str("droplet"));
  if (c.str("droplet").empty()) throw BadRequest("'droplet' is empty: the droplet's name is needed");
  goap::plugin::require_value("address", "host", c.str("address"));
  if (c.str("address").empty()) throw BadRequest("'address' is empty");
  const long long port = c.integer("ssh_port");
  if (port < 1 || port > 65535) throw BadRequest("'ssh_port' must be a port from 1 to 65535");
  if (c.kind() != "rebuild-vps") return;
  require_slug(c, "image", true);
  require_slug(c, "region", false);
  require_slug(c, "size", false);
  require_ipv4("reserved_ip", c.str("reserved_ip"));
  for (const std::string& k : c.list("ssh_keys"))
    if (!k.empty() && (k[0] == '-' || k.find_first_of(", \t\n") != std::string::npos))
      throw BadRequest("'ssh_keys' holds '" + goap::plugin::printable(k) + "': each must be a key id or fingerprint");
  if (c.str("ssh_known_hosts").empty()) throw BadRequest("'ssh_known_hosts' is empty: the file whose entry is replaced");
  login_argv(c);  // throws on a bad user, known-hosts name or config
}

Outcome describe(const Call& c) {
  const Doctl d(c, Clock::now());
  const std::string name = c.str("droplet");
  const std::string file = c.str("token_file");
  c.emit("command", "# doctl gets DIGITALOCEAN_ACCESS_TOKEN " +
                        (file.empty() ? std::string("from goap's environment") : "from token_file " + file) +
                        "; <id> is the id of the one droplet named '" + name + "' in:");
  c.emit("command", goap::plugin::quote_argv(d.argv(list_args())));
  auto with_id = [&](const std::vector<std::string>& args) {
    std::string s = goap::plugin::quote_argv(d.argv(args));
    const std::size_t p = s.find("@ID@");
    return p == std::string::npos ? s : s.replace(p, 4, "<id>");
  };
  const std::string target = c.str("address") + ":" + c.str("ssh_port");
  if (c.kind() == "power-off-vps") {
    c.emit("command", with_id(action_args(c.kind(), "@ID@", c)));
    c.emit("command", "# wait until " + target + " refuses connections (timeout " + c.str("timeout") + ")");
    return Outcome::ok("");
  }
  if (c.kind() == "power-cycle-vps") {
    c.emit("command", with_id(action_args(c.kind(), "@ID@", c)));
    c.emit("command", "# wait until " + (c.str("health").empty() ? target + " accepts connections" : c.str("health") + " answers 200") +
                          " (timeout " + c.str("timeout") + ")");
    return Outcome::ok("");
  }
  c.emit("command", with_id(action_args(c.kind(), "@ID@", c)));
  c.emit("command", "# when no droplet is named '" + name + "', instead:");
  c.emit("command", goap::plugin::quote_argv(d.argv(create_args(c))) + "   # prints <id>");
  if (!c.str("reserved_ip").empty()) c.emit("command", with_id(assign_args(c, "@ID@")));
  const std::string pattern = goap::plugin::host_pattern(c.str("address"), c.integer("ssh_port"));
  c.emit("command", "# wait until " + target + " accepts connections, then take the new host key:");
  c.emit("command", goap::plugin::quote_argv(goap::plugin::keyscan_argv(c.str("address"), c.integer("ssh_port"), 10)));
  c.emit("command", "# replace the entries of " + pattern + " in " + c.str("ssh_known_hosts") + " (every other line kept), then:");
  c.emit("command", goap::plugin::quote_argv(login_argv(c)));
  return Outcome::ok("");
}

// Waits until the port is open (want_open) or closed; "" when it was seen so, else the last reason.
std::string wait_port(const Call& c, bool want_open, Clock::time_point deadline) {
  const std::string host = c.str("address");
  const int port = static_cast<int>(c.integer("ssh_port"));
  std::string why = "not checked";
  do {
    if (want_open && !c.str("health").empty()) {
      why = health(c, std::min(left(deadline), ms(5000)));
      if (why.empty()) return {};
    } else {
      const Port p = tcp_check(host, port, std::min(std::max(left(deadline), ms(100)), ms(5000)), why);
      if (want_open && p == Port::open) return {};
      if (!want_open && p == Port::closed) return {};
      if (!want_open && p == Port::open) why = host + ":" + std::to_string(port) + " still accepts connections";
    }
    c.debug(why);
    pause(c, deadline);
  } while (Clock::now() < deadline);
  return why;
}

// After a rebuild or creation carried out here: the new key into the known-hosts file, then a
// login with strict checking. "" on success, else why not.
std::string take_new_host_key(const Call& c, Clock::time_point deadline, std::string& done) {
  const std::string host = c.str("address");
  const long long port = c.integer("ssh_port");
  const std::string file = c.str("ssh_known_hosts");
  const std::string pattern = goap::plugin::host_pattern(host, port);
  std::vector<std::string> keys;
  std::string why = "no answer";
  while (true) {
    goap::plugin::ProcessOptions po;
    po.timeout = std::max(ms(1000), std::min(left(deadline), ms(20'000)));
    const auto r = goap::plugin::run_process(goap::plugin::keyscan_argv(host, port, 10), po);
    keys = goap::plugin::parse_keyscan(r.output, pattern);
    if (!keys.empty()) break;
    why = r.started ? "ssh-keyscan " + r.failure() : r.summary();
    if (Clock::now() >= deadline) return "no host key from " + pattern + " (last: " + why + ")";
    c.debug(why);
    pause(c, deadline);
  }
  std::string text;
  struct stat st {};
  if (stat(file.c_str(), &st) == 0) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return "cannot read " + file + ": " + std::strerror(errno);
    std::stringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  // Hashed entries (HashKnownHosts) can only be matched by ssh-keygen.
  std::vector<int> hashed;
  if (text.find("|1|") != std::string::npos) {
    goap::plugin::ProcessOptions po;
    po.timeout = ms(10'000);
    hashed = goap::plugin::parse_keygen_find(goap::plugin::run_process(keygen_find_argv(pattern, file), po).output);
  }
  const auto edit = goap::plugin::replace_entries(text, pattern, keys, hashed);
  if (const std::string err = goap::plugin::write_atomically(file, edit.text); !err.empty())
    return "cannot update the known hosts: " + err;
  std::string types;
  for (const std::string& k : keys) types += (types.empty() ? "" : ", ") + k.substr(0, k.find(' '));
  c.info("known hosts: " + std::to_string(edit.removed) + " old entr" + (edit.removed == 1 ? "y" : "ies") + " of " + pattern +
         " in " + file + " replaced by its new " + types + " key" + (keys.size() == 1 ? "" : "s"));
  // The login proves the key, the identity and the user; a booting host may not have the user's
  // key installed yet, so failures are retried until the deadline, except a host-key mismatch.
  const auto ssh = login_argv(c);
  c.info("$ " + goap::plugin::quote_argv(ssh));
  while (true) {
    goap::plugin::ProcessOptions po;
    po.timeout = std::max(ms(1000), std::min(left(deadline), ms(30'000)));
    const auto r = goap::plugin::run_process(ssh, po);
    if (r.started && !r.timed_out && r.exit_code == 0 && r.signal == 0) break;
    why = "ssh login " + r.failure();
    if (r.output.find("Host key verification failed") != std::string::npos ||
        r.output.find("HOST IDENTIFICATION HAS CHANGED") != std::string::npos)
      return "the host key changed again after it was fetched: " + why;
    if (Clock::now() >= deadline) return why;
    c.debug(why);
    pause(c, deadline);
  }
  done = "new host key (" + types + ") in " + file + ", ssh login as " +
         (c.str("ssh_user").empty() ? std::string("the default user") : c.str("ssh_user")) + " works";
  return {};
}

Outcome carry_out(const Call& c) {
  const auto start = Clock::now();
  const auto deadline = start + c.duration("timeout");
  const std::string kind(c.kind());
  const std::string name = c.str("droplet");
  Doctl d(c, deadline);
  d.load_token();
  const Doctl::Lookup l = d.lookup(name);
  if (!l.error.empty()) return Outcome::failed(l.error);

  if (kind == "power-off-vps") {
    if (l.droplet) {
      const auto r = d.run(action_args(kind, l.droplet->id, c));
      if (!r.ok) return Outcome::failed("power-off failed: " + r.error);
    } else {
      c.warn("no droplet is named '" + name + "': nothing to power off; checking that " + c.str("address") + " is down");
    }
    if (std::string why = wait_port(c, false, deadline); !why.empty())
      return Outcome::timeout("powered off, but not seen down within " + c.str("timeout") + " (last: " + why + ")");
    return Outcome::ok((l.droplet ? "powered off droplet '" + name + "' (id " + l.droplet->id + "); " : "") + c.str("address") +
                       ":" + c.str("ssh_port") + " refuses connections after " + seconds_since(start));
  }
  if (kind == "power-cycle-vps") {
    if (!l.droplet)
      return Outcome::failed("no droplet is named '" + name + "': nothing to power-cycle (rebuild-vps creates a lost one)");
    const auto r = d.run(action_args(kind, l.droplet->id, c));
    if (!r.ok) return Outcome::failed("power cycle failed: " + r.error);
    if (std::string why = wait_port(c, true, deadline); !why.empty())
      return Outcome::timeout("power-cycled, but not healthy within " + c.str("timeout") + " (last: " + why + ")");
    return Outcome::ok("power-cycled droplet '" + name + "' (id " + l.droplet->id + "); healthy after " + seconds_since(start));
  }

  std::string what;
  if (l.droplet) {
    const auto r = d.run(action_args(kind, l.droplet->id, c));
    if (!r.ok) return Outcome::failed("rebuild failed: " + r.error);
    what = "rebuilt droplet '" + name + "' (id " + l.droplet->id + ") from " + c.str("image");
  } else {
    if (c.str("region").empty() || c.str("size").empty())
      return Outcome::failed("no droplet is named '" + name + "', and creating one needs 'region' and 'size'");
    c.warn("no droplet is named '" + name + "': creating it");
    const auto r = d.run(create_args(c));
    if (!r.ok) return Outcome::failed("creating the droplet failed: " + r.error);
    std::vector<std::string> ids;
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
      if (!line.empty() && std::all_of(line.begin(), line.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        ids.push_back(line);
    }
    if (ids.size() != 1)
      return Outcome::failed("created droplet '" + name + "', but cannot read its id from doctl's answer: '" +
                             d.scrub(goap::plugin::last_line(r.output)) + "'");
    what = "created droplet '" + name + "' (id " + ids[0] + ")";
    if (!c.str("reserved_ip").empty()) {
      const auto a = d.run(assign_args(c, ids[0]));
      if (!a.ok) return Outcome::failed(what + ", but assigning reserved IP " + c.str("reserved_ip") + " failed: " + a.error);
      what += " with reserved IP " + c.str("reserved_ip");
    }
  }
  c.info(what);
  if (std::string why = wait_port(c, true, deadline); !why.empty())
    return Outcome::timeout(what + ", but its ssh port did not open within " + c.str("timeout") + " (last: " + why + ")");
  std::string done;
  if (std::string why = take_new_host_key(c, deadline, done); !why.empty()) return Outcome::failed(what + ", but " + why);
  return Outcome::ok(what + "; " + done + " after " + seconds_since(start));
}

Outcome handle(const Call& c) {
  if (c.op() == GOAP_OP_SENSE) {
    const std::string why = health(c, c.duration("timeout"));
    c.emit("value", why.empty() ? "true" : "false");
    return Outcome::ok(why.empty() ? "healthy" : why);
  }
  validate(c);
  if (c.describing()) return describe(c);
  return carry_out(c);
}

}  // namespace

GOAP_PLUGIN(kInfo, &handle)
