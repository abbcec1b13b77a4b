// `goap batch [--threads N] [limits] [FILE|-]`: many planning requests, one JSON line each,
// answered on TBB workers, one JSON line per request in input order.
//
// A request is a YAML world (`world`, optional `goal`, optional `state`: lines as for --set) or a
// PDDL task (`domain`, `problem`, optional `heuristic`, `search`, `pruning`, `symmetry`), with an
// optional `id` echoed back and optional limits of its own (`max-expansions`, `max-ms`,
// `max-memory-mb`), each capped by the batch's command-line limit.
// Each is planned by the same code as `goap plan` (exec::decide) or `goap pddl` (solve_pddl), so a
// batch answers exactly what the single commands would. A bad request becomes `"status": "error"`
// with its line number and its rendered diagnostics on its own line; the rest of the batch goes on.
//
// Streaming: the requests flow through a tbb::parallel_pipeline: a serial reader hands out one
// line at a time (LineReader: at most kMaxRequestBytes of a line are held), workers answer them
// side by side, and a serial writer prints and flushes each answer as soon as it and every
// earlier one are done. At most a few requests per thread are in flight, so memory does not grow
// with the batch. Determinism: answers are written in input order and each is computed alone, so
// the thread count never changes them (the `ms` field aside).
//
// Worlds are loaded once and shared by the requests that name them (world_cache.h).
#include <fcntl.h>
#include <unistd.h>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cli/commands.h"
#include "cli/planning.h"
#include "cli/input.h"
#include "cli/line_reader.h"
#include "cli/pddl_solve.h"
#include "cli/world_cache.h"
#include "core/input_file.h"
#include "core/log.h"
#include "core/names.h"
#include "core/terminal_text.h"
#include "core/tsan.h"
#include "exec/goal_planner.h"

namespace goap::cli {
namespace {

using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

double round3(double ms) { return static_cast<double>(static_cast<long long>(ms * 1000.0 + 0.5)) / 1000.0; }

// A parse error quotes what it read; keep the answer short whatever the line held.
std::string cut(std::string s, std::size_t max = 300) {
  if (s.size() > max) {
    s.resize(max);
    s += "...";
  }
  return s;
}

std::string optional_string(const json& req, const char* key, std::string fallback = {}) {
  if (!req.contains(key) || req[key].is_null()) return fallback;
  if (!req[key].is_string()) throw std::runtime_error(std::string("'") + key + "' must be a string");
  return req[key].get<std::string>();
}

// The request's own limit `key`, at most `cap` (the batch's limit, or the command's default).
double request_limit(const json& req, const char* key, double cap, bool integer) {
  if (!req.contains(key) || req[key].is_null()) return cap;
  const json& v = req[key];
  if (!v.is_number() || !(v.get<double>() > 0) || (integer && !v.is_number_integer()))
    throw std::runtime_error(std::string("'") + key + "' must be a positive " + (integer ? "integer" : "number"));
  return std::min(v.get<double>(), cap);
}

struct Limits {
  std::uint64_t max_expansions;
  double max_ms;
  long long max_memory_mb;
};

// The limits of one request: its own fields, capped by `cap`.
Limits limits_of(const json& req, const Limits& cap) {
  Limits l;
  l.max_expansions = static_cast<std::uint64_t>(request_limit(req, "max-expansions", static_cast<double>(cap.max_expansions), true));
  l.max_ms = request_limit(req, "max-ms", cap.max_ms, false);
  l.max_memory_mb = static_cast<long long>(request_limit(req, "max-memory-mb", static_cast<double>(cap.max_memory_mb), true));
  return l;
}

struct Context {
  CommonOptions common;  // no colour in JSON strings, whatever stderr is
  Limits world_cap;      // `goap plan`'s defaults unless the batch's command line set them
  Limits pddl_cap;       // `goap pddl`'s defaults unless ...
  WorldCache worlds;
};

// Fills status/goal/cost/plan for a YAML world request; throws std::runtime_error for bad input.
void answer_world(const json& req, Context& ctx, json& out) {
  if (!req["world"].is_string()) throw std::runtime_error("'world' must be a string (a file path)");
  const std::string path = req["world"].get<std::string>();
  std::vector<std::string> set_lines;
  if (req.contains("state")) {
    if (!req["state"].is_array()) throw std::runtime_error("'state' must be a list of state lines");
    for (const auto& l : req["state"]) {
      if (!l.is_string()) throw std::runtime_error("'state' must be a list of strings");
      set_lines.push_back(l.get<std::string>());
    }
  }
  exec::PlannerOptions po;  // threads = 0: the batch's global_control caps every search
  po.heuristic = optional_string(req, "heuristic");
  static const std::vector<std::string> heuristics{"", "lmcut", "hmax", "blind", "ff", "add"};
  if (std::find(heuristics.begin(), heuristics.end(), po.heuristic) == heuristics.end())
    throw std::runtime_error("unknown heuristic '" + po.heuristic + "' (lmcut | hmax | blind | ff | add)");
  const Limits limits = limits_of(req, ctx.world_cap);
  po.max_expansions = limits.max_expansions;
  po.max_ms = limits.max_ms;
  po.max_memory_bytes = static_cast<std::size_t>(limits.max_memory_mb) << 20;

  std::string errors;
  const auto loaded = ctx.worlds.get(path, ctx.common, &errors);
  if (!loaded) throw std::runtime_error(errors);
  const model::World& world = loaded->world;
  core::SourceManager sm = loaded->sm;  // this request's --set lines are added to a copy
  auto state = read_state(world, "", set_lines, sm, ctx.common, &errors);
  if (!state) throw std::runtime_error(errors);

  if (req.contains("goal") && !req["goal"].is_null()) {
    const std::string goal = optional_string(req, "goal");
    auto it = world.goal_index.find(goal);
    if (it == world.goal_index.end()) {
      std::vector<std::string> names;
      for (const auto& g : world.goals) names.push_back(g.name);
      const std::string hint = core::did_you_mean(goal, names);
      throw std::runtime_error("no goal named '" + goal + "' in " + path + (hint.empty() ? "" : "\n  hint: " + hint));
    }
    po.only_goal = it->second;
  }
  exec::PlanningError err;
  auto d = exec::decide(world, *state, po, &err);
  if (!d) throw std::runtime_error(err.message);
  // `inactive` (no goal's `when` holds) means nothing to do: satisfied, as `goap plan` exits 0.
  out["status"] = d->status == exec::GoalStatus::inactive ? "satisfied" : exec::to_string(d->status);
  out["goal"] = nullptr;
  out["cost"] = nullptr;
  out["plan"] = json::array();
  if (d->chosen >= 0) {
    const exec::GoalOutcome& g = d->goals[static_cast<std::size_t>(d->chosen)];
    out["goal"] = world.goals[g.goal.index()].name;
    out["cost"] = g.cost;
    for (const auto& s : g.plan) out["plan"].push_back(s.name);
    // The same steps as `plan --json` shows them (approval, effects; a batch runs no plugin: command null).
    model::State along = *state;
    out["steps"] = json::array();
    for (const auto& s : g.plan) out["steps"].push_back(step_json(world, s, along, nullptr));
  } else if (po.only_goal) {
    out["goal"] = req["goal"];
    if (!d->goals.empty() && !d->goals.front().reason.empty()) out["reason"] = d->goals.front().reason;
  } else if (!d->grounding_limit.empty()) {
    // Grounding stopped before any goal was planned: which action or goal, and which limit.
    out["reason"] = d->grounding_limit;
  } else if (d->status == exec::GoalStatus::limit) {
    // No goal has a plan and a search hit a limit: say which, as for a named goal.
    for (const exec::GoalOutcome& g : d->goals)
      if (g.status == exec::GoalStatus::limit) {
        out["reason"] = world.goals[g.goal.index()].name + ": " + g.reason;
        break;
      }
  }
  if (d->status == exec::GoalStatus::satisfied || d->status == exec::GoalStatus::inactive) out["cost"] = 0;
}

void answer_pddl(const json& req, Context& ctx, json& out) {
  if (!req["domain"].is_string() || !req.contains("problem") || !req["problem"].is_string())
    throw std::runtime_error("a PDDL request needs 'domain' and 'problem' (file paths)");
  PddlOptions o;
  o.domain = req["domain"].get<std::string>();
  o.problem = req["problem"].get<std::string>();
  o.threads = 1;  // the batch runs requests side by side: no helper thread per search
  o.search = optional_string(req, "search", o.search);
  o.heuristic = optional_string(req, "heuristic");
  o.pruning = optional_string(req, "pruning");
  o.symmetry = optional_string(req, "symmetry");
  const Limits limits = limits_of(req, ctx.pddl_cap);
  o.max_expansions = static_cast<long long>(limits.max_expansions);
  o.max_ms = limits.max_ms;
  o.max_memory_mb = limits.max_memory_mb;
  static const std::vector<std::string> searches{"astar", "gbfs", "lazy-gbfs"};
  static const std::vector<std::string> heuristics{"", "lmcut", "hmax", "blind", "ff", "add"};
  if (std::find(searches.begin(), searches.end(), o.search) == searches.end())
    throw std::runtime_error("unknown search '" + o.search + "' (astar | gbfs | lazy-gbfs)");
  if (std::find(heuristics.begin(), heuristics.end(), o.heuristic) == heuristics.end())
    throw std::runtime_error("unknown heuristic '" + o.heuristic + "' (lmcut | hmax | blind | ff | add)");
  if (!o.pruning.empty() && o.pruning != "none" && o.pruning != "stubborn-sets")
    throw std::runtime_error("unknown pruning '" + o.pruning + "' (stubborn-sets | none)");
  if (!o.symmetry.empty() && o.symmetry != "none" && o.symmetry != "object")
    throw std::runtime_error("unknown symmetry '" + o.symmetry + "' (object | none)");
  if (const std::string conflict = symmetry_conflict(o); !conflict.empty()) throw std::runtime_error(conflict);
  const PddlSolved r = solve_pddl(o, ctx.common);
  if (!r.loaded || r.internal_error) throw std::runtime_error(r.errors);
  const bool solved = r.status == "plan" || r.status == "satisfied";
  out["status"] = r.status;
  out["goal"] = r.problem_name;
  out["cost"] = solved ? json(r.cost) : json(nullptr);
  out["plan"] = r.plan;
  if (!r.reason.empty()) out["reason"] = r.reason;
  out["expanded"] = r.stats.expanded;
}

const char* type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::array: return "a list";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::null: return "null";
    default: return "a number";
  }
}

// The request on `line`, parsed; throws std::runtime_error (the error answer's text) otherwise.
json parse_request(const InputLine& line) {
  if (line.too_long)
    throw std::runtime_error("the request is " + std::to_string(line.bytes) + " bytes long, over the limit of " +
                             std::to_string(kMaxRequestBytes) + " bytes (1 MiB) for one line");
  if (const std::size_t bad = first_invalid_utf8(line.text); bad != std::string::npos) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned>(static_cast<unsigned char>(line.text[bad])));
    throw std::runtime_error(std::string("not valid UTF-8: byte ") + hex + " at column " + std::to_string(bad + 1));
  }
  json req;
  try {
    req = json::parse(line.text);
  } catch (const json::parse_error& e) {
    throw std::runtime_error("not JSON: " + cut(e.what()));
  }
  if (!req.is_object()) throw std::runtime_error(std::string("a request is a JSON object, not ") + type_name(req));
  return req;
}

std::string answer(const InputLine& line, Context& ctx) {
  const auto start = Clock::now();
  json out;
  out["id"] = line.number;  // 1-based: the default id of a request without one
  try {
    const json req = parse_request(line);
    if (req.contains("id")) out["id"] = req["id"];
    if (req.contains("world")) answer_world(req, ctx, out);
    else if (req.contains("domain")) answer_pddl(req, ctx, out);
    else throw std::runtime_error("a request needs 'world' (YAML) or 'domain' and 'problem' (PDDL)");
  } catch (const std::exception& e) {
    json err;
    err["id"] = out["id"];
    err["status"] = "error";
    err["line"] = line.number;
    std::string msg = e.what();
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    err["error"] = msg;
    out = std::move(err);
  }
  out["ms"] = round3(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  // Replace, never throw: an error text quoting a file or a request is valid UTF-8 in the answer
  // whatever bytes it quoted (U+FFFD for each bad one).
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool blank(const InputLine& l) {
  return !l.too_long && l.text.find_first_not_of(" \t\r") == std::string::npos;
}

}  // namespace

int run_batch(const BatchOptions& o, const CommonOptions& common) {
  int fd = 0;
  if (o.file != "-") {
    // A named batch file is an input file like any other: regular files only, never /proc, never
    // blocking on a FIFO. A producer that streams requests pipes them into `goap batch -`.
    core::InputFile status;
    fd = core::open_input_file(o.file, status);
    if (fd < 0) {
      std::fprintf(stderr, "goap: error: %s\n", core::terminal_safe(status.message(o.file, 0)).c_str());
      return kUsage;
    }
  }
  struct FdCloser {
    int fd;
    ~FdCloser() {
      if (fd > 0) ::close(fd);
    }
  } closer{fd};

  Context ctx;
  ctx.common = common;
  ctx.common.color = false;
  const PlanOptions plan_defaults;
  const PddlOptions pddl_defaults;
  ctx.world_cap = {static_cast<std::uint64_t>(o.max_expansions > 0 ? o.max_expansions : plan_defaults.max_expansions),
                   o.max_ms > 0 ? o.max_ms : plan_defaults.max_ms,
                   o.max_memory_mb > 0 ? o.max_memory_mb : plan_defaults.max_memory_mb};
  ctx.pddl_cap = {static_cast<std::uint64_t>(o.max_expansions > 0 ? o.max_expansions : pddl_defaults.max_expansions),
                  o.max_ms > 0 ? o.max_ms : pddl_defaults.max_ms,
                  o.max_memory_mb > 0 ? o.max_memory_mb : pddl_defaults.max_memory_mb};

  std::unique_ptr<tbb::global_control> limit;
  if (o.threads > 0)
    limit = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                  static_cast<std::size_t>(o.threads));
  const int threads = o.threads > 0 ? o.threads : tbb::this_task_arena::max_concurrency();
  // A few requests per thread in flight: enough to keep every worker busy while the writer waits
  // for a slow one, few enough that the lines held stay small (each at most kMaxRequestBytes).
  const std::size_t tokens = static_cast<std::size_t>(std::max(2, 4 * threads));

  LineReader reader(fd, kMaxRequestBytes);
  std::atomic<bool> write_failed{false};
  struct Item {
    InputLine line;
    std::string answer;
  };
  // What the pipeline orders inside uninstrumented libtbb, stated for ThreadSanitizer
  // (core/tsan.h): the set-up before every stage; each call of a serial stage before its next
  // call, whichever thread makes it; each stage of an item before its next stage.
  // The tags have static storage so that a stage names them without reading its closure: the
  // closures are copies TBB makes on this thread, and reading one before the acquire would
  // itself be the unordered access. One batch runs per process, so static tags add no edge
  // that the pipeline does not make.
  static char started, reading, answered, writing;
  // Items travel as raw pointers: TBB copies them inside its own buffers, which TSan cannot
  // follow; a pointer's copy is TBB's header code (tools/tsan.supp), a shared_ptr's would be
  // libstdc++'s. The input stage allocates an item and the output stage frees it.
  const auto chain =
      tbb::make_filter<void, Item*>(tbb::filter_mode::serial_in_order,
                                    [&](tbb::flow_control& fc) -> Item* {
                                      core::tsan_acquire(&started);
                                      core::tsan_acquire(&reading);
                                      auto item = std::make_unique<Item>();
                                      while (!write_failed.load() && reader.next(item->line)) {
                                        if (!blank(item->line)) {  // a blank line is no request: no answer
                                          core::tsan_release(item.get());
                                          core::tsan_release(&reading);
                                          return item.release();
                                        }
                                      }
                                      fc.stop();
                                      core::tsan_release(&reading);
                                      return nullptr;
                                    }) &
          tbb::make_filter<Item*, Item*>(tbb::filter_mode::parallel,
                                         [&](Item* item) {
                                           core::tsan_acquire(&started);
                                           core::tsan_acquire(item);
                                           item->answer = answer(item->line, ctx);
                                           item->line.text = std::string();  // answered: free it before the write
                                           core::tsan_release(item);
                                           core::tsan_release(&answered);  // the world cache, for its destructor
                                           return item;
                                         }) &
          tbb::make_filter<Item*, void>(tbb::filter_mode::serial_in_order, [&](Item* raw) {
            core::tsan_acquire(&started);
            core::tsan_acquire(&writing);
            core::tsan_acquire(raw);
            std::unique_ptr<Item> item(raw);
            item->answer += '\n';
            if (std::fwrite(item->answer.data(), 1, item->answer.size(), stdout) != item->answer.size() ||
                std::fflush(stdout) != 0)
              write_failed = true;
            core::tsan_release(&writing);
          });
  core::tsan_release(&started);
  tbb::parallel_pipeline(tokens, chain);
  // Every stage's work before what follows.
  core::tsan_acquire(&reading);
  core::tsan_acquire(&answered);
  core::tsan_acquire(&writing);
  if (reader.error() != 0) {
    std::fprintf(stderr, "goap: error: cannot read '%s': %s\n", o.file == "-" ? "<stdin>" : o.file.c_str(),
                 std::strerror(reader.error()));
    return kUsage;
  }
  core::log::info("batch: {} world load{}", ctx.worlds.loads(), ctx.worlds.loads() == 1 ? "" : "s");
  return write_failed ? kInternal : kOk;
}

}  // namespace goap::cli
