#include "core/terminal_text.h"

#include <cstdio>

namespace goap::core {
namespace {

// The length of the well-formed UTF-8 sequence at s[i] and its code point, or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t* cp) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  char32_t c = 0, min = 0;
  if (b >= 0xC2 && b <= 0xDF) n = 2, c = b & 0x1F, min = 0x80;
  else if (b >= 0xE0 && b <= 0xEF) n = 3, c = b & 0x0F, min = 0x800;
  else if (b >= 0xF0 && b <= 0xF4) n = 4, c = b & 0x07, min = 0x10000;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto x = static_cast<unsigned char>(s[i + k]);
    if ((x & 0xC0) != 0x80) return 0;
    c = (c << 6) | (x & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *cp = c;
  return n;
}

}  // namespace

std::string terminal_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  char buf[8];
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b == '\n' || b == '\t' || (b >= 0x20 && b < 0x7F)) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t n = b >= 0x80 ? utf8_sequence(s, i, &cp) : 0;
    if (n > 0 && cp > 0x9F) {
      out.append(s.substr(i, n));
    } else if (n > 0) {
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      std::snprintf(buf, sizeof buf, "\\x%02x", b);
      out += buf;
    }
    i += n > 0 ? n : 1;
  }
  return out;
}

}  // namespace goap::core
