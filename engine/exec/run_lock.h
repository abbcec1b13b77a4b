// One run of a world at a time: an OS lock per world and journal, held for the whole run.
//
// `goap run WORLD` (and `--watch`, for as long as it watches) holds an exclusive POSIX record
// lock (fcntl F_SETLK) on `<journal>.locks/<hash>.lock`, where <hash> is a 64-bit FNV-1a of the
// world's canonical path. A second run of the same world on the same journal finds the lock
// taken and stops at once, naming the holder: its pid (from the kernel, F_GETLK) and the start
// time and world the holder wrote into the file.
//
// Why fcntl and not flock: a record lock belongs to the process, is not inherited across fork,
// and the kernel drops it the moment that process dies. goap forks a supervisor and a worker
// for every plugin call; with flock they would share the lock, and a `kill -9` of goap would
// leave it held until they had cleaned up. With fcntl, a holder that died (kill -9, a crash, a
// power cut) holds nothing: the next run takes the lock over without any stale-lock guessing.
// The caveat of record locks (closing ANY descriptor of the file drops the process's lock) is
// kept away by opening the file only here, once.
//
// A dry run executes nothing and takes no lock. The lock file stays behind after the run (its
// text names the last holder); removing it while no run holds it is harmless.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace goap::exec {

class RunLock {
 public:
  enum class Status { acquired, held, error };
  struct Attempt {
    Status status = Status::error;
    std::unique_ptr<RunLock> lock;  // when acquired; released by its destructor
    std::string message;            // held: who holds it; error: what went wrong
    std::int64_t holder_pid = 0;    // held: the holder's pid (from the kernel)
  };
  // Tries once, never waits. `started` is written into the file for a later message.
  static Attempt try_acquire(const std::string& journal_path, const std::string& world_path, const std::string& started);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  RunLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

// "<journal>.locks/<16 hex digits>.lock" for a canonical world path.
std::string run_lock_path(const std::string& journal_path, const std::string& world_path);

}  // namespace goap::exec
