#include "doctl.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "plugin_api/argv_guard.h"
#include "plugin_api/process.h"

namespace rebuild_vps {
namespace {

using goap::plugin::BadRequest;
using ms = std::chrono::milliseconds;

constexpr const char* kTokenVar = "DIGITALOCEAN_ACCESS_TOKEN";

bool digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

}  // namespace

std::vector<Droplet> parse_droplets(std::string_view output, const std::string& name, std::string& error) {
  std::vector<Droplet> out;
  std::istringstream lines{std::string(output)};
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream w(line);
    Droplet d;
    w >> d.id >> d.name >> d.ip;
    if (d.id.empty()) continue;
    std::string extra;
    w >> extra;
    if (!digits(d.id) || d.name.empty() || !extra.empty()) {
      error = "cannot read doctl's droplet list (expected ID NAME [IPV4] per line): '" + goap::plugin::printable(line) + "'";
      return {};
    }
    if (d.name == name) out.push_back(d);
  }
  return out;
}

std::vector<std::string> list_args() { return {"compute", "droplet", "list", "--format", "ID,Name,PublicIPv4", "--no-header"}; }

std::vector<std::string> action_args(std::string_view kind, const std::string& id, const goap::plugin::Call& c) {
  if (kind == "rebuild-vps") return {"compute", "droplet-action", "rebuild", id, "--image", c.str("image"), "--wait"};
  return {"compute", "droplet-action", kind == "power-off-vps" ? "power-off" : "power-cycle", id, "--wait"};
}

std::vector<std::string> create_args(const goap::plugin::Call& c) {
  std::vector<std::string> a{"compute", "droplet", "create", c.str("droplet"), "--image", c.str("image"),
                             "--region", c.str("region"), "--size", c.str("size")};
  std::string keys;
  for (const std::string& k : c.list("ssh_keys"))
    if (!k.empty()) keys += (keys.empty() ? "" : ",") + k;
  if (!keys.empty()) a.insert(a.end(), {"--ssh-keys", keys});
  a.insert(a.end(), {"--wait", "--format", "ID", "--no-header"});
  return a;
}

std::vector<std::string> assign_args(const goap::plugin::Call& c, const std::string& id) {
  return {"compute", "reserved-ip-action", "assign", c.str("reserved_ip"), id, "--wait"};
}

Doctl::Doctl(const goap::plugin::Call& c, Clock::time_point deadline) : c_(c), program_(c.str("doctl")), deadline_(deadline) {
  if (program_.empty()) throw BadRequest("'doctl' is empty");
}

std::vector<std::string> Doctl::argv(const std::vector<std::string>& args) const {
  std::vector<std::string> a{program_};
  a.insert(a.end(), args.begin(), args.end());
  return a;
}

void Doctl::load_token() {
  const std::string file = c_.str("token_file");
  if (file.empty()) {
    const char* v = std::getenv(kTokenVar);
    if (v == nullptr || *v == '\0')
      throw BadRequest(std::string("no DigitalOcean token: set ") + kTokenVar +
                       " in goap's environment, or give 'token_file' (a file holding it)");
    token_ = v;
    return;
  }
  const std::string shown = goap::plugin::printable(file);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw BadRequest("'token_file' " + shown + ": cannot read it: " + std::strerror(errno));
  std::stringstream s;
  s << in.rdbuf();
  std::string t = s.str();
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ' || t.back() == '\t')) t.pop_back();
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.erase(0, 1);
  if (t.empty()) throw BadRequest("'token_file' " + shown + " is empty");
  if (std::any_of(t.begin(), t.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; }))
    throw BadRequest("'token_file' " + shown + " must hold the token alone, on one line");
  struct stat st {};
  if (stat(file.c_str(), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)) != 0)
    c_.warn("token_file " + shown + " can be read by other users than its owner (chmod go-r it)");
  token_ = t;
  from_file_ = true;
}

std::string Doctl::scrub(std::string m) const {
  if (token_.size() >= 4)
    for (std::size_t p; (p = m.find(token_)) != std::string::npos;) m.replace(p, token_.size(), "[token]");
  return m;
}

Doctl::Result Doctl::run(const std::vector<std::string>& args) const {
  const auto a = argv(args);
  goap::plugin::ProcessOptions po;
  po.timeout = std::max(ms(1000), std::chrono::duration_cast<ms>(deadline_ - Clock::now()));
  if (from_file_) po.env = {std::string(kTokenVar) + "=" + token_};  // else the environment's own is inherited
  c_.info("$ " + goap::plugin::quote_argv(a));
  const auto r = goap::plugin::run_process(a, po);
  Result out;
  out.output = r.output;
  out.ok = r.started && !r.timed_out && r.signal == 0 && r.exit_code == 0;
  if (!out.ok)
    out.error = scrub(goap::plugin::quote_argv({a.begin(), a.begin() + std::min<std::size_t>(a.size(), 4)}) + "... " + r.failure());
  return out;
}

Doctl::Lookup Doctl::lookup(const std::string& name) const {
  Lookup l;
  const Result r = run(list_args());
  if (!r.ok) {
    l.error = "cannot list the droplets: " + r.error;
    return l;
  }
  const auto found = parse_droplets(r.output, name, l.error);
  l.error = scrub(l.error);
  if (!l.error.empty()) return l;
  if (found.size() > 1) {
    std::string ids;
    for (const auto& f : found) ids += (ids.empty() ? "" : ", ") + f.id;
    l.error = std::to_string(found.size()) + " droplets are named '" + name + "' (ids " + ids +
              "): refusing to guess which one is meant; rename or destroy the others";
    return l;
  }
  if (!found.empty()) l.droplet = found.front();
  return l;
}

}  // namespace rebuild_vps
