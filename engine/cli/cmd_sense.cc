// `goap sense WORLD`: run the world's sensors and print what they saw as a `kind: state`
// document (which `--state` reads back). Also the sensing behind `goap next --sense`.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

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
                const CommonOptions& common, int jobs, std::vector<exec::UnknownFact>& unknown) {
  const auto plugins = load_plugins(plugin_dirs);
  auto specs = usable_sensors(world_path, world, sensors_files, plugins, common);
  if (!specs) return false;
  if (specs->empty()) {
    std::fprintf(stderr, "goap: error: %s has no sensors: pass --sensors FILE or write %s\n", world_path.c_str(),
                 (world_path.substr(0, world_path.rfind('.')) + ".sensors.yaml").c_str());
    return false;
  }
  exec::SenseOptions so;
  so.jobs = jobs;
  const auto readings = exec::sense(world, *specs, plugins, so, &log_plugin, nullptr);
  for (const auto& r : readings)
    if (!r.ok)
      std::fprintf(stderr, "goap: warning: sensor %s failed: %s (unknown: nothing that reads it is done)\n",
                   world.term_name(r.term).c_str(), r.error.c_str());
  exec::apply_readings(world, readings, state);
  unknown = exec::unknown_facts(readings);
  return true;
}

nlohmann::json unknown_json(const model::World& world, const std::vector<exec::UnknownFact>& unknown) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& u : unknown)
    a.push_back({{"fact", world.term_name(u.term)}, {"sensor", u.sensor}, {"plugin", u.plugin}, {"error", u.error}});
  return a;
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
  exec::SenseOptions so;
  so.jobs = o.sense_jobs;
  const auto readings = exec::sense(in->world, *specs, plugins, so, &log_plugin, nullptr);
  model::State state = in->state;
  exec::apply_readings(in->world, readings, state);
  const auto unknown = exec::unknown_facts(readings);
  const model::World& w = in->world;
  for (const auto& r : readings)
    if (!r.ok)
      std::fprintf(stderr, "goap: warning: sensor %s failed: %s\n", w.term_name(r.term).c_str(), r.error.c_str());

  // Facts no sensor read: as the world (or --state) says. Not the unknown ones: those have no value.
  std::vector<model::GroundTerm> sensed;
  for (const auto& r : readings) sensed.push_back(r.term);
  std::vector<std::string> rest;
  if (!o.sensed_only)
    for (const auto& [term, value] : state.cells())
      if (std::find(sensed.begin(), sensed.end(), term) == sensed.end()) rest.push_back(w.state_line_text(term, value));
  std::sort(rest.begin(), rest.end());

  const auto is_unknown = [&](const model::GroundTerm& t) {
    return std::any_of(unknown.begin(), unknown.end(), [&](const exec::UnknownFact& u) { return u.term == t; });
  };
  if (o.json) {
    nlohmann::json doc;
    doc["world"] = w.name;
    nlohmann::json rs = nlohmann::json::array();
    for (const auto& r : readings) {
      nlohmann::json j{{"fact", w.term_name(r.term)}, {"sensor", r.sensor}, {"plugin", r.plugin},
                       {"ms", std::round(r.ms * 1000) / 1000}};
      if (r.ok) {
        j["status"] = "sensed";
        j["value"] = w.fact(r.term.fact).value_name(r.value);
      } else {
        // A fact another sensor did read is known; its failed reading still says why it failed.
        j["status"] = is_unknown(r.term) ? "unknown" : "failed";
        j["value"] = nullptr;
        j["error"] = r.error;
      }
      rs.push_back(std::move(j));
    }
    doc["readings"] = rs;
    doc["unknown"] = unknown_json(w, unknown);
    if (!o.sensed_only) doc["unsensed"] = rest;
    std::printf("%s\n", doc.dump(2).c_str());
  } else {
    std::printf("# goap sense %s: %zu reading%s%s\nkind: state\nstate:\n", o.world.c_str(), readings.size(),
                readings.size() == 1 ? "" : "s",
                unknown.empty() ? "" : (", " + std::to_string(unknown.size()) + " fact" + (unknown.size() == 1 ? "" : "s") + " unknown").c_str());
    for (const auto& r : readings) {
      if (r.ok) {
        const std::string line = w.state_line_text(r.term, r.value);
        std::printf("  - %-40s # sensed by %s\n", line.c_str(), r.plugin.c_str());
      } else if (is_unknown(r.term)) {
        // Written as a comment: reading this document back (--state) must not turn it into a value.
        std::printf("  # unknown: %-31s # NOT sensed (%s): %s\n", w.term_name(r.term).c_str(), r.plugin.c_str(),
                    r.error.c_str());
      }
    }
    if (!rest.empty()) std::printf("  # not read by any sensor: as the world (or --state) says\n");
    for (const auto& l : rest) std::printf("  - %s\n", l.c_str());
  }
  return !unknown.empty() && o.strict ? kFactsUnknown : kOk;
}

}  // namespace goap::cli
