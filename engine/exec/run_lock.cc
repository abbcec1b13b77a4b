#include "exec/run_lock.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace goap::exec {
namespace {

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// The holder's own words: "pid N\nstarted T\nworld W\n"; only for the message.
std::string read_note(int fd, const char* key) {
  char buf[4096];
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return {};
  const std::string text(buf, static_cast<std::size_t>(n));
  const std::string prefix = std::string(key) + " ";
  for (std::size_t at = 0; at < text.size();) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    if (text.compare(at, prefix.size(), prefix) == 0) return text.substr(at + prefix.size(), nl - at - prefix.size());
    at = nl + 1;
  }
  return {};
}

}  // namespace

std::string run_lock_path(const std::string& journal_path, const std::string& world_path) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(world_path)));
  return journal_path + ".locks/" + hex + ".lock";
}

RunLock::Attempt RunLock::try_acquire(const std::string& journal_path, const std::string& world_path,
                                      const std::string& started) {
  Attempt a;
  const std::string path = run_lock_path(journal_path, world_path);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) {
    a.message = "cannot open the run lock " + path + ": " + std::strerror(errno);
    return a;
  }
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (fcntl(fd, F_SETLK, &fl) != 0) {
    const int err = errno;
    if (err != EACCES && err != EAGAIN) {
      a.message = "cannot lock " + path + ": " + std::strerror(err);
      close(fd);
      return a;
    }
    struct flock who {};
    who.l_type = F_WRLCK;
    who.l_whence = SEEK_SET;
    if (fcntl(fd, F_GETLK, &who) == 0 && who.l_type != F_UNLCK) a.holder_pid = who.l_pid;
    // The holder writes its note right after locking: a run that just started may not have yet.
    std::string note_pid = read_note(fd, "pid"), note_started = read_note(fd, "started");
    for (int i = 0; i < 20 && (note_pid.empty() || note_pid != std::to_string(a.holder_pid)); ++i) {
      usleep(5'000);
      note_pid = read_note(fd, "pid");
      note_started = read_note(fd, "started");
    }
    close(fd);
    a.status = Status::held;
    a.message = "another goap run holds " + world_path + " (pid " + std::to_string(a.holder_pid) + ", started " +
                (note_pid == std::to_string(a.holder_pid) && !note_started.empty() ? note_started : "at an unknown time") +
                "; lock " + path + ")";
    return a;
  }
  const std::string note = "pid " + std::to_string(getpid()) + "\nstarted " + started + "\nworld " + world_path + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, note.data(), note.size(), 0) != static_cast<ssize_t>(note.size())) {
    // The lock is held all the same; the note only makes a refusal's message better.
  }
  a.status = Status::acquired;
  a.lock.reset(new RunLock(fd, path));
  return a;
}

RunLock::~RunLock() {
  if (fd_ >= 0) close(fd_);  // closing drops the record lock
}

}  // namespace goap::exec
