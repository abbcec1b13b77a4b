#include "plugin_api/known_hosts.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "plugin_api/argv_guard.h"
#include "plugin_api/plugin.h"

namespace goap::plugin {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// The lines of `text`, each with its own line ending (the last one may have none).
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::size_t n = nl == std::string_view::npos ? text.size() : nl + 1;
    out.push_back(text.substr(0, n));
    text.remove_prefix(n);
  }
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t p = s.find(sep);
    out.push_back(s.substr(0, p));
    if (p == std::string_view::npos) return out;
    s.remove_prefix(p + 1);
  }
}

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

std::string host_pattern(std::string_view host, long long port) {
  if (port == 0 || port == 22) return std::string(host);
  return "[" + std::string(host) + "]:" + std::to_string(port);
}

std::vector<std::string> keyscan_argv(std::string_view host, long long port, int timeout_s, std::string_view host_param,
                                      std::string_view port_param) {
  if (host.empty()) throw BadRequest("'" + std::string(host_param) + "' is empty: ssh-keyscan needs a host");
  require_value(host_param, "host", host);
  std::vector<std::string> argv{"ssh-keyscan", "-T", std::to_string(std::max(1, timeout_s))};
  if (port != 0) {
    if (port < 1 || port > 65535)
      throw BadRequest("'" + std::string(port_param) + "' must be a port from 1 to 65535, not " + std::to_string(port));
    argv.insert(argv.end(), {"-p", std::to_string(port)});
  }
  argv.push_back("--");
  argv.emplace_back(host);
  return argv;
}

std::vector<std::string> parse_keyscan(std::string_view output, std::string_view pattern) {
  std::vector<std::string> keys;
  for (std::string_view line : lines_of(output)) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string_view> f;
    for (std::string_view w : split(line, ' '))
      if (!w.empty()) f.push_back(w);
    if (f.size() != 3 || f[0] != pattern) continue;
    const bool b64 = std::all_of(f[2].begin(), f[2].end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
    });
    if (!b64 || f[1].find_first_of("\t\"'") != std::string_view::npos) continue;
    std::string key = std::string(f[1]) + " " + std::string(f[2]);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  return keys;
}

KnownHostsEdit replace_entries(std::string_view text, std::string_view pattern, const std::vector<std::string>& keys,
                               const std::vector<int>& hashed_lines) {
  KnownHostsEdit e;
  std::string fresh;
  for (const std::string& k : keys) fresh += std::string(pattern) + " " + k + "\n";
  bool placed = false;
  int number = 0;
  for (std::string_view line : lines_of(text)) {
    ++number;
    std::size_t start = 0;
    while (start < line.size() && is_space(line[start])) ++start;
    const std::string_view body = line.substr(start);
    if (body.empty() || body[0] == '\n' || body[0] == '\r' || body[0] == '#' || body[0] == '@') {
      e.text += line;  // blank, comment, or a @cert-authority / @revoked marker: never ours to change
      continue;
    }
    std::size_t end = 0;
    while (end < body.size() && !is_space(body[end]) && body[end] != '\n' && body[end] != '\r') ++end;
    const std::string_view hosts = body.substr(0, end);
    const bool hashed = hosts.substr(0, 3) == "|1|";
    std::vector<std::string_view> names = hashed ? std::vector<std::string_view>{hosts} : split(hosts, ',');
    const bool ours = hashed ? std::find(hashed_lines.begin(), hashed_lines.end(), number) != hashed_lines.end()
                             : std::find(names.begin(), names.end(), pattern) != names.end();
    if (!ours) {
      e.text += line;
      continue;
    }
    ++e.removed;
    names.erase(std::remove(names.begin(), names.end(), pattern), names.end());
    if (!hashed && !names.empty()) {  // shared with other names: they keep the line, and its old key
      e.text += line.substr(0, start);
      for (std::size_t i = 0; i < names.size(); ++i) e.text += (i ? "," : "") + std::string(names[i]);
      e.text += body.substr(end);
      if (e.text.back() != '\n') e.text += '\n';
    }
    if (!placed) {
      e.text += fresh;
      placed = true;
    }
  }
  if (!placed) {
    if (!e.text.empty() && e.text.back() != '\n') e.text += '\n';
    e.text += fresh;
  }
  return e;
}

std::vector<int> parse_keygen_find(std::string_view output) {
  static constexpr std::string_view kFound = " found: line ";
  std::vector<int> out;
  for (std::string_view line : lines_of(output)) {
    if (line.substr(0, 7) != "# Host ") continue;
    const std::size_t p = line.find(kFound);
    if (p == std::string_view::npos) continue;
    const auto n = parse_int(line.substr(p + kFound.size(), line.find_first_not_of("0123456789", p + kFound.size()) -
                                                                (p + kFound.size())));
    if (n && *n > 0 && *n < INT_MAX) out.push_back(static_cast<int>(*n));
  }
  return out;
}

std::string write_atomically(const std::string& path, std::string_view text) {
  // The real file behind a symbolic link is the one to replace (renaming over the link would
  // turn it into a copy that the next reader of the link's target never sees).
  std::string target = path;
  struct stat st {};
  const bool exists = stat(path.c_str(), &st) == 0;
  if (exists) {
    if (!S_ISREG(st.st_mode)) return path + ": not a regular file";
    char real[PATH_MAX];
    if (realpath(path.c_str(), real) == nullptr) return errno_text(path);
    target = real;
  }
  std::string tmp = target + ".goap-XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return errno_text("cannot create a temporary file beside " + target);
  auto fail = [&](const std::string& why) {
    close(fd);
    unlink(tmp.c_str());
    return why;
  };
  if (fchmod(fd, exists ? (st.st_mode & 07777) : 0600) != 0) return fail(errno_text("chmod " + tmp));
  if (exists && (st.st_uid != geteuid() || st.st_gid != getegid()) && fchown(fd, st.st_uid, st.st_gid) != 0)
    return fail(errno_text("cannot keep the owner of " + target));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(errno_text("write " + tmp));
    done += static_cast<std::size_t>(n);
  }
  if (fsync(fd) != 0) return fail(errno_text("fsync " + tmp));
  if (close(fd) != 0) {
    unlink(tmp.c_str());
    return errno_text("close " + tmp);
  }
  if (rename(tmp.c_str(), target.c_str()) != 0) {
    const std::string why = errno_text("rename " + tmp + " to " + target);
    unlink(tmp.c_str());
    return why;
  }
  return {};
}

}  // namespace goap::plugin
