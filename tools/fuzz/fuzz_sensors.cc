// libFuzzer target for `kind: sensors` files (engine/load/sensor_loader.cc): the input is a
// sensors file for a small fixed world, read by load_sensors from a file (rewritten per input
// in /tmp/goap-fuzz/sensors-<pid>/), then each sensor is grounded and its `with:` templates
// filled for every binding, as `goap sense` does before it calls a plugin.
//
// Checks besides crashes and sanitizer reports: specs come back exactly when no error was
// reported, every diagnostic points into a known file and renders, every spec names a fact of
// the world with the right number of arguments, and every parameter a spec binds is typed.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/diag.h"
#include "exec/binding.h"
#include "fuzz_support.h"
#include "load/loader.h"
#include "load/sensor_loader.h"

namespace {

using namespace goap;
using fuzz::check;

// Bindings grounded per spec at most: the fuzzer looks for crashes, not for wide worlds.
constexpr std::size_t kMaxBindings = 1000;

struct Fixture {
  core::SourceManager sm;
  model::World world;
  std::string path = fuzz::scratch_dir("sensors") + "/world.sensors.yaml";
  Fixture() {
    core::Diagnostics diags;
    auto w = load::load_world_text("fixed.yaml", fuzz::kFixedWorld, sm, diags);
    if (!w) fuzz::fail("fuzz_sensors", "the fixed world does not load: " + core::render_all(diags, sm));
    world = std::move(*w);
  }
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::start();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fx;
  fuzz::write_file(fx.path, std::string_view(reinterpret_cast<const char*>(data), size));
  core::SourceManager sm = fx.sm;  // notes may point at the fixed world's declarations
  core::Diagnostics diags;
  auto specs = load::load_sensors(fx.path, fx.world, sm, diags);
  check(specs.has_value() != diags.has_errors(), "load_sensors: specs iff no error");
  fuzz::check_diagnostics(diags, sm);
  if (!specs) return 0;
  for (const load::SensorSpec& s : *specs) {
    check(s.term.fact.valid() && s.term.fact.index() < fx.world.facts.size(), "a sensor for a fact that doesn't exist");
    check(s.term.args.size() == fx.world.facts[s.term.fact.index()].params.size(), "a sensor term with the wrong arity");
    check(!s.plugin.empty(), "a sensor without a plugin");
    for (const model::Param& p : s.params)
      check(p.type.valid() && p.type.index() < fx.world.types.size(), "an untyped sensor parameter");
    const auto bindings = exec::all_bindings(fx.world, s.params);
    for (std::size_t i = 0; i < bindings.size() && i < kMaxBindings; ++i) {
      exec::BindError err;
      auto params = exec::bind_with(s.with, fx.world, s.params, bindings[i], &err);
      check(params.has_value() || !err.message.empty(), "bind_with: no parameters and no error");
    }
  }
  return 0;
}
