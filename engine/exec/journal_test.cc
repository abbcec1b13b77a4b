// The journal keeps runs and steps across processes; --resume finds the latest unfinished run;
// a journal that lost writes or breaks an invariant is refused.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "exec/journal.h"

using namespace goap::exec;

namespace {
struct TempDir {
  std::string path;
  TempDir() {
    char t[] = "/tmp/goap-journal-XXXXXX";
    path = mkdtemp(t);
  }
  ~TempDir() { std::system(("rm -rf " + path).c_str()); }
};
}  // namespace

TEST_CASE("a journal survives being closed and reopened, and finds the run to resume") {
  TempDir dir;
  const std::string db = dir.path + "/sub/journal.db";
  std::int64_t run = 0;
  {
    std::string err;
    auto j = Journal::open(db, &err);
    REQUIRE_MESSAGE(j, err);
    run = j->begin_run("lab", "/w/lab.yaml", false);
    const auto s1 = j->step_started(run, 1, "fix(web)", "web-up", "fix web\n");
    j->step_finished(s1, "done", "verified: up(web)");
    j->save_belief(run, "up(web)\n");
    j->step_started(run, 2, "fix(db)", "db-up", "");
    // no finish: the process "dies" here
  }
  std::string err;
  auto j = Journal::open(db, &err);
  REQUIRE(j);
  auto r = j->resumable_run("/w/lab.yaml");
  REQUIRE(r);
  CHECK(r->id == run);
  CHECK(r->belief == "up(web)\n");
  CHECK(r->steps == 2);
  CHECK(j->mark_interrupted(run) == 1);
  auto steps = j->steps(run);
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].status == "done");
  CHECK(steps[1].status == "interrupted");
  CHECK_FALSE(j->resumable_run("/w/other.yaml"));
  j->set_run_status(run, "done", "every relevant goal is met", true);
  CHECK_FALSE(j->resumable_run("/w/lab.yaml"));
  CHECK(j->runs(10).size() == 1);
}

TEST_CASE("a journal with fewer writes than its seal records is refused, not started over") {
  TempDir dir;
  const std::string db = dir.path + "/journal.db";
  std::string err;
  {
    auto j = Journal::open(db, &err);
    REQUIRE_MESSAGE(j, err);
    const auto run = j->begin_run("lab", "/w/lab.yaml", false);
    j->step_finished(j->step_started(run, 1, "fix(web)", "web-up", ""), "done", "verified: up(web)");
  }
  std::ifstream in(seal_path(db));
  std::string magic, key;
  long long writes = 0;
  std::getline(in, magic);
  in >> key >> writes;
  CHECK(magic == "goap journal seal 1");
  CHECK(writes == 3);  // the run, the step started, the step finished
  in.close();

  std::ofstream(seal_path(db)) << "goap journal seal 1\nwrites 4\n";  // one committed write went missing
  CHECK_FALSE(Journal::open(db, &err));
  CHECK(err.find("the journal " + db + " is damaged: it holds 3 writes, but its seal") != std::string::npos);
  auto inspect = Journal::open(db, &err, true);
  REQUIRE(inspect);
  CHECK(inspect->damage().size() == 1);
  CHECK(inspect->runs(10).size() == 1);
  inspect.reset();

  std::remove(db.c_str());
  std::remove((db + "-wal").c_str());
  CHECK_FALSE(Journal::open(db, &err));
  CHECK(err.find("is missing, but its seal") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(db));  // refusing did not create an empty journal

  std::ofstream(seal_path(db)) << "garbage\n";
  CHECK_FALSE(Journal::open(db, &err));
  CHECK(err.find("is not a goap journal seal") != std::string::npos);
}

TEST_CASE("the run/step invariants are checked when a journal is opened") {
  TempDir dir;
  const std::string db = dir.path + "/journal.db";
  std::string err;
  {
    auto j = Journal::open(db, &err);
    REQUIRE(j);
    const auto a = j->begin_run("lab", "/w/lab.yaml", false);
    const auto b = j->begin_run("lab", "/w/lab.yaml", false);
    CHECK(j->run(a)->status == "aborted");  // superseded: one run of a world in progress at a time
    CHECK(j->run(a)->message == "superseded by run " + std::to_string(b));
    const auto s = j->step_started(b, 1, "fix(web)", "web-up", "");
    j->step_process(s, 4242, 99);
    CHECK(j->steps(b).front().proc_sid == 4242);
    CHECK(j->steps(b).front().proc_start == 99);
  }
  REQUIRE(Journal::open(db, &err));
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
  CHECK(sqlite3_exec(raw, "UPDATE steps SET status = 'done'", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  CHECK_FALSE(Journal::open(db, &err));
  CHECK(err.find("run 2 step 1 is finished but has no finish time or result") != std::string::npos);
}

TEST_CASE("journal times come from its clock; iso_utc and parse_iso_utc agree") {
  const auto dir = std::filesystem::temp_directory_path() / ("goap-journal-clock-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::string err;
  auto j = goap::exec::Journal::open((dir / "j.db").string(), &err);
  REQUIRE(j);
  goap::exec::FakeClock clock;
  j->set_clock(&clock);
  const auto id = j->begin_run("w", "/w.yaml", false);
  auto row = j->run(id);
  REQUIRE(row);
  CHECK(row->started == goap::exec::iso_utc(clock.now()));
  CHECK(goap::exec::parse_iso_utc(row->started) == clock.now());
  clock.advance(std::chrono::milliseconds(61'500));
  j->set_run_status(id, "done", "", true);
  row = j->run(id);
  CHECK(goap::exec::parse_iso_utc(row->finished) == clock.now());
  CHECK(goap::exec::iso_utc(goap::exec::Clock::time_point{}) == "1970-01-01T00:00:00.000Z");
  CHECK(goap::exec::parse_iso_utc("2026-12-03T15:04:05Z") == goap::exec::parse_iso_utc("2026-12-03T15:04:05.000Z"));
  CHECK_FALSE(goap::exec::parse_iso_utc("2026-12-03 15:04:05"));
  CHECK_FALSE(goap::exec::parse_iso_utc("2026-13-03T15:04:05Z"));
  j.reset();
  std::filesystem::remove_all(dir);
}

TEST_CASE("an attempt keeps the last 64 KiB of its output, cut on a character boundary; decisions are kept in order") {
  TempDir dir;
  std::string err;
  auto j = Journal::open(dir.path + "/journal.db", &err);
  REQUIRE_MESSAGE(j, err);
  const auto run = j->begin_run("lab", "/w/lab.yaml", false);
  const auto step = j->step_started(run, 1, "fix(web)", "web-up", "");
  j->attempt_output(step, 1, "ok", "short\n");
  std::string big = "start\n";
  while (big.size() < 200 * 1024) big += "\xc3\xa9t\xc3\xa9 ";  // two-byte characters: a cut may fall inside one
  big += "\nend\n";
  j->attempt_output(step, 2, "failed", big);
  const auto a = j->attempts(step);
  REQUIRE(a.size() == 2);
  CHECK(a[0].output == "short\n");
  CHECK(a[1].outcome == "failed");
  CHECK(a[1].output.rfind("[... ", 0) == 0);
  CHECK(a[1].output.find(" bytes dropped]\n") != std::string::npos);
  CHECK(a[1].output.find("start") == std::string::npos);
  CHECK(a[1].output.size() <= kAttemptOutputBytes + 40);
  CHECK(a[1].output.substr(a[1].output.size() - 5) == "\nend\n");
  const auto body = a[1].output.substr(a[1].output.find("]\n") + 2);
  CHECK(static_cast<unsigned char>(body[0]) != 0xa9);  // not the second byte of a character
  DecisionRow d;
  d.sensed = "not up(web)\n";
  d.unmet = "web-up (plan)\n";
  d.goal = "web-up";
  d.plan = "fix(web)\n";
  j->decided(run, d);
  d.unmet.clear();
  j->decided(run, d);
  const auto ds = j->decisions(run);
  REQUIRE(ds.size() == 2);
  CHECK(ds[0].unmet == "web-up (plan)\n");
  CHECK(ds[0].run_id == run);
  CHECK(ds[1].unmet.empty());
  CHECK(j->world_decisions("/w/lab.yaml").size() == 2);
  CHECK(j->world_decisions("/w/other.yaml").empty());
}
