#include "ground/budget.h"

#include <cmath>
#include <cstdio>

namespace goap::ground {

double Budget::elapsed_ms() const {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
}

void Budget::check_time() const {
  if (elapsed_ms() > limits_.max_ms) throw LimitExceeded{GroundingLimitKind::time, {}};
}

std::string Budget::limit_text(GroundingLimitKind kind) const {
  if (kind == GroundingLimitKind::time) return "the time limit (" + count_text(limits_.max_ms) + " ms)";
  if (kind == GroundingLimitKind::allocation) return "the memory available (an allocation failed)";
  return "the memory limit (" + bytes_text(static_cast<double>(limits_.max_memory_bytes)) + ")";
}

std::string bytes_text(double bytes) {
  const double mib = bytes / (1 << 20);
  if (mib >= 10 * 1024) return count_text(mib / 1024) + " GiB";
  return count_text(mib < 1 ? 1 : mib) + " MiB";
}

std::string count_text(double n) {
  if (!std::isfinite(n)) return "infinitely many";
  char buf[64];
  if (n >= 1e7) {
    std::snprintf(buf, sizeof buf, "%.1e", n);  // "4.7e+10" -> "4.7e10"
    std::string s = buf;
    const auto e = s.find('e');
    std::size_t k = e + 1;
    if (k < s.size() && s[k] == '+') s.erase(k, 1);
    while (k + 1 < s.size() && s[k] == '0') s.erase(k, 1);
    return s;
  }
  std::snprintf(buf, sizeof buf, "%.0f", n);
  std::string digits = buf, out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace goap::ground
