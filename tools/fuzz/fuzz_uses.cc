// libFuzzer target for `uses:` resolution: each line of the input is one `uses:` entry (a path
// or a glob) of a world that sits in a fixed tree, /tmp/goap-fuzz/uses-<pid>/tree/w/world.yaml,
// made at start with what a hostile or careless world could point at:
//
//   tree/w/  actions.yaml, goals/{a,b}.yaml, sub/deeper/more.yaml (uses ../../goals/*.yaml),
//            self.yaml (uses itself), ping.yaml <-> pong.yaml (a cycle), world.yaml (a world:
//            not usable), empty.yaml, binary.yaml (not UTF-8), dir.yaml/ (a folder),
//            fifo.yaml and fifo (FIFOs nobody writes), link-up -> .. , loop -> loop,
//            to-secret.yaml -> ../secret.txt, to-outside.yaml -> ../outside/acts.yaml
//   tree/    secret.txt (a line shaped like /etc/shadow's), outside/acts.yaml
//
// Entries also reach the rest of the machine (`../x`, `/etc/passwd`, `/proc/self/environ`,
// `/*/*`, `**`); the seed corpus has them. run.sh gives this target a -timeout, so an open or a
// read that blocks (a FIFO, /proc/kmsg, a device) is a finding, and so is a glob that takes too
// long.
//
// Checks besides crashes, sanitizer reports and timeouts: a world comes back exactly when no
// error was reported, every diagnostic points into a known file and renders, and no rendered
// diagnostic shows the secret: error excerpts must never print a file that is not a goap input.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/diag.h"
#include "fuzz_support.h"
#include "load/loader.h"

namespace {

using namespace goap;
using fuzz::check;

constexpr std::size_t kMaxEntries = 16;
constexpr const char* kSecret = "GOAP_FUZZ_SECRET";

constexpr const char* kWorldHead = R"(kind: world
types: {host: {}}
objects: {web1: host, db1: host}
facts:
  up(host): bool
  n: int[0..3]
)";

constexpr const char* kActions = R"(kind: actions
actions:
  boot: {params: {h: host}, pre: [n < 3], eff: ['up($h)', n += 1]}
)";

constexpr const char* kGoal = R"(kind: goals
goals:
  %s: {forall: {h: host}, want: ['up($h)']}
)";

struct Fixture {
  std::string root = fuzz::scratch_dir("uses");
  std::string w = root + "/tree/w";
  std::string world_path = w + "/world.yaml";

  void file(const std::string& rel, std::string_view text) { fuzz::write_file(root + "/tree/" + rel, text); }
  void link(const std::string& target, const std::string& rel) {
    check(::symlink(target.c_str(), (root + "/tree/" + rel).c_str()) == 0, "cannot make a symlink");
  }
  void fifo(const std::string& rel) { check(::mkfifo((root + "/tree/" + rel).c_str(), 0644) == 0, "cannot make a FIFO"); }
  static std::string goals(const char* name) {
    char buf[256];
    std::snprintf(buf, sizeof buf, kGoal, name);
    return buf;
  }

  Fixture() {
    namespace fs = std::filesystem;
    for (const char* d : {"tree/w/goals", "tree/w/sub/deeper", "tree/w/dir.yaml", "tree/outside"})
      fs::create_directories(root + "/" + d);
    file("w/actions.yaml", kActions);
    file("w/goals/a.yaml", goals("a-up"));
    file("w/goals/b.yaml", goals("b-up"));
    file("w/sub/deeper/more.yaml", "kind: goals\nuses: ['../../goals/*.yaml']\ngoals: {}\n");
    file("w/self.yaml", "kind: actions\nuses: [self.yaml]\nactions: {}\n");
    file("w/ping.yaml", "kind: goals\nuses: [pong.yaml]\ngoals: {}\n");
    file("w/pong.yaml", "kind: goals\nuses: [ping.yaml]\ngoals: {}\n");
    file("w/world.yaml", std::string(kWorldHead) + "uses: [actions.yaml]\n");
    file("w/empty.yaml", "");
    file("w/binary.yaml", std::string_view("kind: goals\n\xff\xfe\x00\x01", 16));
    file("secret.txt", std::string("root:") + kSecret + ":19000:0:99999:7:::\n");
    file("outside/acts.yaml", "kind: actions\nactions:\n  halt: {params: {h: host}, pre: ['up($h)'], eff: ['not up($h)']}\n");
    fifo("w/fifo.yaml");
    fifo("w/fifo");
    link("..", "w/link-up");
    link("loop", "w/loop");
    link("../secret.txt", "w/to-secret.yaml");
    link("../outside/acts.yaml", "w/to-outside.yaml");
  }
};

// A YAML double-quoted scalar holding `s` byte for byte (bytes >= 0x80 pass through: text
// that is not UTF-8 is the loader's to refuse).
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::start();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fx;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string world = std::string(kWorldHead) + "uses:\n";
  std::size_t entries = 0;
  // One entry per line; a final newline ends the last line rather than starting an empty one.
  for (std::size_t at = 0; entries < kMaxEntries;) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    world += "  - " + quoted(text.substr(at, nl - at)) + "\n";
    ++entries;
    at = nl + 1;
    if (at >= text.size()) break;
  }
  fuzz::show(world);
  core::SourceManager sm;
  core::Diagnostics diags;
  auto w = load::load_world_text(fx.world_path, world, sm, diags);
  check(w.has_value() != diags.has_errors(), "load_world_text: a world iff no error");
  fuzz::check_diagnostics(diags, sm);
  // An input that spells the secret itself may see it echoed (as the path it named); only a
  // secret the input did not bring can have come from reading the file.
  if (text.find(kSecret) == std::string_view::npos)
    check(core::render_all(diags, sm).find(kSecret) == std::string::npos,
          "a diagnostic shows a line of a file that is not a goap input (the secret)");
  return 0;
}
