#include "cli/input.h"

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
  auto world = load::load_world(world_path, sm, diags, load::LoadOptions{common.allow_outside});
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
    auto text = read_text(state_file, kMaxStateFileBytes);
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
