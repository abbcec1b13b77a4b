// C++ conveniences for plugin authors over the C ABI of goap_plugin.h (standard library only,
// header-only, so a plugin needs nothing from goap but this folder).
//
//   goap::plugin::Call      a read-only view of one request: typed parameter access, logging
//                           and emitting through the host's callbacks
//   goap::plugin::Outcome   what a handler returns: a status and a one-line message
//   GOAP_PLUGIN(info, fn)   defines the three exported entry points; exceptions thrown by `fn`
//                           become GOAP_FAILED (BadRequest: GOAP_BAD_REQUEST) and never cross
//                           the boundary
//
// The value parsers (parse_duration, parse_int, ...) are shared with the host, which uses them
// to type-check `with:` values before a plugin ever sees them.
#pragma once

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_api/goap_plugin.h"

namespace goap::plugin {

// "30s", "500ms", "2m", "1h", "1d", "1.5s"; a bare number is seconds. nullopt when malformed or negative.
inline std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  std::size_t i = 0;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  const std::string num(s.substr(0, i));
  char* end = nullptr;
  const double v = std::strtod(num.c_str(), &end);
  if (end != num.c_str() + num.size() || v < 0) return std::nullopt;
  const std::string_view unit = s.substr(i);
  double ms = 0;
  if (unit.empty() || unit == "s") ms = v * 1000;
  else if (unit == "ms") ms = v;
  else if (unit == "m" || unit == "min") ms = v * 60'000;
  else if (unit == "h") ms = v * 3'600'000;
  else if (unit == "d") ms = v * 86'400'000;
  else return std::nullopt;
  if (ms > 1e12) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

inline std::optional<long long> parse_int(std::string_view s) {
  long long v = 0;
  const char* b = s.data();
  const char* e = s.data() + s.size();
  if (b != e && *b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || b == e) return std::nullopt;
  return v;
}

inline std::optional<bool> parse_bool(std::string_view s) {
  if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
  if (s == "false" || s == "no" || s == "off" || s == "0") return false;
  return std::nullopt;
}

// A parameter value the plugin cannot use: reported as GOAP_BAD_REQUEST.
struct BadRequest : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Outcome {
  std::int32_t status = GOAP_OK;
  std::string message;
  static Outcome ok(std::string m) { return {GOAP_OK, std::move(m)}; }
  static Outcome failed(std::string m) { return {GOAP_FAILED, std::move(m)}; }
  static Outcome timeout(std::string m) { return {GOAP_TIMEOUT, std::move(m)}; }
};

class Call {
 public:
  explicit Call(const goap_request& r) : r_(r) {}

  [[nodiscard]] int op() const { return r_.op; }
  [[nodiscard]] bool describing() const { return r_.op == GOAP_OP_DESCRIBE; }
  [[nodiscard]] std::string_view kind() const { return r_.kind ? r_.kind : ""; }
  [[nodiscard]] std::string_view action() const { return r_.action ? r_.action : ""; }

  [[nodiscard]] bool has(std::string_view name) const { return find(name) != nullptr; }
  // The value of a parameter (the first item of a list); "" when absent.
  [[nodiscard]] std::string str(std::string_view name) const {
    const goap_param* p = find(name);
    return p && p->item_count > 0 && p->items[0] ? std::string(p->items[0]) : std::string();
  }
  [[nodiscard]] std::vector<std::string> list(std::string_view name) const {
    std::vector<std::string> out;
    if (const goap_param* p = find(name))
      for (std::size_t i = 0; i < p->item_count; ++i) out.emplace_back(p->items[i] ? p->items[i] : "");
    return out;
  }
  [[nodiscard]] std::chrono::milliseconds duration(std::string_view name) const {
    auto d = parse_duration(str(name));
    if (!d) throw BadRequest("'" + std::string(name) + "' is not a duration: '" + str(name) + "'");
    return *d;
  }
  [[nodiscard]] long long integer(std::string_view name) const {
    auto v = parse_int(str(name));
    if (!v) throw BadRequest("'" + std::string(name) + "' is not an integer: '" + str(name) + "'");
    return *v;
  }
  [[nodiscard]] std::vector<long long> integers(std::string_view name) const {
    std::vector<long long> out;
    for (const std::string& s : list(name)) {
      auto v = parse_int(s);
      if (!v) throw BadRequest("'" + std::string(name) + "' holds a non-integer: '" + s + "'");
      out.push_back(*v);
    }
    return out;
  }
  [[nodiscard]] bool flag(std::string_view name) const {
    auto v = parse_bool(str(name));
    if (!v) throw BadRequest("'" + std::string(name) + "' is not true or false: '" + str(name) + "'");
    return *v;
  }

  void log(std::int32_t level, const std::string& msg) const {
    if (r_.host && r_.host->log) r_.host->log(r_.host->ctx, level, msg.c_str());
  }
  void debug(const std::string& m) const { log(GOAP_LOG_DEBUG, m); }
  void info(const std::string& m) const { log(GOAP_LOG_INFO, m); }
  void warn(const std::string& m) const { log(GOAP_LOG_WARN, m); }
  void emit(const std::string& key, const std::string& value) const {
    if (r_.host && r_.host->emit) r_.host->emit(r_.host->ctx, key.c_str(), value.c_str());
  }

 private:
  [[nodiscard]] const goap_param* find(std::string_view name) const {
    for (std::size_t i = 0; i < r_.param_count; ++i)
      if (r_.params[i].name && name == r_.params[i].name) return &r_.params[i];
    return nullptr;
  }
  const goap_request& r_;
};

using Handler = Outcome (*)(const Call&);

inline void set_message(goap_response* out, std::string_view m) {
  const std::size_t n = m.size() < GOAP_MESSAGE_CAPACITY - 1 ? m.size() : GOAP_MESSAGE_CAPACITY - 1;
  std::memcpy(out->message, m.data(), n);
  out->message[n] = '\0';
}

// The body of goap_plugin_invoke: nothing escapes.
inline std::int32_t invoke_guarded(const goap_request* req, goap_response* out, Handler h) noexcept {
  if (out == nullptr) return GOAP_BAD_REQUEST;
  out->status = GOAP_FAILED;
  out->message[0] = '\0';
  if (req == nullptr) {
    out->status = GOAP_BAD_REQUEST;
    set_message(out, "no request");
    return out->status;
  }
  try {
    Outcome o = h(Call(*req));
    out->status = o.status;
    set_message(out, o.message);
  } catch (const BadRequest& e) {
    out->status = GOAP_BAD_REQUEST;
    set_message(out, e.what());
  } catch (const std::exception& e) {
    out->status = GOAP_FAILED;
    set_message(out, std::string("plugin threw: ") + e.what());
  } catch (...) {
    out->status = GOAP_FAILED;
    set_message(out, "plugin threw a non-standard exception");
  }
  return out->status;
}

}  // namespace goap::plugin

// Defines the exported entry points of a plugin from its static info and a handler.
#define GOAP_PLUGIN(INFO, HANDLER)                                                                         \
  extern "C" GOAP_PLUGIN_EXPORT std::uint32_t goap_plugin_api_version() noexcept {                        \
    return GOAP_PLUGIN_API_VERSION;                                                                         \
  }                                                                                                         \
  extern "C" GOAP_PLUGIN_EXPORT const goap_plugin_info* goap_plugin_describe() noexcept { return &(INFO); } \
  extern "C" GOAP_PLUGIN_EXPORT std::int32_t goap_plugin_invoke(const goap_request* req,                   \
                                                                goap_response* out) noexcept {              \
    return ::goap::plugin::invoke_guarded(req, out, (HANDLER));                                             \
  }
