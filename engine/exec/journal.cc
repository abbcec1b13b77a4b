#include "exec/journal.h"

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <stdexcept>

namespace goap::exec {
namespace {

std::string now_utc() {
  using namespace std::chrono;
  const auto t = system_clock::now();
  const auto secs = time_point_cast<seconds>(t);
  const long long ms = duration_cast<milliseconds>(t - secs).count();
  const std::time_t tt = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03lldZ", buf, ms);
  return out;
}

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

}  // namespace

std::string default_journal_path() {
  if (const char* j = std::getenv("GOAP_JOURNAL"); j && *j) return j;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return std::string(x) + "/goap/journal.db";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/state/goap/journal.db";
  return "goap-journal.db";
}

std::unique_ptr<Journal> Journal::open(const std::string& path, std::string* error) {
  std::error_code ec;
  const auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  std::unique_ptr<Journal> j(new Journal());
  j->path_ = path;
  if (sqlite3_open_v2(path.c_str(), &j->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    if (error) *error = "cannot open the journal '" + path + "': " + (j->db_ ? sqlite3_errmsg(j->db_) : "out of memory");
    return nullptr;
  }
  sqlite3_busy_timeout(j->db_, 5000);
  try {
    j->exec("PRAGMA journal_mode=WAL");
    j->exec("PRAGMA synchronous=FULL");
    j->exec(
        "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY AUTOINCREMENT, world TEXT NOT NULL, world_path TEXT NOT NULL,"
        " started TEXT NOT NULL, finished TEXT, status TEXT NOT NULL, message TEXT, dry_run INTEGER NOT NULL DEFAULT 0,"
        " belief TEXT, pid INTEGER)");
    j->exec(
        "CREATE TABLE IF NOT EXISTS steps(id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),"
        " seq INTEGER NOT NULL, action TEXT NOT NULL, goal TEXT, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
        " message TEXT, commands TEXT, started TEXT NOT NULL, finished TEXT)");
    j->exec("CREATE INDEX IF NOT EXISTS steps_by_run ON steps(run_id, seq)");
  } catch (const std::exception& e) {
    if (error) *error = "cannot use the journal '" + path + "': " + e.what();
    return nullptr;
  }
  return j;
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

std::int64_t Journal::begin_run(const std::string& world, const std::string& world_path, bool dry_run) {
  Stmt s(db_, "INSERT INTO runs(world, world_path, started, status, dry_run, pid) VALUES(?, ?, ?, 'running', ?, ?)");
  s.bind(1, world).bind(2, world_path).bind(3, now_utc()).bind(4, std::int64_t{dry_run ? 1 : 0}).bind(5, std::int64_t{getpid()});
  s.step();
  return sqlite3_last_insert_rowid(db_);
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
  Stmt s(db_, "UPDATE runs SET status = 'running', finished = NULL, pid = ? WHERE id = ?");
  s.bind(1, std::int64_t{getpid()}).bind(2, run);
  s.step();
}

void Journal::set_run_status(std::int64_t run, const std::string& status, const std::string& message, bool finished) {
  Stmt s(db_, "UPDATE runs SET status = ?, message = ?, finished = ? WHERE id = ?");
  s.bind(1, status).bind(2, message).bind(3, finished ? now_utc() : std::string()).bind(4, run);
  s.step();
}

void Journal::save_belief(std::int64_t run, const std::string& belief) {
  Stmt s(db_, "UPDATE runs SET belief = ? WHERE id = ?");
  s.bind(1, belief).bind(2, run);
  s.step();
}

std::int64_t Journal::step_started(std::int64_t run, int seq, const std::string& action, const std::string& goal,
                                   const std::string& commands) {
  Stmt s(db_, "INSERT INTO steps(run_id, seq, action, goal, status, attempts, commands, started) VALUES(?, ?, ?, ?, 'running', 0, ?, ?)");
  s.bind(1, run).bind(2, std::int64_t{seq}).bind(3, action).bind(4, goal).bind(5, commands).bind(6, now_utc());
  s.step();
  return sqlite3_last_insert_rowid(db_);
}

void Journal::step_progress(std::int64_t step, int attempts, const std::string& message) {
  Stmt s(db_, "UPDATE steps SET attempts = ?, message = ? WHERE id = ?");
  s.bind(1, std::int64_t{attempts}).bind(2, message).bind(3, step);
  s.step();
}

void Journal::step_finished(std::int64_t step, const std::string& status, const std::string& message) {
  Stmt s(db_, "UPDATE steps SET status = ?, message = ?, finished = ? WHERE id = ?");
  s.bind(1, status).bind(2, message).bind(3, now_utc()).bind(4, step);
  s.step();
}

int Journal::mark_interrupted(std::int64_t run) {
  Stmt s(db_, "UPDATE steps SET status = 'interrupted', finished = ?, message = coalesce(message, '') || "
              "' (goap stopped while this step ran)' WHERE run_id = ? AND status = 'running'");
  s.bind(1, now_utc()).bind(2, run);
  s.step();
  return sqlite3_changes(db_);
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

std::vector<StepRow> Journal::steps(std::int64_t run) {
  Stmt s(db_, "SELECT id, run_id, seq, attempts, action, coalesce(goal,''), status, coalesce(message,''), coalesce(commands,''),"
              " started, coalesce(finished,'') FROM steps WHERE run_id = ? ORDER BY seq, id");
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
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace goap::exec
