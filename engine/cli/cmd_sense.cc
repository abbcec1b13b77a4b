// `goap sense WORLD`: run the world's sensors and print what they saw as a `kind: state`
// document (which `--state` reads back). Also the sensing behind `goap next --sense`.
#include <algorithm>
#include <cstdio>

#include "cli/input.h"
#include "cli/plugin_support.h"
#include "core/log.h"

namespace goap::cli {
namespace {

void log_plugin(void*, const std::string& plugin, const plugin_host::LogLine& l) {
  const auto level = l.level <= GOAP_LOG_DEBUG ? core::log::Level::debug
                     : l.level == GOAP_LOG_INFO ? core::log::Level::info
                     : l.level == GOAP_LOG_WARN ? core::log::Level::warn
                                                : core::log::Level::error;
  if (core::log::enabled(level)) core::log::write(level, plugin + ": " + l.message);
}

// Sensors and plugins ready to use, or nullopt with the problems printed.
std::optional<std::vector<load::SensorSpec>> usable_sensors(const std::string& world_path, const model::World& world,
                                                            const std::vector<std::string>& sensors_files,
                                                            const plugin_host::PluginSet& plugins,
                                                            const CommonOptions& common) {
  auto specs = read_sensors(world_path, world, sensors_files, common);
  if (!specs) return std::nullopt;
  const auto problems = exec::check_sensors(*specs, plugins);
  for (const auto& p : problems) std::fprintf(stderr, "goap: error: %s\n", p.c_str());
  if (!problems.empty()) return std::nullopt;
  return specs;
}

}  // namespace

std::optional<std::vector<load::SensorSpec>> read_sensors(const std::string& world_path, const model::World& world,
                                                          const std::vector<std::string>& sensors_files,
                                                          const CommonOptions& common) {
  std::vector<std::string> files = sensors_files;
  if (files.empty())
    if (std::string d = load::default_sensors_path(world_path); !d.empty()) files.push_back(d);
  core::SourceManager sm;
  core::Diagnostics diags;
  std::vector<load::SensorSpec> all;
  for (const std::string& f : files)
    if (auto specs = load::load_sensors(f, world, sm, diags)) all.insert(all.end(), specs->begin(), specs->end());
  if (diags.has_errors() || diags.warning_count() > 0)
    std::fputs(core::render_all(diags, sm, core::RenderOptions{common.color}).c_str(), stderr);
  if (diags.has_errors()) return std::nullopt;
  core::log::info("{} sensor{} from {}", all.size(), all.size() == 1 ? "" : "s", files.empty() ? "(no sensors file)" : files.front());
  return all;
}

bool sense_into(const std::string& world_path, const model::World& world, model::State& state,
                const std::vector<std::string>& sensors_files, const std::vector<std::string>& plugin_dirs,
                const CommonOptions& common) {
  const auto plugins = load_plugins(plugin_dirs);
  auto specs = usable_sensors(world_path, world, sensors_files, plugins, common);
  if (!specs) return false;
  if (specs->empty()) {
    std::fprintf(stderr, "goap: error: %s has no sensors: pass --sensors FILE or write %s\n", world_path.c_str(),
                 (world_path.substr(0, world_path.rfind('.')) + ".sensors.yaml").c_str());
    return false;
  }
  const auto readings = exec::sense(world, *specs, plugins, exec::SenseOptions{}, &log_plugin, nullptr);
  for (const auto& r : readings)
    if (!r.ok) std::fprintf(stderr, "goap: warning: sensor %s failed: %s\n", world.term_name(r.term).c_str(), r.error.c_str());
  exec::apply_readings(world, readings, state);
  return true;
}

int run_sense(const SenseOptions& o, const CommonOptions& common) {
  auto in = read_input(o.world, o.state_file, o.set_lines, common);
  if (!in) return kInvalidInput;
  const auto plugins = load_plugins(o.plugin_dirs);
  auto specs = usable_sensors(o.world, in->world, o.sensors_files, plugins, common);
  if (!specs) return kInvalidInput;
  if (specs->empty()) {
    std::fprintf(stderr, "goap: error: %s has no sensors: pass --sensors FILE or write %s\n", o.world.c_str(),
                 (o.world.substr(0, o.world.rfind('.')) + ".sensors.yaml").c_str());
    return kInvalidInput;
  }
  const auto readings = exec::sense(in->world, *specs, plugins, exec::SenseOptions{}, &log_plugin, nullptr);
  model::State state = in->state;
  exec::apply_readings(in->world, readings, state);

  const model::World& w = in->world;
  std::printf("# goap sense %s: %zu reading%s\nkind: state\nstate:\n", o.world.c_str(), readings.size(),
              readings.size() == 1 ? "" : "s");
  std::size_t failed = 0;
  std::vector<model::GroundTerm> sensed;
  for (const auto& r : readings) {
    const std::string line = w.state_line_text(r.term, state.value(r.term, w.fact(r.term.fact)));
    if (r.ok) {
      std::printf("  - %-40s # sensed by %s\n", line.c_str(), r.plugin.c_str());
    } else {
      ++failed;
      std::printf("  - %-40s # NOT sensed (%s): %s\n", line.c_str(), r.plugin.c_str(), r.error.c_str());
      std::fprintf(stderr, "goap: warning: sensor %s failed: %s\n", w.term_name(r.term).c_str(), r.error.c_str());
    }
    sensed.push_back(r.term);
  }
  if (!o.sensed_only) {
    std::vector<std::string> rest;
    for (const auto& [term, value] : state.cells())
      if (std::find(sensed.begin(), sensed.end(), term) == sensed.end()) rest.push_back(w.state_line_text(term, value));
    std::sort(rest.begin(), rest.end());
    if (!rest.empty()) std::printf("  # not read by any sensor: as the world (or --state) says\n");
    for (const auto& l : rest) std::printf("  - %s\n", l.c_str());
  }
  return failed > 0 && o.strict ? kRunFailed : kOk;
}

}  // namespace goap::cli
