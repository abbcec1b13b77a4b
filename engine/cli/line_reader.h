// Lines of untrusted input read with a bounded buffer, for `goap batch` (cmd_batch.cc).
//
// LineReader hands out one line at a time from a file descriptor. A line longer than the cap is
// never held whole: its first `max_bytes` are kept, the rest is counted and dropped up to the
// next newline, so a 46 MB line costs `max_bytes` of memory, not 46 MB. Lines end at '\n'; a
// last line without one still counts. Line numbers are 1-based and count every line.
//
// first_invalid_utf8 is the strict check (RFC 3629: no overlong forms, no surrogates, nothing
// past U+10FFFF) that a JSON text must pass before it is parsed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace goap::cli {

struct InputLine {
  std::size_t number = 0;  // 1-based
  std::string text;        // without the '\n'; only the first max_bytes when too_long
  std::size_t bytes = 0;   // the line's full length, '\n' excluded
  bool too_long = false;   // bytes > max_bytes
};

class LineReader {
 public:
  // Reads `fd` (not owned, not closed). `max_bytes`: the longest line kept whole.
  LineReader(int fd, std::size_t max_bytes);

  // The next line, or false at the end of input. A read error ends the input too (error()).
  bool next(InputLine& line);
  [[nodiscard]] int error() const { return errno_; }

 private:
  bool fill();  // more bytes into buf_; false at end of input or on an error

  int fd_;
  std::size_t max_bytes_;
  std::vector<char> buf_;
  std::size_t begin_ = 0, end_ = 0;  // unread bytes: buf_[begin_, end_)
  std::size_t number_ = 0;
  bool eof_ = false;
  int errno_ = 0;
};

// Offset of the first byte that is not part of valid UTF-8, or npos.
std::size_t first_invalid_utf8(std::string_view s);

}  // namespace goap::cli
