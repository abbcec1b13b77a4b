#include "cli/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "core/input_file.h"
#include "core/log.h"
#include "core/terminal_text.h"
#include "load/loader.h"

namespace goap::cli {

std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes) {
  if (path == "-") {
    // Standard input stays allowed (an agent pipes state in); it is still read only up to the cap.
    std::string text;
    char chunk[64 * 1024];
    while (text.size() <= max_bytes && std::cin.read(chunk, sizeof chunk).gcount() > 0)
      text.append(chunk, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > max_bytes) {
      std::fprintf(stderr, "goap: error: standard input is larger than the limit of %s\n",
                   core::byte_limit_text(max_bytes).c_str());
      return std::nullopt;
    }
    return text;
  }
  core::InputFile in = core::read_input_file(path, max_bytes);
  if (!in.ok()) {
    std::fprintf(stderr, "goap: error: %s\n", core::terminal_safe(in.message(path, max_bytes)).c_str());
    return std::nullopt;
  }
  return std::move(in.text);
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

}  // namespace

std::optional<FileIdentity> identify(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return identity_of(st);
}

std::optional<RegularFile> read_regular_file(const std::string& path, std::size_t max_bytes, std::string* error) {
  core::InputFile in = core::read_input_file(path, max_bytes);
  if (!in.ok()) {
    *error = core::terminal_safe(in.message(path, max_bytes));
    return std::nullopt;
  }
  RegularFile f;
  f.text = std::move(in.text);
  f.identity = FileIdentity{in.stamp.dev, in.stamp.ino, in.stamp.size, in.stamp.mtime_ns};
  return f;
}

std::optional<model::State> read_state(const model::World& world, const std::string& state_file,
                                       const std::vector<std::string>& set_lines, core::SourceManager& sm,
                                       const CommonOptions& common, std::string* errors) {
  core::Diagnostics diags;
  model::State state = world.initial_state();
  if (!state_file.empty()) {
    auto text = read_text(state_file, kMaxStateFileBytes);
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
  auto world = load::load_world(world_path, sm, diags, load::LoadOptions{common.allow_outside});
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
