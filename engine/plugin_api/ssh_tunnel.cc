#include "plugin_api/ssh_tunnel.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "plugin_api/plugin.h"

namespace goap::plugin {
namespace {

using Clock = std::chrono::steady_clock;

// sun_path holds 108 bytes; ssh's -L spec may not hold ':'.
constexpr std::size_t kMaxSocketPath = 100;

std::string make_private_dir() {
  std::string base = "/tmp";
  if (const char* t = std::getenv("TMPDIR"); t != nullptr && *t == '/') {
    const std::string tmp = t;
    if (tmp.find(':') == std::string::npos && tmp.size() + 32 < kMaxSocketPath) base = tmp;
  }
  std::string templ = base + "/goap-ssh-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) return {};  // mkdtemp: mode 0700
  return templ;
}

// Whether `path` is a listening Unix socket: Linux lists each in /proc/net/unix with the
// __SO_ACCEPTCON flag (0x10000) once listen() ran. (ssh binds, then listens: the file alone
// could be seen in between.) Without /proc, the socket file's existence has to do.
bool listening(const std::string& path) {
  std::ifstream in("/proc/net/unix");
  if (!in) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
  }
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string num, refs, proto, flags, type, state, inode, p;
    if (!(f >> num >> refs >> proto >> flags >> type >> state >> inode >> p)) continue;
    if (p == path && (std::strtoul(flags.c_str(), nullptr, 16) & 0x10000u) != 0) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> SshTunnel::describe(const SshTarget& target, const std::string& to_host, int to_port,
                                             const SshParamNames& names) {
  return ssh_forward_argv(target, "$TMPDIR/goap-ssh-XXXXXX/socket", to_host, to_port, names);
}

SshTunnel::SshTunnel(const SshTarget& target, const std::string& to_host, int to_port,
                     std::chrono::milliseconds timeout, const SshParamNames& names)
    : host_(target.host) {
  // Checked before anything is made: a bad parameter throws with nothing to clean up.
  describe(target, to_host, to_port, names);
  dir_ = make_private_dir();
  if (dir_.empty()) {
    error_ = "cannot make a private folder for the ssh forward's socket";
    return;
  }
  socket_ = dir_ + "/socket";
  ProcessOptions po;
  po.kill_grace = std::chrono::milliseconds(500);
  ssh_ = std::make_unique<BackgroundProcess>(ssh_forward_argv(target, socket_, to_host, to_port, names), po);
  if (!ssh_->started()) {
    error_ = "cannot start ssh: " + ssh_->error();
    return;
  }
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (!ssh_->running()) {
      error_ = "ssh to " + host_ + ": " + ssh_->stop().failure();
      return;
    }
    if (listening(socket_)) {
      listening_ = true;
      return;
    }
    if (Clock::now() >= deadline) {
      error_ = "ssh to " + host_ + " did not set up the forward in " + std::to_string(timeout.count()) + " ms";
      if (const auto l = last_line(ssh_->output()); !l.empty()) error_ += ": " + l;
      ssh_->stop();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

SshTunnel::~SshTunnel() {
  ssh_.reset();  // stops it
  if (!socket_.empty()) unlink(socket_.c_str());
  if (!dir_.empty()) rmdir(dir_.c_str());
}

bool SshTunnel::ok() {
  if (!listening_) return false;
  if (ssh_->running()) return true;
  listening_ = false;
  error_ = "ssh to " + host_ + " ended: " + ssh_->stop().failure();
  return false;
}

std::string SshTunnel::last_said() {
  if (ssh_) ssh_->running();
  return ssh_ ? last_line(ssh_->output()) : std::string();
}

}  // namespace goap::plugin
