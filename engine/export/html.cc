#include "export/html.h"

#include <cstdio>

namespace goap::exporting {
namespace {

constexpr const char* kStyle = R"css(
:root { --ink:#1c2833; --muted:#5d6d7e; --line:#d5d8dc; --bg:#fbfcfc; --card:#ffffff;
        --ok:#1e8449; --ok-bg:#d5f5e3; --bad:#b03a2e; --bad-bg:#fadbd8; --warn:#9a7d0a; --warn-bg:#fcf3cf;
        --info-bg:#eaf2f8; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; background: var(--bg); color: var(--ink);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.sub { color: var(--muted); margin: 0 0 18px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13.5px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 12px; }
.card.wide { grid-column: span 2; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .v { font-size: 18px; font-weight: 600; word-break: break-word; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
         vertical-align: middle; white-space: nowrap; }
.b-plan, .b-satisfied, .b-yes { background: var(--ok-bg); color: var(--ok); }
.b-unsolvable, .b-approval, .b-no { background: var(--bad-bg); color: var(--bad); }
.b-limit { background: var(--warn-bg); color: var(--warn); }
.b-inactive { background: #eaecee; color: var(--muted); }
ol.steps { list-style: none; padding: 0; margin: 0; counter-reset: step; }
ol.steps li { background: var(--card); border: 1px solid var(--line); border-left: 4px solid #2c3e50;
              border-radius: 6px; padding: 8px 12px; margin: 0 0 8px; }
ol.steps li.approval { border-left-color: var(--bad); }
ol.steps .n { display: inline-block; min-width: 2em; color: var(--muted); font-weight: 600; }
ol.steps .cost { float: right; color: var(--muted); }
ol.steps .doc { color: var(--muted); font-size: 13px; margin: 2px 0 0 2em; }
ol.steps .chg { margin: 4px 0 0 2em; font-size: 13px; }
.chg code { background: var(--info-bg); border-radius: 4px; padding: 0 5px; margin-right: 6px; }
.picture { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px;
           overflow: auto; text-align: center; }
.picture svg { max-width: 100%; height: auto; }
.note { background: var(--warn-bg); color: #7d6608; border-radius: 6px; padding: 10px 14px; }
table { border-collapse: collapse; width: 100%; background: var(--card); }
table.kv { width: auto; min-width: 420px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: #f4f6f6; }
tr.chosen td { background: var(--ok-bg); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.wanted { list-style: none; padding: 0; margin: 0; columns: 2; }
.wanted li { margin: 2px 0; }
details { margin-top: 10px; }
details pre { background: #f4f6f6; border: 1px solid var(--line); border-radius: 6px; padding: 10px; overflow: auto; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
)css";

std::string esc(std::string_view s) { return html_escape(s); }

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string badge(const std::string& cls, const std::string& text) {
  return "<span class=\"badge b-" + esc(cls) + "\">" + esc(text) + "</span>";
}

std::string card(const std::string& key, const std::string& value_html, bool wide = false) {
  return std::string("<div class=\"card") + (wide ? " wide" : "") + "\"><div class=\"k\">" + esc(key) + "</div><div class=\"v\">" + value_html + "</div></div>\n";
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string plan_to_html(const PlanView& p, const std::string& dot, const SvgResult& svg) {
  std::string h;
  const std::string title = "goap plan: " + p.world + (p.goal.empty() ? "" : " / " + p.goal);
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += "<title>" + esc(title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<main>\n";

  // ---- summary ---------------------------------------------------------------------------
  h += "<h1>" + esc(p.goal.empty() ? "goap dry run" : "Plan for " + p.goal) + " " + badge(p.status, p.status) + "</h1>\n";
  std::string sub = "world <code>" + esc(p.world) + "</code>";
  if (!p.goal_doc.empty()) sub += " &middot; " + esc(p.goal_doc);
  h += "<p class=\"sub\">" + sub + "</p>\n<div class=\"cards\">\n";
  h += card("goal", p.goal.empty() ? "&mdash;" : "<code>" + esc(p.goal) + "</code>", true);
  h += card("priority", p.goal.empty() ? "&mdash;" : std::to_string(p.priority));
  h += card("status", badge(p.status, p.status));
  h += card("steps", std::to_string(p.steps.size()));
  h += card("cost", p.status == "plan" || p.status == "satisfied" ? std::to_string(p.cost) : "&mdash;");
  std::size_t approvals = 0;
  for (const StepView& s : p.steps) approvals += s.approval ? 1 : 0;
  h += card("approvals needed", approvals ? badge("approval", std::to_string(approvals)) : "0");
  h += card("search", esc(p.algorithm + " + " + p.heuristic) + "<br>" +
                          (p.optimal ? badge("yes", "cost-optimal") : badge("limit", "satisficing")));
  h += "</div>\n";

  // ---- wanted ----------------------------------------------------------------------------
  if (!p.wanted.empty()) {
    h += "<h2>What the goal wants</h2>\n<ul class=\"wanted\">\n";
    for (const WantedView& w : p.wanted) {
      const bool done = p.status == "plan" ? w.at_end : w.at_start;
      h += "<li>" + (done ? badge("yes", "holds") : badge("no", "not yet")) + " <code>" + esc(w.text) + "</code>" +
           (w.at_start ? " <small>(already true at the start)</small>" : "") + "</li>\n";
    }
    h += "</ul>\n";
  }

  // ---- steps -----------------------------------------------------------------------------
  h += "<h2>Plan steps</h2>\n";
  if (p.steps.empty()) {
    if (p.status == "plan" || p.status == "satisfied")
      h += "<p>Nothing to do: every wanted fact already holds.</p>\n";
    else if (p.missing.empty())
      h += "<p>No plan: see the goals considered below for the reason, and run <code>goap explain</code> for more.</p>\n";
    else {
      h += std::string("<p>No plan. ") + (p.missing.size() == 1 ? "The missing piece" : "The missing pieces") +
           " (<code>goap explain</code> shows the whole chain):</p>\n<ul id=\"missing\">\n";
      for (const std::string& m : p.missing) h += "<li>" + esc(m) + "</li>\n";
      h += "</ul>\n";
    }
  } else {
    h += "<ol class=\"steps\" id=\"steps\">\n";
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
      const StepView& s = p.steps[i];
      h += std::string("<li class=\"step") + (s.approval ? " approval" : "") + "\"><span class=\"n\">" +
           std::to_string(i + 1) + ".</span><code class=\"action\">" + esc(s.name) + "</code>";
      if (s.approval) h += " " + badge("approval", "needs approval");
      h += "<span class=\"cost\">cost " + std::to_string(s.cost) + "</span>";
      if (!s.doc.empty()) h += "<div class=\"doc\">" + esc(s.doc) + "</div>";
      if (!s.changes.empty()) {
        h += "<div class=\"chg\">";
        for (const FactChange& c : s.changes) h += "<code>" + esc(c.text) + "</code>";
        h += "</div>";
      }
      h += "</li>\n";
    }
    h += "</ol>\n";
  }

  // ---- picture ---------------------------------------------------------------------------
  h += "<h2>The plan as a picture</h2>\n";
  if (svg.ok) {
    h += "<div class=\"picture\">\n" + svg.svg + "\n</div>\n";
  } else {
    h += "<p class=\"note\" id=\"no-picture\"><strong>No picture:</strong> " + esc(svg.error) +
         ". Install Graphviz (<code>apt-get install graphviz</code>) and run the command again, or render the DOT "
         "source below with any Graphviz viewer.</p>\n";
  }
  h += "<details><summary>DOT source</summary><pre>" + esc(dot) + "</pre></details>\n";

  // ---- state changes ---------------------------------------------------------------------
  if (!p.steps.empty()) {
    h += "<h2>State changes per step</h2>\n<table id=\"changes\">\n<thead><tr><th class=\"num\">step</th><th>action</th>"
         "<th>fact</th><th>before</th><th>after</th></tr></thead>\n<tbody>\n";
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
      const StepView& s = p.steps[i];
      if (s.changes.empty()) {
        h += "<tr><td class=\"num\">" + std::to_string(i + 1) + "</td><td><code>" + esc(s.name) +
             "</code></td><td colspan=\"3\"><em>changes nothing</em></td></tr>\n";
        continue;
      }
      for (std::size_t k = 0; k < s.changes.size(); ++k) {
        const FactChange& c = s.changes[k];
        h += "<tr>";
        if (k == 0) {
          const std::string rows = std::to_string(s.changes.size());
          h += "<td class=\"num\" rowspan=\"" + rows + "\">" + std::to_string(i + 1) + "</td><td rowspan=\"" + rows +
               "\"><code>" + esc(s.name) + "</code></td>";
        }
        h += "<td><code>" + esc(c.fact) + "</code></td><td>" + esc(c.before) + "</td><td><strong>" + esc(c.after) +
             "</strong></td></tr>\n";
      }
    }
    h += "</tbody>\n</table>\n";
  }

  // ---- goals -----------------------------------------------------------------------------
  h += "<h2>Goals considered</h2>\n<table id=\"goals\">\n<thead><tr><th>goal</th><th class=\"num\">priority</th>"
       "<th>status</th><th class=\"num\">cost</th><th class=\"num\">steps</th><th>why</th></tr></thead>\n<tbody>\n";
  for (const GoalRow& g : p.goals) {
    h += std::string("<tr") + (g.chosen ? " class=\"chosen\"" : "") + "><td><code>" + esc(g.name) + "</code>" +
         (g.chosen ? " <small>(chosen)</small>" : "") + "</td><td class=\"num\">" + std::to_string(g.priority) +
         "</td><td>" + badge(g.status, g.status) + "</td><td class=\"num\">" +
         (g.cost >= 0 ? std::to_string(g.cost) : "") + "</td><td class=\"num\">" +
         (g.status == "plan" ? std::to_string(g.steps) : "") + "</td><td>" + esc(g.reason) + "</td></tr>\n";
  }
  h += "</tbody>\n</table>\n";

  // ---- search ----------------------------------------------------------------------------
  h += "<h2>Search statistics</h2>\n<table id=\"stats\" class=\"kv\">\n<tbody>\n";
  auto row = [&](const std::string& k, const std::string& v) {
    h += "<tr><th>" + esc(k) + "</th><td class=\"num\">" + esc(v) + "</td></tr>\n";
  };
  row("algorithm", p.algorithm);
  row("heuristic", p.heuristic);
  row("expanded states", std::to_string(p.stats.expanded));
  row("generated states", std::to_string(p.stats.generated));
  row("stored states", std::to_string(p.stats.states));
  row("grounded operators", std::to_string(p.stats.operators));
  row("state variables", std::to_string(p.stats.variables));
  row("grounding ms", num(p.stats.ground_ms));
  row("search ms (all goals)", num(p.stats.search_ms));
  row("total ms", num(p.stats.total_ms));
  h += "</tbody>\n</table>\n";

  if (!p.search_tree.empty()) {
    h += "<h2>First expanded search nodes</h2>\n<table id=\"search-tree\">\n<thead><tr><th class=\"num\">#</th>"
         "<th class=\"num\">state</th><th class=\"num\">parent</th><th>via</th><th class=\"num\">g</th><th class=\"num\">h</th>"
         "<th class=\"num\">f</th></tr></thead>\n<tbody>\n";
    for (const exec::TraceNode& n : p.search_tree) {
      h += "<tr><td class=\"num\">" + std::to_string(n.order + 1) + "</td><td class=\"num\">s" + std::to_string(n.state) +
           "</td><td class=\"num\">" + (n.parent < 0 ? std::string("&mdash;") : "s" + std::to_string(n.parent)) +
           "</td><td><code>" + esc(n.via.empty() ? "(start)" : n.via) + "</code>" + (n.is_goal ? " " + badge("plan", "goal") : "") +
           "</td><td class=\"num\">" + std::to_string(n.g) + "</td><td class=\"num\">" + std::to_string(n.h) +
           "</td><td class=\"num\">" + std::to_string(n.g + n.h) + "</td></tr>\n";
    }
    h += "</tbody>\n</table>\n";
  }

  h += "<footer>Written by goap. This page is self-contained: it loads nothing from the network.</footer>\n";
  h += "</main>\n</body>\n</html>\n";
  return h;
}

}  // namespace goap::exporting
