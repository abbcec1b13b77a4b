// What `goap run` tells as it goes: every line the run loop, its escalations and the watch loop
// report is one event, said in one place (RunReport::emit), and rendered one of two ways:
//   text        the human lines (the default): `text` as given, each control byte made visible
//               by the stream the caller hands in (cli/cmd_run.cc)
//   json_lines  one JSON object a line (`goap run --json`): {"type": ..., "time": ..., the
//               event's fields..., "message": the human text when it has one}
// An event with empty `text` is for JSON only (`planned`, `sensed` after a step, `run_ended`).
// The event types and their fields are documented in docs/operations.md ("Run events") and
// checked by schemas/run-events.schema.json. The time is the run's clock (exec/seams.h), so a
// FakeClock gives reproducible events.
#pragma once

#include <cstdio>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "exec/seams.h"

namespace goap::exec {

class RunReport {
 public:
  enum class Format { text, json_lines };

  // Implicit on purpose: a plain stream is a text report (the tests' and callers' default).
  RunReport(std::FILE* out, Format format = Format::text) : out_(out), format_(format) {}  // NOLINT

  void set_clock(const Clock* clock) { clock_ = clock; }
  [[nodiscard]] bool json() const { return format_ == Format::json_lines; }

  // One event. `text`: the human line(s) without the final newline. `fields`: a JSON object
  // (or null for none); `type`, `time` and `message` are added here, in front.
  void emit(std::string_view type, const std::string& text, const nlohmann::ordered_json& fields);
  void emit(std::string_view type, const std::string& text);

 private:
  std::FILE* out_;
  Format format_;
  const Clock* clock_ = nullptr;  // nullptr: system_clock()
};

}  // namespace goap::exec
