#include "export/mermaid.h"

#include <vector>

namespace goap::exporting {
namespace {

constexpr const char* kApprovalStroke = "stroke:#b03a2e,stroke-width:3px,color:#b03a2e";

std::string plural(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

// Drops trailing line breaks, which would leave an empty last line in the box.
std::string trim_newlines(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace

std::string mermaid_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "#34;"; break;
      case '#': out += "#35;"; break;
      case '&': out += "#38;"; break;
      case '<': out += "#60;"; break;
      case '>': out += "#62;"; break;
      case '\n': out += "<br/>"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string plan_to_mermaid(const PlanView& plan) {
  std::string out;
  std::string title = plan.goal.empty() ? "goap " + plan.world + ": " + plan.status
                                        : "goal " + plan.goal + " (priority " + std::to_string(plan.priority) + ")";
  if (plan.status == "plan")
    title += ": " + plural(plan.steps.size(), "step", "steps") + ", cost " + std::to_string(plan.cost) +
             (plan.optimal ? "" : " (satisficing)");
  else if (!plan.goal.empty())
    title += ": " + plan.status;
  out += "%% " + title + "\n";
  out += "flowchart TD\n";
  for (std::size_t i = 0; i < plan.states.size(); ++i) {
    const StateView& st = plan.states[i];
    std::string label;
    if (i == 0) {
      label = "start\n";
      std::vector<std::string> unmet;
      for (const WantedView& w : plan.wanted)
        if (!w.at_start) unmet.push_back(w.text);
      if (!unmet.empty()) {
        label += "wanted, not yet true:\n";
        for (const std::string& u : unmet) label += u + "\n";
      }
      if (plan.status == "satisfied" || (plan.steps.empty() && plan.status == "plan")) label += "every wanted fact holds\n";
    } else {
      label = st.is_goal ? "goal reached: " + plan.goal + "\n" : "after step " + std::to_string(i) + "\n";
      for (const FactChange& c : st.changed) label += c.text + "\n";
      if (st.changed.empty()) label += "(nothing changed)\n";
    }
    out += "  s" + std::to_string(i) + "[" + mermaid_quote(trim_newlines(label)) + "]\n";
  }
  std::vector<std::size_t> approval_links;
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const StepView& s = plan.steps[i];
    std::string label = std::to_string(i + 1) + ". " + s.name + "\ncost " + std::to_string(s.cost);
    if (s.approval) {
      label += "\nneeds approval";
      approval_links.push_back(i);
    }
    out += "  s" + std::to_string(i) + " -->|" + mermaid_quote(label) + "| s" + std::to_string(i + 1) + "\n";
  }
  out += "  classDef start fill:#eaf2f8,stroke:#566573\n";
  out += "  classDef goal fill:#d5f5e3,stroke:#1e8449,stroke-width:3px\n";
  out += "  class s0 start\n";
  if (!plan.states.empty() && plan.states.back().is_goal) out += "  class s" + std::to_string(plan.states.size() - 1) + " goal\n";
  for (std::size_t i : approval_links) out += "  linkStyle " + std::to_string(i) + " " + kApprovalStroke + "\n";
  return out;
}

std::string domain_to_mermaid(const DomainView& domain) {
  std::string out = "%% domain of " + domain.world + ": facts (stadiums) read by and written by actions (boxes)\n";
  out += "flowchart LR\n";
  for (std::size_t i = 0; i < domain.facts.size(); ++i) {
    const DomainView::Fact& f = domain.facts[i];
    std::string label = f.signature + (f.type == "bool" ? "" : "\n" + f.type);
    if (f.external) label += "\nexternal";
    out += "  f" + std::to_string(i) + "([" + mermaid_quote(label) + "])\n";
  }
  for (std::size_t i = 0; i < domain.actions.size(); ++i) {
    const DomainView::Action& a = domain.actions[i];
    std::string label = a.signature + "\ncost " + std::to_string(a.cost);
    if (a.approval) label += "\nneeds approval";
    out += "  a" + std::to_string(i) + "[" + mermaid_quote(label) + "]\n";
  }
  std::vector<std::size_t> clearing;
  for (std::size_t k = 0; k < domain.edges.size(); ++k) {
    const DomainView::Edge& e = domain.edges[k];
    const std::string label = edge_label(e);
    const std::string with_label = label.empty() ? "" : "|" + mermaid_quote(label) + "|";
    if (e.produces) {
      out += "  a" + std::to_string(e.action) + " -->" + with_label + " f" + std::to_string(e.fact) + "\n";
      if (e.clears) clearing.push_back(k);
    } else {
      out += "  f" + std::to_string(e.fact) + " -.->" + with_label + " a" + std::to_string(e.action) + "\n";
    }
  }
  out += "  classDef fact fill:#eaf2f8,stroke:#566573\n";
  out += "  classDef static fill:#f2f3f4,stroke:#95a5a6,stroke-dasharray:4 3,color:#566573\n";
  out += "  classDef approval stroke:#b03a2e,stroke-width:3px,color:#b03a2e\n";
  std::string facts, statics, approvals;
  for (std::size_t i = 0; i < domain.facts.size(); ++i)
    (domain.facts[i].is_static ? statics : facts) += (std::string(1, ',') + "f" + std::to_string(i));
  for (std::size_t i = 0; i < domain.actions.size(); ++i)
    if (domain.actions[i].approval) approvals += ",a" + std::to_string(i);
  if (!facts.empty()) out += "  class " + facts.substr(1) + " fact\n";
  if (!statics.empty()) out += "  class " + statics.substr(1) + " static\n";
  if (!approvals.empty()) out += "  class " + approvals.substr(1) + " approval\n";
  for (std::size_t k : clearing) out += "  linkStyle " + std::to_string(k) + " stroke:#b03a2e\n";
  return out;
}

}  // namespace goap::exporting
