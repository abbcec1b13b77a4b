// The escalation window (exec/escalation.h) on a FakeClock, with and without a journal.
#include "exec/escalation.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

namespace goap::exec {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

struct TempJournal {
  std::string dir;
  std::unique_ptr<Journal> journal;
  TempJournal() {
    char tmpl[] = "/tmp/goap-escalation-XXXXXX";
    dir = mkdtemp(tmpl);
    std::string error;
    journal = Journal::open(dir + "/journal.db", &error);
    REQUIRE_MESSAGE(journal != nullptr, error);
  }
  ~TempJournal() {
    journal.reset();
    std::filesystem::remove_all(dir);
  }
};

void once_per_cause_per_window(Journal* journal, FakeClock& clock) {
  EscalationWindow w(journal, clock, hours(1));
  CHECK(w.due("fleet", "gitea-available", EscalationCause::no_plan));
  w.record("fleet", "gitea-available", EscalationCause::no_plan);
  // Every tick of a timer inside the hour: not again.
  for (int tick = 0; tick < 11; ++tick) {
    clock.advance(minutes(5));
    CHECK_FALSE(w.due("fleet", "gitea-available", EscalationCause::no_plan));
  }
  // Other causes, goals and worlds are separate.
  CHECK(w.due("fleet", "gitea-available", EscalationCause::given_up));
  CHECK(w.due("fleet", "gitea-available", EscalationCause::budget));
  CHECK(w.due("fleet", "gitea-available", EscalationCause::approval));
  CHECK(w.due("fleet", "ollama-recovered", EscalationCause::no_plan));
  CHECK(w.due("other-fleet", "gitea-available", EscalationCause::no_plan));
  w.record("fleet", "gitea-available", EscalationCause::budget);
  CHECK_FALSE(w.due("fleet", "gitea-available", EscalationCause::budget));
  // 55 minutes have passed since the first: 5 more open a new window.
  clock.advance(milliseconds(5 * 60'000 - 1));
  CHECK_FALSE(w.due("fleet", "gitea-available", EscalationCause::no_plan));
  clock.advance(milliseconds(1));
  CHECK(w.due("fleet", "gitea-available", EscalationCause::no_plan));
  CHECK_FALSE(w.due("fleet", "gitea-available", EscalationCause::budget));  // its own window
  w.record("fleet", "gitea-available", EscalationCause::no_plan);
  CHECK_FALSE(w.due("fleet", "gitea-available", EscalationCause::no_plan));
}

TEST_CASE("escalation window: once per cause per window, in memory") {
  FakeClock clock;
  once_per_cause_per_window(nullptr, clock);
}

TEST_CASE("escalation window: once per cause per window, in the journal") {
  TempJournal t;
  FakeClock clock;
  once_per_cause_per_window(t.journal.get(), clock);
}

TEST_CASE("escalation window: the journal keeps it across runs") {
  TempJournal t;
  FakeClock clock;
  {
    EscalationWindow first(t.journal.get(), clock, minutes(30));
    first.record("fleet", "gitea-available", EscalationCause::given_up);
  }
  clock.advance(minutes(10));
  EscalationWindow second(t.journal.get(), clock, minutes(30));  // a later `goap run`
  CHECK_FALSE(second.due("fleet", "gitea-available", EscalationCause::given_up));
  clock.advance(minutes(20));
  CHECK(second.due("fleet", "gitea-available", EscalationCause::given_up));
  // A shorter window in a new run reads the same time.
  EscalationWindow shorter(t.journal.get(), clock, minutes(5));
  CHECK(shorter.due("fleet", "gitea-available", EscalationCause::given_up));
}

TEST_CASE("escalation causes have the names templates and the journal use") {
  CHECK(std::string(to_string(EscalationCause::no_plan)) == "no-plan");
  CHECK(std::string(to_string(EscalationCause::budget)) == "budget");
  CHECK(std::string(to_string(EscalationCause::approval)) == "approval");
  CHECK(std::string(to_string(EscalationCause::given_up)) == "given-up");
}

}  // namespace
}  // namespace goap::exec
