// `kind: sensors` files: how goap observes a world's facts through plugins.
//
//   kind: sensors
//   sensors:
//     ollama_api_ok($h):                 # a fact term; $params take the fact's parameter types
//       plugin: restart-ollama
//       sensor: api-ok                   # the plugin's sensor; default: its first one
//       with: {probe: "http://${h.address}:11434/api/tags", timeout: 5s}
//     repo_synced(timmy-config): {plugin: sync-repo, with: {path: "${...}"}}   # objects work too
//
// A sensor is grounded over every object of its parameters' types, like an action; each ground
// sensor reads one fact. `with:` values take the same `${param}` / `${param.attribute}`
// templates as an action's `run:`. Facts without a sensor keep the value goap believes (the
// world's state, a --state file, or what earlier steps of a run did).
//
// Where a world's sensors come from: --sensors FILE, else `<world>.sensors.yaml` beside the
// world file (worlds/lab.yaml -> worlds/lab.sensors.yaml) when it exists.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/diag.h"
#include "model/world.h"

namespace goap::load {

struct SensorSpec {
  std::string text;                     // the term as written, for messages
  model::Term term;                     // arguments: objects or parameters
  std::vector<model::Param> params;     // $names in order of appearance, typed by the fact
  std::string plugin;
  std::string sensor;                   // empty: the plugin's first sensor
  std::vector<std::pair<std::string, model::WithValue>> with;
  core::SourceLoc loc;
  core::SourceLoc plugin_loc;
};

std::optional<std::vector<SensorSpec>> load_sensors(const std::string& path, const model::World& world,
                                                    core::SourceManager& sm, core::Diagnostics& diags);

// The conventional sensors file for a world: <dir>/<stem>.sensors.yaml, or "" if there is none.
std::string default_sensors_path(const std::string& world_path);

}  // namespace goap::load
