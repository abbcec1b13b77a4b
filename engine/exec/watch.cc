#include "exec/watch.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/log.h"

namespace goap::exec {

double WatchSchedule::uniform() {
  // splitmix64: small, seedable, the same numbers on every platform.
  std::uint64_t z = (rng_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0);
}

bool iteration_was_good(const RunResult& r) { return r.status == RunStatus::done && r.failed_steps == 0; }

std::chrono::milliseconds WatchSchedule::next_sleep(const RunResult& r) { return next_sleep(iteration_was_good(r)); }

std::chrono::milliseconds WatchSchedule::next_sleep(bool good) {
  if (good) factor_ = 1;
  else factor_ = std::min(factor_ * 2, std::max(1, p_.max_factor));
  const double base = static_cast<double>(p_.interval.count()) * factor_;
  const double j = std::clamp(p_.jitter, 0.0, 1.0);
  const double ms = base * (1.0 + j * (2.0 * uniform() - 1.0));
  return std::chrono::milliseconds(static_cast<long long>(std::llround(std::max(0.0, ms))));
}

WatchSummary watch_loop(WatchSchedule& schedule, Clock& clock, const WatchHooks& hooks, std::FILE* out, int max_iterations) {
  RunReport report(out);
  return watch_loop(schedule, clock, hooks, report, max_iterations);
}

WatchSummary watch_loop(WatchSchedule& schedule, Clock& clock, const WatchHooks& hooks, RunReport& report,
                        int max_iterations) {
  WatchSummary s;
  const auto stop = [&] { return hooks.stop_requested && hooks.stop_requested(); };
  const auto reload_wanted = [&] { return hooks.reload_requested && hooks.reload_requested(); };
  while (!stop()) {
    if (reload_wanted()) {
      if (hooks.reload) hooks.reload();
      ++s.reloads;
    }
    const RunResult r = hooks.run_once();
    ++s.iterations;
    const auto sleep = schedule.next_sleep(r);
    if (stop() || (max_iterations > 0 && s.iterations >= max_iterations)) break;
    char line[160];
    std::snprintf(line, sizeof line, "watch: %s; next run in %.1f s%s", iteration_was_good(r) ? "all relevant goals hold" : "not done",
                  static_cast<double>(sleep.count()) / 1000.0,
                  schedule.factor() > 1 ? (" (backoff x" + std::to_string(schedule.factor()) + ")").c_str() : "");
    report.set_clock(&clock);
    report.emit("watch_sleep", line,
                {{"good", iteration_was_good(r)}, {"sleep_ms", sleep.count()}, {"backoff", schedule.factor()}, {"runs", s.iterations}});
    // A reload ends the sleep: the changed world is used at once.
    clock.sleep_for(sleep, [&] { return stop() || reload_wanted(); });
  }
  s.stopped = stop();
  if (s.stopped) {
    report.set_clock(&clock);
    report.emit("watch_stopped", "watch: stopping (signal); " + std::to_string(s.iterations) + " run" + (s.iterations == 1 ? "" : "s"),
                {{"runs", s.iterations}});
  }
  return s;
}

}  // namespace goap::exec
