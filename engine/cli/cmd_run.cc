// `goap run WORLD`: sense, plan, act through plugins, verify, replan (exec/runner.h).
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cli/input.h"
#include "cli/plugin_support.h"
#include "core/terminal_text.h"
#include "exec/approvals.h"
#include "exec/runner.h"

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

}  // namespace

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

  const auto ttl = exec::parse_duration(o.approval_ttl);
  if (!ttl) {
    std::fprintf(stderr, "goap: error: --approval-ttl %s: expected a duration such as 90s, 30m or 1h\n",
                 core::terminal_safe(o.approval_ttl).c_str());
    return kUsage;
  }

  exec::RunOptions ro;
  ro.approval_ttl = *ttl;
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
  std::FILE* out = fopencookie(new SafeOut{stdout, {}}, "w", {nullptr, &safe_write, nullptr, &safe_close});
  if (out == nullptr) out = stdout;
  std::setvbuf(out, nullptr, _IOLBF, 0);  // progress shows as it happens, even into a pipe
  exec::RunResult r;
  try {
    r = exec::run(in->world, in->state, *specs, plugins, journal.get(), ro, out);
  } catch (const std::exception& e) {
    if (out != stdout) std::fclose(out);
    std::fprintf(stderr, "goap: error: %s\n", core::terminal_safe(e.what()).c_str());
    return kRunFailed;
  }
  if (out != stdout) std::fclose(out);
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
