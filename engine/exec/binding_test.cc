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
