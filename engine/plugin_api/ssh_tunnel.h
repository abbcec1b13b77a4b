// Reaching a TCP port as a remote host sees it, through ssh, without exposing that port.
//
// An SshTunnel runs `ssh -N -L SOCKET:TO_HOST:TO_PORT [USER@]HOST` (argv_guard.h
// ssh_forward_argv: strict host keys, BatchMode, the target's identity, known hosts and config)
// as a BackgroundProcess (process.h). SOCKET is a Unix socket in a fresh folder only this user
// can enter (mkdtemp under $TMPDIR, else /tmp), created by ssh with mode 0600: only goap's user
// can use the forward. A connection to SOCKET is opened BY THE HOST to TO_HOST:TO_PORT, so
// `127.0.0.1` means the host's own loopback. http.h's HttpOptions::unix_socket sends a request
// through it with the URL unchanged.
//
// The constructor returns once the forward listens (the socket is in the kernel's table of
// listening Unix sockets), ssh has exited (a refused host key, a failed login, a forward the
// server refuses: error() holds ssh's last line), or the timeout has passed. The destructor
// stops ssh (its whole process group) and removes the socket and its folder: whatever the
// plugin returns or throws, nothing is left behind.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "plugin_api/argv_guard.h"
#include "plugin_api/process.h"

namespace goap::plugin {

class SshTunnel {
 public:
  // Throws BadRequest when a parameter fails its check (argv_guard.h), naming it by `names`.
  SshTunnel(const SshTarget& target, const std::string& to_host, int to_port, std::chrono::milliseconds timeout,
            const SshParamNames& names = {});
  ~SshTunnel();
  SshTunnel(const SshTunnel&) = delete;
  SshTunnel& operator=(const SshTunnel&) = delete;

  // The forward listens and its ssh still runs.
  bool ok();
  // Why the forward is not there: "ssh to HOST: exit 255: Host key verification failed.", ...
  [[nodiscard]] const std::string& error() const { return error_; }
  // What ssh said last (e.g. "channel 2: open failed: connect failed: Connection refused" when
  // nothing listens on the target): for messages. Empty when it said nothing.
  std::string last_said();
  [[nodiscard]] const std::string& socket_path() const { return socket_; }

  // The argv the tunnel runs, with a placeholder socket path: for dry runs.
  static std::vector<std::string> describe(const SshTarget& target, const std::string& to_host, int to_port,
                                           const SshParamNames& names = {});

 private:
  std::string dir_, socket_, host_, error_;
  std::unique_ptr<BackgroundProcess> ssh_;
  bool listening_ = false;
};

}  // namespace goap::plugin
