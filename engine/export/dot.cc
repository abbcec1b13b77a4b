#include "export/dot.h"

#include <sstream>
#include <utility>
#include <vector>

// gcc 12 reports -Wmaybe-uninitialized false positives inside write_graphviz (TOOLCHAIN.md).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>

namespace goap::exporting {
namespace {

constexpr const char* kFont = "Helvetica,Arial,sans-serif";
constexpr const char* kApproval = "#b03a2e";

struct VertexProps {
  std::string id;     // written through boost::escape_dot_string: plain ids or ids with a space
  std::string attrs;  // `label="...", shape=box`: written between [ ] as is
};
struct EdgeProps {
  std::string attrs;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, VertexProps, EdgeProps>;

class AttrWriter {
 public:
  explicit AttrWriter(const Graph& g) : g_(&g) {}
  void operator()(std::ostream& out, Graph::vertex_descriptor v) const { write(out, (*g_)[v].attrs); }
  void operator()(std::ostream& out, Graph::edge_descriptor e) const { write(out, (*g_)[e].attrs); }

 private:
  static void write(std::ostream& out, const std::string& attrs) {
    if (!attrs.empty()) out << "[" << attrs << "]";
  }
  const Graph* g_;
};

class DefaultsWriter {
 public:
  explicit DefaultsWriter(std::string lines) : lines_(std::move(lines)) {}
  void operator()(std::ostream& out) const { out << lines_; }

 private:
  std::string lines_;
};

std::string render(const Graph& g, const std::string& defaults) {
  std::ostringstream out;
  boost::write_graphviz(out, g, AttrWriter(g), AttrWriter(g), DefaultsWriter(defaults), boost::get(&VertexProps::id, g));
  return out.str();
}

std::string attr(const char* key, const std::string& quoted_value) { return std::string(key) + "=" + quoted_value; }

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (const std::string& p : parts) s += (s.empty() ? "" : ", ") + p;
  return s;
}

std::string plural(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

}  // namespace

std::string dot_quote(const std::string& s, bool left_justify) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += left_justify ? "\\l" : "\\n"; break;
      case '\r': break;
      default: out += c;
    }
  }
  if (left_justify && (s.empty() || s.back() != '\n')) out += "\\l";
  return out + "\"";
}

std::string plan_to_dot(const PlanView& plan) {
  Graph g;
  std::string title = plan.goal.empty() ? "goap: " + plan.world + " (" + plan.status + ")"
                                        : "goal " + plan.goal + " (priority " + std::to_string(plan.priority) + ")";
  if (plan.status == "plan")
    title += ": " + plural(plan.steps.size(), "step", "steps") + ", cost " + std::to_string(plan.cost) +
             (plan.optimal ? "" : " (satisficing)");
  else if (plan.status != "plan")
    title += ": " + (plan.goal.empty() ? std::string("no plan") : plan.status);

  for (std::size_t i = 0; i < plan.states.size(); ++i) {
    const StateView& st = plan.states[i];
    std::string label;
    std::vector<std::string> attrs;
    if (i == 0) {
      label = "start\n";
      std::vector<std::string> unmet;
      for (const WantedView& w : plan.wanted)
        if (!w.at_start) unmet.push_back(w.text);
      if (!unmet.empty()) {
        label += "wanted, not yet true:\n";
        for (const std::string& u : unmet) label += "  " + u + "\n";
      }
      if (plan.status == "satisfied" || (plan.steps.empty() && plan.status == "plan")) label += "every wanted fact holds\n";
      attrs.push_back("fillcolor=\"#eaf2f8\"");
    } else {
      label = st.is_goal ? "goal reached: " + plan.goal + "\n" : "after step " + std::to_string(i) + "\n";
      for (const FactChange& c : st.changed) label += "  " + c.text + "\n";
      if (st.changed.empty()) label += "  (nothing changed)\n";
    }
    if (st.is_goal) {
      attrs.push_back("fillcolor=\"#d5f5e3\"");
      attrs.push_back("color=\"#1e8449\"");
      attrs.push_back("penwidth=2");
      attrs.push_back("peripheries=2");
    }
    attrs.insert(attrs.begin(), attr("label", dot_quote(label, true)));
    boost::add_vertex(VertexProps{"s" + std::to_string(i), join(attrs)}, g);
  }
  for (std::size_t i = 0; i < plan.steps.size(); ++i) {
    const StepView& s = plan.steps[i];
    std::string label = std::to_string(i + 1) + ". " + s.name + "\ncost " + std::to_string(s.cost);
    std::vector<std::string> attrs;
    if (s.approval) {
      label += "\nneeds approval";
      attrs.push_back(attr("color", dot_quote(kApproval)));
      attrs.push_back(attr("fontcolor", dot_quote(kApproval)));
      attrs.push_back("penwidth=2.5");
      attrs.push_back("style=bold");
    }
    attrs.insert(attrs.begin(), attr("label", dot_quote(label)));
    boost::add_edge(i, i + 1, EdgeProps{join(attrs)}, g);
  }
  std::string defaults = "graph [rankdir=TB, labelloc=t, fontsize=16, fontname=" + dot_quote(kFont) +
                         ", label=" + dot_quote(title) + "];\n";
  defaults += "node [shape=box, style=\"rounded,filled\", fillcolor=\"#f8f9f9\", color=\"#566573\", fontname=" +
              dot_quote(kFont) + ", fontsize=11];\n";
  defaults += "edge [color=\"#2c3e50\", fontname=" + dot_quote(kFont) + ", fontsize=11];\n";
  return render(g, defaults);
}

std::string domain_to_dot(const DomainView& domain) {
  Graph g;
  for (const DomainView::Fact& f : domain.facts) {
    std::string label = f.signature + (f.type == "bool" ? "" : "\n" + f.type);
    if (f.external) label += "\nexternal";
    std::vector<std::string> attrs{attr("label", dot_quote(label)), "shape=ellipse"};
    if (f.is_static) {
      attrs.push_back("style=\"filled,dashed\"");
      attrs.push_back("fillcolor=\"#f2f3f4\"");
      attrs.push_back("fontcolor=\"#566573\"");
    } else {
      attrs.push_back("style=filled");
      attrs.push_back("fillcolor=\"#eaf2f8\"");
    }
    boost::add_vertex(VertexProps{"fact " + f.name, join(attrs)}, g);
  }
  const std::size_t base = domain.facts.size();
  for (const DomainView::Action& a : domain.actions) {
    std::string label = a.signature + "\ncost " + std::to_string(a.cost);
    std::vector<std::string> attrs;
    if (a.approval) {
      label += "\nneeds approval";
      attrs.push_back(attr("color", dot_quote(kApproval)));
      attrs.push_back(attr("fontcolor", dot_quote(kApproval)));
      attrs.push_back("penwidth=2.5");
    }
    attrs.insert(attrs.begin(), attr("label", dot_quote(label)));
    boost::add_vertex(VertexProps{"action " + a.name, join(attrs)}, g);
  }
  for (const DomainView::Edge& e : domain.edges) {
    std::vector<std::string> attrs;
    if (const std::string l = edge_label(e); !l.empty()) attrs.push_back(attr("label", dot_quote(l)));
    if (!e.produces) attrs.push_back("style=dashed, color=\"#7f8c8d\"");
    else if (e.clears) attrs.push_back(attr("color", dot_quote(kApproval)));
    if (e.produces)
      boost::add_edge(base + e.action, e.fact, EdgeProps{join(attrs)}, g);
    else
      boost::add_edge(e.fact, base + e.action, EdgeProps{join(attrs)}, g);
  }
  std::string defaults = "graph [rankdir=LR, labelloc=t, fontsize=16, fontname=" + dot_quote(kFont) +
                         ", label=" + dot_quote("domain of " + domain.world + ": facts (ellipses) read by and written by actions (boxes)") + "];\n";
  defaults += "node [shape=box, style=rounded, color=\"#566573\", fontname=" + dot_quote(kFont) + ", fontsize=11];\n";
  defaults += "edge [color=\"#2c3e50\", fontname=" + dot_quote(kFont) + ", fontsize=10];\n";
  return render(g, defaults);
}

}  // namespace goap::exporting

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
