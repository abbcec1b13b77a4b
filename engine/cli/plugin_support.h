// What the CLI's commands share about plugins and sensors (implemented in cmd_plugins.cc and
// cmd_sense.cc): loading plugins with their problems reported, reading a world's sensors, and
// checking `run:` sections against the plugins they name.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/diag.h"
#include "exec/sensing.h"
#include "load/sensor_loader.h"
#include "model/world.h"
#include "plugin_host/plugin_host.h"

namespace goap::cli {

// Loads the plugins on the search path; each load problem becomes one "goap: warning:" line.
plugin_host::PluginSet load_plugins(const std::vector<std::string>& plugin_dirs, bool quiet = false);

// `goap check`: a `run:` naming an unknown plugin, or passing a parameter its plugin does not
// take (or lacking a required one), is an error located at the `run:` / the parameter.
// Templates in option positions (an ssh user or host, a git ref or remote, an argv element that
// starts with a template) are filled with every object that can bind them, in the world's
// actions and in the sensors file beside `world_path`; each value goap would refuse is an error
// at its `with:` line. With no plugin found at all nothing is checked and a note says so on stderr.
void check_runs(const model::World& world, const std::string& world_path, core::SourceManager& sm,
                const std::vector<std::string>& plugin_dirs, core::Diagnostics& diags);

// The world's sensors: --sensors files, else <world>.sensors.yaml beside it. Diagnostics are
// printed; nullopt on errors. An empty list when the world has no sensors file.
std::optional<std::vector<load::SensorSpec>> read_sensors(const std::string& world_path, const model::World& world,
                                                          const std::vector<std::string>& sensors_files,
                                                          const CommonOptions& common);

// `next --sense`: senses and writes the readings over `state`; the facts whose sensor failed go
// to `unknown` (exec/sensing.h). False (message printed) when the sensors or their plugins are
// unusable.
bool sense_into(const std::string& world_path, const model::World& world, model::State& state,
                const std::vector<std::string>& sensors_files, const std::vector<std::string>& plugin_dirs,
                const CommonOptions& common, int jobs, std::vector<exec::UnknownFact>& unknown);

// The unknown facts as JSON: [{"fact", "sensor", "plugin", "error"}], in the order given.
nlohmann::json unknown_json(const model::World& world, const std::vector<exec::UnknownFact>& unknown);

}  // namespace goap::cli
