// What the libFuzzer targets in tools/fuzz/ share: the contract checks, the small fixed world
// several of them read against, and files in a fixed scratch folder.
//
// A broken contract aborts with a message on the stderr the process started with, so it stays
// readable when run.sh passes -close_fd_mask=3 (targets whose code under test prints a lot).
// Call fuzz::start() from LLVMFuzzerInitialize, before libFuzzer closes stderr.
//
// Scratch folders: each process gets its own, /tmp/goap-fuzz/<target>-<pid>/, removed when it
// exits normally, so two runs of one target never pull files from under each other. Files that a
// dictionary or a seed names live in a fixed folder, /tmp/goap-fuzz/<target>/, written once at
// start (with the same text by every run) and only read while fuzzing.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/diag.h"

namespace goap::fuzz {

inline int& report_fd() {
  static int fd = 2;
  return fd;
}

// Keeps a handle on the stderr the process started with, for check().
inline void start() {
  const int fd = ::dup(2);
  if (fd >= 0) report_fd() = fd;
}

[[noreturn]] inline void fail(std::string_view target, std::string_view what) {
  const std::string line = std::string(target) + ": contract broken: " + std::string(what) + "\n";
  (void)!::write(report_fd(), line.data(), line.size());
  std::abort();
}

inline void check(bool ok, std::string_view what) {
  if (!ok) fail("fuzz", what);
}

// GOAP_FUZZ_VERBOSE=1 in the environment: targets show what they read, e.g. when replaying a
// reproducer (`GOAP_FUZZ_VERBOSE=1 build-fuzz/tools/fuzz/fuzz_uses FILE`).
inline bool verbose() {
  static const bool v = [] {
    const char* e = std::getenv("GOAP_FUZZ_VERBOSE");
    return e != nullptr && *e != '\0' && *e != '0';
  }();
  return v;
}

inline void show(std::string_view text) {
  if (verbose()) (void)!::write(report_fd(), text.data(), text.size());
}

// Every diagnostic has a message and points into a file the SourceManager knows; rendering works.
inline void check_diagnostics(const core::Diagnostics& diags, const core::SourceManager& sm) {
  for (const core::Diagnostic& d : diags.all()) {
    check(!d.message.empty(), "a diagnostic without a message");
    check(!d.loc.known() || d.loc.file < sm.size(), "a diagnostic in a file the SourceManager doesn't know");
    for (const core::Diagnostic& n : d.notes)
      check(!n.loc.known() || n.loc.file < sm.size(), "a note in a file the SourceManager doesn't know");
  }
  const std::string text = core::render_all(diags, sm);
  check(diags.all().empty() || !text.empty(), "diagnostics that render to nothing");
  show(text);
}

inline std::string make_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "fuzz: cannot make %s: %s\n", dir.c_str(), ec.message().c_str());
    std::abort();
  }
  return dir.string();
}

// /tmp/goap-fuzz/<name>-<pid>/, empty; removed at exit. Call it once per process.
inline std::string scratch_dir(const std::string& name) {
  static std::string dir;
  dir = "/tmp/goap-fuzz/" + name + "-" + std::to_string(::getpid());
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);  // a crashed run's, whose pid came round again
  std::atexit([] {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  });
  return make_dir(dir);
}

// /tmp/goap-fuzz/<name>/: for files named by a dictionary or a seed. Never emptied.
inline std::string fixed_dir(const std::string& name) { return make_dir(std::filesystem::path("/tmp/goap-fuzz") / name); }

inline void write_file(const std::string& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    std::fprintf(stderr, "fuzz: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
    std::abort();
  }
  ::close(fd);
}

inline std::string read_file(const std::string& path) {
  std::string out;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

// A world with a type hierarchy, attributes, every kind of fact, an action and a forall goal.
inline constexpr const char* kFixedWorld = R"(kind: world
types: {host: {}, vps: {is: host}, agent: {}}
objects:
  web1: {type: vps, address: 10.0.0.1}
  db1: host
  ezra: agent
facts:
  reachable(host): bool
  disk_ok(host): bool
  link(host, host): bool
  agent_running(agent): bool
  restarts: int[0..3]
  temperature: int[-20..40]
  llm_provider: enum[kimi, ollama, none]
  outage: {type: bool, external: true}
actions:
  restart:
    params: {h: host}
    pre: [reachable($h), restarts < 3, not outage]
    eff: [disk_ok($h), restarts += 1, link($h, $h)]
  start-agent:
    params: {a: agent, h: host}
    pre: [disk_ok($h)]
    eff: [agent_running($a)]
goals:
  g: {forall: {a: agent}, want: [agent_running($a)]}
  disks: {want: ['disk_ok(web1)', 'disk_ok(db1)']}
state: [reachable(web1), llm_provider = ollama]
)";

}  // namespace goap::fuzz
