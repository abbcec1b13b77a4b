// The --watch policy (sleep, jitter, backoff) and its loop, on a FakeClock: no test sleeps.
#include "exec/watch.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <vector>

#include "load/loader.h"

using namespace goap;
using namespace goap::exec;
using std::chrono::milliseconds;

namespace {

RunResult outcome(RunStatus s, int failed = 0) {
  RunResult r;
  r.status = s;
  r.failed_steps = failed;
  return r;
}

WatchPolicy policy(long long interval_ms, double jitter = 0.1, std::uint64_t seed = 7) {
  WatchPolicy p;
  p.interval = milliseconds(interval_ms);
  p.jitter = jitter;
  p.seed = seed;
  return p;
}

}  // namespace

TEST_CASE("watch: a good run sleeps the interval, give or take the jitter") {
  WatchSchedule s(policy(60'000));
  for (int i = 0; i < 200; ++i) {
    const auto d = s.next_sleep(outcome(RunStatus::done));
    CHECK(d >= milliseconds(54'000));
    CHECK(d <= milliseconds(66'000));
    CHECK(s.factor() == 1);
  }
}

TEST_CASE("watch: the jitter is seeded: the same seed gives the same sleeps, another seed others") {
  WatchSchedule a(policy(1000, 0.1, 42)), b(policy(1000, 0.1, 42)), c(policy(1000, 0.1, 43));
  std::vector<long long> xa, xb, xc;
  for (int i = 0; i < 10; ++i) {
    xa.push_back(a.next_sleep(true).count());
    xb.push_back(b.next_sleep(true).count());
    xc.push_back(c.next_sleep(true).count());
  }
  CHECK(xa == xb);
  CHECK(xa != xc);
  // It spreads: not every sleep is the same.
  CHECK(std::count(xa.begin(), xa.end(), xa.front()) < 10);
}

TEST_CASE("watch: failing runs double the sleep up to 16 times the interval; a good run resets it") {
  WatchSchedule s(policy(1000, 0.0));
  CHECK(s.next_sleep(outcome(RunStatus::done, 1)) == milliseconds(2000));  // done, but a step failed on the way
  CHECK(s.next_sleep(outcome(RunStatus::no_plan)) == milliseconds(4000));
  CHECK(s.next_sleep(outcome(RunStatus::needs_approval)) == milliseconds(8000));
  CHECK(s.next_sleep(outcome(RunStatus::step_limit)) == milliseconds(16000));
  CHECK(s.next_sleep(outcome(RunStatus::no_plan)) == milliseconds(16000));  // the cap
  CHECK(s.factor() == 16);
  CHECK(s.next_sleep(outcome(RunStatus::done)) == milliseconds(1000));
  CHECK(s.factor() == 1);
  CHECK(s.next_sleep(outcome(RunStatus::no_plan)) == milliseconds(2000));
}

TEST_CASE("watch: backoff and jitter together stay within the capped bounds") {
  WatchSchedule s(policy(500, 0.1, 3));
  for (int i = 0; i < 50; ++i) {
    const auto d = s.next_sleep(false);
    CHECK(d <= milliseconds(500 * 16 * 11 / 10));
    CHECK(d >= milliseconds(500 * 2 * 9 / 10));
  }
}

TEST_CASE("watch loop: sleeps through the clock between runs, and a stop ends it without another run") {
  FakeClock clock;
  WatchSchedule s(policy(60'000, 0.0));
  int runs = 0;
  bool stop = false;
  WatchHooks h;
  h.run_once = [&] {
    ++runs;
    if (runs == 4) stop = true;  // a SIGTERM during the 4th run
    return outcome(runs == 2 ? RunStatus::no_plan : RunStatus::done);
  };
  h.stop_requested = [&] { return stop; };
  std::FILE* out = std::fopen("/dev/null", "w");
  const auto sum = watch_loop(s, clock, h, out);
  std::fclose(out);
  CHECK(runs == 4);
  CHECK(sum.iterations == 4);
  CHECK(sum.stopped);
  // done: 60 s; no plan: 120 s (backoff); done: 60 s (reset); stopped: no sleep after the 4th.
  CHECK(clock.slept() == milliseconds(240'000));
}

// A clock on which a signal arrives in the middle of a sleep.
class SignalDuringSleep final : public Clock {
 public:
  FakeClock inner;
  std::function<void()> signal;  // raised once, halfway through the next sleep
  [[nodiscard]] time_point now() const override { return inner.now(); }
  bool sleep_for(milliseconds d, const std::function<bool()>& interrupted) override {
    if (signal) {
      inner.advance(d / 2);
      std::exchange(signal, nullptr)();
      if (interrupted && interrupted()) return false;
      inner.advance(d - d / 2);
      return true;
    }
    return inner.sleep_for(d, interrupted);
  }
};

TEST_CASE("watch loop: SIGHUP ends the sleep and reloads before the next run; SIGTERM in a sleep stops at once") {
  SignalDuringSleep clock;
  WatchSchedule s(policy(10'000, 0.0));
  int runs = 0, reloads = 0;
  bool stop = false, reload = false;
  std::vector<int> world_seen;
  int world = 1;
  WatchHooks h;
  h.run_once = [&] {
    ++runs;
    world_seen.push_back(world);
    if (runs == 1) clock.signal = [&] { reload = true; };
    if (runs == 2) clock.signal = [&] { stop = true; };
    return outcome(RunStatus::done);
  };
  h.stop_requested = [&] { return stop; };
  h.reload_requested = [&] { return reload; };
  h.reload = [&] {
    reload = false;
    ++reloads;
    world = 2;
  };
  std::FILE* out = std::fopen("/dev/null", "w");
  const auto sum = watch_loop(s, clock, h, out);
  std::fclose(out);
  CHECK(runs == 2);
  CHECK(reloads == 1);
  CHECK(sum.reloads == 1);
  CHECK(world_seen == std::vector<int>{1, 2});
  CHECK(sum.stopped);
  CHECK(clock.now() - FakeClock().now() == milliseconds(10'000));  // two half sleeps, each cut short
}

namespace {
model::World load_text(const std::string& text) {
  core::SourceManager sm;
  core::Diagnostics diags;
  auto w = load::load_world_text("watch.yaml", text, sm, diags);
  INFO(core::render_all(diags, sm));
  REQUIRE(w.has_value());
  return std::move(*w);
}
struct TempDir {
  std::string path;
  TempDir() {
    char t[] = "/tmp/goap-watch-XXXXXX";
    path = mkdtemp(t);
  }
  ~TempDir() { std::system(("rm -rf " + path).c_str()); }
};
}  // namespace

TEST_CASE("watch loop over real runs: each iteration is a run in the journal; a stuck world backs off") {
  // `fix` has no `run:`: goap cannot carry it out, so a broken world has no plan it can run.
  const model::World broken = load_text(R"(
kind: world
facts: {ok: bool}
actions:
  fix: {eff: [ok]}
goals:
  g: {priority: 1, want: [ok]}
)");
  TempDir dir;
  std::string err;
  auto journal = Journal::open(dir.path + "/journal.db", &err);
  REQUIRE_MESSAGE(journal, err);
  FakeClock clock;
  FakeFleet fleet;
  plugin_host::PluginSet plugins;
  RunOptions ro;
  ro.clock = &clock;
  ro.fleet = &fleet;
  ro.world_path = "/w/watch.yaml";
  ro.planner.threads = 1;
  WatchSchedule s(policy(1000, 0.0));
  model::State state;
  int runs = 0;
  std::vector<RunStatus> seen;
  WatchHooks h;
  h.run_once = [&] {
    if (++runs == 3) state.set(model::GroundTerm{broken.fact_index.at("ok"), {}}, 1, broken.fact(broken.fact_index.at("ok")));
    std::FILE* out = std::fopen("/dev/null", "w");
    auto r = run(broken, state, {}, plugins, journal.get(), ro, out);
    std::fclose(out);
    seen.push_back(r.status);
    return r;
  };
  std::FILE* out = std::fopen("/dev/null", "w");
  watch_loop(s, clock, h, out, 4);
  std::fclose(out);
  CHECK(seen == std::vector<RunStatus>{RunStatus::no_plan, RunStatus::no_plan, RunStatus::done, RunStatus::done});
  CHECK(clock.slept() == milliseconds(2000 + 4000 + 1000));  // backoff x2, x4, then reset
  const auto rows = journal->runs(10);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].status == "done");
  CHECK(rows[3].status == "no-plan");
  // The audit trail: each run journaled its decision, with the unmet goal while it was broken.
  const auto decisions = journal->world_decisions("/w/watch.yaml");
  // A broken run decides twice: `fix` is chosen, cannot be carried out, and then g has no plan.
  REQUIRE(decisions.size() == 6);
  CHECK(decisions[0].unmet == "g (plan)\n");
  CHECK(decisions[0].goal == "g");
  CHECK(decisions[0].plan == "fix\n");
  CHECK(decisions[1].unmet == "g (unsolvable)\n");
  CHECK(decisions[4].unmet.empty());
  CHECK(decisions[5].unmet.empty());
}

TEST_CASE("a run asked to stop between steps ends `stopped`, its finished step journaled") {
  const model::World w = load_text(R"(
kind: world
facts: {a: bool, b: bool}
actions:
  one: {eff: [a], run: {plugin: command, with: {argv: [true]}}}
  two: {pre: [a], eff: [b], run: {plugin: command, with: {argv: [true]}}}
goals:
  g: {priority: 1, want: [b]}
)");
  TempDir dir;
  std::string err;
  auto journal = Journal::open(dir.path + "/journal.db", &err);
  REQUIRE_MESSAGE(journal, err);
  // No plugin is loaded: the steps cannot bind, so the run ends with no plan before any stop is
  // asked. With a stop asked before the first decision, nothing is planned or run at all.
  FakeClock clock;
  FakeFleet fleet;
  plugin_host::PluginSet plugins;
  RunOptions ro;
  ro.clock = &clock;
  ro.fleet = &fleet;
  ro.world_path = "/w/stop.yaml";
  ro.planner.threads = 1;
  ro.stop = [] { return true; };
  std::FILE* out = std::fopen("/dev/null", "w");
  const auto r = run(w, model::State{}, {}, plugins, journal.get(), ro, out);
  std::fclose(out);
  CHECK(r.status == RunStatus::stopped);
  CHECK(r.steps == 0);
  CHECK(fleet.acts.empty());
  const auto row = journal->run(r.run_id);
  REQUIRE(row);
  CHECK(row->status == "stopped");
  // A stopped run is unfinished: --resume continues it.
  CHECK(journal->resumable_run("/w/stop.yaml"));
}
