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
// finished, proc_sid, proc_start, kind); approvals (the inbox of approval requests, ApprovalRow);
// escalations(world, goal, cause, at_ms). `belief` is what goap believes about the world after the last completed step, as
// state lines: facts no sensor reads are restored from it on --resume, so a completed step is
// never repeated for lack of a sensor.
//
// Memory across runs (exec/memory.h reads it): readings(world_path, fact, value, first_seen,
// last_seen, run_id) keeps what sensors reported as stretches of one value (a reading equal to
// the fact's latest stretch only moves its last_seen and run_id), so it grows with value changes,
// not with runs; stretches that ended before a run's `keep` horizon are deleted when it records.
// budgets(world_path, action, max, per_ms): the `budget:` of each action as the latest run of
// the world declared it, so `goap history` can show budgets without loading the world.
//
// Run status: running | done | no-plan | needs-approval | step-limit | stopped (a signal, between
// steps) | aborted (superseded by a newer run of the same world that did not --resume it).
// Step status: running | done | failed | effects-missing | interrupted (found running on resume).
//
// Refusing instead of repeating. A journal that lost committed writes would make --resume
// repeat completed steps, so open() checks, before anything is written:
//   - SQLite's own `PRAGMA quick_check`: every page, b-tree and record of the file is readable
//     and well formed (what truncation or a torn write breaks). quick_check rather than
//     integrity_check: it is linear in the file, so every `goap run` can afford it; what it
//     leaves out (index entries agreeing with rows) the invariants below re-derive from rows.
//   - the seal: every write is one transaction that also counts itself in meta('writes'); after
//     the commit the count goes, fsync'd, into the small file <journal>.seal. The database must
//     hold at least as many writes as the seal records. Deleting or tearing the -wal file (SQLite
//     drops frames after a bad checksum) or truncating or replacing the database loses writes
//     and is caught here. The database may be one write ahead: goap died between the commit and
//     the seal. Deleting the seal as well is not detected.
//   - the run/step invariants: every step belongs to a run; a run's steps are numbered 1..N
//     without gap or repeat; a finished step has its finish time and result; at most one step
//     of a run is running, none in a run that is done; at most one run of a world is running.
// A journal that fails any of these is refused with a message naming the file and the problem.
// After each finished step a passive checkpoint copies the WAL into the database, so deleting
// the WAL afterwards usually loses nothing at all.
//
// The audit trail (goap history RUN --format md) has two more tables:
//   attempts(step_id, attempt, outcome, finished, output): each attempt of a step with the last
//     64 KiB of what its command printed (the plugin's emitted `output`, its log lines and its
//     own stdout/stderr), on success too;
//   decisions(run_id, at, sensed, unmet, goal, plan, approval): each time the run decided, what
//     sensors had just read, which relevant goals were unmet, the goal chosen and its plan, and
//     how an approval-gated step was approved. The fleet's degraded time comes from these rows.
//
// Each step also records the process that carries it out (its session id, which is the
// supervisor's pid, and that process's start time from /proc/PID/stat): --resume stops what an
// interrupted step left running before it tries the step again.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exec/seams.h"

struct sqlite3;

namespace goap::exec {

struct RunRow {
  std::int64_t id = 0;
  std::string world, world_path, started, finished, status, message, belief;
  bool dry_run = false;
  std::int64_t pid = 0;
  int steps = 0;  // rows in steps
};

struct AttemptRow {
  int attempt = 0;
  std::string outcome, finished, output;
};

struct DecisionRow {
  std::int64_t run_id = 0;
  std::string at, sensed, unmet, goal, plan, approval;  // unmet: relevant goals not holding, one a line
};

// What an attempt keeps of its command's output: the last 64 KiB.
inline constexpr std::size_t kAttemptOutputBytes = 64 * 1024;

struct StepRow {
  std::int64_t id = 0, run_id = 0;
  int seq = 0, attempts = 0;
  std::string action, goal, status, message, commands, started, finished;
  std::int64_t proc_sid = 0;    // the session of the process carrying the step out (0: none yet)
  std::int64_t proc_start = 0;  // its leader's start time, clock ticks after boot (/proc/PID/stat)
  std::string kind = "action";  // action | escalation (exec/escalation.h)
};

// One approval request (exec/approvals.h says what the fields mean and how they are used).
// status as stored: pending | approved | declined | void; expiry is computed from `expires`.
struct ApprovalRow {
  std::string id, key, world, world_path, goal;
  std::string plan;      // one step a line: "<name>\t<1 if it needs approval, else 0>"
  std::string commands;  // one command a line: "<step index, 0-based>\t<command>"
  std::string gated;     // the steps it approves, one a line: "<name>|<hash of its commands>"
  std::string files_hash, requested, expires, status, decided_by, decided_at, reason;
};

// One stretch of a sensed fact holding one value (see readings above).
struct ReadingRow {
  std::string fact, value, first_seen, last_seen;  // "reachable(hermes-vps)", "false", ISO times
  std::int64_t run_id = 0;                          // the run that read it last
};

// A step as the budgets count it: its ground action and when it started.
struct StepStart {
  std::string world_path, action, started;
};

struct BudgetRow {
  std::string world_path, action;
  int max = 0;
  std::int64_t per_ms = 0;
};

class Journal {
 public:
  // Opens (creating the file, its folder and the tables when needed) and checks it (above).
  // nullptr with *error naming the file and what is wrong. `inspect` (goap history): a damaged
  // journal that SQLite can still read is opened anyway, nothing is created, and what is wrong
  // is in damage().
  static std::unique_ptr<Journal> open(const std::string& path, std::string* error, bool inspect = false);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // A new run; earlier runs of the same world left `running` become `aborted`.
  std::int64_t begin_run(const std::string& world, const std::string& world_path, bool dry_run);
  // The latest run of this world (canonical path) that did not end `done`, if any.
  std::optional<RunRow> resumable_run(const std::string& world_path);
  void claim_run(std::int64_t run);  // status running, pid = this process
  void set_run_status(std::int64_t run, const std::string& status, const std::string& message, bool finished);
  void save_belief(std::int64_t run, const std::string& belief);

  std::int64_t step_started(std::int64_t run, int seq, const std::string& action, const std::string& goal,
                            const std::string& commands);
  void step_progress(std::int64_t step, int attempts, const std::string& message);
  // Before the step's process acts: which process it is (see above).
  void step_process(std::int64_t step, std::int64_t sid, std::int64_t start);
  void step_finished(std::int64_t step, const std::string& status, const std::string& message);
  // One attempt of a step and its output (cut to its last kAttemptOutputBytes here).
  void attempt_output(std::int64_t step, int attempt, const std::string& outcome, const std::string& output);
  std::vector<AttemptRow> attempts(std::int64_t step);
  void decided(std::int64_t run, const DecisionRow& d);  // d.run_id and d.at are set here
  std::vector<DecisionRow> decisions(std::int64_t run);
  // Every decision of the world (canonical path) across its runs, oldest first.
  std::vector<DecisionRow> world_decisions(const std::string& world_path);
  // A step's kind: `action` (the default) or `escalation` (exec/escalation.h).
  void step_kind(std::int64_t step, const std::string& kind);
  // Escalations (exec/escalation.h): when (ms since the epoch, the run's Clock) a (world, goal,
  // cause) last escalated, across runs; recording one replaces the previous time.
  std::optional<std::int64_t> last_escalation(const std::string& world, const std::string& goal, const std::string& cause);
  void record_escalation(const std::string& world, const std::string& goal, const std::string& cause, std::int64_t at_ms);
  // Steps left `running` by a killed goap become `interrupted`; returns how many.
  int mark_interrupted(std::int64_t run);

  // Sensed values (fact, value name) read now by `run`; stretches of this world that ended
  // before now - keep are deleted. One transaction.
  void record_readings(const std::string& world_path, std::int64_t run,
                       const std::vector<std::pair<std::string, std::string>>& readings, std::chrono::milliseconds keep);
  // Every stretch of this world, newest first per fact.
  std::vector<ReadingRow> readings(const std::string& world_path);
  // The world's budgets, replacing what an earlier run recorded.
  void save_budgets(const std::string& world_path, const std::vector<BudgetRow>& budgets);
  std::vector<BudgetRow> budgets();
  // Steps (any status, dry runs excluded) of this world ("" for every world) started after
  // `since`, oldest first.
  std::vector<StepStart> steps_since(const std::string& world_path, const std::string& since);

  std::vector<RunRow> runs(int limit);
  std::optional<RunRow> run(std::int64_t id);
  std::vector<StepRow> steps(std::int64_t run);

  // The approvals inbox (table approvals; exec/approvals.h).
  void insert_approval(const ApprovalRow& row);
  // Sets status, decided_by, decided_at, reason and expires of the request `row.id`.
  void update_approval(const ApprovalRow& row);
  std::optional<ApprovalRow> approval(const std::string& id);
  std::vector<ApprovalRow> approvals(const std::string& world_path);  // "" for every world; newest first
  [[nodiscard]] const std::string& path() const { return path_; }
  // Where the journal's timestamps come from (exec/seams.h); the wall clock unless set.
  void set_clock(const Clock* clock) { clock_ = clock != nullptr ? clock : &system_clock(); }
  [[nodiscard]] const Clock& clock() const { return *clock_; }
  [[nodiscard]] const std::vector<std::string>& damage() const { return damage_; }

 private:
  Journal() = default;
  void exec(const std::string& sql);
  template <class F>
  void write(F&& f);  // one transaction: f(), the write counter, commit, then the seal
  void write_seal(std::int64_t writes);
  std::string check();  // the invariants; "" when they hold
  bool has_table(const char* name);
  sqlite3* db_ = nullptr;
  const Clock* clock_ = &system_clock();
  std::string path_;
  std::vector<std::string> damage_;
  bool has_kind_ = false;  // steps has its kind column (an old journal opened to inspect may not)
};

// The seal file beside a journal: "<journal>.seal".
std::string seal_path(const std::string& journal);

// $GOAP_JOURNAL, else $XDG_STATE_HOME/goap/journal.db, else ~/.local/state/goap/journal.db.
std::string default_journal_path();

}  // namespace goap::exec
