#include "plugin_api/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace goap::plugin {
namespace {

using Clock = std::chrono::steady_clock;

void set_status(ProcessResult& r, int status) {
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
}

// Keeps the last `cap` bytes (what says why a command failed comes last), trimming in chunks so
// that a chatty command costs linear time.
void append(ProcessResult& r, const char* buf, std::size_t n, std::size_t cap) {
  r.output.append(buf, n);
  if (r.output.size() > 2 * cap + 4096) {
    const std::size_t drop = r.output.size() - cap;
    r.output.erase(0, drop);
    r.dropped += drop;
  }
}

void finish_output(ProcessResult& r, std::size_t cap) {
  if (r.output.size() > cap) {
    r.dropped += r.output.size() - cap;
    r.output.erase(0, r.output.size() - cap);
  }
  if (r.dropped > 0) r.output.insert(0, "[... " + std::to_string(r.dropped) + " bytes dropped]\n");
}

// Reads what is there without blocking; returns false at end of file.
bool drain(int fd, ProcessResult& r, std::size_t cap) {
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      append(r, buf, static_cast<std::size_t>(n), cap);
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return true;  // EAGAIN: nothing more for now
  }
}

struct Spawned {
  pid_t pid = -1;
  int out = -1;
};

// Forks and execs `argv` as run_process describes; on success r.started is set and the child's
// pid and the read end of its output pipe (non-blocking) are returned, else r.error says why.
Spawned spawn(const std::vector<std::string>& argv, const ProcessOptions& o, ProcessResult& r) {
  if (argv.empty() || argv[0].empty()) {
    r.error = "empty argv";
    return {};
  }
  int out[2], err_pipe[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return {};
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    close(out[0]);
    close(out[1]);
    return {};
  }
  // Everything the child needs is built before fork: after fork only async-signal-safe calls.
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  // An entry of o.env replaces the inherited one of its name (a child reading its environment
  // may take the first of two, as glibc's getenv and Python's os.environ do).
  auto overridden = [&o](const char* e) {
    for (const std::string& x : o.env) {
      const std::size_t eq = x.find('=');
      if (eq != std::string::npos && std::strncmp(e, x.c_str(), eq + 1) == 0) return true;
    }
    return false;
  };
  for (char** e = environ; e && *e; ++e)
    if (!overridden(*e)) envp.push_back(*e);
  for (const std::string& e : o.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) {
    r.error = std::string("fork: ") + std::strerror(errno);
    close(out[0]); close(out[1]); close(err_pipe[0]); close(err_pipe[1]);
    return {};
  }
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(out[1], 1);
    dup2(out[1], 2);
    if (!o.cwd.empty() && chdir(o.cwd.c_str()) != 0) {
      const int e = errno;
      (void)!write(err_pipe[1], &e, sizeof e);
      _exit(127);
    }
    signal(SIGPIPE, SIG_DFL);
    execvpe(args[0], args.data(), envp.data());
    const int e = errno;
    (void)!write(err_pipe[1], &e, sizeof e);
    _exit(127);
  }
  setpgid(pid, pid);  // also in the parent: no race with a kill before the child ran setpgid
  close(out[1]);
  close(err_pipe[1]);
  int exec_errno = 0;
  const ssize_t got = read(err_pipe[0], &exec_errno, sizeof exec_errno);  // EOF when exec succeeded
  close(err_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    waitpid(pid, nullptr, 0);
    close(out[0]);
    r.error = argv[0] + ": " + std::strerror(exec_errno);
    return {};
  }
  r.started = true;
  fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
  return {pid, out[0]};
}

// SIGTERM to the child's group, SIGKILL after `grace` (and to the group in any case: the leader
// may be gone while helpers in its group live on); reaps the child. Returns its wait status.
int stop_group(pid_t pid, std::chrono::milliseconds grace) {
  int status = 0;
  bool exited = false;
  kill(-pid, SIGTERM);
  const auto grace_end = Clock::now() + grace;
  while (Clock::now() < grace_end) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    usleep(10'000);
  }
  kill(-pid, SIGKILL);
  if (!exited) waitpid(pid, &status, 0);
  return status;
}

}  // namespace

std::string ProcessResult::summary() const {
  if (!started) return "could not start: " + error;
  if (timed_out) return "timed out after " + std::to_string(static_cast<long long>(ms)) + " ms";
  if (signal != 0) return "killed by signal " + std::to_string(signal);
  return "exit " + std::to_string(exit_code);
}

std::string ProcessResult::failure() const {
  std::string m = summary();
  if (const auto l = last_line(output); !l.empty()) m += ": " + l;
  return m;
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& o) {
  ProcessResult r;
  const auto start = Clock::now();
  const Spawned child = spawn(argv, o, r);
  if (!r.started) return r;
  const pid_t pid = child.pid;
  const int out[1] = {child.out};

  const auto deadline = start + o.timeout;
  bool open_fd = true;
  int status = 0;
  bool exited = false;
  while (!exited) {
    const pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) {
      exited = true;
      break;
    }
    const auto now = Clock::now();
    if (now >= deadline) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    const int wait_ms = static_cast<int>(std::min<long long>(left, 20));
    if (open_fd) {
      pollfd p{out[0], POLLIN, 0};
      if (poll(&p, 1, wait_ms) > 0) open_fd = drain(out[0], r, o.max_output);
    } else {
      usleep(static_cast<useconds_t>(wait_ms) * 1000);
    }
  }
  if (!exited) {
    r.timed_out = true;
    status = stop_group(pid, o.kill_grace);
  }
  set_status(r, status);
  // What the command wrote before it exited; a daemon it started may hold the pipe open, so
  // only what is already there is read.
  if (open_fd) drain(out[0], r, o.max_output);
  close(out[0]);
  finish_output(r, o.max_output);
  r.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return r;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv, const ProcessOptions& options)
    : options_(options) {
  const Spawned child = spawn(argv, options_, result_);
  pid_ = child.pid;
  out_ = child.out;
}

BackgroundProcess::~BackgroundProcess() { stop(); }

bool BackgroundProcess::running() {
  if (!result_.started || exited_ || stopped_) return false;
  if (out_ >= 0 && !drain(out_, result_, options_.max_output)) {
    close(out_);
    out_ = -1;
  }
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exited_ = true;
    set_status(result_, status);
    return false;
  }
  return true;
}

const ProcessResult& BackgroundProcess::stop() {
  if (stopped_ || !result_.started) return result_;
  running();
  if (!exited_) {
    set_status(result_, stop_group(pid_, options_.kill_grace));
    exited_ = true;
  }
  stopped_ = true;
  if (out_ >= 0) {
    drain(out_, result_, options_.max_output);
    close(out_);
    out_ = -1;
  }
  finish_output(result_, options_.max_output);
  return result_;
}

std::string quote_argv(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) {
    if (!s.empty()) s += ' ';
    const bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                         "-_./:=@%+,") == std::string::npos;
    if (plain) {
      s += a;
      continue;
    }
    s += '\'';
    for (char c : a) {
      if (c == '\'') s += "'\\''";
      else s += c;
    }
    s += '\'';
  }
  return s;
}

std::string last_line(const std::string& output, std::size_t max) {
  std::size_t end = output.size();
  while (end > 0 && (output[end - 1] == '\n' || output[end - 1] == '\r' || output[end - 1] == ' ')) --end;
  std::size_t begin = output.rfind('\n', end == 0 ? 0 : end - 1);
  begin = begin == std::string::npos ? 0 : begin + 1;
  std::string line = output.substr(begin, end - begin);
  if (line.size() > max) line = line.substr(0, max) + "...";
  return line;
}

}  // namespace goap::plugin
