// The run loop's seams: time, and what it reads from and does to the fleet.
//
// `goap run` decides from what it senses, what the journal remembers and what time it is, and
// acts through plugins. Each of those goes through one small interface here, so that the
// policies built on them (budgets, durations, backoff, approvals' expiry, escalation windows)
// are unit-tested in milliseconds with the fakes below: a clock that moves only when told, a
// fleet whose sensors and plugins answer from a script. The journal needs no fake: a real one
// in a temporary directory is as fast, and it takes its timestamps from the same Clock.
//
// The real implementations (system_clock(), PluginFleet) are what the CLI uses.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "exec/sensing.h"
#include "load/sensor_loader.h"
#include "model/world.h"
#include "plugin_host/invoke.h"
#include "plugin_host/plugin_host.h"

namespace goap::exec {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  [[nodiscard]] virtual time_point now() const = 0;
  // Waits (a fake clock just moves on). Returns early, false, when `interrupted` says so; it is
  // polled at least every 100 ms by the real clock (a signal handler sets a flag it reads).
  virtual bool sleep_for(std::chrono::milliseconds d, const std::function<bool()>& interrupted = {}) = 0;
};

// The wall clock (system_clock) and real sleeps.
Clock& system_clock();

// A clock for tests: starts at `start` and moves only by sleep_for() or advance().
class FakeClock final : public Clock {
 public:
  explicit FakeClock(time_point start = time_point{std::chrono::seconds(1'800'000'000)}) : now_(start) {}
  [[nodiscard]] time_point now() const override { return now_; }
  bool sleep_for(std::chrono::milliseconds d, const std::function<bool()>& interrupted = {}) override {
    if (interrupted && interrupted()) return false;
    now_ += d;
    slept_ += d;
    return true;
  }
  void advance(std::chrono::milliseconds d) { now_ += d; }
  [[nodiscard]] std::chrono::milliseconds slept() const { return slept_; }

 private:
  time_point now_;
  std::chrono::milliseconds slept_{0};
};

// "2026-12-03T15:04:05.123Z" (UTC, milliseconds): how the journal writes times.
std::string iso_utc(Clock::time_point t);
// The inverse of iso_utc (also without the milliseconds); nullopt when `s` is not such a time.
std::optional<Clock::time_point> parse_iso_utc(const std::string& s);

// Sensing and acting. `act` carries out one invoke (GOAP_OP_ACT or GOAP_OP_DESCRIBE) of a
// loaded plugin; `sense` reads sensors (exec/sensing.h).
class Fleet {
 public:
  virtual ~Fleet() = default;
  virtual std::vector<Reading> sense(const model::World& world, const std::vector<load::SensorSpec>& specs) = 0;
  virtual plugin_host::InvokeResult act(const plugin_host::LoadedPlugin& plugin, const plugin_host::Invocation& call) = 0;
};

// The real fleet: sensors and actions through plugins, each invoke in isolated child processes.
class PluginFleet final : public Fleet {
 public:
  PluginFleet(const plugin_host::PluginSet& plugins, SenseOptions options, PluginLogFn on_log = nullptr, void* ctx = nullptr)
      : plugins_(plugins), options_(options), on_log_(on_log), ctx_(ctx) {}
  std::vector<Reading> sense(const model::World& world, const std::vector<load::SensorSpec>& specs) override;
  plugin_host::InvokeResult act(const plugin_host::LoadedPlugin& plugin, const plugin_host::Invocation& call) override;

 private:
  const plugin_host::PluginSet& plugins_;
  SenseOptions options_;
  PluginLogFn on_log_;
  void* ctx_;
};

// A fleet for tests: `on_sense` answers every sense call (nullptr: no readings), `on_act` every
// invoke (nullptr: ok). Every call is recorded.
class FakeFleet final : public Fleet {
 public:
  std::function<std::vector<Reading>(const std::vector<load::SensorSpec>&)> on_sense;
  std::function<plugin_host::InvokeResult(const plugin_host::Invocation&)> on_act;
  std::vector<plugin_host::Invocation> acts;
  int senses = 0;
  std::vector<Reading> sense(const model::World&, const std::vector<load::SensorSpec>& specs) override {
    ++senses;
    return on_sense ? on_sense(specs) : std::vector<Reading>{};
  }
  plugin_host::InvokeResult act(const plugin_host::LoadedPlugin&, const plugin_host::Invocation& call) override {
    acts.push_back(call);
    if (on_act) return on_act(call);
    plugin_host::InvokeResult r;
    r.outcome = plugin_host::Outcome::ok;
    r.status = GOAP_OK;
    return r;
  }
};

}  // namespace goap::exec
