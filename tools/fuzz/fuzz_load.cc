// libFuzzer target for engine/load: arbitrary bytes as a world file, as a `kind: state` file
// against a small fixed world, and as a `--set` line. Run it with tools/fuzz/run.sh.
//
// Besides crashes and sanitizer reports it checks the loader's contract: a world (or a state)
// comes back exactly when no error was reported, every diagnostic points into a file the
// SourceManager knows, and rendering any diagnostic works.
//
// `uses:` reads other files. So that the fuzzer can't wander the machine (a glob such as
// `/*/*/*` reads thousands of files, which is slow, not a bug), the world's path is in an
// empty folder (/tmp/goap-fuzz/load-<pid>/) and it is loaded only when the input has no '/'
// or '\' (YAML escapes such as "\x2f" could spell one). `uses:` paths are fuzz_uses' job.
#include <cstdint>
#include <string>

#include "core/diag.h"
#include "fuzz_support.h"
#include "load/loader.h"
#include "model/lint.h"

namespace {

using namespace goap;

struct Fixture {
  core::SourceManager sm;
  model::World world;
  std::string world_path;  // in an empty directory: relative `uses:` find nothing there

  Fixture() {
    // Not chdir: libFuzzer reads and writes its corpus through relative paths.
    world_path = fuzz::scratch_dir("load") + "/w.yaml";
    core::Diagnostics diags;
    auto w = load::load_world_text("fixed.yaml", fuzz::kFixedWorld, sm, diags);
    if (!w) fuzz::fail("fuzz_load", "the fixed world does not load: " + core::render_all(diags, sm));
    world = std::move(*w);
  }
};

using fuzz::check;
using fuzz::check_diagnostics;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::start();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fx;
  const std::string text(reinterpret_cast<const char*>(data), size);

  if (text.find_first_of("/\\") == std::string::npos) {
    core::SourceManager sm;
    core::Diagnostics diags;
    auto w = load::load_world_text(fx.world_path, text, sm, diags);
    check(w.has_value() != diags.has_errors(), "load_world_text: a world iff no error");
    if (w) {
      model::lint_world(*w, diags);
      (void)w->initial_state();
    }
    check_diagnostics(diags, sm);
  }

  {
    core::SourceManager sm = fx.sm;  // notes may point at the fixed world's declarations
    core::Diagnostics diags;
    auto lines = load::load_state_text("s.yaml", text, fx.world, sm, diags);
    check(lines.has_value() != diags.has_errors(), "load_state_text: lines iff no error");
    if (lines) {
      model::State s = fx.world.initial_state();
      load::apply_state_lines(fx.world, *lines, s);
    }
    check_diagnostics(diags, sm);
  }

  {
    core::SourceManager sm = fx.sm;
    core::Diagnostics diags;
    const std::string line = text.substr(0, text.find('\n'));
    auto l = load::parse_state_line("--set", line, fx.world, sm, diags);
    check(l.has_value() != diags.has_errors(), "parse_state_line: a line iff no error");
    check_diagnostics(diags, sm);
  }
  return 0;
}
