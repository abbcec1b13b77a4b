// The subcommands, one file each, wired together by main.cc (the only file that knows CLI11).
//
// Each `run_*` returns the process exit code of FORMAT.md section 5; nothing below the CLI exits.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace goap::cli {

enum ExitCode : int {
  kOk = 0,
  kInternal = 1,
  kUsage = 2,
  kInvalidInput = 3,
  kNoPlan = 10,
  kLimit = 11,
  kFactsUnknown = 12,  // sensors failed to read facts a relevant goal needs: nothing is done on a guess
  kRunFailed = 20,       // run: no recovery plan (also a journal that fails mid-run)
  kNeedsApproval = 21,   // run: waiting for an approval
  kStepLimit = 22,       // run: --max-steps reached
  kLockHeld = 23,        // run: another run of the world holds its lock (exec/run_lock.h)
};

struct CommonOptions {
  int verbosity = 0;
  bool log_json = false;
  bool color = false;  // diagnostics in colour (stderr is a terminal and NO_COLOR unset)
  std::vector<std::string> allow_outside;  // --allow-outside DIR: more trees `uses:` may read (load/loader.h)
};

struct CheckOptions {
  std::vector<std::string> files;
  bool json = false;
  bool warnings_as_errors = false;
  std::vector<std::string> plugin_dirs;  // `run:` sections are checked against the plugins found
  bool no_plugins = false;               // skip that check
};
int run_check(const CheckOptions& o, const CommonOptions& common);

struct PlanOptions {
  std::string world;
  std::string goal;                 // empty: choose as `next` does
  std::string state_file;           // "-" for stdin
  std::vector<std::string> set_lines;
  std::string format = "text";      // text | json
  std::string search = "astar";     // astar | wastar | gbfs
  int weight = 2;                   // for wastar
  std::string heuristic;            // empty: lmcut for astar, ff otherwise
  int threads = 0;                  // 0: all cores
  long long max_expansions = 5'000'000;
  double max_ms = 60'000;
  long long max_memory_mb = 2048;
  bool is_next = false;             // `goap next`: JSON, the one action to do now
  bool sense = false;               // `next --sense`: sensed facts override the state (cmd_sense.cc)
  std::vector<std::string> sensors_files;
  std::vector<std::string> plugin_dirs;
  int sense_jobs = 8;               // sensors read at once
  bool quiet = false;               // only the plan's actions, one a line (`next`: the one to do now)
  std::size_t search_tree = 0;      // show the first N search nodes the chosen goal's search acted on
  bool commands = false;            // JSON: each step's `command` from its plugin (GOAP_OP_DESCRIBE)
};
int run_plan(const PlanOptions& o, const CommonOptions& common);

struct ValidateOptions {
  std::string world;
  std::string plan_file;
  std::string state_file;
  std::vector<std::string> set_lines;
  std::string goal;
  bool json = false;                       // the verdict as one JSON document
};
int run_validate(const ValidateOptions& o, const CommonOptions& common);

// `goap pddl DOMAIN PROBLEM`: cmd_pddl.cc (FORMAT.md section 5).
struct PddlOptions {
  std::string domain;
  std::string problem;
  std::string plan_file;            // empty: the plan goes to stdout
  bool json = false;                // statistics JSON on stdout
  std::string search = "astar";     // astar | gbfs | lazy-gbfs
  std::string heuristic;            // empty: lmcut for astar, ff otherwise
  long long max_expansions = 50'000'000;
  double max_ms = 600'000;
  long long max_memory_mb = 4096;
  bool mutex_groups = true;         // merge boolean facts into multi-valued variables (ground/mutex_groups.h)
  bool eager = false;               // A*: evaluate every generated state, not each popped one
  bool no_incremental = false;      // deferred A*: evaluate every state from scratch, not from its parent's memo
  std::string pruning;              // none | stubborn-sets (search/stubborn_sets.h); empty: stubborn-sets for astar but blind
  std::string symmetry;             // none | object (ground/symmetries.h); empty: object for astar but blind
  int threads = 0;                  // deferred A*: 2 adds an evaluation helper thread; 0: 2 when there are 2 cores
};
int run_pddl(const PddlOptions& o, const CommonOptions& common);

// `goap batch [FILE|-]`: JSON-lines requests planned on TBB workers, answered in input order (cmd_batch.cc).
// A request line longer than this is answered with an error, never held whole (README "Limits").
inline constexpr std::size_t kMaxRequestBytes = std::size_t{1} << 20;
struct BatchOptions {
  std::string file = "-";
  int threads = 0;                  // 0: all cores
  // Caps on every request's own limits; 0: `goap plan`'s defaults for worlds, `goap pddl`'s for PDDL.
  long long max_expansions = 0;
  double max_ms = 0;
  long long max_memory_mb = 0;
};
int run_batch(const BatchOptions& o, const CommonOptions& common);

// Authoring and pictures: cmd_explain.cc, cmd_graph.cc, cmd_schema.cc (docs/authoring.md).
struct ExplainOptions {
  PlanOptions plan;         // world, goal, state, search settings
  std::string without;      // an action ("rebuild-vps") or ground action: the best plan that avoids it
  bool json = false;
};
int run_explain(const ExplainOptions& o, const CommonOptions& common);

struct GraphOptions {
  std::string world;
  std::string format = "dot";  // dot | mermaid
};
int run_graph(const GraphOptions& o, const CommonOptions& common);

int run_schema();

// Plugins and execution: cmd_plugins.cc, cmd_sense.cc, cmd_run.cc, cmd_history.cc (docs/plugins.md).
struct PluginsOptions {
  std::vector<std::string> plugin_dirs;
  bool json = false;
};
int run_plugins(const PluginsOptions& o, const CommonOptions& common);

struct SenseOptions {
  std::string world;
  std::vector<std::string> sensors_files;  // empty: <world>.sensors.yaml beside the world
  std::vector<std::string> plugin_dirs;
  std::string state_file;
  std::vector<std::string> set_lines;
  bool sensed_only = false;                // print only what sensors read
  bool strict = false;                     // exit 12 when a sensor fails
  bool json = false;                       // one JSON document: readings, unknown facts, the rest
  int sense_jobs = 8;                      // sensors read at once
};
int run_sense(const SenseOptions& o, const CommonOptions& common);

struct RunOptions {
  std::string world;
  bool dry_run = false;
  bool resume = false;
  std::vector<std::string> approve;
  std::string approval_ttl = "1h";         // how long a filed approval request waits (exec/approvals.h)
  std::string approval_escalate_after = "15m";  // a request pending this long escalates (exec/escalation.h)
  int max_steps = 20;
  int retries = 2;
  long long backoff_ms = 500;
  long long kill_grace_ms = 2000;
  long long verify_ms = 3000;
  int threads = 0;
  std::string journal;                     // empty: exec::default_journal_path()
  std::vector<std::string> sensors_files;
  std::vector<std::string> plugin_dirs;
  std::string state_file;
  std::vector<std::string> set_lines;
  bool watch = false;                      // a reconcile loop (exec/watch.h)
  std::string interval = "60s";            // --watch: the sleep between runs
  long long watch_seed = -1;               // --watch: the jitter's seed (-1: random)
  int sense_jobs = 8;                      // sensors read at once
  bool json = false;                       // one JSON event a line on stdout (exec/run_report.h)
};
int run_run(const RunOptions& o, const CommonOptions& common);

struct HistoryOptions {
  std::string journal;
  long long run = 0;                       // 0: list the runs
  int limit = 20;
  bool json = false;
  std::string format = "text";             // text | json | md (RUN only: a post-incident timeline)
};
int run_history(const HistoryOptions& o, const CommonOptions& common);

// The approvals inbox (cmd_approvals.cc, exec/approvals.h).
struct ApprovalsOptions {
  std::string world;
  std::string journal;                     // empty: exec::default_journal_path()
  bool json = false;
};
int run_approvals(const ApprovalsOptions& o, const CommonOptions& common);

struct DecideOptions {                     // `goap approve` (approve = true) and `goap decline`
  std::string id;
  std::string by;
  std::string reason;
  std::string journal;
  bool approve = true;
};
int run_decide(const DecideOptions& o, const CommonOptions& common);

}  // namespace goap::cli
