// Templates fill single values: an argv keeps its shape whatever the objects' attributes hold.
#include <doctest/doctest.h>

#include "core/diag.h"
#include "exec/binding.h"
#include "load/loader.h"

using namespace goap;

namespace {

model::World lab() {
  core::SourceManager sm;
  core::Diagnostics diags;
  auto w = load::load_world_text("lab.yaml", R"(kind: world
name: lab
types: {host: {}}
objects:
  web: {type: host, address: "10.0.0.1; rm -rf /", user: "root"}
  db: {type: host, address: 10.0.0.2, user: admin}
facts: {up(host): bool}
actions:
  ping:
    params: {h: host}
    eff: [up($h)]
    run: {plugin: command, with: {argv: [ssh, "${h.user}@${h.address}", "echo", "$$HOME ${h}"]}}
)", sm, diags);
  REQUIRE_MESSAGE(w.has_value(), core::render_all(diags, sm));
  return std::move(*w);
}

}  // namespace

TEST_CASE("templates fill single argv elements, never split them") {
  const model::World w = lab();
  const model::Action& a = w.actions[0];
  exec::BindError err;
  auto p = exec::bind_with(a.run->with, w, a.params, {w.object_index.at("web")}, &err);
  REQUIRE(p);
  REQUIRE(p->size() == 1);
  CHECK((*p)[0].is_list);
  CHECK((*p)[0].items == std::vector<std::string>{"ssh", "root@10.0.0.1; rm -rf /", "echo", "$HOME web"});
}

TEST_CASE("a template naming a missing attribute is an error that says which") {
  const model::World w = lab();
  exec::BindError err;
  auto v = exec::expand("${h.port}", w, w.actions[0].params, {w.object_index.at("db")}, &err);
  CHECK_FALSE(v);
  CHECK(err.message == "object 'db' has no attribute 'port' (used as ${h.port})");
}

TEST_CASE("all_bindings enumerates every object of each parameter's type") {
  const model::World w = lab();
  CHECK(exec::all_bindings(w, w.actions[0].params).size() == 2);
  CHECK(exec::all_bindings(w, {}).size() == 1);
}

TEST_CASE("a template that starts an argv element may not fill it with an option") {
  core::SourceManager sm;
  core::Diagnostics diags;
  auto w = load::load_world_text("lab.yaml", R"(kind: world
name: lab
types: {host: {}}
objects:
  good: {type: host, user: root, flag: "-oProxyCommand=touch /tmp/x;"}
  evil: {type: host, user: "-oProxyCommand=touch /tmp/x;", flag: ok}
facts: {up(host): bool}
actions:
  ping:
    params: {h: host}
    eff: [up($h)]
    run: {plugin: command, with: {argv: [ssh, "${h.user}@10.0.0.1", "x-${h.flag}", "--", "${h.flag}"]}}
)", sm, diags);
  REQUIRE_MESSAGE(w.has_value(), core::render_all(diags, sm));
  const model::Action& a = w->actions[0];
  const plugin_host::KindInfo kind{"command", "", "", {{"argv", "list", std::nullopt, ""}}};
  const auto& argv = a.run->with[0].second;
  CHECK(exec::in_option_position(argv, 1, "list"));
  CHECK_FALSE(exec::in_option_position(argv, 0, "list"));  // a literal
  CHECK_FALSE(exec::in_option_position(argv, 2, "list"));  // text before the template fixes the start
  CHECK_FALSE(exec::in_option_position(argv, 4, "list"));  // after "--": an operand
  CHECK_FALSE(exec::in_option_position(argv, 1, "string"));
  CHECK(exec::in_option_position(model::WithValue{{"${h.user}x"}, false, {}}, 0, "user"));

  exec::BindError err;
  auto good = exec::bind_with(a.run->with, *w, a.params, {w->object_index.at("good")}, &err);
  REQUIRE(good);
  // No option for `good`, but this argv runs ssh: its flag would reach the remote shell as text.
  const auto good_issues = exec::argv_option_issues(a.run->with, *good, kind);
  REQUIRE(good_issues.size() == 1);
  CHECK(good_issues[0].message.find("'argv' element 3 ('x-${h.flag}')") == 0);
  CHECK(good_issues[0].message.find("one plain word") != std::string::npos);
  auto evil = exec::bind_with(a.run->with, *w, a.params, {w->object_index.at("evil")}, &err);
  REQUIRE(evil);
  const auto issues = exec::argv_option_issues(a.run->with, *evil, kind);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].param == "argv");
  CHECK(issues[0].message ==
        "'argv' element 2 ('${h.user}@10.0.0.1') would be '-oProxyCommand=touch /tmp/x;@10.0.0.1', which the program "
        "would read as an option");

  const auto values = exec::template_values("${h.user}@10.0.0.1", *w, a.params, 100);
  REQUIRE(values.size() == 2);
  CHECK(values[0].value == "root@10.0.0.1");
  CHECK(values[1].value == "-oProxyCommand=touch /tmp/x;@10.0.0.1");
  CHECK(exec::template_values("${h.user}", *w, a.params, 1).size() == 1);
}

TEST_CASE("a hand-written ssh argv sends only plain words from templates to the remote shell") {
  core::SourceManager sm;
  core::Diagnostics diags;
  auto w = load::load_world_text("vps.yaml", R"yaml(kind: world
name: vps
types: {vps: {}}
objects:
  plain: {type: vps, user: root, address: gpu.example, droplet: web-1}
  evil: {type: vps, user: root, address: gpu.example, droplet: "x; touch PWNED"}
  quoted: {type: vps, user: root, address: gpu.example, droplet: "$(touch PWNED)"}
facts: {rebuilt(vps): bool}
actions:
  rebuild:
    params: {v: vps}
    eff: [rebuilt($v)]
    run: {plugin: command, with: {argv: [/usr/bin/ssh, "${v.user}@${v.address}", rebuild, "${v.droplet}"]}}
  local:
    params: {v: vps}
    eff: [rebuilt($v)]
    run: {plugin: command, with: {argv: [echo, "${v.droplet}"]}}
)yaml", sm, diags);
  REQUIRE_MESSAGE(w.has_value(), core::render_all(diags, sm));
  const plugin_host::KindInfo kind{"command", "", "", {{"argv", "list", std::nullopt, ""}}};
  const auto issues_for = [&](std::size_t action, const char* object) {
    const model::Action& a = w->actions[action];
    exec::BindError err;
    auto bound = exec::bind_with(a.run->with, *w, a.params, {w->object_index.at(object)}, &err);
    REQUIRE(bound);
    return exec::argv_option_issues(a.run->with, *bound, kind);
  };
  CHECK(exec::runs_over_ssh(w->actions[0].run->with[0].second));
  CHECK_FALSE(exec::runs_over_ssh(w->actions[1].run->with[0].second));
  CHECK(issues_for(0, "plain").empty());
  for (const char* bad : {"evil", "quoted"}) {
    const auto issues = issues_for(0, bad);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].message.find("'argv' element 4 ('${v.droplet}')") == 0);
  }
  // Without ssh the value is one argv element, whatever it holds: no shell reads it.
  CHECK(issues_for(1, "evil").empty());
}
