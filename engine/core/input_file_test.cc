#include "core/input_file.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace goap::core;
namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "goap-input-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};
void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
}  // namespace

TEST_CASE("a regular file is read whole") {
  TempDir d;
  write(d.path / "a.yaml", "kind: world\n");
  const InputFile f = read_input_file((d.path / "a.yaml").string(), 100);
  CHECK(f.ok());
  CHECK(f.text == "kind: world\n");
}

TEST_CASE("a path with a NUL byte names no file, not the file before the NUL") {
  TempDir d;
  write(d.path / "a.yaml", "kind: world\n");
  const std::string path = (d.path / "a.yaml").string() + std::string(1, '\0') + ".missing";
  const InputFile f = read_input_file(path, 100);
  CHECK(f.status == InputStatus::cannot_open);
  CHECK(f.text.empty());
}

TEST_CASE("a file over the limit is refused without its content") {
  TempDir d;
  write(d.path / "big", std::string(101, 'x'));
  const InputFile f = read_input_file((d.path / "big").string(), 100);
  CHECK(f.status == InputStatus::too_large);
  CHECK(f.text.empty());
  CHECK(f.message("big", 100) == "'big' is larger than the limit of 100 bytes (100 bytes)");
  CHECK(read_input_file((d.path / "big").string(), 101).ok());
}

TEST_CASE("a FIFO is refused at once, without waiting for a writer") {
  TempDir d;
  const auto p = d.path / "fifo";
  REQUIRE(::mkfifo(p.c_str(), 0600) == 0);
  const InputFile f = read_input_file(p.string(), 100);
  CHECK(f.status == InputStatus::not_regular);
  CHECK(f.message("fifo", 100) == "'fifo' is a FIFO (named pipe); goap reads only regular files");
}

TEST_CASE("directories, devices and sockets are refused") {
  TempDir d;
  CHECK(read_input_file(d.path.string(), 100).what == "a directory");
  CHECK(read_input_file("/dev/null", 100).what == "a character device");
  const auto sp = d.path / "sock";
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", sp.c_str());
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  CHECK(read_input_file(sp.string(), 100).what == "a socket");
  ::close(s);
}

TEST_CASE("/proc and /sys are refused by path, symbolic links included") {
  CHECK(read_input_file("/proc/self/environ", 1 << 20).status == InputStatus::kernel_fs);
  CHECK(read_input_file("/proc/kmsg", 1 << 20).status == InputStatus::kernel_fs);
  CHECK(read_input_file("/proc/1/cmdline", 1 << 20).message("/proc/1/cmdline", 1) ==
        "'/proc/1/cmdline' is on /proc, which goap never reads");
  TempDir d;
  fs::create_symlink("/proc/self/environ", d.path / "env.yaml");
  const InputFile f = read_input_file((d.path / "env.yaml").string(), 1 << 20);
  CHECK(f.status == InputStatus::kernel_fs);
  CHECK(f.text.empty());
}

TEST_CASE("a missing file says why it cannot be opened") {
  const InputFile f = read_input_file("/nonexistent/goap/x.yaml", 100);
  CHECK(f.status == InputStatus::cannot_open);
  CHECK(f.message("x.yaml", 100) == "cannot open 'x.yaml': No such file or directory");
}
