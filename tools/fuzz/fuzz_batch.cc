// libFuzzer target for `goap batch`: the input is the request file (JSON lines), answered by
// run_batch itself with one thread, its stdout caught in a file.
//
// Requests name files. The target writes a few once, into /tmp/goap-fuzz/batch/ (a
// small YAML world, one that pulls in an actions file through `uses:`, a PDDL domain and
// problem); batch.dict and the seed corpus name them. Paths elsewhere on the machine are
// fair game too: batch reads whatever a request names.
//
// The contract checked, besides crashes and sanitizer reports: run_batch returns 0 and writes
// exactly one answer line per request line (a line that is not blank), in order, each a JSON
// object with a "status" and the request's "id" (its line number when it has none); no
// exception escapes.
// run.sh passes -close_fd_mask=3 (log lines and diagnostics of every request).
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "fuzz_support.h"

namespace {

using namespace goap;

constexpr const char* kUsesWorld = R"(kind: world
uses: [acts.yaml]
types: {host: {}}
objects: {a: host, b: host}
facts:
  up(host): bool
  n: int[0..2]
goals:
  all-up: {forall: {h: host}, want: ['up($h)']}
)";

constexpr const char* kActions = R"(kind: actions
actions:
  boot: {params: {h: host}, pre: [n < 2], eff: ['up($h)', n += 1]}
)";

constexpr const char* kDomain = R"((define (domain tiny)
  (:requirements :strips :typing)
  (:types room ball)
  (:predicates (at ?b - ball ?r - room) (robot ?r - room))
  (:action move :parameters (?from ?to - room)
    :precondition (robot ?from) :effect (and (robot ?to) (not (robot ?from))))
  (:action carry :parameters (?b - ball ?from ?to - room)
    :precondition (and (robot ?from) (at ?b ?from))
    :effect (and (robot ?to) (not (robot ?from)) (at ?b ?to) (not (at ?b ?from)))))
)";

constexpr const char* kProblem = R"((define (problem two) (:domain tiny)
  (:objects r1 r2 - room b1 - ball)
  (:init (robot r1) (at b1 r1))
  (:goal (at b1 r2)))
)";

struct Fixture {
  std::string dir = fuzz::fixed_dir("batch");
  std::string scratch = fuzz::scratch_dir("batch");
  std::string requests = scratch + "/requests.jsonl";
  std::string answers = scratch + "/answers.jsonl";
  Fixture() {
    fuzz::write_file(dir + "/world.yaml", fuzz::kFixedWorld);
    fuzz::write_file(dir + "/uses.yaml", kUsesWorld);
    fuzz::write_file(dir + "/acts.yaml", kActions);
    fuzz::write_file(dir + "/domain.pddl", kDomain);
    fuzz::write_file(dir + "/problem.pddl", kProblem);
  }
};

// The id each answer must carry, in order: one per request line (a line with something besides
// blanks), the request's own "id" when it is a JSON object that has one, else its line number.
std::vector<nlohmann::json> expected_ids(std::string_view text) {
  std::vector<nlohmann::json> ids;
  std::size_t line_no = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    ++line_no;
    const std::string_view line = text.substr(at, nl - at);
    if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
      const auto req = nlohmann::json::parse(line, nullptr, false);
      ids.push_back(req.is_object() && req.contains("id") ? req["id"] : nlohmann::json(line_no));
    }
    at = nl + 1;
  }
  return ids;
}

// Runs run_batch with its stdout going to `path`.
int batch_into(const cli::BatchOptions& o, const std::string& path) {
  std::fflush(stdout);
  const int saved = ::dup(1);
  const int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  fuzz::check(saved >= 0 && out >= 0 && ::dup2(out, 1) == 1, "cannot catch stdout");
  ::close(out);
  cli::CommonOptions common;
  const int rc = cli::run_batch(o, common);
  std::fflush(stdout);
  ::dup2(saved, 1);
  ::close(saved);
  return rc;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::start();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fx;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::write_file(fx.requests, text);
  cli::BatchOptions o;
  o.file = fx.requests;
  o.threads = 1;
  const int rc = batch_into(o, fx.answers);
  fuzz::check(rc == cli::kOk, "run_batch: not exit 0");
  const std::string answers = fuzz::read_file(fx.answers);
  const std::vector<nlohmann::json> want = expected_ids(text);
  std::size_t got = 0;
  for (std::size_t at = 0; at < answers.size();) {
    const std::size_t nl = answers.find('\n', at);
    fuzz::check(nl != std::string::npos, "an answer line without its newline");
    const auto a = nlohmann::json::parse(answers.begin() + static_cast<std::ptrdiff_t>(at),
                                         answers.begin() + static_cast<std::ptrdiff_t>(nl), nullptr, false);
    fuzz::check(a.is_object(), "an answer line that is not a JSON object");
    fuzz::check(a.contains("id") && a.contains("status"), "an answer without 'id' and 'status'");
    fuzz::check(got < want.size(), "more answer lines than request lines");
    fuzz::check(a["id"] == want[got], "an answer out of order (its id is not its request's)");
    ++got;
    at = nl + 1;
  }
  fuzz::check(got == want.size(), "fewer answer lines than request lines");
  return 0;
}
