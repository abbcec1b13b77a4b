#include "cli/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/log.h"
#include "load/loader.h"

namespace goap::cli {

std::optional<std::string> read_text(const std::string& path) {
  std::ostringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "goap: error: cannot open '%s': %s\n", path.c_str(), std::strerror(errno));
    return std::nullopt;
  }
  ss << in.rdbuf();
  return ss.str();
}

namespace {

FileIdentity identity_of(const struct stat& st) {
  FileIdentity id;
  id.dev = static_cast<std::uint64_t>(st.st_dev);
  id.ino = static_cast<std::uint64_t>(st.st_ino);
  id.size = static_cast<std::uint64_t>(st.st_size);
  id.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return id;
}

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a directory";
  return "not a regular file";
}

}  // namespace

std::optional<FileIdentity> identify(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return identity_of(st);
}

std::optional<RegularFile> read_regular_file(const std::string& path, std::size_t max_bytes, std::string* error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    *error = "cannot open '" + path + "': " + std::strerror(errno);
    return std::nullopt;
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    *error = "cannot read '" + path + "': " + std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = "'" + path + "' is " + kind_of(st.st_mode) + ", not a regular file";
    return std::nullopt;
  }
  RegularFile f;
  f.identity = identity_of(st);
  // At most one byte past the limit: the caller reports "too large" without holding it all.
  char chunk[64 * 1024];
  while (f.text.size() <= max_bytes) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = "cannot read '" + path + "': " + std::strerror(errno);
      return std::nullopt;
    }
    if (n == 0) break;
    f.text.append(chunk, static_cast<std::size_t>(n));
  }
  if (f.text.size() > max_bytes) f.text.resize(max_bytes + 1);
  return f;
}

std::optional<model::State> read_state(const model::World& world, const std::string& state_file,
                                       const std::vector<std::string>& set_lines, core::SourceManager& sm,
                                       const CommonOptions& common, std::string* errors) {
  core::Diagnostics diags;
  model::State state = world.initial_state();
  if (!state_file.empty()) {
    auto text = read_text(state_file);
    if (!text) return std::nullopt;
    auto lines = load::load_state_text(state_file == "-" ? "<stdin>" : state_file, std::move(*text), world, sm, diags);
    if (lines) load::apply_state_lines(world, *lines, state);
  }
  for (const std::string& l : set_lines) {
    if (auto line = load::parse_state_line("--set", l, world, sm, diags)) load::apply_state_lines(world, {*line}, state);
  }
  if (diags.has_errors()) {
    const std::string text = core::render_all(diags, sm, core::RenderOptions{common.color});
    if (errors) *errors += text;
    else std::fputs(text.c_str(), stderr);
    return std::nullopt;
  }
  return state;
}

std::optional<Input> read_input(const std::string& world_path, const std::string& state_file,
                                const std::vector<std::string>& set_lines, const CommonOptions& common,
                                std::string* errors) {
  core::SourceManager sm;
  core::Diagnostics diags;
  auto world = load::load_world(world_path, sm, diags);
  if (!world) {
    const std::string text = core::render_all(diags, sm, core::RenderOptions{common.color});
    if (errors) *errors += text;
    else std::fputs(text.c_str(), stderr);
    return std::nullopt;
  }
  core::log::info("loaded world '{}' from {} file{}: {} objects, {} facts, {} actions, {} goals", world->name,
                  world->files.size(), world->files.size() == 1 ? "" : "s", world->objects.size(), world->facts.size(),
                  world->actions.size(), world->goals.size());
  auto state = read_state(*world, state_file, set_lines, sm, common, errors);
  if (!state) return std::nullopt;
  return Input{std::move(*world), std::move(*state)};
}

}  // namespace goap::cli
