// Approvals for a whole plan (exec/approvals.h) through the run loop, with a FakeClock, a
// FakeFleet (it records what would have been carried out) and a real journal in /tmp. The
// `command` plugin is loaded for real (its description of a step is faked by the fleet).
#include "exec/approvals.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "exec/runner.h"
#include "load/loader.h"

using namespace goap;
using namespace goap::exec;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char t[] = "/tmp/goap-approvals-XXXXXX";
    path = mkdtemp(t);
  }
  ~TempDir() { std::system(("rm -rf " + path).c_str()); }
};

model::World load_text(const std::string& text) {
  core::SourceManager sm;
  core::Diagnostics diags;
  auto w = load::load_world_text("approvals-test.yaml", text, sm, diags);
  INFO(core::render_all(diags, sm));
  REQUIRE(w.has_value());
  return std::move(*w);
}

// `promote` needs approval and comes second in its goal's plan; `web` needs none.
const char* kWorld = R"(
kind: world
facts: {fenced: bool, promoted: bool, web: bool}
actions:
  fence: {eff: [fenced], run: {plugin: command, with: {argv: [echo, fence]}}}
  promote: {pre: [fenced], eff: [promoted], approval: true, run: {plugin: command, with: {argv: [echo, promote]}}}
  promote-slowly: {eff: [promoted], cost: 9, run: {plugin: command, with: {argv: [echo, slowly]}}}
  start-web: {eff: [web], run: {plugin: command, with: {argv: [echo, web]}}}
goals:
  promoted: {priority: 90, want: [promoted]}
  web-up: {priority: 10, want: [web]}
)";

struct Rig {
  TempDir dir;
  model::World world = load_text(kWorld);
  plugin_host::PluginSet plugins;
  std::unique_ptr<Journal> journal;
  FakeClock clock;
  FakeFleet fleet;
  std::string promote_command = "echo promote";
  std::FILE* out = std::fopen("/dev/null", "w");

  Rig() {
    const char* dir_env = std::getenv("GOAP_TEST_PLUGIN_DIR");
    REQUIRE_MESSAGE(dir_env, "GOAP_TEST_PLUGIN_DIR names the folder of the command plugin");
    plugins = plugin_host::PluginSet::load({dir_env});
    REQUIRE(plugins.find("command") != nullptr);
    std::string err;
    journal = Journal::open(dir.path + "/journal.db", &err);
    REQUIRE_MESSAGE(journal, err);
    // A description names the action (the promote command can be changed by the test).
    fleet.on_act = [this](const plugin_host::Invocation& call) {
      plugin_host::InvokeResult r;
      r.outcome = plugin_host::Outcome::ok;
      r.status = GOAP_OK;
      if (call.op == GOAP_OP_DESCRIBE)
        r.emitted.emplace_back("command", call.action == "promote" ? promote_command : "echo " + call.action);
      return r;
    };
  }
  ~Rig() { std::fclose(out); }
  RunResult run(std::vector<std::string> approve = {}) {
    RunOptions o;
    o.world_path = "/w/approvals-test.yaml";
    o.clock = &clock;
    o.fleet = &fleet;
    o.approve = std::move(approve);
    o.approval_ttl = std::chrono::hours(1);
    o.planner.threads = 1;
    return exec::run(world, model::State{}, {}, plugins, journal.get(), o, out);
  }
  // The ground actions carried out (not just described), in order.
  std::vector<std::string> acted() const {
    std::vector<std::string> a;
    for (const auto& c : fleet.acts)
      if (c.op == GOAP_OP_ACT) a.push_back(c.action);
    return a;
  }
};

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("a plan whose second step needs approval runs nothing; a goal that needs none is worked meanwhile") {
  Rig rig;
  const RunResult r = rig.run();
  CHECK(r.status == RunStatus::needs_approval);
  CHECK(rig.acted() == Names{"start-web"});  // not fence(): the plan's later step waits
  REQUIRE(r.waiting.size() == 1);
  const auto rows = rig.journal->approvals("/w/approvals-test.yaml");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].id == r.waiting[0]);
  CHECK(rows[0].id.size() == 8);
  CHECK(rows[0].id[0] == 'a');
  CHECK(rows[0].goal == "promoted");
  CHECK(rows[0].plan == "fence\t0\npromote\t1\n");
  CHECK(rows[0].commands == "0\techo fence\n1\techo promote\n");
  CHECK(standing(rows[0], rig.clock.now(), rows[0].files_hash).status == "pending");

  SUBCASE("the next run waits on the same request: not filed again") {
    rig.fleet.acts.clear();
    const RunResult again = rig.run();
    CHECK(again.status == RunStatus::needs_approval);
    CHECK(again.waiting == r.waiting);
    CHECK(rig.journal->approvals("/w/approvals-test.yaml").size() == 1);
    CHECK(rig.acted() == Names{"start-web"});  // the belief starts afresh: web is worked again
  }
  SUBCASE("approved: the next run carries out the whole plan") {
    CHECK(decide_request(*rig.journal, rig.clock, r.waiting[0], true, "alice", "") == "");
    rig.fleet.acts.clear();
    const RunResult done = rig.run();
    CHECK(done.status == RunStatus::done);
    CHECK(rig.acted() == Names{"fence", "promote", "start-web"});
    const auto row = rig.journal->approval(r.waiting[0]);
    CHECK(row->status == "used");  // good for one carrying-out
    CHECK(row->decided_by == "alice");
    CHECK(decide_request(*rig.journal, rig.clock, r.waiting[0], false, "bob", "") != "");  // decided once
    rig.fleet.acts.clear();
    const RunResult next_fault = rig.run();  // the same fault again: asked again
    CHECK(next_fault.status == RunStatus::needs_approval);
    CHECK(rig.acted() == Names{"start-web"});
    REQUIRE(next_fault.waiting.size() == 1);
    CHECK(next_fault.waiting[0] != r.waiting[0]);
  }
  SUBCASE("--approve names the action: no request is needed") {
    rig.fleet.acts.clear();
    CHECK(rig.run({"promote"}).status == RunStatus::done);
    CHECK(rig.acted() == Names{"fence", "promote", "start-web"});
  }
  SUBCASE("expired: cannot be approved, and the next run files a new request") {
    rig.clock.advance(std::chrono::minutes(61));
    const auto row = rig.journal->approval(r.waiting[0]);
    CHECK(standing(*row, rig.clock.now(), row->files_hash).status == "expired");
    CHECK(decide_request(*rig.journal, rig.clock, r.waiting[0], true, "alice", "").find("expired") != std::string::npos);
    rig.fleet.acts.clear();
    const RunResult again = rig.run();
    REQUIRE(again.waiting.size() == 1);
    CHECK(again.waiting[0] != r.waiting[0]);
    CHECK(rig.acted() == Names{"start-web"});
  }
  SUBCASE("an approval expires too: an hour after it was given") {
    rig.clock.advance(std::chrono::minutes(50));
    CHECK(decide_request(*rig.journal, rig.clock, r.waiting[0], true, "alice", "") == "");
    rig.clock.advance(std::chrono::minutes(61));
    rig.fleet.acts.clear();
    CHECK(rig.run().status == RunStatus::needs_approval);
    CHECK(rig.acted() == Names{"start-web"});
  }
  SUBCASE("an approval is void once the commands it covers change") {
    CHECK(decide_request(*rig.journal, rig.clock, r.waiting[0], true, "alice", "") == "");
    rig.promote_command = "echo promote --force";
    rig.fleet.acts.clear();
    const RunResult again = rig.run();
    CHECK(again.status == RunStatus::needs_approval);
    CHECK(rig.acted() == Names{"start-web"});
    const auto old = rig.journal->approval(r.waiting[0]);
    CHECK(old->status == "void");
    CHECK(old->reason == "the commands of promote changed since the request");
    REQUIRE(again.waiting.size() == 1);
    CHECK(again.waiting[0] != r.waiting[0]);
  }
  SUBCASE("an approval is void once the world's files change") {
    CHECK(decide_request(*rig.journal, rig.clock, r.waiting[0], true, "alice", "") == "");
    const auto row = rig.journal->approval(r.waiting[0]);
    const Standing st = standing(*row, rig.clock.now(), fnv_hex("other files"));
    CHECK(st.status == "void");
    CHECK(st.why == "the world's files changed since the request");
    ApprovalPolicy policy{rig.journal.get(), &rig.clock, "t", "/w/approvals-test.yaml", fnv_hex("other files"),
                          std::chrono::hours(1)};
    const PlanGate gate = gate_plan(policy, "promoted", {{"fence", false, {"echo fence"}}, {"promote", true, {"echo promote"}}});
    CHECK(gate.kind == PlanGate::Kind::waiting);
    CHECK(gate.filed);
    CHECK(gate.request != r.waiting[0]);
  }
  SUBCASE("declined: the step is planned around") {
    CHECK(decide_request(*rig.journal, rig.clock, r.waiting[0], false, "bob", "not during business hours") == "");
    rig.fleet.acts.clear();
    const RunResult done = rig.run();
    CHECK(done.status == RunStatus::done);
    CHECK(rig.acted() == Names{"promote-slowly", "start-web"});
    // still declined a day later: a decline lasts until the world or the step's commands change
    rig.clock.advance(std::chrono::hours(24));
    const auto row = rig.journal->approval(r.waiting[0]);
    CHECK(standing(*row, rig.clock.now(), row->files_hash).status == "declined");
    CHECK(row->reason == "not during business hours");
  }
}

TEST_CASE("the files hash changes with a file's contents; durations parse") {
  TempDir dir;
  model::World w;
  w.files = {dir.path + "/w.yaml"};
  std::ofstream(w.files[0]) << "a";
  const std::string before = world_files_hash(w);
  CHECK(before == world_files_hash(w));
  std::ofstream(w.files[0]) << "b";
  CHECK(before != world_files_hash(w));
  CHECK(parse_duration("1h") == std::chrono::hours(1));
  CHECK(parse_duration("1s") == std::chrono::seconds(1));
  CHECK(parse_duration("250ms") == std::chrono::milliseconds(250));
  CHECK(parse_duration("1") == std::chrono::seconds(1));  // a bare number is seconds, as in `timeout:`
  CHECK_FALSE(parse_duration("1x"));
  CHECK_FALSE(parse_duration("0s"));
  CHECK_FALSE(parse_duration("h"));
}
