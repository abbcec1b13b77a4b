// The journal keeps runs and steps across processes; --resume finds the latest unfinished run.
#include <doctest/doctest.h>

#include <cstdlib>
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
