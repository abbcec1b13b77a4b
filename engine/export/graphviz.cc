#include "export/graphviz.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <vector>

extern char** environ;

namespace goap::exporting {
namespace {

constexpr std::size_t kMaxOutput = 64u << 20;  // a plan picture is kilobytes; this only stops a runaway

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

// Removes the temporary DOT file whatever happens.
class TempFile {
 public:
  TempFile() {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/goap-plan-XXXXXX.dot";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    fd_.reset(::mkstemps(buf.data(), 4));
    if (fd_.get() >= 0) path_ = buf.data();
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  [[nodiscard]] bool ok() const { return fd_.get() >= 0; }
  [[nodiscard]] const std::string& path() const { return path_; }
  bool write_all(const std::string& s) {
    std::size_t done = 0;
    while (done < s.size()) {
      const ssize_t n = ::write(fd_.get(), s.data() + done, s.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<std::size_t>(n);
    }
    fd_.reset();
    return true;
  }

 private:
  Fd fd_;
  std::string path_;
};

std::string first_line(const std::string& s) {
  std::string l = s.substr(0, s.find('\n'));
  if (l.size() > 300) l = l.substr(0, 300) + "...";
  return l;
}

}  // namespace

std::string svg_element(const std::string& out) {
  const auto b = out.find("<svg");
  const auto e = out.rfind("</svg>");
  if (b == std::string::npos || e == std::string::npos || e < b) return "";
  return out.substr(b, e + 6 - b);
}

SvgResult GraphvizRenderer::render(const std::string& dot) {
  SvgResult r;
  TempFile input;
  if (!input.ok() || !input.write_all(dot)) {
    r.error = std::string("could not write a temporary file for Graphviz: ") + std::strerror(errno);
    return r;
  }
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    r.error = std::string("pipe: ") + std::strerror(errno);
    return r;
  }
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
  std::vector<std::string> args{program_, "-Tsvg", input.path()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, program_.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  out_write.reset();
  err_write.reset();
  if (rc != 0) {
    r.error = rc == ENOENT ? "Graphviz's '" + program_ + "' program is not installed (or not on PATH)"
                           : "could not run '" + program_ + "': " + std::strerror(rc);
    return r;
  }

  std::string out, err;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
  bool timed_out = false, too_big = false;
  pollfd fds[2] = {{out_read.get(), POLLIN, 0}, {err_read.get(), POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    const int n = ::poll(fds, 2, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      sinks[i]->append(buf, static_cast<std::size_t>(got));
      if (out.size() + err.size() > kMaxOutput) too_big = true;
    }
    if (too_big) break;
  }
  if (timed_out || too_big) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    r.error = "Graphviz's '" + program_ + "' took longer than " + std::to_string(timeout_ms_ / 1000) + " s and was stopped";
    return r;
  }
  if (too_big) {
    r.error = "Graphviz's '" + program_ + "' wrote more than " + std::to_string(kMaxOutput >> 20) + " MiB and was stopped";
    return r;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    r.error = "Graphviz's '" + program_ + "' failed" +
              (WIFEXITED(status) ? " (exit " + std::to_string(WEXITSTATUS(status)) + ")" : std::string(" (killed by a signal)")) +
              (err.empty() ? "" : ": " + first_line(err));
    return r;
  }
  r.svg = svg_element(out);
  if (r.svg.empty()) {
    r.error = "Graphviz's '" + program_ + "' printed no <svg> element";
    return r;
  }
  r.ok = true;
  return r;
}

}  // namespace goap::exporting
