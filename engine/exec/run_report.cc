#include "exec/run_report.h"

#include <nlohmann/json.hpp>

namespace goap::exec {

void RunReport::emit(std::string_view type, const std::string& text, const nlohmann::ordered_json& fields) {
  if (format_ == Format::text) {
    if (text.empty()) return;
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fputc('\n', out_);
    std::fflush(out_);
    return;
  }
  nlohmann::ordered_json line;
  line["type"] = type;
  line["time"] = iso_utc((clock_ != nullptr ? *clock_ : system_clock()).now());
  if (fields.is_object())
    for (const auto& [k, v] : fields.items()) line[k] = v;
  // The human text without the indentation that nests it under its step in the text form.
  if (const auto start = text.find_first_not_of(' '); start != std::string::npos) line["message"] = text.substr(start);
  // Plugin messages and sensor errors are not always UTF-8: a bad byte becomes U+FFFD rather
  // than an exception mid-run.
  const std::string s = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::fwrite(s.data(), 1, s.size(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

void RunReport::emit(std::string_view type, const std::string& text) { emit(type, text, nlohmann::ordered_json()); }

}  // namespace goap::exec
