// Turning DOT into SVG for the HTML report: the one side effect of engine/export, behind a small
// interface so that tests replace it with a fake.
//
// `GraphvizRenderer` runs Graphviz's `dot -Tsvg` as a child process: argv only, never a shell
// (the DOT text goes through a private temporary file, the SVG comes back on a pipe), with a
// time limit after which the child is killed. When `dot` is not installed the result says so in
// words the HTML page can show as is.
#pragma once

#include <string>

namespace goap::exporting {

struct SvgResult {
  bool ok = false;
  std::string svg;    // ok: the <svg> element alone (no XML prolog or DOCTYPE), ready to inline
  std::string error;  // !ok: why there is no picture, one sentence for a person
};

class SvgRenderer {
 public:
  virtual ~SvgRenderer() = default;
  virtual SvgResult render(const std::string& dot) = 0;
};

class GraphvizRenderer final : public SvgRenderer {
 public:
  // `program` is looked up on PATH unless it contains a '/'.
  explicit GraphvizRenderer(std::string program = "dot", int timeout_ms = 20'000)
      : program_(std::move(program)), timeout_ms_(timeout_ms) {}
  SvgResult render(const std::string& dot) override;

 private:
  std::string program_;
  int timeout_ms_;
};

// The `<svg ...>...</svg>` part of Graphviz's output; empty when there is none.
std::string svg_element(const std::string& graphviz_output);

}  // namespace goap::exporting
