// `goap run --watch`: a reconcile loop. Sense, act (one run's worth), sleep, again.
//
// Each iteration is one run in the journal (exec::run, a run row of its own): `goap history`
// lists one line per iteration, a run's steps and outcome stay together, and a `kill -9`
// leaves one unfinished run that the restarted watcher's next iteration supersedes (or
// `--resume` continues). An iteration ends as a one-shot run does: every relevant goal holds,
// no plan, waiting for approval, or the step limit.
//
// WatchSchedule is the policy, free of I/O: given how an iteration ended, how long to sleep.
//   - a good iteration (every relevant goal holds, no step failed): `interval`, and the backoff
//     is reset;
//   - otherwise (a step failed, or the run ended without reaching done: no plan, approval
//     waiting, step limit): the interval doubles, up to `max_factor` times `interval`;
//   - either way, plus or minus `jitter` (a fraction of it, default 10%) from a seeded
//     generator (splitmix64), so that watchers started together drift apart, and a test with
//     a fixed seed sees fixed numbers.
// watch_loop() drives it through the Clock seam: a stop request (SIGTERM/SIGINT in the CLI)
// ends the sleep at once and ends the loop; a reload request (SIGHUP) ends the sleep and calls
// `reload` before the next iteration. A stop during an iteration is the run's own business
// (RunOptions::stop: the current step finishes and is journaled first).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>

#include "exec/runner.h"
#include "exec/seams.h"

namespace goap::exec {

struct WatchPolicy {
  std::chrono::milliseconds interval{60'000};
  double jitter = 0.1;  // a fraction of the sleep, either way
  int max_factor = 16;  // backoff cap: at most interval * max_factor (before jitter)
  std::uint64_t seed = 0;
};

class WatchSchedule {
 public:
  explicit WatchSchedule(WatchPolicy p) : p_(p), rng_(p.seed) {}
  // The sleep after an iteration that ended with `r`; updates the backoff.
  std::chrono::milliseconds next_sleep(const RunResult& r);
  // The same, from the two facts it depends on.
  std::chrono::milliseconds next_sleep(bool good);
  [[nodiscard]] int factor() const { return factor_; }

 private:
  double uniform();  // in [0, 1)
  WatchPolicy p_;
  std::uint64_t rng_;
  int factor_ = 1;
};

// A good iteration: it reached `done` and no step of it failed.
bool iteration_was_good(const RunResult& r);

struct WatchHooks {
  std::function<RunResult()> run_once;     // one iteration: one run
  std::function<bool()> stop_requested;    // SIGTERM / SIGINT seen
  std::function<bool()> reload_requested;  // SIGHUP seen (reading it does not clear it)
  std::function<void()> reload;            // clears the request, re-reads the world; keeps the old one on failure
};

struct WatchSummary {
  int iterations = 0;
  int reloads = 0;
  bool stopped = false;  // by a stop request (else: a journal failure escaped, see run())
};

// Runs until a stop request. `max_iterations` > 0 bounds it (tests).
// What it tells (the sleeps, the stop) goes to `report` (exec/run_report.h), or to `out` as lines.
WatchSummary watch_loop(WatchSchedule& schedule, Clock& clock, const WatchHooks& hooks, RunReport& report,
                        int max_iterations = 0);
WatchSummary watch_loop(WatchSchedule& schedule, Clock& clock, const WatchHooks& hooks, std::FILE* out,
                        int max_iterations = 0);

}  // namespace goap::exec
