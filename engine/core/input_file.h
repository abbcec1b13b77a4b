// Reading an input file safely: the one way goap opens a file it was told to read.
//
// Worlds, `uses:` targets, sensors, state and plan files, PDDL domains and problems, batch
// request files: each is read through `read_input_file`, which
//   - refuses paths under /proc and /sys before opening them (a read there can block, as
//     /proc/kmsg does, or print another process's secrets, as /proc/self/environ would);
//   - refuses anything that is not a regular file (FIFO, device, socket, directory) after
//     stat() and again after fstat() on the open descriptor, so it never blocks on a reader-less
//     pipe and never opens a device;
//   - opens with O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_NOCTTY and refuses a file that lives on a
//     kernel filesystem (procfs, sysfs, debugfs, ...; by statfs magic, so a bind mount of /proc
//     elsewhere is refused too);
//   - reads at most `max_bytes`: a bigger file is refused without being loaded.
// Standard input ("-") is the caller's business: this function only reads named files.
#pragma once

#include <cstddef>
#include <string>

namespace goap::core {

enum class InputStatus {
  ok,
  cannot_open,   // missing, no permission, ...: `error_number` says why
  not_regular,   // FIFO, device, socket, directory: `what` names it
  kernel_fs,     // /proc, /sys and the like
  too_large,     // over `max_bytes`
  read_failed,
};

struct InputFile {
  InputStatus status = InputStatus::ok;
  std::string text;       // the whole file when status == ok
  std::string what;       // not_regular: "a FIFO", "a directory", ...; kernel_fs: the filesystem
  int error_number = 0;   // cannot_open / read_failed: errno
  [[nodiscard]] bool ok() const { return status == InputStatus::ok; }
  // The reason as a sentence about `display_path`, e.g. "'x' is a FIFO; goap reads only regular
  // files" or "cannot open 'x': No such file or directory". Never quotes the file's content.
  [[nodiscard]] std::string message(const std::string& display_path, std::size_t max_bytes) const;
};

InputFile read_input_file(const std::string& path, std::size_t max_bytes);

// "4 MiB", "256 MiB", "1500 bytes": a size limit as the messages print it.
std::string byte_limit_text(std::size_t bytes);

}  // namespace goap::core
