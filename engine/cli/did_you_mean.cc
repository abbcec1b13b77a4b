#include "cli/did_you_mean.h"

#include <algorithm>

namespace goap::cli {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // d[i][j]: distance between a's first i and b's first j characters, three rows kept.
  std::vector<std::size_t> two(b.size() + 1), one(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) one[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = one[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({one[j] + 1, cur[j - 1] + 1, sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], two[j - 2] + 1);
    }
    std::swap(two, one);
    std::swap(one, cur);
  }
  return one[b.size()];
}

std::vector<std::string> closest_names(std::string_view typed, const std::vector<std::string>& names) {
  std::size_t best = 3;  // more than 2 edits is no typo
  std::vector<std::string> out;
  for (const std::string& n : names) {
    const std::size_t d = edit_distance(typed, n);
    if (2 * d >= std::max(typed.size(), n.size())) continue;
    if (d < best) {
      best = d;
      out.clear();
    }
    if (d == best && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
  return out;
}

std::string did_you_mean(const std::vector<std::string>& names, std::string_view prefix) {
  if (names.empty()) return "";
  std::string out = " did you mean ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += "'" + std::string(prefix) + names[i] + "'";
  }
  return out + "?";
}

}  // namespace goap::cli
