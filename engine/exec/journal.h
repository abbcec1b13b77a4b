// The run journal: every run and every step of it, durable before goap moves on.
//
// SQLite in WAL mode with synchronous=FULL: each write below is one transaction, on disk when
// the call returns, so a `kill -9` (or a power cut) loses at most the step in flight. Why not
// fsync'd JSON lines: a resume needs queries (the latest unfinished run of a world, the failed
// steps of a run), a step is updated in place (running -> done), a torn last line needs its own
// recovery code, and `goap history` reads while a run writes; SQLite gives all of that, with a
// WAL that lets readers and the writer work at the same time.
//
// Tables: runs(id, world, world_path, started, finished, status, message, dry_run, belief, pid)
// and steps(id, run_id, seq, action, goal, status, attempts, message, commands, started,
// finished). `belief` is what goap believes about the world after the last completed step, as
// state lines: facts no sensor reads are restored from it on --resume, so a completed step is
// never repeated for lack of a sensor.
//
// Run status: running | done | no-plan | needs-approval | step-limit | aborted.
// Step status: running | done | failed | effects-missing | interrupted (found running on resume).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace goap::exec {

struct RunRow {
  std::int64_t id = 0;
  std::string world, world_path, started, finished, status, message, belief;
  bool dry_run = false;
  std::int64_t pid = 0;
  int steps = 0;  // rows in steps
};

struct StepRow {
  std::int64_t id = 0, run_id = 0;
  int seq = 0, attempts = 0;
  std::string action, goal, status, message, commands, started, finished;
};

class Journal {
 public:
  // Opens (creating the file, its folder and the tables when needed). nullptr with *error.
  static std::unique_ptr<Journal> open(const std::string& path, std::string* error);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  std::int64_t begin_run(const std::string& world, const std::string& world_path, bool dry_run);
  // The latest run of this world (canonical path) that did not end `done`, if any.
  std::optional<RunRow> resumable_run(const std::string& world_path);
  void claim_run(std::int64_t run);  // status running, pid = this process
  void set_run_status(std::int64_t run, const std::string& status, const std::string& message, bool finished);
  void save_belief(std::int64_t run, const std::string& belief);

  std::int64_t step_started(std::int64_t run, int seq, const std::string& action, const std::string& goal,
                            const std::string& commands);
  void step_progress(std::int64_t step, int attempts, const std::string& message);
  void step_finished(std::int64_t step, const std::string& status, const std::string& message);
  // Steps left `running` by a killed goap become `interrupted`; returns how many.
  int mark_interrupted(std::int64_t run);

  std::vector<RunRow> runs(int limit);
  std::optional<RunRow> run(std::int64_t id);
  std::vector<StepRow> steps(std::int64_t run);
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  Journal() = default;
  void exec(const std::string& sql);
  sqlite3* db_ = nullptr;
  std::string path_;
};

// $GOAP_JOURNAL, else $XDG_STATE_HOME/goap/journal.db, else ~/.local/state/goap/journal.db.
std::string default_journal_path();

}  // namespace goap::exec
