#include "core/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <mutex>

#include "core/json_escape.h"

namespace goap::core::log {
namespace {

// {"ts":"2026-11-24T01:02:03.456Z","level":"info","msg":"..."}: one object per line.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    const auto t = msg.time;
    const auto secs = time_point_cast<seconds>(t);
    const auto ms = duration_cast<milliseconds>(t - secs).count();
    const std::time_t tt = system_clock::to_time_t(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char ts[32];
    std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string line = fmt::format(R"({{"ts":"{}.{:03d}Z","level":"{}","logger":{},"msg":{}}})",
                                   ts, ms, spdlog::level::to_string_view(msg.level),
                                   json_quote(std::string_view(msg.logger_name.data(), msg.logger_name.size())),
                                   json_quote(std::string_view(msg.payload.data(), msg.payload.size())));
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }
  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

std::mutex g_mutex;
std::shared_ptr<spdlog::logger> g_logger;
std::atomic<int> g_level{static_cast<int>(Level::warn)};

std::shared_ptr<spdlog::logger> make_logger(bool json) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("goap", sink);
  if (json)
    logger->set_formatter(std::make_unique<JsonFormatter>());
  else
    logger->set_pattern("goap: %l: %v");
  return logger;
}

spdlog::level::level_enum to_spd(Level l) {
  switch (l) {
    case Level::trace: return spdlog::level::trace;
    case Level::debug: return spdlog::level::debug;
    case Level::info: return spdlog::level::info;
    case Level::warn: return spdlog::level::warn;
    case Level::error: return spdlog::level::err;
    case Level::off: return spdlog::level::off;
  }
  return spdlog::level::warn;
}

}  // namespace

void init(int verbosity, bool json) {
  Level level = Level::warn;
  if (verbosity == 1) level = Level::info;
  if (verbosity == 2) level = Level::debug;
  if (verbosity >= 3) level = Level::trace;
  std::lock_guard lock(g_mutex);
  g_logger = make_logger(json);
  g_logger->set_level(to_spd(level));
  g_logger->flush_on(spdlog::level::trace);
  g_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

std::shared_ptr<spdlog::logger> sink() {
  std::lock_guard lock(g_mutex);
  if (!g_logger) {
    g_logger = make_logger(false);
    g_logger->set_level(to_spd(static_cast<Level>(g_level.load())));
  }
  return g_logger;
}

void write(Level level, std::string_view message) { sink()->log(to_spd(level), "{}", message); }

}  // namespace goap::core::log
