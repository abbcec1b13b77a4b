#include "core/terminal_text.h"

#include <doctest/doctest.h>

using goap::core::terminal_safe;

TEST_CASE("terminal_safe shows control bytes instead of sending them to the terminal") {
  CHECK(terminal_safe("plain text, tab\tand newline\n") == "plain text, tab\tand newline\n");
  CHECK(terminal_safe("\x1b]0;owned\x07") == "\\x1b]0;owned\\x07");   // OSC retitling the window, BEL
  CHECK(terminal_safe("\x1b[2J\rback") == "\\x1b[2J\\x0dback");        // clear screen, carriage return
  CHECK(terminal_safe(std::string("nul\0del\x7f", 8)) == "nul\\x00del\\x7f");
  CHECK(terminal_safe("caf\xc3\xa9 \xe2\x9c\x93") == "caf\xc3\xa9 \xe2\x9c\x93");  // UTF-8 stays
  CHECK(terminal_safe("\xc2\x9b" "31m") == "\\u009b31m");                // C1 CSI, UTF-8 encoded
  CHECK(terminal_safe("\x9b" "31m \xff \xc3") == "\\x9b31m \\xff \\xc3");  // not UTF-8
  CHECK(terminal_safe("\xed\xa0\x80") == "\\xed\\xa0\\x80");              // a surrogate is not UTF-8
}
