// load_world_text and friends on small in-memory worlds: what the model holds after loading
// (what `plan` will plan with), what a state override does, and that errors come back located
// and all at once. The golden files in tests/diagnostics pin the wording of many more errors;
// these tests pin the model.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "load/loader.h"
#include "load/yaml_doc.h"
#include "model/lint.h"

using namespace goap;
using model::ObjectId;
using model::TypeId;

namespace {

struct Loaded {
  core::SourceManager sm;
  core::Diagnostics diags;
  std::optional<model::World> world;

  [[nodiscard]] std::string rendered() const { return core::render_all(diags, sm); }
};

// Loads `text` as w.yaml; the Loaded object must outlive uses of the world's locations.
std::unique_ptr<Loaded> load_text(const std::string& text, const std::string& path = "w.yaml") {
  auto l = std::make_unique<Loaded>();
  l->world = load::load_world_text(path, text, l->sm, l->diags);
  return l;
}

const model::World& ok(const Loaded& l) {
  INFO(l.rendered());
  REQUIRE(l.world.has_value());
  CHECK(l.diags.error_count() == 0);
  return *l.world;
}

TypeId type(const model::World& w, const std::string& name) {
  REQUIRE(w.type_index.contains(name));
  return w.type_index.at(name);
}
ObjectId object(const model::World& w, const std::string& name) {
  REQUIRE(w.object_index.contains(name));
  return w.object_index.at(name);
}
const model::FactDecl& fact(const model::World& w, const std::string& name) {
  REQUIRE(w.fact_index.contains(name));
  return w.fact(w.fact_index.at(name));
}
const model::Action& action(const model::World& w, const std::string& name) {
  REQUIRE(w.action_index.contains(name));
  return w.action(w.action_index.at(name));
}
const model::Goal& goal(const model::World& w, const std::string& name) {
  REQUIRE(w.goal_index.contains(name));
  return w.goal(w.goal_index.at(name));
}

std::vector<std::string> names(const model::World& w, const std::vector<ObjectId>& ids) {
  std::vector<std::string> out;
  for (ObjectId o : ids) out.push_back(w.object(o).name);
  return out;
}

const char* const kFleet = R"(kind: world
name: fleet
types:
  host: {}
  vps: {is: host}
  agent: {}
objects:
  web1: {type: vps, address: 10.0.0.1}
  db1: {type: host, address: 10.0.0.3}
  web2: {type: vps, address: 10.0.0.2}
  ezra: agent
facts:
  reachable(host): bool
  disk_ok(host): bool
  agent_running(agent): bool
  link(host, host): bool
  restarts: int[0..3]
  temperature: int[-20..40]
  llm_provider: enum[kimi, ollama, none]
  outage: {type: bool, external: true}
  budget: {type: "int[0..9]", default: 5}
actions:
  restart:
    params: {h: host}
    pre: [reachable($h), disk_ok($h), restarts < 3, llm_provider != none]
    eff: [not disk_ok($h), restarts += 1, temperature -= 2]
    cost: 4
    approval: true
    run:
      plugin: command
      with: {argv: [ssh, "${h.address}", systemctl restart ollama], unit: ollama}
  connect:
    params: {a: host, b: host}
    pre: [reachable($a), reachable($b)]
    eff: [link($a, $b), llm_provider = ollama]
  start-agent:
    params: {a: agent}
    pre: [not outage]
    eff: [agent_running($a)]
goals:
  agents-running:
    priority: 80
    forall: {a: agent}
    want: [agent_running($a)]
  linked:
    priority: -5
    when: [not link(web1, db1), temperature >= 0]
    want: [link(web1, db1)]
state:
  - reachable(web1)
  - disk_ok(web1)
  - llm_provider = ollama
  - temperature = -3
)";

}  // namespace

TEST_CASE("types, subtypes and objects_of in declaration order") {
  auto l = load_text(kFleet);
  const auto& w = ok(*l);
  CHECK(w.name == "fleet");
  CHECK(w.types.front().name == "object");
  const TypeId host = type(w, "host"), vps = type(w, "vps"), agent = type(w, "agent");
  CHECK(w.is_subtype(vps, host));
  CHECK_FALSE(w.is_subtype(host, vps));
  CHECK(w.is_subtype(agent, type(w, "object")));
  CHECK(names(w, w.objects_of(host)) == std::vector<std::string>{"web1", "db1", "web2"});
  CHECK(names(w, w.objects_of(vps)) == std::vector<std::string>{"web1", "web2"});
  CHECK(names(w, w.objects_of(agent)) == std::vector<std::string>{"ezra"});
  const model::Object& web1 = w.object(object(w, "web1"));
  REQUIRE(web1.attribute("address") != nullptr);
  CHECK(*web1.attribute("address") == "10.0.0.1");
  CHECK(web1.attribute("type") == nullptr);  // `type:` is the type, not an attribute
}

TEST_CASE("fact kinds, domains, defaults and the external flag") {
  auto l = load_text(kFleet);
  const auto& w = ok(*l);
  const auto& reachable = fact(w, "reachable");
  CHECK(reachable.kind == model::ValueKind::boolean);
  CHECK(reachable.domain_size() == 2);
  REQUIRE(reachable.params.size() == 1);
  CHECK(reachable.params[0] == type(w, "host"));
  CHECK(fact(w, "link").params.size() == 2);

  const auto& restarts = fact(w, "restarts");
  CHECK(restarts.kind == model::ValueKind::integer);
  CHECK(restarts.domain_size() == 4);
  CHECK(restarts.default_index == 0);  // the lower bound

  const auto& temperature = fact(w, "temperature");
  CHECK(temperature.lo == -20);
  CHECK(temperature.hi == 40);
  CHECK(temperature.domain_size() == 61);
  CHECK(temperature.value_name(0) == "-20");  // values are stored as index = v - lo

  const auto& provider = fact(w, "llm_provider");
  CHECK(provider.kind == model::ValueKind::enumeration);
  CHECK(provider.enum_values == std::vector<std::string>{"kimi", "ollama", "none"});
  CHECK(provider.default_index == 0);  // the first value

  CHECK(fact(w, "outage").external);
  CHECK_FALSE(reachable.external);
  CHECK(fact(w, "budget").default_index == 5);
}

TEST_CASE("actions: parameters, conditions and effects in domain-index space, cost, run") {
  auto l = load_text(kFleet);
  const auto& w = ok(*l);
  const model::Action& a = action(w, "restart");
  REQUIRE(a.params.size() == 1);
  CHECK(a.params[0].name == "h");
  CHECK(a.params[0].type == type(w, "host"));
  CHECK(a.cost == 4);
  CHECK(a.approval);

  REQUIRE(a.pre.size() == 4);
  CHECK(w.condition_text(a.pre[0], a.params) == "reachable($h)");
  CHECK(a.pre[0].term.args[0].kind == model::Arg::Kind::param);
  CHECK(a.pre[0].op == model::Cmp::eq);
  CHECK(a.pre[0].value == 1);
  CHECK(a.pre[2].op == model::Cmp::lt);
  CHECK(a.pre[2].value == 3);  // lo = 0: the index is the number
  CHECK(a.pre[3].op == model::Cmp::ne);
  CHECK(a.pre[3].value == 2);  // 'none' is the third enum value

  REQUIRE(a.eff.size() == 3);
  CHECK(a.eff[0].op == model::EffOp::assign);
  CHECK(a.eff[0].value == 0);  // not disk_ok
  CHECK(a.eff[1].op == model::EffOp::add);
  CHECK(a.eff[1].value == 1);
  CHECK(a.eff[2].op == model::EffOp::add);
  CHECK(a.eff[2].value == -2);  // -= 2
  CHECK(w.effect_text(a.eff[2], a.params) == "temperature -= 2");

  REQUIRE(a.run.has_value());
  CHECK(a.run->plugin == "command");
  REQUIRE(a.run->with.size() == 2);
  CHECK(a.run->with[0].first == "argv");
  CHECK(a.run->with[0].second.is_list);
  CHECK(a.run->with[0].second.items ==
        std::vector<std::string>{"ssh", "${h.address}", "systemctl restart ollama"});  // templates kept verbatim
  CHECK(a.run->with[1].second.items == std::vector<std::string>{"ollama"});

  const model::Action& c = action(w, "connect");
  CHECK(c.cost == 1);  // the default
  CHECK_FALSE(c.approval);
  CHECK_FALSE(c.run.has_value());
  CHECK(c.eff[1].value == 1);  // llm_provider = ollama
}

TEST_CASE("goals: priority, forall parameters, when and want") {
  auto l = load_text(kFleet);
  const auto& w = ok(*l);
  const model::Goal& agents = goal(w, "agents-running");
  CHECK(agents.priority == 80);
  REQUIRE(agents.forall.size() == 1);
  CHECK(agents.forall[0].name == "a");
  CHECK(agents.forall[0].type == type(w, "agent"));
  CHECK_FALSE(agents.has_when);
  REQUIRE(agents.want.size() == 1);
  CHECK(agents.want[0].term.args[0].kind == model::Arg::Kind::param);

  const model::Goal& linked = goal(w, "linked");
  CHECK(linked.priority == -5);
  CHECK(linked.has_when);
  REQUIRE(linked.when.size() == 2);
  CHECK(linked.when[0].value == 0);
  CHECK(linked.when[1].op == model::Cmp::ge);
  CHECK(linked.when[1].value == 20);  // 0 - lo(-20)
  CHECK(w.condition_text(linked.when[1], {}) == "temperature >= 0");
}

TEST_CASE("the world's state lines and the initial state built from them") {
  auto l = load_text(kFleet);
  const auto& w = ok(*l);
  REQUIRE(w.state_lines.size() == 4);
  const model::State s = w.initial_state();
  const auto web1 = object(w, "web1"), db1 = object(w, "db1");
  const auto reachable = w.fact_index.at("reachable"), temperature = w.fact_index.at("temperature");
  CHECK(s.value({reachable, {web1}}, w.fact(reachable)) == 1);
  CHECK(s.value({reachable, {db1}}, w.fact(reachable)) == 0);  // unlisted: the default
  CHECK(s.value({temperature, {}}, w.fact(temperature)) == 17);  // -3 - (-20)
  CHECK(w.state_line_text(w.state_lines[3].term, w.state_lines[3].value) == "temperature = -3");
}

TEST_CASE("--set lines: parse_state_line resolves one line against the world") {
  auto l = load_text(kFleet);
  const auto& w = ok(*l);
  core::SourceManager& sm = l->sm;  // the world's: notes point into its files
  core::Diagnostics diags;

  auto restarts = load::parse_state_line("--set", "restarts = 2", w, sm, diags);
  REQUIRE(restarts.has_value());
  CHECK(restarts->value == 2);
  auto off = load::parse_state_line("--set", "not disk_ok(web1)", w, sm, diags);
  REQUIRE(off.has_value());
  CHECK(off->value == 0);
  CHECK(w.term_name(off->term) == "disk_ok(web1)");
  CHECK(diags.error_count() == 0);

  model::State s = w.initial_state();
  load::apply_state_lines(w, {*restarts, *off}, s);
  CHECK(s.value(off->term, w.fact(off->term.fact)) == 0);  // was true in the world
  CHECK(s.value(restarts->term, w.fact(restarts->term.fact)) == 2);

  CHECK_FALSE(load::parse_state_line("--set", "restarts = 9", w, sm, diags).has_value());
  CHECK_FALSE(load::parse_state_line("--set", "restarts += 1", w, sm, diags).has_value());
  CHECK_FALSE(load::parse_state_line("--set", "reachable($h)", w, sm, diags).has_value());
  CHECK(diags.error_count() == 3);
  CHECK(core::render(diags.all()[0], sm) ==
        "--set:1:12: error: 9 is outside the range of 'restarts'\n"
        " 1 | restarts = 9\n"
        "   |            ^\n"
        "  hint: allowed values: from 0 to 3\n"
        "w.yaml:17:3: note: declared here as 'restarts: int[0..3]'\n"
        " 17 |   restarts: int[0..3]\n"
        "    |   ^~~~~~~~\n");
}

TEST_CASE("load_state_text: a state file in YAML, or in JSON") {
  auto l = load_text(kFleet);
  const auto& w = ok(*l);
  core::SourceManager sm;
  core::Diagnostics diags;

  auto yaml = load::load_state_text("sensed.yaml", "kind: state\nstate:\n  - not reachable(web1)\n  - outage\n", w, sm, diags);
  REQUIRE(yaml.has_value());
  REQUIRE(yaml->size() == 2);
  CHECK(w.term_name((*yaml)[0].term) == "reachable(web1)");
  CHECK((*yaml)[0].value == 0);

  auto json = load::load_state_text("-", R"j({"kind":"state","state":["disk_ok(db1)", "llm_provider = none"]})j", w, sm,
                                    diags);
  REQUIRE(json.has_value());
  REQUIRE(json->size() == 2);
  CHECK(w.term_name((*json)[0].term) == "disk_ok(db1)");
  CHECK((*json)[1].value == 2);
  // JSON strings can't carry a flow-list comma split: "link(web1, db1)" is one item.
  auto comma = load::load_state_text("-", R"j({"kind": "state", "state": ["link(web1, db1)"]})j", w, sm, diags);
  REQUIRE(comma.has_value());
  CHECK(w.term_name(comma->at(0).term) == "link(web1, db1)");
  CHECK(diags.error_count() == 0);

  SUBCASE("the wrong kind") {
    CHECK_FALSE(load::load_state_text("-", "kind: world\n", w, sm, diags).has_value());
    CHECK(diags.all().back().message == "expected 'kind: state' here, not 'kind: world'");
  }
  SUBCASE("unknown keys and every bad line are reported together") {
    CHECK_FALSE(load::load_state_text("s.yaml", "kind: state\nstates: []\nstate: [up(web1), reachable(web3), disk_ok(web1)]\n",
                                      w, sm, diags)
                    .has_value());
    REQUIRE(diags.error_count() == 3);
    CHECK(diags.all()[0].message == "unknown key 'states' in a state file");
    CHECK(diags.all()[1].message == "unknown fact 'up'");
    CHECK(diags.all()[2].message == "unknown object 'web3'");
    CHECK(diags.all()[2].loc.line == 3);
    CHECK(diags.all()[2].loc.col == 29);
  }
  SUBCASE("a duplicate key is an error, and then there is no state to apply") {
    CHECK_FALSE(load::load_state_text("s.json", R"j({"kind": "state", "state": ["outage"], "state": []})j", w, sm, diags)
                    .has_value());
    CHECK(diags.all().back().message == "duplicate key 'state'");
  }
  SUBCASE("the same cell set twice") {
    CHECK_FALSE(load::load_state_text("s.yaml", "kind: state\nstate: [outage, not outage]\n", w, sm, diags).has_value());
    CHECK(diags.all().back().message == "the state sets 'outage' twice");
  }
  SUBCASE("not YAML at all") {
    CHECK_FALSE(load::load_state_text("-", std::string("\x89PNG\r\n\x1a\n\0\0", 10), w, sm, diags).has_value());
    CHECK(diags.all().back().message == "this is not a YAML text file: byte 0x89 at offset 0 is not valid UTF-8");
  }
}

TEST_CASE("a flow list rejoins 'f(a, b)' and keeps each piece's column") {
  auto l = load_text("kind: world\ntypes: {host: {}}\nobjects: {a: host, b: host}\nfacts: {link(host, host): bool}\n"
                "state: [link(a, b), link(b,  a)]\n");
  const auto& w = ok(*l);
  REQUIRE(w.state_lines.size() == 2);
  CHECK(w.term_name(w.state_lines[1].term) == "link(b, a)");

  // An error in the second piece points into the original text, not into the joined string.
  auto bad = load_text("kind: world\ntypes: {host: {}}\nobjects: {a: host, b: host}\nfacts: {link(host, host): bool}\n"
                  "state: [link(a,   bb)]\n");
  CHECK_FALSE(bad->world.has_value());
  REQUIRE(bad->diags.error_count() == 1);
  const auto& d = bad->diags.all()[0];
  CHECK(d.message == "unknown object 'bb'");
  CHECK(d.loc.line == 5);
  CHECK(d.loc.col == 19);
  CHECK(d.loc.length == 2);
}

TEST_CASE("every error of a world comes back, located, and no world with them") {
  auto l = load_text("kind: world\n"
                "types: {host: {}}\n"
                "objects: {web1: hots}\n"
                "facts: {up(host): bool, n: \"int[0..3]\"}\n"
                "actions:\n"
                "  boot: {params: {h: host}, pre: [n += 1], eff: [up($x)]}\n"
                "state: [n = 4]\n");
  CHECK_FALSE(l->world.has_value());
  REQUIRE(l->diags.error_count() == 4);
  CHECK(l->rendered() ==
        "w.yaml:3:17: error: unknown type 'hots'\n"
        " 3 | objects: {web1: hots}\n"
        "   |                 ^~~~\n"
        "  hint: did you mean 'host'?\n"
        "w.yaml:6:37: error: '+=' changes a value and only belongs in an effect, not in a precondition\n"
        " 6 |   boot: {params: {h: host}, pre: [n += 1], eff: [up($x)]}\n"
        "   |                                     ^~\n"
        "  hint: compare with '=', '<', '<=', '>' or '>='\n"
        "w.yaml:6:53: error: unknown parameter '$x' in action 'boot'\n"
        " 6 |   boot: {params: {h: host}, pre: [n += 1], eff: [up($x)]}\n"
        "   |                                                     ^~\n"
        "  hint: did you mean '$h'?\n"
        "w.yaml:7:13: error: 4 is outside the range of 'n'\n"
        " 7 | state: [n = 4]\n"
        "   |             ^\n"
        "  hint: allowed values: from 0 to 3\n"
        "w.yaml:4:25: note: declared here as 'n: int[0..3]'\n"
        " 4 | facts: {up(host): bool, n: \"int[0..3]\"}\n"
        "   |                         ^\n");
}

TEST_CASE("uses: paths and globs resolve against the world file's folder") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("goap-load-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "plugins" / "power");
  std::ofstream(dir / "plugins" / "power" / "actions.yaml") << "kind: actions\nactions:\n  boot: {eff: [up]}\n";
  std::ofstream(dir / "goals.yaml") << "kind: goals\ngoals:\n  running: {want: [up]}\n";

  auto l = load_text("kind: world\nuses: [plugins/*/actions.yaml, goals.yaml]\nfacts: {up: bool}\n",
                (dir / "world.yaml").string());
  const auto& w = ok(*l);
  CHECK(w.actions.size() == 1);
  CHECK(w.goals.size() == 1);
  REQUIRE(w.files.size() == 3);
  CHECK(w.files[0] == (dir / "world.yaml").string());
  CHECK(fs::path(w.files[1]).filename() == "actions.yaml");

  auto missing = load_text("kind: world\nuses: [nope/*.yaml]\n", (dir / "world.yaml").string());
  CHECK_FALSE(missing->world.has_value());
  REQUIRE(missing->diags.error_count() == 1);
  CHECK(missing->diags.all()[0].message == "'nope/*.yaml' matches no file");
  fs::remove_all(dir);
}

TEST_CASE("lint: the three warnings, and none on a sound world") {
  SUBCASE("a sound world is silent") {
    auto l = load_text(kFleet);
    CHECK(l->diags.all().empty());  // not even a warning while loading
    core::Diagnostics warnings;
    model::lint_world(ok(*l), warnings);
    // budget is declared but unused on purpose in kFleet; nothing else may warn.
    REQUIRE(warnings.warning_count() == 1);
    CHECK(warnings.all()[0].message == "fact 'budget' is never read or written");
  }
  SUBCASE("never read, never applies, never reached") {
    auto l = load_text("kind: world\n"
                  "facts: {up: bool, spare: bool, broken: bool, mode: \"enum[a, b, c]\"}\n"
                  "actions:\n"
                  "  fix: {pre: [broken], eff: [up]}\n"
                  "  to-b: {eff: [mode = b]}\n"
                  "goals:\n"
                  "  g: {want: [up]}\n"
                  "  h: {want: [mode = c]}\n");
    core::Diagnostics warnings;
    model::lint_world(ok(*l), warnings);
    warnings.sort();
    REQUIRE(warnings.warning_count() == 4);
    CHECK(warnings.error_count() == 0);  // warnings never fail a load
    CHECK(warnings.all()[0].message == "fact 'spare' is never read or written");
    CHECK(warnings.all()[1].message == "action 'fix' can never apply");
    CHECK(warnings.all()[1].hints[0] ==
          "nothing makes 'broken' hold: 'broken' can only be false (neither the state nor any action that can apply)");
    CHECK(warnings.all()[2].message == "goal 'g' can never be reached");
    CHECK(warnings.all()[3].message == "goal 'h' can never be reached");
    CHECK(warnings.all()[3].hints[0].find("'mode' can only be a or b") != std::string::npos);
  }
  SUBCASE("an external fact may take any value: no warning") {
    auto l = load_text("kind: world\nfacts: {outage: {type: bool, external: true}, up: bool}\n"
                  "actions:\n  recover: {pre: [outage], eff: [up]}\ngoals:\n  g: {want: [up]}\n");
    core::Diagnostics warnings;
    model::lint_world(ok(*l), warnings);
    CHECK(warnings.warning_count() == 0);
  }
}

TEST_CASE("a uses: target must declare a goap kind; only files that name a kind show source lines") {
  using load::detail::declares_goap_kind;
  using load::detail::names_a_kind;
  CHECK(declares_goap_kind("# header\nkind: actions\nactions: {}\n"));
  CHECK(declares_goap_kind("{\"kind\": \"goals\", \"goals\": {}}"));
  CHECK(declares_goap_kind("kind: 'state'\n"));
  CHECK(declares_goap_kind("kind: world # the world\n"));
  CHECK_FALSE(declares_goap_kind("root:$6$hash:19000:0:99999:7:::\n"));
  CHECK_FALSE(declares_goap_kind("kind: Secret\napiVersion: v1\n"));
  CHECK_FALSE(declares_goap_kind("kind: actionsx\n"));
  CHECK_FALSE(declares_goap_kind("kinder: actions\n"));
  CHECK(names_a_kind("kind: wrld\n"));
  CHECK(names_a_kind("- kind: world\n"));
  CHECK(names_a_kind("[kind, world]\n"));
  CHECK_FALSE(names_a_kind("facts:\n  up: bool\n"));
  CHECK_FALSE(names_a_kind("PASSWORD=kind: x\n"));
}

TEST_CASE("uses: outside the world's folder is refused unread; --allow-outside lets the folder in") {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "goap-roots-XXXXXX").string();
  const fs::path dir = ::mkdtemp(tmpl.data());
  fs::create_directories(dir / "w");
  fs::create_directories(dir / "shared");
  std::ofstream(dir / "shared" / "acts.yaml") << "kind: actions\nactions:\n  boot: {eff: [up]}\n";
  const std::string world = "kind: world\nuses: [../shared/acts.yaml]\nfacts: {up: bool}\n";
  {
    core::SourceManager sm;
    core::Diagnostics diags;
    CHECK_FALSE(load::load_world_text((dir / "w" / "world.yaml").string(), world, sm, diags));
    REQUIRE(diags.error_count() == 1);
    CHECK(diags.all()[0].message == "'" + (dir / "shared" / "acts.yaml").string() +
                                        "' is outside the world's folder; goap does not read it");
    CHECK(sm.size() == 1);  // the target was never registered, so never read
  }
  {
    core::SourceManager sm;
    core::Diagnostics diags;
    auto w = load::load_world_text((dir / "w" / "world.yaml").string(), world, sm, diags,
                                   load::LoadOptions{{(dir / "shared").string()}});
    REQUIRE(w);
    CHECK(w->actions.size() == 1);
  }
  fs::remove_all(dir);
}

TEST_CASE("budget: and 'for': what the model holds") {
  auto l = load_text("kind: world\n"
                     "types: {host: {}}\n"
                     "objects: {web: host}\n"
                     "facts: {up(host): bool, ssh_ok(host): bool, n: \"int[0..3]\"}\n"
                     "actions:\n"
                     "  restart: {params: {h: host}, pre: [not up($h), n < 3 for 90s], eff: [up($h)], budget: {max: 3, per: 1h}}\n"
                     "  rebuild: {params: {h: host}, pre: [not ssh_ok($h) for 10m], eff: [ssh_ok($h)], budget: {max: 1, per: 1d}}\n"
                     "goals:\n"
                     "  back: {when: [not ssh_ok(web) for 5m], want: [ssh_ok(web)]}\n");
  const model::World& w = ok(*l);
  const model::Action& r = action(w, "restart");
  REQUIRE(r.budget);
  CHECK(r.budget->max == 3);
  CHECK(r.budget->per == std::chrono::hours(1));
  CHECK(r.pre[0].held_for.count() == 0);
  CHECK(r.pre[1].held_for == std::chrono::seconds(90));
  CHECK(w.condition_text(r.pre[1], r.params) == "n < 3 for 90s");
  const model::Action& b = action(w, "rebuild");
  CHECK(b.budget->per == std::chrono::hours(24));
  CHECK(b.pre[0].held_for == std::chrono::minutes(10));
  CHECK(b.pre[0].value == 0);
  CHECK(w.condition_text(b.pre[0], b.params) == "not ssh_ok($h) for 10m");
  CHECK(goal(w, "back").when[0].held_for == std::chrono::minutes(5));
}

TEST_CASE("budget: and 'for': every error, located") {
  auto l = load_text("kind: world\n"
                     "types: {host: {}}\n"
                     "objects: {web: host}\n"
                     "facts: {up(host): bool}\n"
                     "actions:\n"
                     "  a: {params: {h: host}, pre: [up($h) for soon], eff: [up($h) for 1m], budget: {max: 0, per: 1h}}\n"
                     "  b: {params: {h: host}, eff: [up($h)], budget: {max: 2, per: 0s}}\n"
                     "  c: {params: {h: host}, eff: [up($h)], budget: {max: 2}}\n"
                     "  d: {params: {h: host}, eff: [up($h)], budget: 3, pre: [up($h) for]}\n"
                     "goals:\n"
                     "  g: {want: [up(web) for 5m]}\n");
  CHECK_FALSE(l->world.has_value());
  CHECK(l->rendered() ==
        "w.yaml:6:86: error: 'max' of the budget of action 'a' must be between 1 and 1000000, not 0\n"
        " 6 |   a: {params: {h: host}, pre: [up($h) for soon], eff: [up($h) for 1m], budget: {max: 0, per: 1h}}\n"
        "   |                                                                                      ^\n"
        "w.yaml:6:43: error: 'soon' is not a duration\n"
        " 6 |   a: {params: {h: host}, pre: [up($h) for soon], eff: [up($h) for 1m], budget: {max: 0, per: 1h}}\n"
        "   |                                           ^~~~\n"
        "  hint: write a positive number with a unit: 30s, 10m, 1h or 1d\n"
        "w.yaml:6:63: error: 'for' asks how long a condition has held, and only belongs in a precondition or a 'when', not in an effect\n"
        " 6 |   a: {params: {h: host}, pre: [up($h) for soon], eff: [up($h) for 1m], budget: {max: 0, per: 1h}}\n"
        "   |                                                               ^~~~~~\n"
        "  hint: remove 'for 1m'\n"
        "w.yaml:7:63: error: 'per' of the budget of action 'b' must be a duration, not '0s'\n"
        " 7 |   b: {params: {h: host}, eff: [up($h)], budget: {max: 2, per: 0s}}\n"
        "   |                                                               ^~\n"
        "  hint: write a positive number with a unit: 30s, 10m, 1h or 1d\n"
        "w.yaml:8:49: error: the budget of action 'c' needs 'per:'\n"
        " 8 |   c: {params: {h: host}, eff: [up($h)], budget: {max: 2}}\n"
        "   |                                                 ^\n"
        "  hint: write e.g. 'budget: {max: 3, per: 1h}': at most 3 runs of each ground action in any hour\n"
        "w.yaml:9:49: error: 'budget' must be a mapping with 'max:' and 'per:', not a single value\n"
        " 9 |   d: {params: {h: host}, eff: [up($h)], budget: 3, pre: [up($h) for]}\n"
        "   |                                                 ^\n"
        "  hint: write e.g. 'budget: {max: 3, per: 1h}'\n"
        "w.yaml:9:65: error: 'for' needs a duration after it\n"
        " 9 |   d: {params: {h: host}, eff: [up($h)], budget: 3, pre: [up($h) for]}\n"
        "   |                                                                 ^~~\n"
        "  hint: write e.g. 'for 10m' (s, m, h or d)\n"
        "w.yaml:11:22: error: 'for' asks how long a condition has held, and only belongs in a precondition or a 'when', not in a wanted condition\n"
        " 11 |   g: {want: [up(web) for 5m]}\n"
        "    |                      ^~~~~~\n"
        "  hint: a plan cannot make time pass: put the duration in the goal's 'when:'\n");
}
