// Memory across runs (memory.h): budget windows and `for` evidence, on a real journal in a
// temporary folder, with a FakeClock so that an hour passes in no time.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "core/diag.h"
#include "exec/memory.h"
#include "load/loader.h"

using namespace goap;
using namespace goap::exec;
using namespace std::chrono_literals;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char t[] = "/tmp/goap-memory-XXXXXX";
    path = mkdtemp(t);
  }
  ~TempDir() { std::system(("rm -rf " + path).c_str()); }
};

const char* kWorld = R"(kind: world
name: lab
types: {host: {}}
objects: {web: host, db: host}
facts:
  up(host): bool
  ssh_ok(host): bool
  restarted(host): bool
  rebuilt(host): bool
actions:
  restart:
    params: {h: host}
    pre: [not up($h)]
    eff: [up($h), restarted($h)]
    budget: {max: 3, per: 1h}
  rebuild:
    params: {h: host}
    pre: [not ssh_ok($h) for 10m]
    eff: [ssh_ok($h), rebuilt($h)]
goals:
  web-up: {want: [up(web)]}
  ssh-back: {when: [not ssh_ok(db) for 5m], want: [ssh_ok(db)]}
)";

model::World load(const char* text) {
  core::SourceManager sm;
  core::Diagnostics diags;
  auto w = load::load_world_text("/w/lab.yaml", text, sm, diags);
  REQUIRE_MESSAGE(w, core::render_all(diags, sm));
  return std::move(*w);
}

struct Fixture {
  TempDir dir;
  FakeClock clock;
  std::unique_ptr<Journal> journal;
  model::World world = load(kWorld);
  Fixture() {
    std::string err;
    journal = Journal::open(dir.path + "/journal.db", &err);
    REQUIRE_MESSAGE(journal, err);
    journal->set_clock(&clock);
  }
  Clock::time_point now() const { return clock.now(); }
};

model::GroundTerm term(const model::World& w, const char* fact, const char* obj) {
  return model::GroundTerm{w.fact_index.at(fact), {w.object_index.at(obj)}};
}

Reading reading(const model::World& w, const char* fact, const char* obj, int value) {
  Reading r;
  r.term = term(w, fact, obj);
  r.ok = true;
  r.value = value;
  return r;
}

}  // namespace

TEST_CASE("budget window: a step counts while now < start + per, not at the edge") {
  const Clock::time_point t0{std::chrono::seconds(1'800'000'000)};
  const std::vector<Clock::time_point> starts{t0, t0 + 10min, t0 + 20min};
  auto u = count_window(starts, 3, 1h, t0 + 30min);
  CHECK(u.used == 3);
  CHECK(u.exhausted());
  CHECK(u.oldest == t0);
  CHECK(u.frees_at == t0 + 1h);
  CHECK(count_window(starts, 3, 1h, t0 + 1h - 1ms).used == 3);
  u = count_window(starts, 3, 1h, t0 + 1h);  // exactly at the edge: the first has left
  CHECK(u.used == 2);
  CHECK_FALSE(u.exhausted());
  CHECK(u.oldest == t0 + 10min);
  CHECK(u.frees_at == t0 + 10min + 1h);
  CHECK(count_window(starts, 3, 1h, t0 + 20min + 1h).used == 0);
  // Over the budget (it was lowered): free only when enough have left.
  CHECK(count_window(starts, 2, 1h, t0 + 30min).frees_at == t0 + 10min + 1h);
  CHECK(count_window(starts, 1, 1h, t0 + 30min).frees_at == t0 + 20min + 1h);
}

TEST_CASE("budgets count every step of a ground action across runs, resumed runs included") {
  Fixture f;
  const std::string wp = "/w/lab.yaml";
  const auto t0 = f.now();
  // Run 1 restarts web and fails once; a retry inside the step is not another step.
  const auto run1 = f.journal->begin_run("lab", wp, false);
  auto s = f.journal->step_started(run1, 1, "restart(web)", "web-up", "");
  f.journal->step_progress(s, 3, "attempt 1\nattempt 2\nattempt 3");
  f.journal->step_finished(s, "failed", "failed after 3 attempts");
  f.journal->set_run_status(run1, "no-plan", "", true);
  CHECK(budget_uses(f.world, *f.journal, wp, f.now()).size() == 1);
  CHECK(budget_uses(f.world, *f.journal, wp, f.now())[0].used == 1);

  // Run 2 starts later and restarts it again; goap is killed during the step.
  f.clock.advance(20min);
  const auto run2 = f.journal->begin_run("lab", wp, false);
  f.journal->step_started(run2, 1, "restart(web)", "web-up", "");
  f.journal->step_started(run2, 2, "restart(db)", "db-up", "");  // another ground action: its own count
  // Run 2 is resumed: the interrupted steps still count.
  f.clock.advance(5min);
  f.journal->claim_run(run2);
  CHECK(f.journal->mark_interrupted(run2) == 2);
  f.journal->step_started(run2, 3, "restart(web)", "web-up", "");
  // A dry run and another world do not count.
  const auto dry = f.journal->begin_run("lab", wp, true);
  f.journal->step_started(dry, 1, "restart(web)", "web-up", "");
  const auto other = f.journal->begin_run("lab", "/w/other.yaml", false);
  f.journal->step_started(other, 1, "restart(web)", "web-up", "");

  auto all = budget_uses(f.world, *f.journal, wp, f.now());
  REQUIRE(all.size() == 2);
  CHECK(all[0].ground == "restart(db)");
  CHECK(all[0].used == 1);
  CHECK(all[1].ground == "restart(web)");
  CHECK(all[1].used == 3);
  auto ex = exhausted_budgets(f.world, *f.journal, wp, f.now());
  REQUIRE(ex.size() == 1);
  CHECK(ex[0].ground == "restart(web)");
  CHECK(ex[0].frees_at == t0 + 1h);
  CHECK(exhausted_text(ex[0], f.now()) == "restart(web): budget 3 per 1h used up until " +
                                              iso_utc(t0 + 1h).substr(11, 8) + "Z");
  // The first step leaves the window exactly one hour after it started.
  f.clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(t0 + 1h - f.now()) - 1ms);
  CHECK(exhausted_budgets(f.world, *f.journal, wp, f.now()).size() == 1);
  f.clock.advance(1ms);
  CHECK(exhausted_budgets(f.world, *f.journal, wp, f.now()).empty());

  // history reads the budgets the run recorded, without the world.
  save_world_budgets(f.world, *f.journal, wp);
  auto rec = recorded_budget_uses(*f.journal, f.now());
  REQUIRE(rec.size() == 2);
  CHECK(rec[1].world_path == wp);
  CHECK(rec[1].use.ground == "restart(web)");
  CHECK(rec[1].use.used == 2);
  CHECK(rec[1].use.max == 3);
  CHECK(rec[1].use.per == 1h);
}

TEST_CASE("held_for: never sensed, contradicted, exactly D, a gap, not this run") {
  const Clock::time_point t0{std::chrono::seconds(1'800'000'000)};
  const auto is_false = [](const std::string& v) { return v == "false"; };
  const auto now = t0 + 10min;
  CHECK_FALSE(held_for({}, is_false, 10min, now));  // never sensed
  // Exactly D: the first satisfying reading is at now - D.
  CHECK(held_for({{"false", t0, now, true}}, is_false, 10min, now));
  CHECK_FALSE(held_for({{"false", t0 + 1ms, now, true}}, is_false, 10min, now));
  // A contradicting reading in between: only what came after it counts.
  CHECK_FALSE(held_for({{"false", t0 + 5min, now, true}, {"true", t0 + 2min, t0 + 4min, false}, {"false", t0 - 1h, t0, false}},
                       is_false, 10min, now));
  // A gap in sensing (goap senses only when it runs) between agreeing readings is bridged.
  CHECK(held_for({{"false", t0 - 5min, now, true}}, is_false, 10min, now));
  CHECK(held_for({{"false", now, now, true}, {"false", t0 - 1min, t0 - 1min, false}}, is_false, 10min, now));
  // The latest reading must be this run's: a sensor that failed now gives no evidence.
  CHECK_FALSE(held_for({{"false", t0 - 1h, now - 1min, false}}, is_false, 10min, now));
  CHECK_FALSE(held_for({{"true", t0 - 1h, now, true}}, is_false, 10min, now));
}

TEST_CASE("evidence from the journal's readings: stretches across runs, for actions and goals") {
  Fixture f;
  const std::string wp = "/w/lab.yaml";
  const auto& w = f.world;
  const auto rebuild_pre = w.action(w.action_index.at("rebuild")).pre[0];
  const auto ssh_web = term(w, "ssh_ok", "web");
  const auto ssh_db = term(w, "ssh_ok", "db");
  const auto when_db = w.goal(w.goal_index.at("ssh-back")).when[0];

  // Run 1 senses ssh down on web (and up on db).
  const auto run1 = f.journal->begin_run("lab", wp, false);
  remember_readings(w, *f.journal, wp, run1, {reading(w, "ssh_ok", "web", 0), reading(w, "ssh_ok", "db", 1)});
  auto held = gather_evidence(w, f.journal.get(), wp, run1, {}, f.now());
  CHECK_FALSE(held.held(ssh_web, rebuild_pre));  // not for 10m yet

  // Run 2, six minutes later: db is down now, web still down.
  f.clock.advance(6min);
  const auto run2 = f.journal->begin_run("lab", wp, false);
  remember_readings(w, *f.journal, wp, run2, {reading(w, "ssh_ok", "web", 0), reading(w, "ssh_ok", "db", 0)});
  CHECK(f.journal->readings(wp).size() == 3);  // web one stretch, db two
  held = gather_evidence(w, f.journal.get(), wp, run2, {}, f.now());
  CHECK_FALSE(held.held(ssh_web, rebuild_pre));

  // Run 3, ten minutes after the first reading.
  f.clock.advance(4min);
  const auto run3 = f.journal->begin_run("lab", wp, false);
  // Before run 3 senses, the latest readings are run 2's: no evidence yet.
  CHECK_FALSE(gather_evidence(w, f.journal.get(), wp, run3, {}, f.now()).held(ssh_web, rebuild_pre));
  remember_readings(w, *f.journal, wp, run3, {reading(w, "ssh_ok", "web", 0), reading(w, "ssh_ok", "db", 0)});
  held = gather_evidence(w, f.journal.get(), wp, run3, {}, f.now());
  CHECK(held.held(ssh_web, rebuild_pre));
  CHECK_FALSE(held.held(ssh_db, rebuild_pre));  // down for 4 minutes only
  CHECK_FALSE(held.held(ssh_db, when_db));       // the goal asks 5 minutes

  // The goal's `when` once db has been down 5 minutes; through the planner's own check.
  f.clock.advance(1min);
  const auto run4 = f.journal->begin_run("lab", wp, false);
  remember_readings(w, *f.journal, wp, run4, {reading(w, "ssh_ok", "db", 0)});
  held = gather_evidence(w, f.journal.get(), wp, run4, {}, f.now());
  CHECK(held.held(ssh_db, when_db));
  CHECK_FALSE(held.held(ssh_web, rebuild_pre));  // web was not sensed by run 4
  model::State st;
  CHECK(model::condition_holds(w, st, ssh_db, when_db, &held));
  CHECK_FALSE(model::condition_holds(w, st, ssh_db, when_db, nullptr));  // plan / next: no journal

  // A dry run records nothing: what it sensed stands in for this run's readings.
  held = gather_evidence(w, f.journal.get(), wp, 0, {reading(w, "ssh_ok", "db", 0)}, f.now());
  CHECK(held.held(ssh_db, when_db));
  held = gather_evidence(w, f.journal.get(), wp, 0, {reading(w, "ssh_ok", "db", 1)}, f.now());
  CHECK_FALSE(held.held(ssh_db, when_db));
}

TEST_CASE("readings stay bounded: value changes make rows, equal readings move last_seen, old stretches go") {
  Fixture f;
  const std::string wp = "/w/lab.yaml";
  const auto& w = f.world;
  const auto run = f.journal->begin_run("lab", wp, false);
  for (int i = 0; i < 50; ++i) {
    remember_readings(w, *f.journal, wp, run, {reading(w, "ssh_ok", "web", 1)});
    f.clock.advance(1min);
  }
  CHECK(f.journal->readings(wp).size() == 1);
  remember_readings(w, *f.journal, wp, run, {reading(w, "ssh_ok", "web", 0)});
  CHECK(f.journal->readings(wp).size() == 2);
  // Kept: the world's longest `for` (10m) plus a day; then the ended stretch goes, the latest stays.
  f.clock.advance(24h + 11min);
  remember_readings(w, *f.journal, wp, run, {reading(w, "ssh_ok", "db", 1)});
  const auto rows = f.journal->readings(wp);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].fact == "ssh_ok(db)");
  CHECK(rows[1].fact == "ssh_ok(web)");
  CHECK(rows[1].value == "false");
}
