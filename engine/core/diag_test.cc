#include "core/diag.h"

#include <doctest/doctest.h>

using namespace goap::core;

TEST_CASE("a diagnostic renders file:line:col, the source line and a caret under the column") {
  SourceManager sm;
  const auto f = sm.add("w.yaml", "kind: world\nfacts:\n  up(host): bol\n");
  Diagnostics ds;
  ds.error(SourceLoc{f, 3, 13, 3}, "unknown value kind 'bol'").hint("did you mean 'bool'?");
  CHECK(render_all(ds, sm) ==
        "w.yaml:3:13: error: unknown value kind 'bol'\n"
        " 3 |   up(host): bol\n"
        "   |             ^~~\n"
        "  hint: did you mean 'bool'?\n");
}

TEST_CASE("notes render after their diagnostic with their own location") {
  SourceManager sm;
  const auto a = sm.add("a.yaml", "x: 1\n");
  const auto b = sm.add("b.yaml", "\n  x: 2\n");
  Diagnostics ds;
  ds.error(SourceLoc{b, 2, 3}, "'x' declared twice").note(SourceLoc{a, 1, 1}, "first declared here");
  CHECK(render_all(ds, sm) ==
        "b.yaml:2:3: error: 'x' declared twice\n"
        " 2 |   x: 2\n"
        "   |   ^\n"
        "a.yaml:1:1: note: first declared here\n"
        " 1 | x: 1\n"
        "   | ^\n");
}

TEST_CASE("a caret never runs past the end of the line, and CRLF lines print without the CR") {
  SourceManager sm;
  const auto f = sm.add("c.yaml", "ab\r\ncd\r\n");
  CHECK(sm.line(f, 1) == "ab");
  CHECK(sm.line(f, 2) == "cd");
  CHECK(sm.line(f, 3).empty());
  Diagnostics ds;
  ds.error(SourceLoc{f, 1, 2, 40}, "m");
  CHECK(render_all(ds, sm) == "c.yaml:1:2: error: m\n 1 | ab\n   |  ^\n");
}

TEST_CASE("counts and sorting") {
  Diagnostics ds;
  ds.warning(SourceLoc{0, 5, 1}, "w");
  ds.error(SourceLoc{0, 2, 1}, "e");
  CHECK(ds.error_count() == 1);
  CHECK(ds.warning_count() == 1);
  ds.sort();
  CHECK(ds.all().front().message == "e");
}
