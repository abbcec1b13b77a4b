#include "plugin_api/argv_guard.h"

#include <algorithm>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "plugin_api/plugin.h"

namespace goap::plugin {
namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

bool has_control(std::string_view v) {
  for (char c : v)
    if (is_control(c)) return true;
  return false;
}

}  // namespace

std::string printable(std::string_view v) {
  std::string out;
  for (char c : v.substr(0, 120)) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (is_control(c)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  if (v.size() > 120) out += "...";
  return out;
}

namespace {

bool ipv6_literal(std::string_view v) {
  int colons = 0;
  for (char c : v) {
    if (c == ':') ++colons;
    else if (!is_hex(c) && c != '.') return false;
  }
  return colons >= 2 && v.size() <= 45;
}

// A file name that goes inside an ssh -o option: ssh's config parser splits on whitespace and
// reads quotes, so neither may appear.
std::string check_ssh_option_file(std::string_view v) {
  for (char c : v)
    if (is_control(c) || c == ' ' || c == '"' || c == '\'')
      return "a file name without spaces, quotes or control characters";
  return {};
}

// An ssh config file can run commands (ProxyCommand, LocalCommand, Match exec), so the world
// may only name one that is as trusted as ~/.ssh/config: a regular file of root or this user
// that no one else can write. "none" and /dev/null read no config.
std::string check_ssh_config(const std::string& path) {
  if (path == "none" || path == "/dev/null") return {};
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "an existing regular file";
  if (st.st_uid != 0 && st.st_uid != geteuid()) return "a file owned by root or by the user running goap";
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) return "a file only its owner can write (it can run commands)";
  return {};
}

}  // namespace

std::string check_user(std::string_view v) {
  static const char* what = "a user name: a letter, digit or '_', then letters, digits, '_', '.' or '-' (at most 64)";
  if (v.empty()) return {};
  if (v.size() > 64 || !(is_alnum(v[0]) || v[0] == '_')) return what;
  for (char c : v)
    if (!is_alnum(c) && c != '_' && c != '.' && c != '-') return what;
  return {};
}

std::string check_host(std::string_view v) {
  static const char* what =
      "a host name (letters, digits, '-', '_' and dots, no part starting with '-'), an IPv4 address or an IPv6 literal";
  if (v.empty()) return {};
  if (v.find(':') != std::string_view::npos) return ipv6_literal(v) ? std::string() : what;
  if (v.size() > 253) return what;
  std::string_view rest = v;
  if (rest.back() == '.') rest.remove_suffix(1);  // a fully qualified name
  while (true) {
    const std::size_t dot = rest.find('.');
    const std::string_view label = rest.substr(0, dot);
    if (label.empty() || label.size() > 63 || label[0] == '-') return what;
    for (char c : label)
      if (!is_alnum(c) && c != '-' && c != '_') return what;
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return {};
}

std::string check_ref(std::string_view v) {
  static const char* what = "a git ref name (git check-ref-format: no spaces, '..', '@{', '//', ~ ^ : ? * [ \\, "
                            "no part starting with '.' or ending in .lock, not starting with '-', '+' or '/')";
  if (v.empty()) return {};
  if (v[0] == '-' || v[0] == '+' || v[0] == '/' || v.back() == '/' || v.back() == '.' || v == "@") return what;
  if (v.find("..") != std::string_view::npos || v.find("@{") != std::string_view::npos ||
      v.find("//") != std::string_view::npos)
    return what;
  for (char c : v)
    if (is_control(c) || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' || c == '[' || c == '\\')
      return what;
  std::string_view rest = v;
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    if (part.empty() || part[0] == '.') return what;
    if (part.size() >= 5 && part.substr(part.size() - 5) == ".lock") return what;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return {};
}

std::string check_remote(std::string_view v) {
  if (v.empty()) return {};
  if (v[0] == '-') return "a git remote (a URL or a path) that does not start with '-'";
  if (has_control(v)) return "a git remote without control characters";
  // <transport>::<address> asks git to run git-remote-<transport>; ext:: runs any command.
  if (const std::size_t dc = v.find("::"); dc != std::string_view::npos && dc > 0) {
    bool helper = true;
    for (char c : v.substr(0, dc)) helper = helper && (is_alnum(c) || c == '+' || c == '-' || c == '.');
    if (helper) return "a git remote URL or path, not a '<helper>::' remote helper";
  }
  if (const std::size_t sep = v.find("://"); sep != std::string_view::npos) {
    std::string_view auth = v.substr(sep + 3);
    auth = auth.substr(0, auth.find('/'));
    if (const std::size_t at = auth.rfind('@'); at != std::string_view::npos) auth.remove_prefix(at + 1);
    if (!auth.empty() && auth[0] == '-') return "a git remote whose host does not start with '-'";
  }
  return {};
}

std::string check_value(std::string_view type, std::string_view v) {
  if (type == "user") return check_user(v);
  if (type == "host") return check_host(v);
  if (type == "ref") return check_ref(v);
  if (type == "remote") return check_remote(v);
  return {};
}

std::string check_remote_word(std::string_view v) {
  static constexpr std::string_view kPlain = "_@%+=:,./-";
  const bool plain = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           kPlain.find(c) != std::string_view::npos;
  });
  if (plain) return {};
  return "one plain word (letters, digits and _ @ % + = : , . / -): ssh joins the words after the destination "
         "and the remote shell parses them again";
}

bool is_option_position_type(std::string_view type) {
  return type == "user" || type == "host" || type == "ref" || type == "remote";
}

void require_value(std::string_view param, std::string_view type, std::string_view value) {
  const std::string what = check_value(type, value);
  if (!what.empty())
    throw BadRequest("'" + std::string(param) + "' must be " + what + ", not '" + printable(value) + "'");
}

std::string shell_quote(std::string_view word) {
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  out += '\'';
  return out;
}

// A word the shell reads as itself: only characters without meaning to it. The first word
// stands where the shell also reads assignments (A=b) and reserved words (if, !, {), so it
// may not hold '=' or be one.
bool bare_word(std::string_view w, bool first) {
  static constexpr std::string_view reserved[] = {"case", "do", "done", "elif", "else", "esac", "fi", "for",
                                                  "function", "if", "in", "select", "then", "time", "until", "while"};
  if (w.empty()) return false;
  for (char c : w)
    if (!is_alnum(c) && std::string_view("_./:@%+,-").find(c) == std::string_view::npos && (first || c != '='))
      return false;
  if (first)
    for (std::string_view r : reserved)
      if (w == r) return false;
  return true;
}

std::string remote_command(const std::vector<std::string>& argv) {
  if (argv.empty()) throw BadRequest("the remote command is empty");
  std::string out;
  for (const std::string& w : argv) {
    if (w.find('\0') != std::string::npos) throw BadRequest("a word of the remote command holds a NUL byte");
    const bool first = out.empty();
    if (!first) out += ' ';
    out += bare_word(w, first) ? w : shell_quote(w);
  }
  return out;
}

std::vector<std::string> ssh_options_argv(const SshTarget& t, const SshParamNames& names) {
  // StrictHostKeyChecking=yes on the command line wins over any config file's setting: an
  // unknown or changed host key is always refused, never accepted or asked about.
  std::vector<std::string> argv{"ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10"};
  if (t.port != 0) {
    if (t.port < 1 || t.port > 65535)
      throw BadRequest("'" + names.port + "' must be a port from 1 to 65535, not " + std::to_string(t.port));
    argv.insert(argv.end(), {"-p", std::to_string(t.port)});
  }
  // -i and -F take the next argv element whole, whatever it starts with.
  if (!t.identity.empty()) argv.insert(argv.end(), {"-i", t.identity});
  if (!t.known_hosts.empty()) {
    if (const std::string what = check_ssh_option_file(t.known_hosts); !what.empty())
      throw BadRequest("'" + names.known_hosts + "' must be " + what + ", not '" + printable(t.known_hosts) + "'");
    argv.insert(argv.end(), {"-o", "UserKnownHostsFile=" + t.known_hosts});
  }
  if (!t.config.empty()) {
    if (const std::string what = check_ssh_config(t.config); !what.empty())
      throw BadRequest("'" + names.config + "' must be " + what + ", not '" + printable(t.config) + "'");
    argv.insert(argv.end(), {"-F", t.config});
  }
  return argv;
}

namespace {

// The checked [USER@]HOST.
std::string ssh_destination(const SshTarget& t, const SshParamNames& names) {
  if (t.host.empty()) throw BadRequest("'" + names.host + "' is empty: ssh needs a host");
  require_value(names.host, "host", t.host);
  require_value(names.user, "user", t.user);
  return t.user.empty() ? t.host : t.user + "@" + t.host;
}

}  // namespace

std::vector<std::string> ssh_argv(const SshTarget& t, const std::vector<std::string>& remote_argv,
                                  const SshParamNames& names) {
  const std::string destination = ssh_destination(t, names);
  std::vector<std::string> argv = ssh_options_argv(t, names);
  argv.push_back("--");
  argv.push_back(destination);
  argv.push_back(remote_command(remote_argv));
  return argv;
}

std::vector<std::string> ssh_forward_argv(const SshTarget& t, const std::string& local_socket, const std::string& to_host,
                                          int to_port, const SshParamNames& names) {
  const std::string destination = ssh_destination(t, names);
  std::vector<std::string> argv = ssh_options_argv(t, names);
  // ssh splits the -L spec at ':' ([...] keeps an IPv6 literal whole): the socket path must
  // hold none, and the target must be a checked host name or address.
  if (local_socket.empty() || local_socket.find(':') != std::string::npos || local_socket.find('/') == std::string::npos ||
      has_control(local_socket))
    throw BadRequest("the forward's socket path must be a path with a '/' and without ':' or control characters");
  if (to_host.empty() || !check_host(to_host).empty())
    throw BadRequest("the forward's target must be a host name or an IP address, not '" + printable(to_host) + "'");
  if (to_port < 1 || to_port > 65535) throw BadRequest("the forward's target port must be from 1 to 65535");
  const std::string target = to_host.find(':') != std::string::npos ? "[" + to_host + "]" : to_host;
  // -N: no remote command; the tunnel is its own connection (no ControlMaster sharing, which
  // could leave a master behind), fails at once when the forward cannot be set up, and its
  // socket is its owner's alone.
  argv.insert(argv.end(), {"-N", "-o", "ExitOnForwardFailure=yes", "-o", "ControlMaster=no", "-o", "ControlPath=none",
                           "-o", "StreamLocalBindMask=0177", "-L",
                           local_socket + ":" + target + ":" + std::to_string(to_port), "--", destination});
  return argv;
}

}  // namespace goap::plugin
