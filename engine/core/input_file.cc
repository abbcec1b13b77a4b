#include "core/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace goap::core {
namespace {

const char* file_type_name(mode_t m) {
  if (S_ISFIFO(m)) return "a FIFO (named pipe)";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISDIR(m)) return "a directory";
  if (S_ISLNK(m)) return "a symbolic link";
  return "not a regular file";
}

// Kernel filesystems whose files are not data: reads can block, never end, or reveal the state of
// other processes. Magic numbers from linux/magic.h.
const char* kernel_fs_name(long type) {
  switch (static_cast<unsigned long>(type)) {
    case 0x9fa0: return "procfs";
    case 0x62656572: return "sysfs";
    case 0x64626720: return "debugfs";
    case 0x74726163: return "tracefs";
    case 0x73636673: return "securityfs";
    case 0x27e0eb: return "cgroupfs";
    case 0x63677270: return "cgroup2fs";
    case 0x62656570: return "configfs";
    case 0xde5e81e4: return "efivarfs";
    case 0x1cd1: return "devpts";
    case 0xcafe4a11: return "bpffs";
    default: return nullptr;
  }
}

bool under(std::string_view path, std::string_view dir) {
  return path == dir || (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string byte_limit_text(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0)
    return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::string InputFile::message(const std::string& display_path, std::size_t max_bytes) const {
  const std::string q = "'" + display_path + "'";
  switch (status) {
    case InputStatus::ok: return q + " was read";
    case InputStatus::cannot_open: return "cannot open " + q + ": " + std::strerror(error_number);
    case InputStatus::not_regular: return q + " is " + what + "; goap reads only regular files";
    case InputStatus::kernel_fs: return q + " is on " + what + ", which goap never reads";
    case InputStatus::too_large:
      return q + " is larger than the limit of " + std::to_string(max_bytes) + " bytes (" + byte_limit_text(max_bytes) + ")";
    case InputStatus::read_failed: return "cannot read " + q + ": " + std::strerror(error_number);
  }
  return q;
}

int open_input_file(const std::string& path, InputFile& r) {
  const auto fail = [&r](InputStatus s, std::string what = {}, int err = 0) {
    r.status = s;
    r.what = std::move(what);
    r.error_number = err;
    r.text.clear();
    return -1;
  };
  r.status = InputStatus::ok;
  // A NUL ends the path for the kernel: "a.yaml\0.missing" would open a.yaml. Such a path names
  // no file.
  if (path.find('\0') != std::string::npos) return fail(InputStatus::cannot_open, {}, EINVAL);
  // By path first, symbolic links resolved: /proc/self/environ, /proc/kmsg and /sys are refused
  // before anything is opened.
  char real[PATH_MAX];
  if (::realpath(path.c_str(), real) == nullptr) return fail(InputStatus::cannot_open, {}, errno);
  if (under(real, "/proc")) return fail(InputStatus::kernel_fs, "/proc");
  if (under(real, "/sys")) return fail(InputStatus::kernel_fs, "/sys");
  // stat() before open(): a device or FIFO is never opened at all.
  struct stat st {};
  if (::stat(real, &st) != 0) return fail(InputStatus::cannot_open, {}, errno);
  if (!S_ISREG(st.st_mode)) return fail(InputStatus::not_regular, file_type_name(st.st_mode));

  Fd f;
  f.fd = ::open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (f.fd < 0) return fail(InputStatus::cannot_open, {}, errno);
  // The path may have been swapped between stat() and open(): judge the descriptor itself.
  if (::fstat(f.fd, &st) != 0) return fail(InputStatus::read_failed, {}, errno);
  if (!S_ISREG(st.st_mode)) return fail(InputStatus::not_regular, file_type_name(st.st_mode));
  struct statfs sfs {};
  if (::fstatfs(f.fd, &sfs) != 0) return fail(InputStatus::read_failed, {}, errno);
  if (const char* k = kernel_fs_name(static_cast<long>(sfs.f_type))) return fail(InputStatus::kernel_fs, k);
  r.stamp.dev = static_cast<std::uint64_t>(st.st_dev);
  r.stamp.ino = static_cast<std::uint64_t>(st.st_ino);
  r.stamp.size = static_cast<std::uint64_t>(st.st_size);
  r.stamp.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  const int fd = f.fd;
  f.fd = -1;
  return fd;
}

InputFile read_input_file(const std::string& path, std::size_t max_bytes) {
  InputFile r;
  const auto fail = [&r](InputStatus s, std::string what = {}, int err = 0) {
    r.status = s;
    r.what = std::move(what);
    r.error_number = err;
    r.text.clear();
    return r;
  };
  Fd f;
  f.fd = open_input_file(path, r);
  if (f.fd < 0) return r;
  if (r.stamp.size > max_bytes) return fail(InputStatus::too_large);

  // Read at most one byte past the limit: a file that grew since fstat() is still refused.
  r.text.resize(r.stamp.size + 1 > max_bytes + 1 ? max_bytes + 1 : static_cast<std::size_t>(r.stamp.size) + 1);
  std::size_t got = 0;
  for (;;) {
    if (got == r.text.size()) {
      if (got > max_bytes) break;
      r.text.resize(std::min(max_bytes + 1, got * 2 + 4096));
    }
    const ssize_t n = ::read(f.fd, r.text.data() + got, r.text.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(InputStatus::read_failed, {}, errno);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  r.text.resize(got);
  if (got > max_bytes) return fail(InputStatus::too_large);
  return r;
}

}  // namespace goap::core
