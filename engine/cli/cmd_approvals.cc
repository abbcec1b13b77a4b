// `goap approvals WORLD`, `goap approve ID --by NAME`, `goap decline ID --by NAME [--reason TEXT]`:
// the inbox of approval requests that `goap run` files in the journal (exec/approvals.h).
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/input.h"
#include "core/terminal_text.h"
#include "exec/approvals.h"
#include "exec/journal.h"

namespace goap::cli {
namespace {

using json = nlohmann::ordered_json;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

// The request's plan, each step with whether it needs approval and its commands.
json plan_json(const exec::ApprovalRow& r) {
  json plan = json::array();
  for (const std::string& l : split_lines(r.plan)) {
    const auto tab = l.rfind('\t');
    plan.push_back(json{{"step", l.substr(0, tab)}, {"approval", tab != std::string::npos && l.substr(tab + 1) == "1"},
                        {"commands", json::array()}});
  }
  for (const std::string& l : split_lines(r.commands)) {
    const auto tab = l.find('\t');
    if (tab == std::string::npos) continue;
    const std::size_t i = std::stoul(l.substr(0, tab));
    if (i < plan.size()) plan[i]["commands"].push_back(l.substr(tab + 1));
  }
  return plan;
}

std::string journal_path(const std::string& given) { return given.empty() ? exec::default_journal_path() : given; }

std::unique_ptr<exec::Journal> open_journal(const std::string& path) {
  std::string err;
  auto j = exec::Journal::open(path, &err);
  if (!j) std::fprintf(stderr, "goap: error: %s\n", core::terminal_safe(err).c_str());
  return j;
}

}  // namespace

int run_approvals(const ApprovalsOptions& o, const CommonOptions& common) {
  auto in = read_input(o.world, "", {}, common);
  if (!in) return kInvalidInput;
  std::error_code ec;
  const std::string world_path = std::filesystem::weakly_canonical(std::filesystem::absolute(o.world, ec), ec).string();
  const std::string path = journal_path(o.journal);
  std::vector<exec::ApprovalRow> rows;
  if (std::filesystem::exists(path, ec)) {  // looking must not create a journal
    auto j = open_journal(path);
    if (!j) return kInvalidInput;
    rows = j->approvals(world_path);
  }
  const std::string files = exec::world_files_hash(in->world);
  const auto now = exec::system_clock().now();
  if (o.json) {
    json list = json::array();
    for (const auto& r : rows) {
      const exec::Standing st = exec::standing(r, now, files);
      json j{{"id", r.id},           {"status", st.status},       {"goal", r.goal},
             {"requested", r.requested}, {"expires", r.expires}, {"decided_by", r.decided_by.empty() ? json(nullptr) : json(r.decided_by)},
             {"decided_at", r.decided_at.empty() ? json(nullptr) : json(r.decided_at)},
             {"reason", r.reason.empty() ? json(nullptr) : json(r.reason)},
             {"void_because", st.why.empty() ? json(nullptr) : json(st.why)}, {"plan", plan_json(r)}};
      list.push_back(std::move(j));
    }
    std::printf("%s\n", json{{"format_version", 1}, {"world", in->world.name}, {"journal", path}, {"approvals", list}}
                            .dump(2, ' ', false, json::error_handler_t::replace)
                            .c_str());
    return kOk;
  }
  if (rows.empty()) {
    std::printf("no approval requests for %s in %s\n", core::terminal_safe(in->world.name).c_str(),
                core::terminal_safe(path).c_str());
    return kOk;
  }
  for (const auto& r : rows) {
    const exec::Standing st = exec::standing(r, now, files);
    std::string line = r.id + "  " + st.status + "  goal '" + r.goal + "'  requested " + r.requested;
    if (st.status == "pending" || st.status == "approved") line += ", expires " + r.expires;
    if (!r.decided_by.empty()) line += "; " + r.status + " by " + r.decided_by + " at " + r.decided_at;
    if (!r.reason.empty() && r.status != "void") line += " (" + r.reason + ")";
    if (!st.why.empty()) line += "; void: " + st.why;
    std::printf("%s\n", core::terminal_safe(line).c_str());
    int n = 0;
    for (const auto& step : plan_json(r)) {
      std::printf("  %d. %s%s\n", ++n, core::terminal_safe(step["step"].get<std::string>()).c_str(),
                  step["approval"].get<bool>() ? "  [needs approval]" : "");
      for (const auto& c : step["commands"]) std::printf("       $ %s\n", core::terminal_safe(c.get<std::string>()).c_str());
    }
    if (st.status == "pending")
      std::printf("  approve: goap approve %s --by NAME%s\n", r.id.c_str(),
                  o.journal.empty() ? "" : (" --journal " + core::terminal_safe(path)).c_str());
  }
  return kOk;
}

int run_decide(const DecideOptions& o, const CommonOptions&) {
  const std::string path = journal_path(o.journal);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::fprintf(stderr, "goap: error: no approval request '%s': there is no journal at %s\n",
                 core::terminal_safe(o.id).c_str(), core::terminal_safe(path).c_str());
    return kUsage;
  }
  if (o.by.empty()) {
    std::fprintf(stderr, "goap: error: --by NAME must name who decides\n");
    return kUsage;
  }
  auto j = open_journal(path);
  if (!j) return kInvalidInput;
  const bool known = j->approval(o.id).has_value();
  const std::string err = exec::decide_request(*j, exec::system_clock(), o.id, o.approve, o.by, o.reason);
  if (!err.empty()) {
    std::fprintf(stderr, "goap: error: %s\n", core::terminal_safe(err).c_str());
    return known ? kInvalidInput : kUsage;
  }
  const auto r = j->approval(o.id);
  std::printf("%s %s by %s%s\n", o.id.c_str(), o.approve ? "approved" : "declined", core::terminal_safe(o.by).c_str(),
              o.approve ? ("; valid until " + r->expires + ": the next 'goap run' of " + core::terminal_safe(r->world) +
                           " carries out the plan")
                              .c_str()
                        : ("; 'goap run' of " + core::terminal_safe(r->world) + " plans around it").c_str());
  return kOk;
}

}  // namespace goap::cli
