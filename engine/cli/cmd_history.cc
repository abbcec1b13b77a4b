// `goap history`: the runs in the journal, newest first, or the steps of one run.
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/history_md.h"
#include "core/terminal_text.h"
#include "exec/journal.h"
#include "exec/memory.h"

namespace goap::cli {
namespace {

int show_history(HistoryOptions o) {
  if (o.format == "json") o.json = true;
  if (o.format == "md" && o.run <= 0) {
    std::fprintf(stderr, "goap: error: --format md needs a run: goap history RUN --format md\n");
    return kUsage;
  }
  using json = nlohmann::ordered_json;
  const std::string path = o.journal.empty() ? exec::default_journal_path() : o.journal;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {  // looking must not create a journal
    if (o.json) std::printf("{\"format_version\": 1, \"journal\": %s, \"runs\": []}\n", json(path).dump().c_str());
    else std::printf("no runs: there is no journal at %s yet\n", core::terminal_safe(path).c_str());
    return o.run > 0 ? kUsage : kOk;
  }
  std::string err;
  auto j = exec::Journal::open(path, &err, /*inspect=*/true);
  if (!j) {
    std::fprintf(stderr, "goap: error: %s\n", core::terminal_safe(err).c_str());
    return kInvalidInput;
  }
  // A damaged journal is shown as far as it can be read, and said to be damaged.
  for (const auto& d : j->damage())
    std::fprintf(stderr, "goap: warning: the journal %s is damaged: %s; goap run --resume will refuse it\n",
                 core::terminal_safe(path).c_str(), core::terminal_safe(d).c_str());
  if (o.run > 0) {
    auto run = j->run(o.run);
    if (!run) {
      std::fprintf(stderr, "goap: error: no run %lld in %s\n", o.run, core::terminal_safe(path).c_str());
      return kUsage;
    }
    if (o.format == "md") {
      print_timeline(*j, *run, stdout);
      return kOk;
    }
    const auto steps = j->steps(o.run);
    if (o.json) {
      json s = json::array();
      for (const auto& st : steps) {
        json outputs = json::array();
        for (const auto& a : j->attempts(st.id))
          outputs.push_back(json{{"attempt", a.attempt}, {"outcome", a.outcome}, {"finished", a.finished}, {"output", a.output}});
        s.push_back(json{{"seq", st.seq}, {"kind", st.kind}, {"action", st.action}, {"goal", st.goal}, {"status", st.status},
                         {"attempts", st.attempts}, {"started", st.started}, {"finished", st.finished},
                         {"commands", st.commands}, {"message", st.message}, {"outputs", std::move(outputs)}});
      }
      std::printf("%s\n", json{{"format_version", 1}, {"run", run->id}, {"world", run->world}, {"world_path", run->world_path},
                               {"status", run->status}, {"started", run->started}, {"finished", run->finished},
                               {"message", run->message}, {"steps", std::move(s)}}
                              .dump(2, ' ', false, json::error_handler_t::replace)
                              .c_str());
      return kOk;
    }
    // Text for a terminal: names, paths and messages come from input files and plugins.
    const auto t = [](const std::string& x) { return core::terminal_safe(x); };
    std::printf("run %lld: %s (%s)  %s  started %s%s%s\n", static_cast<long long>(run->id), t(run->world).c_str(),
                t(run->world_path).c_str(), t(run->status).c_str(), t(run->started).c_str(),
                run->finished.empty() ? "" : ", finished ", t(run->finished).c_str());
    if (!run->message.empty()) std::printf("  %s\n", t(run->message).c_str());
    for (const auto& st : steps) {
      std::printf("  %2d. %-40s %-16s %d attempt%s  %s\n", st.seq,
                  t(st.kind == "escalation" ? "escalation: " + st.action : st.action).c_str(), t(st.status).c_str(), st.attempts,
                  st.attempts == 1 ? " " : "s", t(st.started).c_str());
      std::string msg = st.message;
      const auto nl = msg.rfind('\n');
      if (nl != std::string::npos) msg = msg.substr(nl + 1);
      if (!msg.empty()) std::printf("      %s\n", t(msg).c_str());
    }
    return kOk;
  }
  const auto runs = j->runs(o.limit);
  // Budgets (exec/memory.h) as the latest run of each world recorded them, counted now.
  const auto now = exec::system_clock().now();
  const auto budgets = exec::recorded_budget_uses(*j, now);
  const auto iso_s = [](exec::Clock::time_point t) {
    const std::string s = exec::iso_utc(t);
    return s.substr(0, s.find('.')) + "Z";
  };
  if (o.json) {
    json out = json::array();
    for (const auto& r : runs)
      out.push_back(json{{"run", r.id}, {"world", r.world}, {"world_path", r.world_path}, {"status", r.status},
                         {"steps", r.steps}, {"started", r.started}, {"finished", r.finished}, {"message", r.message}});
    json b = json::array();
    for (const auto& [world_path, u] : budgets)
      b.push_back(json{{"world_path", world_path}, {"action", u.ground}, {"used", u.used}, {"max", u.max},
                       {"per", model::duration_text(u.per)}, {"per_ms", u.per.count()}, {"exhausted", u.exhausted()},
                       {"oldest", iso_s(u.oldest)}, {"oldest_leaves", iso_s(u.oldest + u.per)},
                       {"frees_at", u.exhausted() ? json(iso_s(u.frees_at)) : json(nullptr)}});
    std::printf("%s\n", json{{"format_version", 1}, {"journal", path}, {"runs", std::move(out)}, {"budgets", std::move(b)}}
                            .dump(2, ' ', false, json::error_handler_t::replace)
                            .c_str());
    return kOk;
  }
  if (runs.empty()) std::printf("no runs in %s\n", core::terminal_safe(path).c_str());
  for (const auto& r : runs)
    std::printf("%5lld  %-24s %-15s %3d step%s  %s\n", static_cast<long long>(r.id), core::terminal_safe(r.world).c_str(),
                core::terminal_safe(r.status).c_str(), r.steps, r.steps == 1 ? " " : "s", core::terminal_safe(r.started).c_str());
  if (!budgets.empty()) std::printf("\nbudgets (now %s):\n", iso_s(now).c_str());
  for (const auto& [world_path, u] : budgets)
    std::printf("  %-36s %d/%d per %-4s %s; oldest leaves the window at %s  (%s)\n", core::terminal_safe(u.ground).c_str(),
                u.used, u.max, model::duration_text(u.per).c_str(),
                u.exhausted() ? ("used up until " + iso_s(u.frees_at)).c_str() : "available", iso_s(u.oldest + u.per).c_str(),
                core::terminal_safe(world_path).c_str());
  return kOk;
}

}  // namespace

int run_history(const HistoryOptions& o, const CommonOptions&) {
  try {
    return show_history(o);
  } catch (const std::exception& e) {  // a damaged journal SQLite cannot read
    const std::string path = o.journal.empty() ? exec::default_journal_path() : o.journal;
    std::fprintf(stderr, "goap: error: cannot read the journal %s: %s\n", core::terminal_safe(path).c_str(),
                 core::terminal_safe(e.what()).c_str());
    return kInvalidInput;
  }
}

}  // namespace goap::cli
