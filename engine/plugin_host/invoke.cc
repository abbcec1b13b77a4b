#include "plugin_host/invoke.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "plugin_api/argv_guard.h"
#include "plugin_api/http.h"
#include "plugin_api/plugin.h"

namespace goap::plugin_host {
namespace {

using Clock = std::chrono::steady_clock;

// ---- the child's side of the pipe ----------------------------------------------------------
// Records: one type byte, a 4-byte length, the payload. 'L' log: int32 level + text; 'E' emit:
// key NUL value; 'R' response: int32 status + message.

void write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

void send_record(int fd, char type, const std::string& payload) {
  std::string rec(1, type);
  const auto len = static_cast<std::uint32_t>(payload.size());
  rec.append(reinterpret_cast<const char*>(&len), sizeof len);
  rec += payload;
  write_all(fd, rec.data(), rec.size());
}

std::string int_bytes(std::int32_t v) { return std::string(reinterpret_cast<const char*>(&v), sizeof v); }

void child_log(void* ctx, std::int32_t level, const char* msg) {
  send_record(*static_cast<int*>(ctx), 'L', int_bytes(level) + (msg ? msg : ""));
}

void child_emit(void* ctx, const char* key, const char* value) {
  std::string p = key ? key : "";
  p += '\0';
  p += value ? value : "";
  send_record(*static_cast<int*>(ctx), 'E', p);
}

[[noreturn]] void run_child(const LoadedPlugin& plugin, const Invocation& call, int fd, int out_fd) {
  // Whatever the plugin (or a sanitizer, or the C++ runtime dying) writes goes to the parent,
  // never into goap's answer on stdout: the last line explains a crash.
  dup2(out_fd, 1);
  dup2(out_fd, 2);
  close(out_fd);
  const int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, 0);
  std::vector<std::vector<const char*>> items;
  std::vector<goap_param> params;
  items.reserve(call.params.size());
  for (const Param& p : call.params) {
    std::vector<const char*> v;
    for (const std::string& s : p.items) v.push_back(s.c_str());
    items.push_back(std::move(v));
  }
  for (std::size_t i = 0; i < call.params.size(); ++i)
    params.push_back(goap_param{call.params[i].name.c_str(), items[i].data(), items[i].size(), call.params[i].is_list ? 1 : 0});
  int fd_copy = fd;
  goap_host host{&fd_copy, &child_log, &child_emit};
  goap_request req{sizeof(goap_request), call.op, call.kind.c_str(), call.action.c_str(), params.data(), params.size(), &host};
  goap_response resp{};
  resp.status = GOAP_FAILED;
  const std::int32_t rc = plugin.invoke_fn()(&req, &resp);
  resp.message[GOAP_MESSAGE_CAPACITY - 1] = '\0';
  send_record(fd, 'R', int_bytes(rc) + resp.message);
  close(fd);
  _exit(0);  // no atexit handlers or static destructors of the parent's copy
}

// ---- the parent's side ---------------------------------------------------------------------
struct Reader {
  std::string buf;
  bool got_response = false;
  InvokeResult* r = nullptr;
  const std::string* plugin = nullptr;
  void (*on_log)(void*, const std::string&, const LogLine&) = nullptr;
  void* ctx = nullptr;

  void parse() {
    for (;;) {
      if (buf.size() < 5) return;
      std::uint32_t len = 0;
      std::memcpy(&len, buf.data() + 1, sizeof len);
      if (buf.size() < 5 + static_cast<std::size_t>(len)) return;
      const char type = buf[0];
      const std::string payload = buf.substr(5, len);
      buf.erase(0, 5 + static_cast<std::size_t>(len));
      std::int32_t num = 0;
      if ((type == 'L' || type == 'R') && payload.size() >= sizeof num) std::memcpy(&num, payload.data(), sizeof num);
      if (type == 'L' && payload.size() >= sizeof num) {
        LogLine l{num, payload.substr(sizeof num)};
        if (on_log) on_log(ctx, *plugin, l);
        if (r->logs.size() < 1000) r->logs.push_back(std::move(l));
      } else if (type == 'E') {
        const std::size_t nul = payload.find('\0');
        if (nul != std::string::npos && r->emitted.size() < 10000)
          r->emitted.emplace_back(payload.substr(0, nul), payload.substr(nul + 1));
      } else if (type == 'R' && payload.size() >= sizeof num) {
        got_response = true;
        r->status = num;
        r->message = payload.substr(sizeof num);
      }
    }
  }
};

// The line of a dying child's output that says why: what an uncaught exception was, a
// sanitizer's summary, else the last line.
std::string why_line(const std::string& output) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < output.size()) {
    std::size_t nl = output.find('\n', pos);
    if (nl == std::string::npos) nl = output.size();
    std::string l = output.substr(pos, nl - pos);
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
    const std::size_t b = l.find_first_not_of(' ');
    if (b != std::string::npos) lines.push_back(l.substr(b));
    pos = nl + 1;
  }
  for (const char* marker : {"what():", "SUMMARY:", "runtime error:", "ERROR:"})
    for (auto it = lines.rbegin(); it != lines.rend(); ++it)
      if (it->find(marker) != std::string::npos) return *it;
  return lines.empty() ? std::string() : lines.back();
}

bool is_list_type(const std::string& t) { return t == "list" || t == "int-list"; }

bool has_template(const Param& p) {
  for (const auto& s : p.items)
    if (s.find("${") != std::string::npos) return true;
  return false;
}

std::string near_name(const std::string& n, const KindInfo& k) {
  std::string best;
  std::size_t best_d = 3;
  for (const ParamInfo& p : k.params) {
    // Levenshtein distance, small strings only.
    const std::string& a = n;
    const std::string& b = p.name;
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j)
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev.swap(cur);
    }
    if (prev[b.size()] < best_d) {
      best_d = prev[b.size()];
      best = b;
    }
  }
  return best;
}

}  // namespace

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::ok: return "ok";
    case Outcome::failed: return "failed";
    case Outcome::crashed: return "crashed";
    case Outcome::hung: return "hung";
    case Outcome::unavailable: return "unavailable";
  }
  return "?";
}

std::string InvokeResult::value(const std::string& key) const {
  for (const auto& [k, v] : emitted)
    if (k == key) return v;
  return {};
}

std::vector<ParamIssue> check_params(const KindInfo& kind, const std::vector<Param>& params, bool templated) {
  std::vector<ParamIssue> issues;
  for (const Param& p : params) {
    const ParamInfo* info = kind.param(p.name);
    if (info == nullptr) {
      std::string names;
      for (const auto& q : kind.params) names += (names.empty() ? "" : ", ") + q.name;
      ParamIssue is{p.name, "'" + kind.name + "' takes no parameter '" + p.name + "'", ""};
      if (std::string near = near_name(p.name, kind); !near.empty()) is.hint = "did you mean '" + near + "'?";
      else is.hint = names.empty() ? "it takes no parameters" : "it takes: " + names;
      issues.push_back(std::move(is));
      continue;
    }
    const std::string& t = info->type;
    if (is_list_type(t) && !p.is_list && t == "list") {
      issues.push_back({p.name, "'" + p.name + "' is a list (" + info->doc + ")", "write it as [item, item, ...]"});
      continue;
    }
    if (!is_list_type(t) && p.is_list) {
      issues.push_back({p.name, "'" + p.name + "' is a single value, not a list", ""});
      continue;
    }
    if (templated && has_template(p)) continue;
    for (const std::string& v : p.items) {
      std::string bad;
      if (t == "duration" && !plugin::parse_duration(v)) bad = "a duration such as 30s, 500ms or 2m";
      else if ((t == "int" || t == "int-list") && !plugin::parse_int(v)) bad = "an integer";
      else if (t == "bool" && !plugin::parse_bool(v)) bad = "true or false";
      else if (std::string what = plugin::check_value(t, v); !what.empty()) bad = what;
      else if (t == "url") {
        std::string err;
        if (!plugin::parse_url(v, &err)) bad = "an http:// URL (" + err + ")";
      }
      if (!bad.empty()) {
        issues.push_back({p.name, "'" + p.name + "' must be " + bad + ", not '" + v + "'", ""});
        break;
      }
    }
  }
  for (const ParamInfo& info : kind.params) {
    if (info.default_value) continue;
    const bool given = std::any_of(params.begin(), params.end(), [&](const Param& p) { return p.name == info.name; });
    if (!given)
      issues.push_back({info.name, "'" + kind.name + "' needs '" + info.name + "'", info.doc.empty() ? "" : info.name + ": " + info.doc});
  }
  return issues;
}

std::vector<Param> with_defaults(const KindInfo& kind, std::vector<Param> params) {
  for (const ParamInfo& info : kind.params) {
    if (!info.default_value) continue;
    const bool given = std::any_of(params.begin(), params.end(), [&](const Param& p) { return p.name == info.name; });
    if (given) continue;
    Param p{info.name, {}, is_list_type(info.type)};
    const std::string& d = *info.default_value;
    if (p.is_list) {
      std::size_t start = 0;
      while (start < d.size()) {
        const std::size_t nl = d.find('\n', start);
        p.items.push_back(d.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    } else {
      p.items.push_back(d);
    }
    params.push_back(std::move(p));
  }
  return params;
}

std::chrono::milliseconds hard_timeout(const std::vector<Param>& params, std::chrono::milliseconds grace,
                                       std::chrono::milliseconds fallback) {
  for (const Param& p : params)
    if (p.name == "timeout" && !p.items.empty())
      if (auto d = plugin::parse_duration(p.items.front())) return *d + grace;
  return fallback;
}

InvokeResult invoke_isolated(const LoadedPlugin& plugin, const Invocation& call,
                             void (*on_log)(void*, const std::string&, const LogLine&), void* ctx) {
  InvokeResult r;
  const auto start = Clock::now();
  int fds[2], out[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    r.message = std::string("cannot create a pipe: ") + std::strerror(errno);
    return r;
  }
  if (pipe2(out, O_CLOEXEC) != 0) {
    r.message = std::string("cannot create a pipe: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return r;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    r.message = std::string("cannot fork: ") + std::strerror(errno);
    for (int f : {fds[0], fds[1], out[0], out[1]}) close(f);
    return r;
  }
  if (pid == 0) {
    close(fds[0]);
    close(out[0]);
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    run_child(plugin, call, fds[1], out[1]);
  }
  setpgid(pid, pid);
  close(fds[1]);
  close(out[1]);
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
  std::string output;  // the child's stdout + stderr, the last 16 KiB
  const auto read_output = [&] {
    char buf[4096];
    for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) {
      output.append(buf, static_cast<std::size_t>(n));
      if (output.size() > 16384) output.erase(0, output.size() - 16384);
    }
  };

  Reader reader;
  reader.r = &r;
  reader.plugin = &plugin.info().name;
  reader.on_log = on_log;
  reader.ctx = ctx;
  const auto deadline = start + call.deadline;
  bool eof = false, hung = false;
  while (!eof) {
    const auto now = Clock::now();
    if (now >= deadline) {
      hung = true;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    pollfd p[2] = {{fds[0], POLLIN, 0}, {out[0], POLLIN, 0}};
    const int pr = poll(p, 2, static_cast<int>(std::min<long long>(left, 100)));
    if (pr < 0 && errno != EINTR) break;
    if (pr <= 0) continue;
    if (p[1].revents != 0) read_output();
    char buf[8192];
    for (;;) {
      const ssize_t n = read(fds[0], buf, sizeof buf);
      if (n > 0) {
        reader.buf.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0) eof = true;
      break;
    }
    reader.parse();
  }
  close(fds[0]);
  int status = 0;
  if (hung) {
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
  } else {
    // The child closed its end: it is exiting. Wait for it, but never forever.
    const auto wait_end = Clock::now() + std::chrono::seconds(5);
    while (waitpid(pid, &status, WNOHANG) == 0) {
      if (Clock::now() > wait_end) {
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
        break;
      }
      usleep(2'000);
    }
  }
  read_output();  // what is there now: a daemon the plugin started may keep the pipe open
  close(out[0]);
  r.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (hung) {
    r.outcome = Outcome::hung;
    r.message = "no answer within " + std::to_string(call.deadline.count()) + " ms: killed the plugin's process group";
  } else if (WIFSIGNALED(status)) {
    r.outcome = Outcome::crashed;
    const int sig = WTERMSIG(status);
    r.message = std::string("the plugin crashed: ") + strsignal(sig) + " (signal " + std::to_string(sig) + ")";
    if (sig == SIGABRT) r.message += "; an exception escaping the plugin ends this way";
  } else if (!reader.got_response) {
    r.outcome = Outcome::crashed;
    r.message = "the plugin exited (status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                ") without answering";
  } else {
    r.outcome = r.status == GOAP_OK ? Outcome::ok : Outcome::failed;
  }
  // The plugin's own output: its last line says why it died; all of it goes to the log.
  const bool died = r.outcome == Outcome::crashed || r.outcome == Outcome::hung;
  if (output.find_first_not_of("\n\r ") != std::string::npos) {
    std::string last = why_line(output);
    if (last.size() > 300) last = last.substr(0, 300) + "...";
    if (died) r.message += ": " + last;
    if (on_log) {
      std::size_t pos = 0;
      while (pos < output.size()) {
        std::size_t nl = output.find('\n', pos);
        if (nl == std::string::npos) nl = output.size();
        if (nl > pos) on_log(ctx, plugin.info().name, LogLine{died ? GOAP_LOG_WARN : GOAP_LOG_DEBUG, output.substr(pos, nl - pos)});
        pos = nl + 1;
      }
    }
  }
  return r;
}

}  // namespace goap::plugin_host
