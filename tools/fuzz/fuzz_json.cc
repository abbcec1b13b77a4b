// libFuzzer target for the JSON (and YAML) that `goap validate` reads: a `--state` file and a
// plan file, through run_validate itself, so it tests what the command does (file reading,
// the state reader, the plan reader, the replay) against a small fixed world.
//
// The input is split at its first line that is exactly "====": what comes before is the
// `--state` file and what comes after the plan. Without that line the whole input is the plan
// and no `--state` is given.
//
// Checks besides crashes and sanitizer reports: no exception escapes (main.cc would turn one
// into exit 1, "internal error"), and the exit code is one validate documents: 0 valid, 2 usage
// (unknown goal), 3 invalid input, 10 invalid plan.
// run.sh passes -close_fd_mask=3: validate prints a verdict or a diagnostic for every input.
#include <cstdint>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "fuzz_support.h"

namespace {

using namespace goap;

struct Fixture {
  std::string dir = fuzz::scratch_dir("json");
  std::string world = dir + "/world.yaml";
  std::string state = dir + "/state.json";
  std::string plan = dir + "/plan.json";
  Fixture() { fuzz::write_file(world, fuzz::kFixedWorld); }
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::start();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fx;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string_view state, plan = text;
  bool has_state = false;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t nl = text.find('\n', at);
    const std::string_view line = text.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
    if (line == "====") {
      has_state = true;
      state = text.substr(0, at);
      plan = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      break;
    }
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  cli::ValidateOptions o;
  o.world = fx.world;
  o.plan_file = fx.plan;
  fuzz::write_file(fx.plan, plan);
  if (has_state) {
    o.state_file = fx.state;
    fuzz::write_file(fx.state, state);
  }
  const int rc = cli::run_validate(o, cli::CommonOptions{});
  fuzz::check(rc == cli::kOk || rc == cli::kUsage || rc == cli::kInvalidInput || rc == cli::kNoPlan,
              "run_validate: an exit code validate does not document");
  return 0;
}
