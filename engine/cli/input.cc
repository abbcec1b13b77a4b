#include "cli/input.h"

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

std::optional<Input> read_input(const std::string& world_path, const std::string& state_file,
                                const std::vector<std::string>& set_lines, const CommonOptions& common,
                                std::string* errors) {
  const auto report = [errors](const std::string& text) {
    if (errors) *errors += text;
    else std::fputs(text.c_str(), stderr);
  };
  core::SourceManager sm;
  core::Diagnostics diags;
  const core::RenderOptions ro{common.color};
  auto world = load::load_world(world_path, sm, diags);
  if (!world) {
    report(core::render_all(diags, sm, ro));
    return std::nullopt;
  }
  core::log::info("loaded world '{}' from {} file{}: {} objects, {} facts, {} actions, {} goals", world->name,
                  world->files.size(), world->files.size() == 1 ? "" : "s", world->objects.size(), world->facts.size(),
                  world->actions.size(), world->goals.size());
  Input in{std::move(*world), {}};
  in.state = in.world.initial_state();
  if (!state_file.empty()) {
    auto text = read_text(state_file);
    if (!text) return std::nullopt;
    auto lines = load::load_state_text(state_file == "-" ? "<stdin>" : state_file, std::move(*text), in.world, sm, diags);
    if (lines) load::apply_state_lines(in.world, *lines, in.state);
  }
  for (const std::string& l : set_lines) {
    if (auto line = load::parse_state_line("--set", l, in.world, sm, diags))
      load::apply_state_lines(in.world, {*line}, in.state);
  }
  if (diags.has_errors()) {
    report(core::render_all(diags, sm, ro));
    return std::nullopt;
  }
  return in;
}

}  // namespace goap::cli
