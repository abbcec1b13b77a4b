#include "exec/journal.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace goap::exec {
namespace {

// A prepared statement, finalized on scope exit. Errors are bugs or a broken disk: they throw,
// and the CLI reports them (nothing below the CLI exits).
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("journal: ") + sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  bool step() {
    for (int tries = 0;; ++tries) {
      const int rc = sqlite3_step(s_);
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      if (rc == SQLITE_BUSY && tries < 50) {
        usleep(20'000);
        continue;
      }
      throw std::runtime_error(std::string("journal: ") + sqlite3_errmsg(db_));
    }
  }
  std::string text(int col) {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  std::int64_t num(int col) { return sqlite3_column_int64(s_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

constexpr const char* kRunCols =
    "id, world, world_path, started, coalesce(finished,''), status, coalesce(message,''), dry_run, coalesce(belief,''), "
    "coalesce(pid,0), (SELECT count(*) FROM steps WHERE steps.run_id = runs.id)";

RunRow read_run(Stmt& s) {
  RunRow r;
  r.id = s.num(0);
  r.world = s.text(1);
  r.world_path = s.text(2);
  r.started = s.text(3);
  r.finished = s.text(4);
  r.status = s.text(5);
  r.message = s.text(6);
  r.dry_run = s.num(7) != 0;
  r.belief = s.text(8);
  r.pid = s.num(9);
  r.steps = static_cast<int>(s.num(10));
  return r;
}

// What the seal records, 0 when there is none; false when it exists but is not a seal.
bool read_seal(const std::string& path, std::int64_t* writes) {
  *writes = 0;
  std::ifstream in(path);
  if (!in) return errno == ENOENT;
  std::string magic, key;
  std::getline(in, magic);
  long long n = -1;
  in >> key >> n;
  if (magic != "goap journal seal 1" || key != "writes" || n < 0) return false;
  *writes = n;
  return true;
}

std::string plural(std::int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string seal_path(const std::string& journal) { return journal + ".seal"; }

std::string default_journal_path() {
  if (const char* j = std::getenv("GOAP_JOURNAL"); j && *j) return j;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return std::string(x) + "/goap/journal.db";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/state/goap/journal.db";
  return "goap-journal.db";
}

std::unique_ptr<Journal> Journal::open(const std::string& path, std::string* error, bool inspect) {
  namespace fs = std::filesystem;
  const std::string seal = seal_path(path);
  const std::string fresh = "; to start a new journal, move " + path + " and " + seal + " aside";
  auto fail = [&](const std::string& what) {
    if (error) *error = what;
    return std::unique_ptr<Journal>();
  };
  // The seal first: a journal that was deleted under its seal must not be created afresh.
  std::int64_t sealed = 0;
  if (!read_seal(seal, &sealed))
    return fail("the journal " + path + " is damaged: its seal " + seal + " is not a goap journal seal" + fresh);
  std::error_code ec;
  if (sealed > 0 && !fs::exists(path, ec))
    return fail("the journal " + path + " is missing, but its seal " + seal + " records " +
                plural(sealed, "write", "writes") + "; goap will not start over and repeat completed steps" + fresh);
  const auto dir = fs::path(path).parent_path();
  if (!dir.empty() && !inspect) fs::create_directories(dir, ec);
  std::unique_ptr<Journal> j(new Journal());
  j->path_ = path;
  if (sqlite3_open_v2(path.c_str(), &j->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK)
    return fail("cannot open the journal '" + path + "': " + (j->db_ ? sqlite3_errmsg(j->db_) : "out of memory"));
  sqlite3_busy_timeout(j->db_, 5000);
  try {
    j->exec("PRAGMA journal_mode=WAL");
    j->exec("PRAGMA synchronous=FULL");
    try {
      Stmt qc(j->db_, "PRAGMA quick_check(5)");
      std::string problems;
      while (qc.step())
        if (const std::string line = qc.text(0); line != "ok") problems += (problems.empty() ? "" : "; ") + line;
      if (!problems.empty()) j->damage_.push_back("SQLite's quick_check found: " + problems);
    } catch (const std::exception& e) {
      // A file cut short may break the check itself (which pages it lands on depends on the tables).
      j->damage_.push_back(std::string("SQLite's quick_check could not read it: ") + e.what());
    }
    const auto has_table = [&](const char* name) {
      Stmt t(j->db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
      t.bind(1, std::string(name));
      t.step();
      return t.num(0) > 0;
    };
    if (j->damage_.empty() && sealed > 0 && !has_table("runs"))
      j->damage_.push_back("it holds no runs, but its seal " + seal + " records " + plural(sealed, "write", "writes") +
                           ": the database was truncated, replaced or lost its WAL");
    if (j->damage_.empty()) {
      j->exec(
          "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY AUTOINCREMENT, world TEXT NOT NULL, world_path TEXT NOT NULL,"
          " started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL, message TEXT, dry_run INTEGER NOT NULL DEFAULT 0,"
          " belief TEXT, pid INTEGER)");
      j->exec(
          "CREATE TABLE IF NOT EXISTS steps(id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),"
          " seq INTEGER NOT NULL, action TEXT NOT NULL, goal TEXT, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
          " message TEXT, commands TEXT, started TEXT NOT NULL, finished TEXT, proc_sid INTEGER, proc_start INTEGER)");
      j->exec("CREATE INDEX IF NOT EXISTS steps_by_run ON steps(run_id, seq)");
      j->exec(
          "CREATE TABLE IF NOT EXISTS attempts(step_id INTEGER NOT NULL REFERENCES steps(id), attempt INTEGER NOT NULL,"
          " outcome TEXT NOT NULL, finished TEXT NOT NULL, output TEXT NOT NULL, PRIMARY KEY(step_id, attempt))");
      j->exec(
          "CREATE TABLE IF NOT EXISTS decisions(id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),"
          " at TEXT NOT NULL, sensed TEXT, unmet TEXT, goal TEXT, plan TEXT, approval TEXT)");
      j->exec("CREATE INDEX IF NOT EXISTS decisions_by_run ON decisions(run_id, id)");
      j->exec(
          "CREATE TABLE IF NOT EXISTS approvals(id TEXT PRIMARY KEY, key TEXT NOT NULL, world TEXT NOT NULL,"
          " world_path TEXT NOT NULL, goal TEXT NOT NULL, plan TEXT NOT NULL, commands TEXT NOT NULL, gated TEXT NOT NULL,"
          " files_hash TEXT NOT NULL, requested TEXT NOT NULL, expires TEXT NOT NULL, status TEXT NOT NULL,"
          " decided_by TEXT, decided_at TEXT, reason TEXT)");
      j->exec(
          "CREATE TABLE IF NOT EXISTS readings(id INTEGER PRIMARY KEY AUTOINCREMENT, world_path TEXT NOT NULL, fact TEXT NOT NULL,"
          " value TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, run_id INTEGER NOT NULL)");
      j->exec("CREATE INDEX IF NOT EXISTS readings_by_fact ON readings(world_path, fact, id)");
      j->exec(
          "CREATE TABLE IF NOT EXISTS budgets(world_path TEXT NOT NULL, action TEXT NOT NULL, max INTEGER NOT NULL,"
          " per_ms INTEGER NOT NULL, PRIMARY KEY(world_path, action))");
      j->exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
      j->exec("INSERT OR IGNORE INTO meta(key, value) VALUES('writes', 0)");
      // Journals from before the process columns get them.
      bool has_proc = false;
      {
        Stmt cols(j->db_, "SELECT count(*) FROM pragma_table_info('steps') WHERE name = 'proc_sid'");
        cols.step();
        has_proc = cols.num(0) > 0;
      }
      if (!has_proc) {
        j->exec("ALTER TABLE steps ADD COLUMN proc_sid INTEGER");
        j->exec("ALTER TABLE steps ADD COLUMN proc_start INTEGER");
      }
    }
    if (j->damage_.empty() && has_table("meta")) {
      Stmt w(j->db_, "SELECT coalesce((SELECT value FROM meta WHERE key = 'writes'), 0)");
      w.step();
      const std::int64_t writes = w.num(0);
      if (writes < sealed)
        j->damage_.push_back("it holds " + plural(writes, "write", "writes") + ", but its seal " + seal + " records " +
                             std::to_string(sealed) + ": committed steps are missing (was " + path +
                             "-wal deleted or torn, or the database truncated or replaced?)");
    }
    if (j->damage_.empty() && has_table("runs") && has_table("steps"))
      if (std::string broken = j->check(); !broken.empty()) j->damage_.push_back(broken);
    // Journals from before escalations: steps get their kind, and the escalations table. Only
    // on a journal found sound (a write into a damaged file would hide what is wrong with it).
    if (j->damage_.empty()) {
      try {
        if (has_table("steps")) {
          Stmt cols(j->db_, "SELECT count(*) FROM pragma_table_info('steps') WHERE name = 'kind'");
          cols.step();
          j->has_kind_ = cols.num(0) > 0;
        }
        if (!inspect) {  // nothing is written to inspect
          if (!j->has_kind_) j->exec("ALTER TABLE steps ADD COLUMN kind TEXT NOT NULL DEFAULT 'action'");
          j->has_kind_ = true;
          j->exec(
              "CREATE TABLE IF NOT EXISTS escalations(world TEXT NOT NULL, goal TEXT NOT NULL, cause TEXT NOT NULL,"
              " at_ms INTEGER NOT NULL, PRIMARY KEY(world, goal, cause))");
        }
      } catch (const std::exception& e) {
        // A file that cannot take its own schema (truncated under its WAL) is damaged.
        if (!inspect) j->damage_.push_back(std::string("SQLite cannot read or extend its tables: ") + e.what());
      }
    }
  } catch (const std::exception& e) {
    // A journal whose seal records writes was written by goap: what SQLite cannot read in it
    // (a truncated file, a malformed page) is damage, refused as such.
    if (j->damage_.empty() && sealed > 0) j->damage_.push_back(std::string("SQLite cannot read it: ") + e.what());
    if (j->damage_.empty()) return fail("cannot use the journal '" + path + "': " + e.what());
  }
  if (!j->damage_.empty() && !inspect) {
    std::string all;
    for (const auto& d : j->damage_) all += (all.empty() ? "" : "; ") + d;
    return fail("the journal " + path + " is damaged: " + all +
                ". goap stops rather than risk repeating completed steps" + fresh);
  }
  return j;
}

// The run/step invariants (journal.h), each as a query for its first violation.
std::string Journal::check() {
  struct Rule {
    const char* sql;
    const char* what;
  };
  static constexpr Rule rules[] = {
      {"SELECT 'step ' || id || ' (run ' || run_id || ')' FROM steps WHERE run_id NOT IN (SELECT id FROM runs) LIMIT 1",
       "belongs to no run"},
      {"SELECT 'run ' || run_id FROM steps GROUP BY run_id HAVING min(seq) != 1 OR max(seq) != count(*)"
       " OR count(DISTINCT seq) != count(*) LIMIT 1",
       "has step numbers that are not 1..N (a step is missing or repeated)"},
      {"SELECT 'run ' || run_id || ' step ' || seq FROM steps WHERE status NOT IN"
       " ('running', 'done', 'failed', 'effects-missing', 'interrupted') LIMIT 1",
       "has an unknown status"},
      {"SELECT 'run ' || run_id || ' step ' || seq FROM steps WHERE status != 'running'"
       " AND (coalesce(finished, '') = '' OR coalesce(message, '') = '') LIMIT 1",
       "is finished but has no finish time or result"},
      {"SELECT 'run ' || run_id FROM steps WHERE status = 'running' GROUP BY run_id HAVING count(*) > 1 LIMIT 1",
       "has more than one step running"},
      {"SELECT 'run ' || r.id FROM runs r JOIN steps s ON s.run_id = r.id WHERE r.status = 'done' AND s.status = 'running'"
       " LIMIT 1",
       "is done but has a step still running"},
      {"SELECT 'run ' || id FROM runs WHERE status NOT IN"
       " ('running', 'done', 'no-plan', 'needs-approval', 'step-limit', 'aborted', 'dry-run', 'stopped', 'facts-unknown') LIMIT 1",
       "has an unknown status"},
      {"SELECT 'world ' || world_path FROM runs WHERE status = 'running' AND dry_run = 0 GROUP BY world_path"
       " HAVING count(*) > 1 LIMIT 1",
       "has more than one run in progress"},
  };
  for (const Rule& r : rules) {
    Stmt s(db_, r.sql);
    if (s.step()) return s.text(0) + " " + r.what;
  }
  return {};
}

Journal::~Journal() {
  if (db_) sqlite3_close(db_);
}

void Journal::exec(const std::string& sql) {
  char* msg = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "unknown error";
    sqlite3_free(msg);
    throw std::runtime_error(m);
  }
}

template <class F>
void Journal::write(F&& f) {
  exec("BEGIN IMMEDIATE");
  std::int64_t writes = 0;
  try {
    f();
    {
      Stmt s(db_, "UPDATE meta SET value = value + 1 WHERE key = 'writes' RETURNING value");
      if (s.step()) writes = s.num(0);
    }
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  write_seal(writes);
}

// Written beside the journal, then renamed over the old seal, both fsync'd: the seal never
// records a write that is not committed. Two goap processes sealing at once may leave the lower
// count, which only weakens the check, never fails a sound journal.
void Journal::write_seal(std::int64_t writes) {
  const std::string seal = seal_path(path_);
  const std::string tmp = seal + ".tmp" + std::to_string(getpid());
  const auto fail = [&](const std::string& what) {
    throw std::runtime_error("journal: cannot write the seal " + seal + ": " + what + ": " + std::strerror(errno));
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("open");
  const std::string text = "goap journal seal 1\nwrites " + std::to_string(writes) + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok) fail("write");
  if (std::rename(tmp.c_str(), seal.c_str()) != 0) fail("rename");
  std::string dir = std::filesystem::path(seal).parent_path().string();
  if (dir.empty()) dir = ".";
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
}

std::int64_t Journal::begin_run(const std::string& world, const std::string& world_path, bool dry_run) {
  std::int64_t id = 0;
  write([&] {
    Stmt s(db_, "INSERT INTO runs(world, world_path, started, status, dry_run, pid) VALUES(?, ?, ?, 'running', ?, ?)");
    s.bind(1, world).bind(2, world_path).bind(3, iso_utc(clock_->now())).bind(4, std::int64_t{dry_run ? 1 : 0}).bind(5, std::int64_t{getpid()});
    s.step();
    id = sqlite3_last_insert_rowid(db_);
    if (dry_run) return;
    Stmt old(db_, "UPDATE runs SET status = 'aborted', finished = ?, message = 'superseded by run ' || ?"
                  " WHERE world_path = ? AND status = 'running' AND dry_run = 0 AND id != ?");
    old.bind(1, iso_utc(clock_->now())).bind(2, id).bind(3, world_path).bind(4, id);
    old.step();
  });
  return id;
}

std::optional<RunRow> Journal::resumable_run(const std::string& world_path) {
  Stmt s(db_, (std::string("SELECT ") + kRunCols +
               " FROM runs WHERE world_path = ? AND dry_run = 0 ORDER BY id DESC LIMIT 1").c_str());
  s.bind(1, world_path);
  if (!s.step()) return std::nullopt;
  RunRow r = read_run(s);
  if (r.status == "done") return std::nullopt;
  return r;
}

void Journal::claim_run(std::int64_t run) {
  write([&] {
    Stmt s(db_, "UPDATE runs SET status = 'running', finished = NULL, pid = ? WHERE id = ?");
    s.bind(1, std::int64_t{getpid()}).bind(2, run);
    s.step();
  });
}

void Journal::set_run_status(std::int64_t run, const std::string& status, const std::string& message, bool finished) {
  write([&] {
    Stmt s(db_, "UPDATE runs SET status = ?, message = ?, finished = ? WHERE id = ?");
    s.bind(1, status).bind(2, message).bind(3, finished ? iso_utc(clock_->now()) : std::string()).bind(4, run);
    s.step();
  });
}

void Journal::save_belief(std::int64_t run, const std::string& belief) {
  write([&] {
    Stmt s(db_, "UPDATE runs SET belief = ? WHERE id = ?");
    s.bind(1, belief).bind(2, run);
    s.step();
  });
}

std::int64_t Journal::step_started(std::int64_t run, int seq, const std::string& action, const std::string& goal,
                                   const std::string& commands) {
  std::int64_t id = 0;
  write([&] {
    Stmt s(db_, "INSERT INTO steps(run_id, seq, action, goal, status, attempts, commands, started) VALUES(?, ?, ?, ?, 'running', 0, ?, ?)");
    s.bind(1, run).bind(2, std::int64_t{seq}).bind(3, action).bind(4, goal).bind(5, commands).bind(6, iso_utc(clock_->now()));
    s.step();
    id = sqlite3_last_insert_rowid(db_);
  });
  return id;
}

void Journal::step_kind(std::int64_t step, const std::string& kind) {
  write([&] {
    Stmt s(db_, "UPDATE steps SET kind = ? WHERE id = ?");
    s.bind(1, kind).bind(2, step);
    s.step();
  });
}

std::optional<std::int64_t> Journal::last_escalation(const std::string& world, const std::string& goal,
                                                     const std::string& cause) {
  Stmt s(db_, "SELECT at_ms FROM escalations WHERE world = ? AND goal = ? AND cause = ?");
  s.bind(1, world).bind(2, goal).bind(3, cause);
  if (!s.step()) return std::nullopt;
  return s.num(0);
}

void Journal::record_escalation(const std::string& world, const std::string& goal, const std::string& cause,
                                std::int64_t at_ms) {
  write([&] {
    Stmt s(db_, "INSERT OR REPLACE INTO escalations(world, goal, cause, at_ms) VALUES(?, ?, ?, ?)");
    s.bind(1, world).bind(2, goal).bind(3, cause).bind(4, at_ms);
    s.step();
  });
}

void Journal::step_progress(std::int64_t step, int attempts, const std::string& message) {
  write([&] {
    Stmt s(db_, "UPDATE steps SET attempts = ?, message = ? WHERE id = ?");
    s.bind(1, std::int64_t{attempts}).bind(2, message).bind(3, step);
    s.step();
  });
}

void Journal::step_process(std::int64_t step, std::int64_t sid, std::int64_t start) {
  write([&] {
    Stmt s(db_, "UPDATE steps SET proc_sid = ?, proc_start = ? WHERE id = ?");
    s.bind(1, sid).bind(2, start).bind(3, step);
    s.step();
  });
}

void Journal::step_finished(std::int64_t step, const std::string& status, const std::string& message) {
  write([&] {
    Stmt s(db_, "UPDATE steps SET status = ?, message = ?, finished = ? WHERE id = ?");
    s.bind(1, status).bind(2, message).bind(3, iso_utc(clock_->now())).bind(4, step);
    s.step();
  });
  // Copy the WAL into the database now, so that losing the WAL later loses no finished step.
  // Passive: it never waits for a reader (goap history).
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

void Journal::attempt_output(std::int64_t step, int attempt, const std::string& outcome, const std::string& output) {
  std::string kept = output;
  if (kept.size() > kAttemptOutputBytes) {
    std::size_t cut = kept.size() - kAttemptOutputBytes;
    while (cut < kept.size() && (static_cast<unsigned char>(kept[cut]) & 0xC0) == 0x80) ++cut;  // whole UTF-8 sequences
    kept = "[... " + std::to_string(cut) + " bytes dropped]\n" + kept.substr(cut);
  }
  write([&] {
    Stmt s(db_, "INSERT OR REPLACE INTO attempts(step_id, attempt, outcome, finished, output) VALUES(?, ?, ?, ?, ?)");
    s.bind(1, step).bind(2, std::int64_t{attempt}).bind(3, outcome).bind(4, iso_utc(clock_->now())).bind(5, kept);
    s.step();
  });
}

// A damaged journal opened for `goap history` may predate the audit tables.
bool Journal::has_table(const char* name) {
  Stmt t(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  t.bind(1, std::string(name));
  t.step();
  return t.num(0) > 0;
}

std::vector<AttemptRow> Journal::attempts(std::int64_t step) {
  if (!has_table("attempts")) return {};
  Stmt s(db_, "SELECT attempt, outcome, finished, output FROM attempts WHERE step_id = ? ORDER BY attempt");
  s.bind(1, step);
  std::vector<AttemptRow> out;
  while (s.step()) out.push_back(AttemptRow{static_cast<int>(s.num(0)), s.text(1), s.text(2), s.text(3)});
  return out;
}

void Journal::decided(std::int64_t run, const DecisionRow& d) {
  write([&] {
    Stmt s(db_, "INSERT INTO decisions(run_id, at, sensed, unmet, goal, plan, approval) VALUES(?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, run).bind(2, iso_utc(clock_->now())).bind(3, d.sensed).bind(4, d.unmet).bind(5, d.goal).bind(6, d.plan);
    s.bind(7, d.approval);
    s.step();
  });
}

namespace {
std::vector<DecisionRow> read_decisions(Stmt& s) {
  std::vector<DecisionRow> out;
  while (s.step())
    out.push_back(DecisionRow{s.num(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)});
  return out;
}
constexpr const char* kDecisionCols =
    "SELECT d.run_id, d.at, coalesce(d.sensed,''), coalesce(d.unmet,''), coalesce(d.goal,''), coalesce(d.plan,''),"
    " coalesce(d.approval,'') FROM decisions d ";
}  // namespace

std::vector<DecisionRow> Journal::decisions(std::int64_t run) {
  if (!has_table("decisions")) return {};
  Stmt s(db_, (std::string(kDecisionCols) + "WHERE d.run_id = ? ORDER BY d.id").c_str());
  s.bind(1, run);
  return read_decisions(s);
}

std::vector<DecisionRow> Journal::world_decisions(const std::string& world_path) {
  if (!has_table("decisions")) return {};
  Stmt s(db_, (std::string(kDecisionCols) + "JOIN runs r ON r.id = d.run_id WHERE r.world_path = ? AND r.dry_run = 0"
                                            " ORDER BY d.id").c_str());
  s.bind(1, world_path);
  return read_decisions(s);
}

int Journal::mark_interrupted(std::int64_t run) {
  int changed = 0;
  write([&] {
    Stmt s(db_, "UPDATE steps SET status = 'interrupted', finished = ?, message = coalesce(message, '') || "
                "' (goap stopped while this step ran)' WHERE run_id = ? AND status = 'running'");
    s.bind(1, iso_utc(clock_->now())).bind(2, run);
    s.step();
    changed = sqlite3_changes(db_);
  });
  return changed;
}

void Journal::record_readings(const std::string& world_path, std::int64_t run,
                              const std::vector<std::pair<std::string, std::string>>& readings,
                              std::chrono::milliseconds keep) {
  const auto now = clock_->now();
  const std::string at = iso_utc(now);
  write([&] {
    for (const auto& [fact, value] : readings) {
      Stmt last(db_, "SELECT id, value FROM readings WHERE world_path = ? AND fact = ? ORDER BY id DESC LIMIT 1");
      last.bind(1, world_path).bind(2, fact);
      if (last.step() && last.text(1) == value) {
        const std::int64_t id = last.num(0);
        Stmt s(db_, "UPDATE readings SET last_seen = ?, run_id = ? WHERE id = ?");
        s.bind(1, at).bind(2, run).bind(3, id);
        s.step();
      } else {
        Stmt s(db_, "INSERT INTO readings(world_path, fact, value, first_seen, last_seen, run_id) VALUES(?, ?, ?, ?, ?, ?)");
        s.bind(1, world_path).bind(2, fact).bind(3, value).bind(4, at).bind(5, at).bind(6, run);
        s.step();
      }
    }
    // A stretch that ended before the horizon can no longer be evidence (the newer stretch
    // after it contradicts or replaces it); the latest stretch of each fact always stays.
    Stmt prune(db_, "DELETE FROM readings WHERE world_path = ? AND last_seen < ? AND id NOT IN"
                    " (SELECT max(id) FROM readings WHERE world_path = ? GROUP BY fact)");
    prune.bind(1, world_path).bind(2, iso_utc(now - keep)).bind(3, world_path);
    prune.step();
  });
}

std::vector<ReadingRow> Journal::readings(const std::string& world_path) {
  Stmt s(db_, "SELECT fact, value, first_seen, last_seen, run_id FROM readings WHERE world_path = ? ORDER BY fact, id DESC");
  s.bind(1, world_path);
  std::vector<ReadingRow> out;
  while (s.step()) out.push_back(ReadingRow{s.text(0), s.text(1), s.text(2), s.text(3), s.num(4)});
  return out;
}

void Journal::save_budgets(const std::string& world_path, const std::vector<BudgetRow>& budgets) {
  write([&] {
    Stmt del(db_, "DELETE FROM budgets WHERE world_path = ?");
    del.bind(1, world_path);
    del.step();
    for (const BudgetRow& b : budgets) {
      Stmt s(db_, "INSERT INTO budgets(world_path, action, max, per_ms) VALUES(?, ?, ?, ?)");
      s.bind(1, world_path).bind(2, b.action).bind(3, std::int64_t{b.max}).bind(4, b.per_ms);
      s.step();
    }
  });
}

std::vector<BudgetRow> Journal::budgets() {
  std::vector<BudgetRow> out;
  Stmt t(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'budgets'");
  t.step();
  if (t.num(0) == 0) return out;  // an older journal opened by `goap history` (nothing is created)
  Stmt s(db_, "SELECT world_path, action, max, per_ms FROM budgets ORDER BY world_path, action");
  while (s.step()) out.push_back(BudgetRow{s.text(0), s.text(1), static_cast<int>(s.num(2)), s.num(3)});
  return out;
}

std::vector<StepStart> Journal::steps_since(const std::string& world_path, const std::string& since) {
  Stmt s(db_, "SELECT r.world_path, s.action, s.started FROM steps s JOIN runs r ON r.id = s.run_id"
              " WHERE r.dry_run = 0 AND (? = '' OR r.world_path = ?) AND s.started > ? ORDER BY s.started, s.id");
  s.bind(1, world_path).bind(2, world_path).bind(3, since);
  std::vector<StepStart> out;
  while (s.step()) out.push_back(StepStart{s.text(0), s.text(1), s.text(2)});
  return out;
}

std::vector<RunRow> Journal::runs(int limit) {
  Stmt s(db_, (std::string("SELECT ") + kRunCols + " FROM runs ORDER BY id DESC LIMIT ?").c_str());
  s.bind(1, std::int64_t{limit});
  std::vector<RunRow> out;
  while (s.step()) out.push_back(read_run(s));
  return out;
}

std::optional<RunRow> Journal::run(std::int64_t id) {
  Stmt s(db_, (std::string("SELECT ") + kRunCols + " FROM runs WHERE id = ?").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_run(s);
}

void Journal::insert_approval(const ApprovalRow& r) {
  write([&] {
    Stmt s(db_, "INSERT OR IGNORE INTO approvals(id, key, world, world_path, goal, plan, commands, gated, files_hash, requested, expires,"
                " status, decided_by, decided_at, reason) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, r.id).bind(2, r.key).bind(3, r.world).bind(4, r.world_path).bind(5, r.goal).bind(6, r.plan).bind(7, r.commands);
    s.bind(8, r.gated).bind(9, r.files_hash).bind(10, r.requested).bind(11, r.expires).bind(12, r.status);
    s.bind(13, r.decided_by).bind(14, r.decided_at).bind(15, r.reason);
    s.step();
  });
}

void Journal::update_approval(const ApprovalRow& r) {
  write([&] {
    Stmt s(db_, "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, reason = ?, expires = ? WHERE id = ?");
    s.bind(1, r.status).bind(2, r.decided_by).bind(3, r.decided_at).bind(4, r.reason).bind(5, r.expires).bind(6, r.id);
    s.step();
  });
}

namespace {
constexpr const char* kApprovalCols =
    "id, key, world, world_path, goal, plan, commands, gated, files_hash, requested, expires, status,"
    " coalesce(decided_by,''), coalesce(decided_at,''), coalesce(reason,'')";
ApprovalRow read_approval(Stmt& s) {
  ApprovalRow r;
  std::string* f[] = {&r.id, &r.key, &r.world, &r.world_path, &r.goal, &r.plan, &r.commands, &r.gated,
                      &r.files_hash, &r.requested, &r.expires, &r.status, &r.decided_by, &r.decided_at, &r.reason};
  for (int i = 0; i < 15; ++i) *f[i] = s.text(i);
  return r;
}
}  // namespace

std::optional<ApprovalRow> Journal::approval(const std::string& id) {
  Stmt s(db_, (std::string("SELECT ") + kApprovalCols + " FROM approvals WHERE id = ?").c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_approval(s);
}

std::vector<ApprovalRow> Journal::approvals(const std::string& world_path) {
  Stmt s(db_, (std::string("SELECT ") + kApprovalCols +
               " FROM approvals WHERE ? = '' OR world_path = ? ORDER BY requested DESC, rowid DESC").c_str());
  s.bind(1, world_path).bind(2, world_path);
  std::vector<ApprovalRow> out;
  while (s.step()) out.push_back(read_approval(s));
  return out;
}

std::vector<StepRow> Journal::steps(std::int64_t run) {
  Stmt s(db_, has_kind_
                  ? "SELECT id, run_id, seq, attempts, action, coalesce(goal,''), status, coalesce(message,''), coalesce(commands,''),"
                    " started, coalesce(finished,''), coalesce(proc_sid,0), coalesce(proc_start,0), coalesce(kind,'action')"
                    " FROM steps WHERE run_id = ? ORDER BY seq, id"
                  : "SELECT id, run_id, seq, attempts, action, coalesce(goal,''), status, coalesce(message,''), coalesce(commands,''),"
                    " started, coalesce(finished,''), coalesce(proc_sid,0), coalesce(proc_start,0), 'action'"
                    " FROM steps WHERE run_id = ? ORDER BY seq, id");
  s.bind(1, run);
  std::vector<StepRow> out;
  while (s.step()) {
    StepRow r;
    r.id = s.num(0);
    r.run_id = s.num(1);
    r.seq = static_cast<int>(s.num(2));
    r.attempts = static_cast<int>(s.num(3));
    r.action = s.text(4);
    r.goal = s.text(5);
    r.status = s.text(6);
    r.message = s.text(7);
    r.commands = s.text(8);
    r.started = s.text(9);
    r.finished = s.text(10);
    r.proc_sid = s.num(11);
    r.proc_start = s.num(12);
    r.kind = s.text(13);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace goap::exec
