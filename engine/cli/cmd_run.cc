// `goap run WORLD`: sense, plan, act through plugins, verify, replan (exec/runner.h).
#include <cstdio>
#include <filesystem>

#include "cli/input.h"
#include "cli/plugin_support.h"
#include "exec/runner.h"

namespace goap::cli {

int run_run(const RunOptions& o, const CommonOptions& common) {
  auto in = read_input(o.world, o.state_file, o.set_lines, common);
  if (!in) return kInvalidInput;
  const auto plugins = load_plugins(o.plugin_dirs);
  auto specs = read_sensors(o.world, in->world, o.sensors_files, common);
  if (!specs) return kInvalidInput;
  if (const auto problems = exec::check_sensors(*specs, plugins); !problems.empty()) {
    for (const auto& p : problems) std::fprintf(stderr, "goap: error: %s\n", p.c_str());
    return kInvalidInput;
  }
  for (const std::string& a : o.approve) {
    const std::string name = a.substr(0, a.find('('));
    if (!in->world.action_index.count(name)) {
      std::fprintf(stderr, "goap: error: --approve %s: the world has no action '%s'\n", a.c_str(), name.c_str());
      return kUsage;
    }
  }

  exec::RunOptions ro;
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
  std::error_code ec;
  ro.world_path = std::filesystem::weakly_canonical(std::filesystem::absolute(o.world, ec), ec).string();

  std::unique_ptr<exec::Journal> journal;
  if (!o.dry_run) {
    std::string err;
    journal = exec::Journal::open(o.journal.empty() ? exec::default_journal_path() : o.journal, &err);
    if (!journal) {
      std::fprintf(stderr, "goap: error: %s\n", err.c_str());
      return kInvalidInput;
    }
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows as it happens, even into a pipe
  exec::RunResult r;
  try {
    r = exec::run(in->world, in->state, *specs, plugins, journal.get(), ro, stdout);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "goap: error: %s\n", e.what());
    return kRunFailed;
  }
  switch (r.status) {
    case exec::RunStatus::done:
    case exec::RunStatus::dry_run:
    case exec::RunStatus::nothing_to_resume: return kOk;
    case exec::RunStatus::needs_approval: return kNeedsApproval;
    case exec::RunStatus::no_plan:
    case exec::RunStatus::step_limit: return kRunFailed;
  }
  return kInternal;
}

}  // namespace goap::cli
