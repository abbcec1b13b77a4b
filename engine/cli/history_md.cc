// `goap history RUN --format md`: a post-incident timeline of one run, in Markdown, from the
// journal alone (exec/journal.h): what was sensed, decided (goal and plan), approved and by whom,
// run (the commands, each attempt with its output), verified, and how long the fleet was
// degraded (from the first decision where a relevant goal was unmet to the first one after it
// where every relevant goal held, across runs of the same world).
#include "cli/history_md.h"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdio>

#include "core/terminal_text.h"

namespace goap::cli {
namespace {

std::string safe(const std::string& s) { return core::terminal_safe(s); }

// Inline text: Markdown's special characters escaped, control bytes shown.
std::string inline_md(const std::string& s) {
  std::string out;
  for (char c : safe(s)) {
    if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

// A fenced block that no line of `text` can close: the fence is longer than any backtick run in it.
std::string fenced(const std::string& text, const std::string& indent) {
  const std::string t = safe(text);
  std::size_t longest = 0, run = 0;
  for (char c : t) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string out = indent + fence + "\n";
  std::size_t at = 0;
  while (at < t.size()) {
    std::size_t nl = t.find('\n', at);
    if (nl == std::string::npos) nl = t.size();
    out += indent + t.substr(at, nl - at) + "\n";
    at = nl + 1;
  }
  return out + indent + fence + "\n";
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < s.size()) {
    std::size_t nl = s.find('\n', at);
    if (nl == std::string::npos) nl = s.size();
    if (nl > at) out.push_back(s.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}

std::string joined(const std::string& lines, const char* sep) {
  std::string out;
  for (const auto& l : lines_of(lines)) out += (out.empty() ? "" : sep) + l;
  return out;
}

std::string span(const std::string& from, const std::string& to) {
  const auto a = exec::parse_iso_utc(from), b = exec::parse_iso_utc(to);
  if (!a || !b) return "unknown";
  long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(*b - *a).count();
  if (ms < 0) ms = 0;
  char buf[64];
  const long long h = ms / 3'600'000, m = ms / 60'000 % 60;
  const double sec = static_cast<double>(ms % 60'000) / 1000.0;
  if (h > 0) std::snprintf(buf, sizeof buf, "%lldh %lldm %.0fs", h, m, sec);
  else if (m > 0) std::snprintf(buf, sizeof buf, "%lldm %.1fs", m, sec);
  else std::snprintf(buf, sizeof buf, "%.1fs", sec);
  return buf;
}

// The degraded window this run belongs to, from every decision of its world.
std::string degraded(exec::Journal& j, const exec::RunRow& run) {
  const auto all = j.world_decisions(run.world_path);
  std::size_t k = all.size();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].run_id == run.id && !all[i].unmet.empty()) {
      k = i;
      break;
    }
  if (k == all.size()) {
    const bool any = std::any_of(all.begin(), all.end(), [&](const exec::DecisionRow& d) { return d.run_id == run.id; });
    return any ? "Not degraded: every relevant goal held at each decision of this run.\n"
               : "No decision of this run is journaled (it ended before it sensed and planned).\n";
  }
  std::size_t start = k;
  while (start > 0 && !all[start - 1].unmet.empty()) --start;
  std::size_t end = k;
  while (end < all.size() && !all[end].unmet.empty()) ++end;
  std::string out = "- Degraded since " + inline_md(all[start].at) + " (run " + std::to_string(all[start].run_id) +
                    "): " + inline_md(joined(all[start].unmet, ", ")) + "\n";
  if (end < all.size())
    out += "- Every relevant goal held again at " + inline_md(all[end].at) + " (run " + std::to_string(all[end].run_id) +
           ")\n- **Degraded for " + span(all[start].at, all[end].at) + "**\n";
  else
    out += "- Still degraded at the last decision journaled, " + inline_md(all.back().at) + " (run " +
           std::to_string(all.back().run_id) + "): **" + span(all[start].at, all.back().at) + " so far**\n";
  return out;
}

}  // namespace

void print_timeline(exec::Journal& j, const exec::RunRow& run, std::FILE* out) {
  const auto steps = j.steps(run.id);
  const auto decisions = j.decisions(run.id);
  std::fprintf(out, "# Run %lld of %s\n\n", static_cast<long long>(run.id), inline_md(run.world).c_str());
  std::fprintf(out, "- World: `%s`\n- Journal: `%s`\n- Started %s%s%s\n- Outcome: **%s**%s%s\n\n",
               safe(run.world_path).c_str(), safe(j.path()).c_str(), inline_md(run.started).c_str(),
               run.finished.empty() ? "" : ", finished ", inline_md(run.finished).c_str(), inline_md(run.status).c_str(),
               run.message.empty() ? "" : ": ", inline_md(run.message).c_str());

  std::fprintf(out, "## Degraded\n\n%s\n", degraded(j, run).c_str());

  // Interleave decisions and steps by time (a decision is journaled just before its step).
  std::fprintf(out, "## Timeline\n\n");
  std::size_t di = 0;
  const auto print_decision = [&](const exec::DecisionRow& d) {
    std::fprintf(out, "### %s: sensed and decided\n\n", inline_md(d.at).c_str());
    const auto sensed = lines_of(d.sensed);
    if (sensed.empty()) std::fprintf(out, "- Sensed: nothing new (no sensor, or none read since the last decision)\n");
    else {
      std::fprintf(out, "- Sensed:\n");
      for (const auto& l : sensed) std::fprintf(out, "  - %s\n", inline_md(l).c_str());
    }
    if (d.unmet.empty()) std::fprintf(out, "- Every relevant goal held\n");
    else std::fprintf(out, "- Relevant goals unmet: %s\n", inline_md(joined(d.unmet, ", ")).c_str());
    if (!d.goal.empty())
      std::fprintf(out, "- Decided: goal **%s**, plan: %s\n", inline_md(d.goal).c_str(),
                   inline_md(joined(d.plan, " → ")).c_str());
    if (!d.approval.empty()) std::fprintf(out, "- Approval: %s\n", inline_md(d.approval).c_str());
    std::fprintf(out, "\n");
  };
  for (const auto& st : steps) {
    while (di < decisions.size() && decisions[di].at <= st.started) print_decision(decisions[di++]);
    std::fprintf(out, "### %s: step %d, `%s` (goal %s)\n\n", inline_md(st.started).c_str(), st.seq, safe(st.action).c_str(),
                 inline_md(st.goal).c_str());
    if (!st.commands.empty()) {
      std::fprintf(out, "Commands:\n\n%s\n", fenced(st.commands, "").c_str());
    }
    for (const auto& a : j.attempts(st.id)) {
      std::fprintf(out, "- Attempt %d: %s at %s\n", a.attempt, inline_md(a.outcome).c_str(), inline_md(a.finished).c_str());
      if (!a.output.empty()) std::fprintf(out, "\n%s\n", fenced(a.output, "  ").c_str());
    }
    std::string result = st.message;
    if (const auto nl = result.rfind('\n'); nl != std::string::npos) result = result.substr(nl + 1);
    std::fprintf(out, "- Result: **%s**%s%s%s%s\n\n", inline_md(st.status).c_str(), result.empty() ? "" : ": ",
                 inline_md(result).c_str(), st.finished.empty() ? "" : " at ", inline_md(st.finished).c_str());
  }
  while (di < decisions.size()) print_decision(decisions[di++]);

  std::fprintf(out, "## Approvals\n\n");
  int approvals = 0;
  for (const auto& d : decisions)
    if (!d.approval.empty()) {
      std::fprintf(out, "- %s: %s (goal %s)\n", inline_md(d.at).c_str(), inline_md(d.approval).c_str(),
                   inline_md(d.goal).c_str());
      ++approvals;
    }
  // The requests those decisions name, as the inbox holds them now (exec/approvals.h): who
  // decided, when, and why.
  std::vector<std::string> ids;
  for (const auto& d : decisions)
    for (std::size_t at = d.approval.find("request "); at != std::string::npos; at = d.approval.find("request ", at + 1)) {
      std::size_t end = at + 8;
      while (end < d.approval.size() && std::isalnum(static_cast<unsigned char>(d.approval[end]))) ++end;
      const std::string id = d.approval.substr(at + 8, end - at - 8);
      if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  if (!ids.empty()) std::fprintf(out, "\n");
  for (const std::string& id : ids) {
    const auto a = j.approval(id);
    if (!a) continue;
    std::fprintf(out, "- Request %s (goal %s): %s; requested %s, expires %s", inline_md(a->id).c_str(), inline_md(a->goal).c_str(),
                 inline_md(a->status).c_str(), inline_md(a->requested).c_str(), inline_md(a->expires).c_str());
    if (!a->decided_by.empty())
      std::fprintf(out, "; decided by %s at %s", inline_md(a->decided_by).c_str(), inline_md(a->decided_at).c_str());
    if (!a->reason.empty()) std::fprintf(out, " (%s)", inline_md(a->reason).c_str());
    std::fprintf(out, "\n");
  }
  if (approvals == 0) std::fprintf(out, "No step of this run needed an approval.\n");
}

}  // namespace goap::cli
