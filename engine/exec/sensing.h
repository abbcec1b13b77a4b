// Sensing: reading a world's facts through plugin sensors (load/sensor_loader.h).
//
// Each sensor spec is grounded over its parameters' objects; each ground sensor is one isolated
// plugin invoke (GOAP_OP_SENSE) that emits one value, converted to the fact's domain ("true",
// "3", "kimi"). A failed reading (the plugin failed, crashed, hung, or said something that is
// not a value of the fact) makes that fact *unknown* (UnknownFact): the state keeps a value for
// it only because a State has one for every cell, and nothing may act on that value
// (PlannerOptions::unknown leaves out every ground action whose precondition reads it and marks
// every goal that reads it `unknown`). Unknown is not false.
//
// Ground sensors run concurrently, at most `SenseOptions::jobs` invokes at once, each in its own
// isolated child processes with its own hard limit. The readings come back in the order of the
// specs and their bindings, whatever order the invokes finished in.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "load/sensor_loader.h"
#include "model/world.h"
#include "plugin_host/invoke.h"
#include "plugin_host/plugin_host.h"

namespace goap::exec {

struct Reading {
  std::string sensor;   // the spec as written: "ollama_api_ok($h)"
  std::string plugin;
  model::GroundTerm term;
  bool ok = false;
  int value = 0;        // domain index, when ok
  std::string raw;      // what the plugin emitted
  std::string error;    // why not ok
  double ms = 0;
};

struct SenseOptions {
  std::chrono::milliseconds grace{1000};        // added to a sensor's own `timeout`
  std::chrono::milliseconds fallback{30'000};   // hard limit for a sensor without one
  int jobs = 8;                                 // sensors read at once (1: one after another)
};

// A fact no sensor could read this time, and why (the last failed reading of it).
struct UnknownFact {
  model::GroundTerm term;
  std::string sensor;  // the spec as written
  std::string plugin;
  std::string error;
};

// Problems that make a spec unusable with these plugins (unknown plugin or sensor, parameters
// the sensor does not take or lacks), one message each, prefixed with the spec's text.
std::vector<std::string> check_sensors(const std::vector<load::SensorSpec>& specs, const plugin_host::PluginSet& plugins);

using PluginLogFn = void (*)(void* ctx, const std::string& plugin, const plugin_host::LogLine& line);

std::vector<Reading> sense(const model::World& world, const std::vector<load::SensorSpec>& specs,
                           const plugin_host::PluginSet& plugins, const SenseOptions& options,
                           PluginLogFn on_log = nullptr, void* ctx = nullptr);

// Writes every successful reading into `state`.
void apply_readings(const model::World& world, const std::vector<Reading>& readings, model::State& state);

// Brings `unknown` up to date with `readings`: a fact read successfully is known again, a fact
// whose reading failed (and that no other reading in `readings` read) is unknown. Facts the
// readings do not mention keep what they were. Sorted by fact and arguments.
void track_unknown(const std::vector<Reading>& readings, std::vector<UnknownFact>& unknown);
std::vector<UnknownFact> unknown_facts(const std::vector<Reading>& readings);
std::vector<model::GroundTerm> terms_of(const std::vector<UnknownFact>& unknown);

// The fact value a plugin reported, as a domain index; nullopt when it is not one.
std::optional<int> to_index(const model::FactDecl& decl, const std::string& raw);

// The kind of value a sensor must report for this fact: bool | int | enum.
const char* value_type(const model::FactDecl& decl);

}  // namespace goap::exec
