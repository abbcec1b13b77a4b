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
#include <cstdint>
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

// Which file was read, from fstat() on the descriptor it was read through: a cache compares it
// with the path's identity later (mtime has nanoseconds; size catches an edit within one tick).
struct FileStamp {
  std::uint64_t dev = 0, ino = 0, size = 0;
  std::int64_t mtime_ns = 0;
};

struct InputFile {
  InputStatus status = InputStatus::ok;
  std::string text;       // the whole file when status == ok
  FileStamp stamp;        // status == ok: the file the text came from
  std::string what;       // not_regular: "a FIFO", "a directory", ...; kernel_fs: the filesystem
  int error_number = 0;   // cannot_open / read_failed: errno
  [[nodiscard]] bool ok() const { return status == InputStatus::ok; }
  // The reason as a sentence about `display_path`, e.g. "'x' is a FIFO; goap reads only regular
  // files" or "cannot open 'x': No such file or directory". Never quotes the file's content.
  [[nodiscard]] std::string message(const std::string& display_path, std::size_t max_bytes) const;
};

InputFile read_input_file(const std::string& path, std::size_t max_bytes);

// The same checks, for a reader that streams the file itself (goap batch): a descriptor open
// for reading (O_NONBLOCK, which a regular file ignores; the caller closes it), with `status`'s
// stamp filled in, or -1 with `status` saying why (status.message() as above; no size check).
int open_input_file(const std::string& path, InputFile& status);

// "4 MiB", "256 MiB", "1500 bytes": a size limit as the messages print it.
std::string byte_limit_text(std::size_t bytes);

}  // namespace goap::core
