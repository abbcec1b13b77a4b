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

TEST_CASE("control bytes from a file are printed as escapes, and the caret stays under its column") {
  SourceManager sm;
  const auto f = sm.add("e.yaml", "a: \x1b]0;pwned\x07 \xc2\x9b""31m bad\n");
  Diagnostics ds;
  ds.error(SourceLoc{f, 1, 21, 3}, "unknown key '\x1b[2J'").hint("a\nb");
  const std::string out = render_all(ds, sm);
  CHECK(out ==
        "e.yaml:1:21: error: unknown key '\\x1b[2J'\n"
        " 1 | a: \\x1b]0;pwned\\x07 \\u009b31m bad\n"
        "   |                               ^~~\n"
        "  hint: a\\nb\n");
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find('\x07') == std::string::npos);
}

TEST_CASE("a long source line is cut around the caret, and a long message is cut") {
  SourceManager sm;
  const std::string line = "k: " + std::string(100000, 'x') + "!" + std::string(100000, 'y');
  const auto f = sm.add("long.yaml", line + "\n");
  Diagnostics ds;
  ds.error(SourceLoc{f, 1, 100004, 1}, "unexpected '!' after " + std::string(50000, 'z'));
  const std::string out = render_all(ds, sm);
  CHECK(out.size() < 2 * (kMaxExcerptColumns + kMaxMessageBytes));
  // The caret still points at the '!': the same number of columns into the cut line.
  const auto l1 = out.find("\n 1 | ") + 6;
  const auto l2 = out.find("\n   | ") + 6;
  const auto bang = out.find('!', l1);
  const auto caret = out.find('^', l2);
  REQUIRE(bang != std::string::npos);
  REQUIRE(caret != std::string::npos);
  CHECK(bang - l1 == caret - l2);
  CHECK(out.substr(l1, 3) == "...");
  CHECK(out.find("...\n", l1) != std::string::npos);
}

TEST_CASE("a file registered without excerpts is located but its text is never printed") {
  SourceManager sm;
  const auto f = sm.add("/etc/secret", "root:$6$hash:19000::\n", false);
  Diagnostics ds;
  ds.error(SourceLoc{f, 1, 1, 4}, "missing 'kind:'");
  CHECK(render_all(ds, sm) == "/etc/secret:1:1: error: missing 'kind:'\n");
}

TEST_CASE("render_all prints at most max_diagnostics and counts the rest") {
  SourceManager sm;
  const auto f = sm.add("m.yaml", "x\n");
  Diagnostics ds;
  for (int i = 0; i < 5; ++i) ds.error(SourceLoc{f, 1, 1}, "e" + std::to_string(i));
  RenderOptions ro;
  ro.max_diagnostics = 2;
  const std::string out = render_all(ds, sm, ro);
  CHECK(out.find("e1") != std::string::npos);
  CHECK(out.find("e2") == std::string::npos);
  CHECK(out.find("goap: note: 3 more diagnostics not shown (the first 2 are above)\n") != std::string::npos);
}
