// `goap run WORLD`: sense, plan, act through plugins, verify, replan (exec/runner.h).
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "cli/input.h"
#include "cli/plugin_support.h"
#include "core/terminal_text.h"
#include "core/log.h"
#include "exec/run_lock.h"
#include "exec/approvals.h"
#include "exec/runner.h"
#include "exec/watch.h"
#include "plugin_api/plugin.h"

namespace goap::cli {
namespace {

// The run's progress reaches the terminal through this stream: every control byte that world
// names, plugin messages or commands carry is written visibly (core/terminal_text.h). A UTF-8
// sequence cut by the stream's buffer is held until its end arrives.
struct SafeOut {
  std::FILE* to;
  std::string carry;
};

ssize_t safe_write(void* cookie, const char* buf, std::size_t size) {
  auto* o = static_cast<SafeOut*>(cookie);
  std::string text = o->carry + std::string(buf, size);
  o->carry.clear();
  // An unfinished multi-byte sequence at the end: keep it for the next write.
  for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back) {
    const auto b = static_cast<unsigned char>(text[text.size() - back]);
    if ((b & 0xC0) == 0x80) continue;
    const std::size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (need > back) {
      o->carry = text.substr(text.size() - back);
      text.resize(text.size() - back);
    }
    break;
  }
  const std::string safe = core::terminal_safe(text);
  std::fwrite(safe.data(), 1, safe.size(), o->to);
  std::fflush(o->to);
  return static_cast<ssize_t>(size);
}

int safe_close(void* cookie) {
  auto* o = static_cast<SafeOut*>(cookie);
  if (!o->carry.empty()) {
    const std::string safe = core::terminal_safe(o->carry);
    std::fwrite(safe.data(), 1, safe.size(), o->to);
  }
  std::fflush(o->to);
  delete o;
  return 0;
}

// SIGTERM / SIGINT: finish the step in flight, journal it, exit 0. SIGHUP (--watch): reload the
// world before the next run. The handlers only set flags; the run loop reads them between
// steps and the watch loop during its sleeps (exec/watch.h).
volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_reload = 0;

extern "C" void on_stop_signal(int) { g_stop = 1; }
extern "C" void on_reload_signal(int) { g_reload = 1; }

void install_signal_handlers(bool watch) {
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = &on_stop_signal;  // no SA_RESTART: a blocking wait returns and looks at the flag
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  if (watch) {
    sa.sa_handler = &on_reload_signal;
    sigaction(SIGHUP, &sa, nullptr);
  }
}

// The world, its state and its sensors: read at start, and again on SIGHUP under --watch.
struct Loaded {
  Input in;
  std::vector<load::SensorSpec> specs;
};

// nullopt: errors printed, and *rc says the exit code (3, or 2 for a bad --approve).
std::optional<Loaded> load_world(const RunOptions& o, const CommonOptions& common, const plugin_host::PluginSet& plugins,
                                 int* rc) {
  *rc = kInvalidInput;
  auto in = read_input(o.world, o.state_file, o.set_lines, common);
  if (!in) return std::nullopt;
  auto specs = read_sensors(o.world, in->world, o.sensors_files, common);
  if (!specs) return std::nullopt;
  if (const auto problems = exec::check_sensors(*specs, plugins); !problems.empty()) {
    for (const auto& p : problems) std::fprintf(stderr, "goap: error: %s\n", core::terminal_safe(p).c_str());
    return std::nullopt;
  }
  for (const std::string& a : o.approve) {
    const std::string name = a.substr(0, a.find('('));
    if (!in->world.action_index.count(name)) {
      std::fprintf(stderr, "goap: error: --approve %s: the world has no action '%s'\n", core::terminal_safe(a).c_str(),
                   core::terminal_safe(name).c_str());
      *rc = kUsage;
      return std::nullopt;
    }
  }
  return Loaded{std::move(*in), std::move(*specs)};
}

const char* status_name(exec::RunStatus s) {
  switch (s) {
    case exec::RunStatus::done: return "done";
    case exec::RunStatus::dry_run: return "dry-run";
    case exec::RunStatus::stopped: return "stopped";
    case exec::RunStatus::nothing_to_resume: return "nothing-to-resume";
    case exec::RunStatus::needs_approval: return "needs-approval";
    case exec::RunStatus::no_plan: return "no-plan";
    case exec::RunStatus::step_limit: return "step-limit";
    case exec::RunStatus::facts_unknown: return "facts-unknown";
  }
  return "unknown";
}

int exit_code(exec::RunStatus s) {
  switch (s) {
    case exec::RunStatus::done:
    case exec::RunStatus::dry_run:
    case exec::RunStatus::stopped:
    case exec::RunStatus::nothing_to_resume: return kOk;
    case exec::RunStatus::needs_approval: return kNeedsApproval;
    case exec::RunStatus::no_plan: return kRunFailed;
    case exec::RunStatus::step_limit: return kStepLimit;
    case exec::RunStatus::facts_unknown: return kFactsUnknown;
  }
  return kInternal;
}

}  // namespace

int run_run(const RunOptions& o, const CommonOptions& common) {
  const auto plugins = load_plugins(o.plugin_dirs);
  int rc = kOk;
  auto loaded = load_world(o, common, plugins, &rc);
  if (!loaded) return rc;
  std::chrono::milliseconds interval{60'000};
  if (o.watch) {
    const auto d = plugin::parse_duration(o.interval);
    if (!d || d->count() <= 0) {
      std::fprintf(stderr, "goap: error: --interval %s: not a duration such as 60s, 5m or 500ms\n",
                   core::terminal_safe(o.interval).c_str());
      return kUsage;
    }
    interval = *d;
    if (o.dry_run) {
      std::fprintf(stderr, "goap: error: --watch and --dry-run: a dry run executes nothing, so there is nothing to watch\n");
      return kUsage;
    }
  }

  const auto ttl = exec::parse_duration(o.approval_ttl);
  if (!ttl) {
    std::fprintf(stderr, "goap: error: --approval-ttl %s: expected a duration such as 90s, 30m or 1h\n",
                 core::terminal_safe(o.approval_ttl).c_str());
    return kUsage;
  }

  const auto escalate_after = exec::parse_duration(o.approval_escalate_after);
  if (!escalate_after) {
    std::fprintf(stderr, "goap: error: --approval-escalate-after %s: expected a duration such as 90s, 30m or 1h\n",
                 core::terminal_safe(o.approval_escalate_after).c_str());
    return kUsage;
  }

  exec::RunOptions ro;
  ro.approval_ttl = *ttl;
  ro.approval_escalate_after = *escalate_after;
  ro.dry_run = o.dry_run;
  ro.resume = o.resume;
  ro.approve = o.approve;
  ro.max_steps = o.max_steps;
  ro.retries = o.retries;
  ro.backoff = std::chrono::milliseconds(o.backoff_ms);
  ro.grace = std::chrono::milliseconds(o.kill_grace_ms);
  ro.verify_window = std::chrono::milliseconds(o.verify_ms);
  ro.planner.threads = o.threads;
  ro.sense.grace = std::chrono::milliseconds(o.kill_grace_ms);
  ro.stop = [] { return g_stop != 0; };
  ro.sense.jobs = o.sense_jobs;
  std::error_code ec;
  ro.world_path = std::filesystem::weakly_canonical(std::filesystem::absolute(o.world, ec), ec).string();

  // One run of a world at a time (exec/run_lock.h); a dry run executes nothing and takes none.
  std::unique_ptr<exec::Journal> journal;
  std::unique_ptr<exec::RunLock> lock;
  if (!o.dry_run) {
    const std::string journal_path = o.journal.empty() ? exec::default_journal_path() : o.journal;
    auto attempt = exec::RunLock::try_acquire(journal_path, ro.world_path, exec::iso_utc(exec::system_clock().now()));
    if (attempt.status == exec::RunLock::Status::held) {
      std::fprintf(stderr, "goap: %s\n", core::terminal_safe(attempt.message).c_str());
      return kLockHeld;
    }
    if (attempt.status == exec::RunLock::Status::error) {
      std::fprintf(stderr, "goap: error: %s\n", core::terminal_safe(attempt.message).c_str());
      return kInvalidInput;
    }
    lock = std::move(attempt.lock);
    std::string err;
    journal = exec::Journal::open(journal_path, &err);
    if (!journal) {
      std::fprintf(stderr, "goap: error: %s\n", err.c_str());
      return kInvalidInput;
    }
    install_signal_handlers(o.watch);
  }
  // Human lines go through SafeOut; JSON events straight to stdout (dump escapes every control byte).
  // The cookie is also held by a global: a plugin's child (a fork of this process) that exits
  // without closing the stream must not look to LeakSanitizer as if it leaked it.
  static SafeOut* live_cookie = nullptr;
  if (!o.json) live_cookie = new SafeOut{stdout, {}};
  std::FILE* out = o.json ? stdout : fopencookie(live_cookie, "w", {nullptr, &safe_write, nullptr, &safe_close});
  if (out == nullptr) out = stdout;
  std::setvbuf(out, nullptr, _IOLBF, 0);  // progress shows as it happens, even into a pipe
  const auto close_out = [&] {
    if (out != stdout) std::fclose(out);
  };
  exec::RunReport report(out, o.json ? exec::RunReport::Format::json_lines : exec::RunReport::Format::text);
  // The end of each run, for JSON only: the human lines already said how it ended.
  const auto ended = [&](const exec::RunResult& res) {
    nlohmann::ordered_json unknown = nlohmann::ordered_json::array();
    for (const auto& u : res.unknown) unknown.push_back(loaded->in.world.term_name(u.term));
    report.emit("run_ended", "",
                {{"run_id", res.run_id ? nlohmann::ordered_json(res.run_id) : nlohmann::ordered_json()},
                 {"status", status_name(res.status)}, {"exit_code", exit_code(res.status)}, {"steps", res.steps},
                 {"failed_steps", res.failed_steps}, {"detail", res.message}, {"waiting", res.waiting},
                 {"unknown", std::move(unknown)}});
    return res;
  };
  exec::RunResult r;
  try {
    if (!o.watch) {
      r = ended(exec::run(loaded->in.world, loaded->in.state, loaded->specs, plugins, journal.get(), ro, report));
    } else {
      exec::WatchPolicy policy;
      policy.interval = interval;
      policy.seed = o.watch_seed >= 0 ? static_cast<std::uint64_t>(o.watch_seed) : std::random_device{}();
      exec::WatchSchedule schedule(policy);
      exec::WatchHooks hooks;
      bool first = true;
      hooks.run_once = [&] {
        exec::RunOptions iteration = ro;
        iteration.resume = ro.resume && first;  // --resume: the first run continues the unfinished one
        first = false;
        return ended(exec::run(loaded->in.world, loaded->in.state, loaded->specs, plugins, journal.get(), iteration, report));
      };
      hooks.stop_requested = [] { return g_stop != 0; };
      hooks.reload_requested = [] { return g_reload != 0; };
      hooks.reload = [&] {
        g_reload = 0;
        std::fflush(out);
        int reload_rc = kOk;
        if (auto fresh = load_world(o, common, plugins, &reload_rc)) {
          loaded = std::move(fresh);
          report.emit("watch_reloaded", "watch: reloaded " + o.world, {{"world", o.world}, {"ok", true}});
          core::log::info("reloaded the world {}", o.world);
        } else {
          report.emit("watch_reloaded",
                      "watch: the reload of " + o.world + " failed (see the errors above); keeping the world loaded before",
                      {{"world", o.world}, {"ok", false}});
          core::log::warn("reload of {} failed; keeping the world loaded before", o.world);
        }
      };
      exec::watch_loop(schedule, exec::system_clock(), hooks, report);
      close_out();
      return kOk;
    }
  } catch (const std::exception& e) {
    report.emit("run_ended", "",
                {{"run_id", nullptr}, {"status", "error"}, {"exit_code", kRunFailed}, {"detail", e.what()}});
    close_out();
    std::fprintf(stderr, "goap: error: %s\n", core::terminal_safe(e.what()).c_str());
    return kRunFailed;
  }
  close_out();
  return exit_code(r.status);
}

}  // namespace goap::cli
