#include "exec/approvals.h"

#include "plugin_api/plugin.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

namespace goap::exec {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

std::string step_key(const PlannedStep& s) {
  std::string all;
  for (const auto& c : s.commands) all += c + "\n";
  return s.name + "|" + fnv_hex(all);
}

bool live(const Standing& st) { return st.status == "pending" || st.status == "approved" || st.status == "declined"; }

}  // namespace

std::string fnv_hex(const std::string& text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string world_files_hash(const model::World& world) {
  std::string all;
  for (const std::string& f : world.files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    else text << "(unreadable)";
    const std::string t = text.str();
    all += f + "\n" + std::to_string(t.size()) + "\n" + t;
  }
  return fnv_hex(all);
}

Standing standing(const ApprovalRow& r, Clock::time_point now, const std::string& files_hash) {
  if (r.status == "void") return {"void", r.reason};
  if (!files_hash.empty() && r.files_hash != files_hash) return {"void", "the world's files changed since the request"};
  if (r.status == "declined" || r.status == "used") return {r.status, ""};
  const auto expires = parse_iso_utc(r.expires);
  if (!expires || now >= *expires) return {"expired", ""};
  return {r.status, ""};
}

PlanGate gate_plan(const ApprovalPolicy& p, const std::string& goal, const std::vector<PlannedStep>& plan) {
  PlanGate gate;
  std::vector<const PlannedStep*> gated;
  for (const PlannedStep& s : plan)
    if (s.needs_approval) gated.push_back(&s);
  if (gated.empty()) return gate;
  const Clock::time_point now = p.clock->now();
  std::vector<ApprovalRow> rows = p.journal ? p.journal->approvals(p.world_path) : std::vector<ApprovalRow>{};

  // A step whose commands changed voids the live requests that cover its old commands.
  for (ApprovalRow& r : rows) {
    const Standing st = standing(r, now, p.files_hash);
    if (st.status != "pending" && st.status != "approved" && st.status != "declined") continue;
    for (const std::string& line : lines_of(r.gated)) {
      const std::string name = line.substr(0, line.rfind('|'));
      for (const PlannedStep* g : gated)
        if (g->name == name && step_key(*g) != line && r.status != "void") {
          r.status = "void";
          r.reason = "the commands of " + name + " changed since the request";
          p.journal->update_approval(r);
          gate.voided.push_back(r.id + ": " + r.reason);
        }
    }
  }

  // Declined steps are planned around.
  for (const PlannedStep* g : gated) {
    const std::string k = step_key(*g);
    for (const ApprovalRow& r : rows) {
      if (standing(r, now, p.files_hash).status != "declined") continue;
      const auto ls = lines_of(r.gated);
      if (std::find(ls.begin(), ls.end(), k) == ls.end()) continue;
      gate.kind = PlanGate::Kind::declined;
      gate.declined.push_back(g->name);
      gate.request = r.id;
      gate.by = r.decided_by;
      break;
    }
  }
  if (gate.kind == PlanGate::Kind::declined) return gate;

  // Every gated step approved by a valid request: the plan may run.
  std::vector<const PlannedStep*> uncovered;
  for (const PlannedStep* g : gated) {
    const std::string k = step_key(*g);
    const ApprovalRow* by = nullptr;
    for (const ApprovalRow& r : rows) {
      if (standing(r, now, p.files_hash).status != "approved") continue;
      const auto ls = lines_of(r.gated);
      if (std::find(ls.begin(), ls.end(), k) != ls.end()) {
        by = &r;
        break;
      }
    }
    if (by == nullptr) {
      uncovered.push_back(g);
      continue;
    }
    gate.approved_by.emplace_back(g->name, by->id);
    if (gate.request.empty()) {
      gate.request = by->id;
      gate.by = by->decided_by;
    }
  }
  if (uncovered.empty()) return gate;

  // Waiting: the pending request for this very plan, or a new one.
  gate.kind = PlanGate::Kind::waiting;
  gate.approved_by.clear();
  gate.request.clear();
  gate.by.clear();
  ApprovalRow row;
  row.world = p.world;
  row.world_path = p.world_path;
  row.goal = goal;
  row.files_hash = p.files_hash;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    row.plan += plan[i].name + "\t" + (plan[i].needs_approval ? "1" : "0") + "\n";
    for (const auto& c : plan[i].commands) row.commands += std::to_string(i) + "\t" + c + "\n";
  }
  for (const PlannedStep* g : gated) row.gated += step_key(*g) + "\n";
  row.key = fnv_hex(p.world_path + "\n" + goal + "\n" + row.plan + row.commands + p.files_hash);
  int earlier = 0;
  for (const ApprovalRow& r : rows) {
    if (r.key != row.key) continue;
    if (standing(r, now, p.files_hash).status == "pending") {
      gate.request = r.id;
      return gate;
    }
    ++earlier;
  }
  if (p.journal == nullptr) return gate;  // nowhere to file it: the run just waits
  const std::string h = fnv_hex(row.key + "#" + std::to_string(earlier));
  row.id = "a" + h.substr(0, 7);
  if (p.journal->approval(row.id)) row.id = "a" + h.substr(0, 15);
  row.requested = iso_utc(now);
  row.expires = iso_utc(now + p.ttl);
  row.status = "pending";
  p.journal->insert_approval(row);
  gate.request = row.id;
  gate.filed = true;
  return gate;
}

void mark_carried_out(Journal& journal, const std::string& request, const std::string& step, std::int64_t run,
                      std::vector<std::pair<std::string, std::string>>& done) {
  done.emplace_back(request, step);
  std::optional<ApprovalRow> r = journal.approval(request);
  if (!r || r->status != "approved") return;
  for (const std::string& line : lines_of(r->gated)) {
    const std::string name = line.substr(0, line.rfind('|'));
    if (std::find(done.begin(), done.end(), std::pair{request, name}) == done.end()) return;
  }
  r->status = "used";
  r->reason = "carried out in run " + std::to_string(run);
  journal.update_approval(*r);
}

std::string decide_request(Journal& journal, const Clock& clock, const std::string& id, bool approve, const std::string& by,
                           const std::string& reason) {
  std::optional<ApprovalRow> r = journal.approval(id);
  if (!r) return "no approval request '" + id + "' in " + journal.path() + " (see 'goap approvals WORLD')";
  const auto now = clock.now();
  const Standing st = standing(*r, now, "");
  if (st.status == "void") return "request " + id + " is void: " + st.why + "; the next run files a new one";
  if (st.status == "expired")
    return "request " + id + " expired at " + r->expires + "; the next run of " + r->world + " files a new one";
  if (st.status != "pending")
    return "request " + id + " was already " + (r->status == "used" ? std::string("approved") : r->status) + " by " + r->decided_by + " at " + r->decided_at;
  const auto requested = parse_iso_utc(r->requested);
  const auto expires = parse_iso_utc(r->expires);
  r->status = approve ? "approved" : "declined";
  r->decided_by = by;
  r->decided_at = iso_utc(now);
  r->reason = reason;
  // An approval lasts as long as the request would have waited, counted from the decision.
  if (approve && requested && expires) r->expires = iso_utc(now + (*expires - *requested));
  journal.update_approval(*r);
  return {};
}

std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
  // The one duration syntax of goap (`timeout:`, `budget:`, `for`, --interval), positive here.
  const auto d = plugin::parse_duration(text);
  if (!d || d->count() <= 0) return std::nullopt;
  return d;
}

}  // namespace goap::exec
