#include "exec/seams.h"

#include <cstdio>
#include <ctime>
#include <thread>

namespace goap::exec {
namespace {

class SystemClock final : public Clock {
 public:
  [[nodiscard]] time_point now() const override { return std::chrono::system_clock::now(); }
  bool sleep_for(std::chrono::milliseconds d, const std::function<bool()>& interrupted) override {
    const auto end = std::chrono::steady_clock::now() + d;
    for (;;) {
      if (interrupted && interrupted()) return false;
      const auto left = end - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) return true;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(100)));
    }
  }
};

}  // namespace

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

std::string iso_utc(Clock::time_point t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const long long ms = duration_cast<milliseconds>(t - secs).count();
  const std::time_t tt = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms % 1000));
  return std::string(buf) + frac;
}

std::optional<Clock::time_point> parse_iso_utc(const std::string& s) {
  std::tm tm{};
  int ms = 0;
  char z = 0;
  int used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec, &used) != 6)
    return std::nullopt;
  std::size_t at = static_cast<std::size_t>(used);
  if (at < s.size() && s[at] == '.') {
    int n = 0;
    if (std::sscanf(s.c_str() + at, ".%3d%n", &ms, &n) != 1 || n != 4) return std::nullopt;
    at += 4;
  }
  if (at < s.size()) z = s[at++];
  if (z != 'Z' || at != s.size()) return std::nullopt;
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t tt = timegm(&tm);
  return std::chrono::system_clock::from_time_t(tt) + std::chrono::milliseconds(ms);
}

std::vector<Reading> PluginFleet::sense(const model::World& world, const std::vector<load::SensorSpec>& specs) {
  return exec::sense(world, specs, plugins_, options_, on_log_, ctx_);
}

plugin_host::InvokeResult PluginFleet::act(const plugin_host::LoadedPlugin& plugin, const plugin_host::Invocation& call) {
  return plugin_host::invoke_isolated(plugin, call, on_log_, ctx_);
}

}  // namespace goap::exec
