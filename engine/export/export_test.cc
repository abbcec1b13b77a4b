// The pictures: what DOT, Mermaid and HTML say about a small world whose names are traps (a
// hyphen, DOT's `node`, Mermaid's `end`), and the Graphviz runner's failure messages. Whether
// Graphviz accepts the DOT and Chromium shows the HTML is checked end to end in tests/export.
#include <doctest/doctest.h>

#include <string>

#include "exec/goal_planner.h"
#include "export/domain_view.h"
#include "export/dot.h"
#include "export/graphviz.h"
#include "export/html.h"
#include "export/mermaid.h"
#include "export/plan_view.h"
#include "load/loader.h"

using namespace goap;

namespace {

constexpr const char* kWorld = R"(
kind: world
name: traps
types: {box: {}, host: {}}
objects:
  end: box
  node-a: host
  node-b: host
facts:
  up(host): bool
  packed(box): bool
  hosts(host, box): bool
  tries: int[0..2]
state:
  - hosts(node-b, end)
actions:
  node:
    params: {h: host}
    pre: [tries < 2]
    eff: [up($h), tries += 1]
    cost: 3
    approval: true
  pack:
    params: {b: box, h: host}
    pre: [hosts($h, $b), up($h)]
    eff: [packed($b)]
    cost: 2
goals:
  packed-end:
    priority: 10
    want: [packed(end)]
)";

struct Fixture {
  core::SourceManager sm;
  core::Diagnostics diags;
  model::World world;
  model::State state;
  exec::Decision decision;
  exporting::PlanView view;

  Fixture() {
    auto w = load::load_world_text("traps.yaml", kWorld, sm, diags);
    INFO(core::render_all(diags, sm));
    REQUIRE(w.has_value());
    world = std::move(*w);
    state = world.initial_state();
    exec::PlannerOptions o;
    o.threads = 1;
    exec::PlanningError err;
    auto d = exec::decide(world, state, o, &err);
    REQUIRE(d.has_value());
    decision = std::move(*d);
    view = exporting::make_plan_view(world, state, decision);
  }
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the plan view replays the plan on the model: what each step changed, where the goal holds") {
  Fixture f;
  REQUIRE(f.view.status == "plan");
  CHECK(f.view.goal == "packed-end");
  CHECK(f.view.cost == 5);
  REQUIRE(f.view.steps.size() == 2);
  CHECK(f.view.steps[0].name == "node(node-b)");
  CHECK(f.view.steps[0].approval);
  REQUIRE(f.view.steps[0].changes.size() == 2);
  CHECK(f.view.steps[0].changes[0].text == "up(node-b)");
  CHECK(f.view.steps[0].changes[1].fact == "tries");
  CHECK(f.view.steps[0].changes[1].before == "0");
  CHECK(f.view.steps[0].changes[1].after == "1");
  CHECK(f.view.steps[1].name == "pack(end, node-b)");
  REQUIRE(f.view.states.size() == 3);
  CHECK(!f.view.states[1].is_goal);
  CHECK(f.view.states[2].is_goal);
  REQUIRE(f.view.wanted.size() == 1);
  CHECK(f.view.wanted[0].text == "packed(end)");
  CHECK(!f.view.wanted[0].at_start);
  CHECK(f.view.wanted[0].at_end);
}

TEST_CASE("DOT: generated node ids, every label quoted, approvals red, the goal state doubled") {
  Fixture f;
  const std::string dot = exporting::plan_to_dot(f.view);
  CHECK(dot.rfind("digraph G {", 0) == 0);
  CHECK(contains(dot, "\ns0[label=\"start\\lwanted, not yet true:\\l  packed(end)\\l\""));
  CHECK(contains(dot, "s0->s1 [label=\"1. node(node-b)\\ncost 3\\nneeds approval\", color=\"#b03a2e\""));
  CHECK(contains(dot, "s1->s2 [label=\"2. pack(end, node-b)\\ncost 2\"]"));
  CHECK(contains(dot, "s2[label=\"goal reached: packed-end\\l  packed(end)\\l\""));
  CHECK(contains(dot, "peripheries=2"));
  CHECK(!contains(dot, "\nnode-b"));  // a hyphenated name never stands unquoted
}

TEST_CASE("DOT quoting: quotes and backslashes escaped, newlines as line breaks") {
  CHECK(exporting::dot_quote("a-b") == "\"a-b\"");
  CHECK(exporting::dot_quote("say \"hi\"\\") == "\"say \\\"hi\\\"\\\\\"");
  CHECK(exporting::dot_quote("one\ntwo") == "\"one\\ntwo\"");
  CHECK(exporting::dot_quote("one\ntwo", true) == "\"one\\ltwo\\l\"");
}

TEST_CASE("the domain graph: ids that are never DOT keywords, reads dashed, writes labelled") {
  Fixture f;
  const exporting::DomainView v = exporting::make_domain_view(f.world);
  REQUIRE(v.facts.size() == 4);
  CHECK(v.facts[2].is_static);   // hosts: no action writes it
  CHECK(!v.facts[0].is_static);  // up
  CHECK(v.facts[3].type == "int[0..2]");
  const std::string dot = exporting::domain_to_dot(v);
  CHECK(contains(dot, "\"action node\"[label=\"node(h: host)\\ncost 3\\nneeds approval\""));
  CHECK(contains(dot, "\"fact tries\"->\"action node\" [label=\"< 2\", style=dashed"));
  CHECK(contains(dot, "\"action node\"->\"fact tries\" [label=\"+= 1\"]"));
  CHECK(contains(dot, "\"action node\"->\"fact up\" [label=\"sets\"]"));
  CHECK(contains(dot, "\"fact hosts\"->\"action pack\" [style=dashed"));
}

TEST_CASE("Mermaid: generated ids, entity-escaped labels, `end` only inside quotes") {
  Fixture f;
  const std::string m = exporting::plan_to_mermaid(f.view);
  CHECK(contains(m, "flowchart TD\n"));
  CHECK(contains(m, "  s0 -->|\"1. node(node-b)<br/>cost 3<br/>needs approval\"| s1\n"));
  CHECK(contains(m, "  class s2 goal\n"));
  CHECK(contains(m, "  linkStyle 0 stroke:#b03a2e"));
  // No line starts a statement with a bare name: every node id is s<N>.
  std::size_t pos = 0;
  while ((pos = m.find("\n  ", pos)) != std::string::npos) {
    pos += 3;
    const std::string word = m.substr(pos, m.find_first_of(" [(-", pos) - pos);
    CHECK((word[0] == 's' || word == "classDef" || word == "class" || word == "linkStyle"));
  }
  CHECK(exporting::mermaid_quote("a < 3 & \"b\" #1\nend") == "\"a #60; 3 #38; #34;b#34; #35;1<br/>end\"");
  const std::string d = exporting::domain_to_mermaid(exporting::make_domain_view(f.world));
  CHECK(contains(d, "  f0([\"up(host)\"])\n"));
  CHECK(contains(d, "  a0[\"node(h: host)<br/>cost 3<br/>needs approval\"]\n"));
  CHECK(contains(d, "  f3 -.->|\"#60; 2\"| a0\n"));
  CHECK(contains(d, "  class a0 approval\n"));
}

TEST_CASE("HTML: self-contained, every step and the SVG in the page, text escaped") {
  Fixture f;
  exporting::SvgResult svg;
  svg.ok = true;
  svg.svg = "<svg id=\"fake\"></svg>";
  const std::string html = exporting::plan_to_html(f.view, exporting::plan_to_dot(f.view), svg);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(contains(html, "<svg id=\"fake\"></svg>"));
  CHECK(contains(html, "<code class=\"action\">node(node-b)</code> <span class=\"badge b-approval\">needs approval</span>"));
  CHECK(contains(html, "<code class=\"action\">pack(end, node-b)</code>"));
  CHECK(contains(html, "<td><code>tries</code></td><td>0</td><td><strong>1</strong></td>"));
  CHECK(!contains(html, "http://"));  // nothing to fetch
  CHECK(!contains(html, "https://"));
  CHECK(!contains(html, "<script"));
  CHECK(contains(html, "label=&quot;start"));  // the DOT source, escaped
}

TEST_CASE("HTML without Graphviz: a note that says why, and the DOT source to render elsewhere") {
  Fixture f;
  exporting::SvgResult none;
  none.error = "Graphviz's 'dot' program is not installed (or not on PATH)";
  const std::string html = exporting::plan_to_html(f.view, "digraph G {}", none);
  CHECK(contains(html, "id=\"no-picture\""));
  CHECK(contains(html, "Graphviz&#39;s &#39;dot&#39; program is not installed"));
  CHECK(contains(html, "<pre>digraph G {}</pre>"));
  CHECK(!contains(html, "<svg"));
  CHECK(exporting::html_escape("<a href='x'>&</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
}

TEST_CASE("the Graphviz runner says what went wrong, in words for the page") {
  exporting::GraphvizRenderer missing("/nonexistent/goap-test/dot");
  const exporting::SvgResult r = missing.render("digraph G {}");
  CHECK(!r.ok);
  CHECK(contains(r.error, "is not installed"));
  exporting::GraphvizRenderer failing("false");
  const exporting::SvgResult f = failing.render("digraph G {}");
  CHECK(!f.ok);
  CHECK(contains(f.error, "failed (exit 1)"));
  CHECK(exporting::svg_element("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg a=\"1\">x</svg>\n") == "<svg a=\"1\">x</svg>");
  CHECK(exporting::svg_element("no picture") == "");
}
