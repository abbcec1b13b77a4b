// The run loop with failed sensors, on FakeFleet (exec/seams.h) and FakeClock: a fact whose
// sensor fails is unknown, nothing that reads it is carried out, and a run that can do nothing
// else ends facts_unknown with each fact and its sensor's error. The command plugin is loaded
// (GOAP_TEST_PLUGIN_DIR) only so that actions bind; FakeFleet carries nothing out.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>

#include "exec/runner.h"
#include "load/loader.h"

using namespace goap;

namespace {

const char* kWorld = R"(
kind: world
facts: {ssh_ok: bool, up: bool, disk_ok: bool, cleaned: bool}
state: [ssh_ok, disk_ok]
actions:
  restart: {pre: [ssh_ok], eff: [up], run: {plugin: command, with: {argv: ["true"]}}}
  clean: {eff: [cleaned], run: {plugin: command, with: {argv: ["true"]}}}
goals:
  up: {priority: 10, want: [up]}
  clean-disk: {priority: 5, when: [not disk_ok], want: [cleaned]}
)";

struct Fixture {
  core::SourceManager sm;
  core::Diagnostics diags;
  model::World world;
  std::vector<load::SensorSpec> specs;
  plugin_host::PluginSet plugins;
  exec::FakeClock clock;
  exec::FakeFleet fleet;
  exec::RunOptions options;
  std::FILE* out = std::tmpfile();

  Fixture() {
    auto w = load::load_world_text("w.yaml", kWorld, sm, diags);
    INFO(core::render_all(diags, sm));
    REQUIRE(w);
    world = std::move(*w);
    for (const char* f : {"ssh_ok", "up", "disk_ok", "cleaned"}) {
      load::SensorSpec s;
      s.text = f;
      s.term.fact = world.fact_index.at(f);
      s.plugin = "command";
      specs.push_back(s);
    }
    const char* dir = std::getenv("GOAP_TEST_PLUGIN_DIR");
    REQUIRE_MESSAGE(dir, "GOAP_TEST_PLUGIN_DIR names the command plugin's directory");
    plugins = plugin_host::PluginSet::load({dir});
    REQUIRE(plugins.find("command"));
    options.clock = &clock;
    options.fleet = &fleet;
    options.verify_window = std::chrono::milliseconds(0);
  }
  ~Fixture() { std::fclose(out); }

  model::GroundTerm term(const char* fact) const { return model::GroundTerm{world.fact_index.at(fact), {}}; }
  exec::Reading ok(const char* fact, int value) const {
    exec::Reading r;
    r.sensor = fact;
    r.plugin = "command";
    r.term = term(fact);
    r.ok = true;
    r.value = value;
    return r;
  }
  exec::Reading failed(const char* fact, const char* error) const {
    exec::Reading r = ok(fact, 0);
    r.ok = false;
    r.error = error;
    return r;
  }
  exec::RunResult run() { return exec::run(world, world.initial_state(), specs, plugins, nullptr, options, out); }
  std::string output() {
    std::fflush(out);
    std::rewind(out);
    std::string s;
    for (int c; (c = std::fgetc(out)) != EOF;) s += static_cast<char>(c);
    return s;
  }
};

}  // namespace

TEST_CASE("a run never acts on a fact its sensor could not read, and ends facts_unknown") {
  Fixture f;
  // The world file says ssh_ok; its sensor crashed. restart reads ssh_ok: not done on a guess.
  f.fleet.on_sense = [&](const std::vector<load::SensorSpec>&) {
    return std::vector<exec::Reading>{f.failed("ssh_ok", "crashed: the plugin crashed: Segmentation fault"), f.ok("up", 0),
                                      f.ok("disk_ok", 1), f.ok("cleaned", 0)};
  };
  const exec::RunResult r = f.run();
  const std::string out = f.output();
  INFO(out);
  CHECK(r.status == exec::RunStatus::facts_unknown);
  CHECK(f.fleet.acts.empty());
  REQUIRE(r.unknown.size() == 1);
  CHECK(r.unknown[0].term == f.term("ssh_ok"));
  CHECK(r.unknown[0].error.find("Segmentation fault") != std::string::npos);
  CHECK(r.message.find("ssh_ok: sensor ssh_ok (command): crashed") != std::string::npos);
  CHECK(out.find("sensor ssh_ok failed") != std::string::npos);
  CHECK(out.find("keeping") == std::string::npos);
}

TEST_CASE("an unknown fact blocks only the goals that read it, and is known again once a sensor reads it") {
  Fixture f;
  // disk_ok cannot be read at first: whether clean-disk is relevant is unknown, so only `up` is
  // worked. After the restart the sensor answers (the disk is full): clean-disk is worked too.
  f.fleet.on_sense = [&](const std::vector<load::SensorSpec>&) {
    const bool first = f.fleet.senses == 1;
    std::size_t carried_out = 0;  // acts holds the describe calls too
    for (const auto& a : f.fleet.acts) carried_out += a.op == GOAP_OP_ACT;
    const bool restarted = carried_out >= 1;
    const bool cleaned = carried_out >= 2;
    return std::vector<exec::Reading>{f.ok("ssh_ok", 1), f.ok("up", restarted ? 1 : 0),
                                      first ? f.failed("disk_ok", "hung: no answer within 2000 ms") : f.ok("disk_ok", 0),
                                      f.ok("cleaned", cleaned ? 1 : 0)};
  };
  const exec::RunResult r = f.run();
  const std::string out = f.output();
  INFO(out);
  CHECK(r.status == exec::RunStatus::done);
  REQUIRE(f.fleet.acts.size() >= 2);
  std::vector<std::string> done;
  for (const auto& a : f.fleet.acts)
    if (a.op == GOAP_OP_ACT) done.push_back(a.action);
  CHECK(done == std::vector<std::string>{"restart", "clean"});
  CHECK(r.unknown.empty());
}

TEST_CASE("a sensor that reports a value of no fact leaves the fact unknown") {
  exec::Reading bad;
  bad.term.fact = model::FactId::from(0);
  bad.error = "the sensor reported 'maybe', which is not a value of ssh_ok (bool)";
  exec::Reading good = bad;
  good.term.fact = model::FactId::from(1);
  good.ok = true;
  std::vector<exec::UnknownFact> unknown = exec::unknown_facts({bad, good});
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].error.find("maybe") != std::string::npos);
  // Read again successfully: known again; readings that do not mention it change nothing.
  exec::track_unknown({good}, unknown);
  CHECK(unknown.size() == 1);
  bad.ok = true;
  exec::track_unknown({bad}, unknown);
  CHECK(unknown.empty());
}
