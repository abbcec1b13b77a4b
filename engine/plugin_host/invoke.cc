#include "plugin_host/invoke.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "plugin_api/argv_guard.h"
#include "plugin_api/http.h"
#include "plugin_api/plugin.h"

namespace goap::plugin_host {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxRecord = 64 * 1024;    // one log line, emitted value or answer
constexpr std::size_t kKeepLogs = 64 * 1024;     // InvokeResult::logs
constexpr std::size_t kKeepEmitted = 1 << 20;    // InvokeResult::emitted
constexpr std::size_t kKeepOutput = 16 * 1024;   // the child's stdout + stderr

// ---- processes, through /proc ----------------------------------------------------------------
// Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses):
// index 0 is field 3 (state), 1 is ppid, 3 is the session, 19 the start time. Plain read(2)
// into a stack buffer: the supervisor calls this in a forked child.
bool stat_fields(long pid, long long* ppid, long long* session, long long* start, char* state = nullptr) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[1024];
  const ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return false;
  buf[n] = '\0';
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return false;
  ++p;
  long long v[20] = {};
  char st = '?';
  for (int field = 0; field < 20; ++field) {
    while (*p == ' ') ++p;
    if (*p == '\0') return false;
    if (field == 0) st = *p;
    else v[field] = std::strtoll(p, nullptr, 10);
    while (*p != ' ' && *p != '\0') ++p;
  }
  if (ppid) *ppid = v[1];
  if (session) *session = v[3];
  if (start) *start = v[19];
  if (state) *state = st;
  return true;
}

// Calls f(pid) for every process in /proc.
template <class F>
void each_process(F&& f) {
  DIR* d = opendir("/proc");
  if (d == nullptr) return;
  while (const dirent* e = readdir(d)) {
    char* end = nullptr;
    const long pid = std::strtol(e->d_name, &end, 10);
    if (pid > 0 && end && *end == '\0') f(pid);
  }
  closedir(d);
}

// The supervisor's end: SIGKILL to every child, reap, again, until it has no child left. As a
// subreaper it inherits every orphaned descendant, so this reaches the whole tree.
void kill_descendants() {
  const long me = getpid();
  const auto end = Clock::now() + std::chrono::seconds(10);
  for (;;) {
    each_process([&](long pid) {
      long long ppid = 0;
      if (stat_fields(pid, &ppid, nullptr, nullptr) && ppid == me) kill(static_cast<pid_t>(pid), SIGKILL);
    });
    int st = 0;
    pid_t w;
    while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
    }
    if (w < 0 && errno == ECHILD) return;
    if (Clock::now() > end) return;
    usleep(1'000);
  }
}

int pidfd_open_(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

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

// The supervisor (invoke.h): waits for go, forks the worker, reports how it ended.
[[noreturn]] void supervise(const LoadedPlugin& plugin, const Invocation& call, int life, int fd, int out_fd) {
  char go = 0;
  if (read(life, &go, 1) != 1) _exit(1);
  const pid_t me = getpid();
  const pid_t worker = fork();
  if (worker < 0) _exit(1);
  if (worker == 0) {
    close(life);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != me) _exit(1);
    run_child(plugin, call, fd, out_fd);
  }
  close(fd);
  close(out_fd);
  const int wfd = pidfd_open_(worker);
  int status = 0;
  for (;;) {
    pollfd p[2] = {{life, POLLIN, 0}, {wfd, POLLIN, 0}};
    const int pr = poll(p, wfd >= 0 ? 2 : 1, wfd >= 0 ? -1 : 20);
    if (pr < 0 && errno != EINTR) break;
    // Orphans the subreaper inherited and that ended since: reap them, note the worker.
    for (pid_t w; (w = waitpid(-1, &status, WNOHANG)) > 0;) {
      if (w != worker) continue;
      // Answered: leave what it started (a daemon may be the point of the step).
      if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) kill_descendants();
      (void)!write(life, &status, sizeof status);
      _exit(0);
    }
    if (p[0].revents != 0) {
      char c;
      if (read(life, &c, 1) <= 0) break;  // goap gave up on the plugin, or died
    }
  }
  kill_descendants();
  _exit(0);
}

// ---- the parent's side ---------------------------------------------------------------------
struct Reader {
  std::string buf;
  std::size_t skip = 0;  // bytes of an over-long record still to drop as they arrive
  bool got_response = false;
  std::size_t log_bytes = 0, emitted_bytes = 0;
  InvokeResult* r = nullptr;
  const std::string* plugin = nullptr;
  void (*on_log)(void*, const std::string&, const LogLine&) = nullptr;
  void* ctx = nullptr;

  void feed(const char* p, std::size_t n) {
    const std::size_t dropped = std::min(skip, n);
    skip -= dropped;
    buf.append(p + dropped, n - dropped);
    parse();
  }

  void parse() {
    for (;;) {
      if (skip > 0 || buf.size() < 5) return;
      std::uint32_t len = 0;
      std::memcpy(&len, buf.data() + 1, sizeof len);
      const char type = buf[0];
      std::string payload;
      std::size_t cut = 0;  // bytes of this record that are dropped
      if (len > kMaxRecord) {
        if (buf.size() < 5 + kMaxRecord) return;
        payload = buf.substr(5, kMaxRecord);
        cut = len - kMaxRecord;
        const std::size_t here = std::min(buf.size() - 5 - kMaxRecord, cut);
        buf.erase(0, 5 + kMaxRecord + here);
        skip = cut - here;
      } else {
        if (buf.size() < 5 + static_cast<std::size_t>(len)) return;
        payload = buf.substr(5, len);
        buf.erase(0, 5 + static_cast<std::size_t>(len));
      }
      const std::string note = cut ? " [... " + std::to_string(cut) + " bytes dropped]" : "";
      std::int32_t num = 0;
      if ((type == 'L' || type == 'R') && payload.size() >= sizeof num) std::memcpy(&num, payload.data(), sizeof num);
      if (type == 'L' && payload.size() >= sizeof num) {
        LogLine l{num, payload.substr(sizeof num) + note};
        if (on_log) on_log(ctx, *plugin, l);
        keep_log(std::move(l));
      } else if (type == 'E') {
        const std::size_t nul = payload.find('\0');
        if (nul != std::string::npos && r->emitted.size() < 10000 && emitted_bytes + payload.size() <= kKeepEmitted) {
          emitted_bytes += payload.size();
          r->emitted.emplace_back(payload.substr(0, nul), payload.substr(nul + 1) + note);
        }
      } else if (type == 'R' && payload.size() >= sizeof num) {
        got_response = true;
        r->status = num;
        r->message = payload.substr(sizeof num) + note;
      }
    }
  }

  // The last kKeepLogs bytes of log lines; what falls out is counted.
  void keep_log(LogLine l) {
    log_bytes += l.message.size();
    r->logs.push_back(std::move(l));
    std::size_t drop = 0;
    while (log_bytes > kKeepLogs && drop + 1 < r->logs.size()) {
      log_bytes -= r->logs[drop].message.size();
      r->logs_dropped += r->logs[drop].message.size();
      ++drop;
    }
    if (drop) r->logs.erase(r->logs.begin(), r->logs.begin() + static_cast<std::ptrdiff_t>(drop));
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
        if (!plugin::parse_url(v, &err)) bad = "an http:// or https:// URL (" + err + ")";
      }
      if (!bad.empty()) {
        issues.push_back({p.name, "'" + p.name + "' must be " + bad + ", not '" + plugin::printable(v) + "'", ""});
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

std::int64_t process_start_time(std::int64_t pid) {
  long long start = 0;
  if (pid <= 0 || !stat_fields(static_cast<long>(pid), nullptr, nullptr, &start)) return 0;
  return start;
}

int stop_step_process(const StepProcess& p) {
  if (p.sid <= 1 || p.sid == getpid()) return 0;
  const auto leader_alive = [&] {
    long long start = 0;
    char state = '?';
    return stat_fields(static_cast<long>(p.sid), nullptr, nullptr, &start, &state) && start == p.start && state != 'Z';
  };
  // Another process now has the pid: the session id is not ours to kill.
  if (const std::int64_t start = process_start_time(p.sid); start != 0 && start != p.start) return 0;
  // A supervisor that outlived goap is killing its tree itself: give it a moment.
  for (int i = 0; i < 100 && leader_alive(); ++i) usleep(10'000);
  int killed = 0;
  const auto end = Clock::now() + std::chrono::seconds(5);
  for (;;) {
    bool any = false;
    each_process([&](long pid) {
      long long session = 0, start = 0;
      char state = '?';
      // Started no earlier than the session's leader: a pid in this session cannot be older.
      if (!stat_fields(pid, nullptr, &session, &start, &state) || session != p.sid || start < p.start || state == 'Z') return;
      any = true;
      if (kill(static_cast<pid_t>(pid), SIGKILL) == 0) ++killed;
    });
    if (!any || Clock::now() > end) break;
    usleep(5'000);
  }
  return killed;
}

namespace {

// Closes every descriptor above stderr but `keep` (in a forked child: no allocation).
void close_other_fds(std::initializer_list<int> keep) {
  int kept[3] = {-1, -1, -1};
  std::size_t n = 0;
  for (int k : keep)
    if (n < 3) kept[n++] = k;
  for (std::size_t i = 1; i < n; ++i)  // three at most: an insertion sort
    for (std::size_t j = i; j > 0 && kept[j - 1] > kept[j]; --j) std::swap(kept[j - 1], kept[j]);
  unsigned int from = 3;
  for (std::size_t i = 0; i <= n; ++i) {
    const unsigned int to = i < n ? static_cast<unsigned int>(kept[i]) : ~0u;
    if (i < n && kept[i] < 3) continue;
    if (to > from) {
      if (syscall(SYS_close_range, from, to - 1, 0) != 0) {
        const long max = sysconf(_SC_OPEN_MAX);
        const unsigned int last = i < n ? to - 1 : static_cast<unsigned int>(max > 0 ? max - 1 : 1023);
        for (unsigned int fd = from; fd <= last; ++fd) close(static_cast<int>(fd));
      }
    }
    if (i < n) from = to + 1;
  }
}

}  // namespace

InvokeResult invoke_isolated(const LoadedPlugin& plugin, const Invocation& call,
                             void (*on_log)(void*, const std::string&, const LogLine&), void* ctx) {
  InvokeResult r;
  const auto start = Clock::now();
  int fds[2], out[2], life[2];
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
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, life) != 0) {
    r.message = std::string("cannot create a socket pair: ") + std::strerror(errno);
    for (int f : {fds[0], fds[1], out[0], out[1]}) close(f);
    return r;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    r.message = std::string("cannot fork: ") + std::strerror(errno);
    for (int f : {fds[0], fds[1], out[0], out[1], life[0], life[1]}) close(f);
    return r;
  }
  if (pid == 0) {
    close(fds[0]);
    close(out[0]);
    close(life[0]);
    // Invokes run concurrently (sensing, exec/sensing.h): this child holds copies of whatever
    // another thread had open when it forked, among them another invoke's lifeline and pipes,
    // whose end of file would then wait for this plugin. Keep only what this invoke needs.
    close_other_fds({fds[1], out[1], life[1]});
    setsid();
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    // goap's own handlers (goap run: SIGTERM finishes the step) are not the plugin's.
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) signal(sig, SIG_DFL);
    if (getppid() != parent) _exit(1);
    supervise(plugin, call, life[1], fds[1], out[1]);
  }
  close(fds[1]);
  close(out[1]);
  close(life[1]);
  const int lifeline = life[0];
  if (call.on_start) {
    StepProcess sp{pid, 0};
    // The child may not have run yet, but its start time is set at fork.
    sp.start = process_start_time(pid);
    try {
      call.on_start(sp);
    } catch (...) {
      close(lifeline);  // the supervisor exits without starting the plugin
      waitpid(pid, nullptr, 0);
      close(fds[0]);
      close(out[0]);
      throw;
    }
  }
  (void)!write(lifeline, "g", 1);
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
  fcntl(lifeline, F_SETFL, fcntl(lifeline, F_GETFL) | O_NONBLOCK);
  std::string output;  // the child's stdout + stderr, the last kKeepOutput bytes
  bool out_open = true, answer_open = true;
  const auto read_output = [&] {
    char buf[4096];
    ssize_t n;
    while ((n = read(out[0], buf, sizeof buf)) > 0) {
      output.append(buf, static_cast<std::size_t>(n));
      if (output.size() > kKeepOutput) output.erase(0, output.size() - kKeepOutput);
    }
    if (n == 0) out_open = false;
  };

  Reader reader;
  reader.r = &r;
  reader.plugin = &plugin.info().name;
  reader.on_log = on_log;
  reader.ctx = ctx;
  const auto read_answer = [&] {
    char buf[8192];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) reader.feed(buf, static_cast<std::size_t>(n));
    if (n == 0) answer_open = false;
  };
  std::string report;  // the supervisor's word: the worker's wait status
  bool supervisor_done = false;
  const auto read_life = [&] {
    char buf[16];
    ssize_t n;
    while ((n = read(lifeline, buf, sizeof buf)) > 0) report.append(buf, static_cast<std::size_t>(n));
    if (n == 0) supervisor_done = true;
  };
  const auto deadline = start + call.deadline;
  bool hung = false;
  while (!supervisor_done) {
    const auto now = Clock::now();
    if (now >= deadline) {
      hung = true;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
    pollfd p[3] = {{lifeline, POLLIN, 0}, {answer_open ? fds[0] : -1, POLLIN, 0}, {out_open ? out[0] : -1, POLLIN, 0}};
    const int pr = poll(p, 3, static_cast<int>(std::min<long long>(left, 60'000)));
    if (pr < 0 && errno != EINTR) break;
    if (pr <= 0) continue;
    if (p[2].revents != 0) read_output();
    if (p[1].revents != 0) read_answer();
    if (p[0].revents != 0) read_life();
  }
  // Whatever the worker wrote before it ended is in the pipes already. Not waiting for their
  // end of file: a descendant may hold them open.
  read_answer();
  read_output();
  close(fds[0]);
  close(out[0]);
  if (hung) close(lifeline);  // the supervisor kills the whole tree and exits
  // Wait for the supervisor, but never for ever.
  const auto wait_end = Clock::now() + std::chrono::seconds(12);
  int sup_status = 0;
  while (waitpid(pid, &sup_status, WNOHANG) == 0) {
    if (Clock::now() > wait_end) {
      kill(-pid, SIGKILL);
      waitpid(pid, &sup_status, 0);
      break;
    }
    usleep(1'000);
  }
  if (!hung) close(lifeline);
  int status = 0;
  const bool reported = report.size() >= sizeof status;
  if (reported) std::memcpy(&status, report.data(), sizeof status);
  r.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  if (hung) {
    r.outcome = Outcome::hung;
    r.message = "no answer within " + std::to_string(call.deadline.count()) +
                " ms: killed the plugin's process group and every descendant";
  } else if (!reported) {
    r.outcome = Outcome::crashed;
    r.message = "the plugin's supervisor process ended without a report (" +
                std::string(WIFSIGNALED(sup_status) ? strsignal(WTERMSIG(sup_status)) : "exited") + ")";
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
  r.output = output;
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
