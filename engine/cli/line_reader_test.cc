#include "cli/line_reader.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

namespace goap::cli {
namespace {

// The lines LineReader hands out for `input`, with the cap `max`.
std::vector<InputLine> read_all(const std::string& input, std::size_t max) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f != nullptr);
  REQUIRE(std::fwrite(input.data(), 1, input.size(), f) == input.size());
  std::fflush(f);
  std::rewind(f);
  LineReader r(fileno(f), max);
  std::vector<InputLine> out;
  for (InputLine l; r.next(l);) out.push_back(l);
  CHECK(r.error() == 0);
  std::fclose(f);
  return out;
}

TEST_CASE("lines are numbered from 1, blank ones included, a last line without a newline counts") {
  const auto lines = read_all("{\"a\": 1}\n\n  \r\nlast", 100);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].text == "{\"a\": 1}");
  CHECK(lines[1].text.empty());
  CHECK(lines[2].text == "  \r");
  CHECK(lines[3].text == "last");
  CHECK(lines[3].number == 4);
  CHECK(read_all("", 100).empty());
  CHECK(read_all("one\n", 100).size() == 1);
}

TEST_CASE("a line over the cap keeps only the cap and reports its full length; the next line is intact") {
  // Longer than the reader's 64 KiB buffer, so the cut spans reads.
  const std::string big(200'000, 'x');
  const auto lines = read_all("ok\n" + big + "\nafter\n", 1000);
  REQUIRE(lines.size() == 3);
  CHECK_FALSE(lines[0].too_long);
  CHECK(lines[1].too_long);
  CHECK(lines[1].bytes == big.size());
  CHECK(lines[1].text.size() == 1000);
  CHECK(lines[1].number == 2);
  CHECK(lines[2].text == "after");
  CHECK_FALSE(lines[2].too_long);
  // Exactly at the cap is not too long.
  const auto exact = read_all(std::string(1000, 'y'), 1000);
  REQUIRE(exact.size() == 1);
  CHECK_FALSE(exact[0].too_long);
}

TEST_CASE("first_invalid_utf8 is RFC 3629's UTF-8") {
  const auto npos = std::string_view::npos;
  CHECK(first_invalid_utf8("plain ascii") == npos);
  CHECK(first_invalid_utf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80") == npos);  // é € 😀
  CHECK(first_invalid_utf8("\xff{}") == 0);                                        // never in UTF-8
  CHECK(first_invalid_utf8("ab\x80") == 2);                                        // a lone continuation
  CHECK(first_invalid_utf8("\xc0\xaf") == 0);                                      // overlong '/'
  CHECK(first_invalid_utf8("\xe0\x80\xaf") == 0);                                  // overlong, 3 bytes
  CHECK(first_invalid_utf8("\xed\xa0\x80") == 0);                                  // a surrogate
  CHECK(first_invalid_utf8("\xf4\x90\x80\x80") == 0);                              // past U+10FFFF
  CHECK(first_invalid_utf8("x\xe2\x82") == 1);                                     // cut short
}

}  // namespace
}  // namespace goap::cli
