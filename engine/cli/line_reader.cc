#include "cli/line_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace goap::cli {

LineReader::LineReader(int fd, std::size_t max_bytes) : fd_(fd), max_bytes_(max_bytes), buf_(64 * 1024) {}

bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ == end_) begin_ = end_ = 0;
  for (;;) {
    const ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0) errno_ = errno;
      eof_ = true;
      return false;
    }
    end_ += static_cast<std::size_t>(n);
    return true;
  }
}

bool LineReader::next(InputLine& line) {
  line.text.clear();
  line.bytes = 0;
  line.too_long = false;
  bool any = false;  // a byte (or the newline) of this line was seen
  for (;;) {
    if (begin_ == end_ && !fill()) {
      if (!any) return false;
      break;  // the last line, without a newline
    }
    any = true;
    const char* from = buf_.data() + begin_;
    const char* nl = static_cast<const char*>(std::memchr(from, '\n', end_ - begin_));
    const std::size_t take = nl ? static_cast<std::size_t>(nl - from) : end_ - begin_;
    // Keep at most max_bytes_; count the rest.
    const std::size_t room = max_bytes_ > line.text.size() ? max_bytes_ - line.text.size() : 0;
    line.text.append(from, std::min(take, room));
    line.bytes += take;
    begin_ += take;
    if (nl) {
      ++begin_;  // the newline
      break;
    }
  }
  line.too_long = line.bytes > max_bytes_;
  line.number = ++number_;
  return true;
}

std::size_t first_invalid_utf8(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // the allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0) lo = 0xa0;  // overlong
      if (c == 0xed) hi = 0x9f;  // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0) lo = 0x90;  // overlong
      if (c == 0xf4) hi = 0x8f;  // past U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if ((byte(i + k) & 0xc0) != 0x80) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace goap::cli
