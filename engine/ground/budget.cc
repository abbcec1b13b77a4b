#include "ground/budget.h"


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

}  // namespace goap::ground
