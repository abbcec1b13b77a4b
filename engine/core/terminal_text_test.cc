#include "core/terminal_text.h"

#include <doctest/doctest.h>

using goap::core::terminal_safe;

TEST_CASE("terminal_safe escapes what a terminal acts on and keeps text, tabs, newlines and UTF-8") {
  CHECK(terminal_safe("plain text\twith tab\n") == "plain text\twith tab\n");
  CHECK(terminal_safe("caf\xc3\xa9 \xe2\x9c\x93") == "caf\xc3\xa9 \xe2\x9c\x93");
  CHECK(terminal_safe("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(terminal_safe("\x1b]0;title\x07") == "\\x1b]0;title\\x07");
  CHECK(terminal_safe("a\rb\x7f") == "a\\x0db\\x7f");
  CHECK(terminal_safe("\xc2\x9b""2J") == "\\u009b2J");  // C1 CSI, UTF-8 encoded
  CHECK(terminal_safe("\x9b""2J") == "\\x9b2J");        // a lone C1 byte is not UTF-8 either
  CHECK(terminal_safe("\xff\xc3") == "\\xff\\xc3");
}
