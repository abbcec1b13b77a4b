// `goap validate WORLD PLAN.json`: replay a plan with the model-level validator (model/replay.h).
#include <climits>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input.h"
#include "core/terminal_text.h"
#include "model/replay.h"

namespace goap::cli {
namespace {

using json = nlohmann::json;

// Where a JSON text fails to parse, and in which field: replays the parse through SAX, which
// reports the byte offset and sees the keys on the way (nlohmann's DOM keeps neither).
class FailureLocator final : public nlohmann::json_sax<json> {
 public:
  std::size_t position = 0;
  std::string last_key;  // the last key read before the failure
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t& k) override {
    last_key = k;
    return true;
  }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception&) override {
    position = pos;
    return false;
  }
};

// "FILE:LINE:COL" of a byte offset (1-based; the offset counts the failing character itself).
std::string located(const std::string& path, const std::string& text, std::size_t position) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i + 1 < position && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return path + ":" + std::to_string(line) + ":" + std::to_string(col);
}

// A value for a message: its JSON text (control bytes escaped by dump), cut to 40 bytes.
std::string shown(const json& v) {
  std::string s = v.dump(-1, ' ', true, json::error_handler_t::replace);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

// The plan's stated total: absent or null (a `satisfied` answer), else a whole number of 0 or
// more that fits a cost. Returns an error message naming the field, or "".
std::string check_cost(const json& j, long long* cost) {
  if (!j.contains("cost") || j["cost"].is_null()) return {};
  const json& c = j["cost"];
  if (c.is_number_unsigned() && c.get<unsigned long long>() <= static_cast<unsigned long long>(LLONG_MAX)) {
    *cost = c.get<long long>();
    return {};
  }
  if (c.is_number_integer() && c.get<long long>() >= 0) {
    *cost = c.get<long long>();
    return {};
  }
  if (c.is_number_float()) {
    const double d = c.get<double>();
    if (d >= 0 && d <= 9.2e18 && d == static_cast<double>(static_cast<long long>(d))) {
      *cost = static_cast<long long>(d);
      return {};
    }
  }
  return "'cost' must be the plan's total cost, a whole number from 0 to 2^63-1, not " + shown(c);
}

// The verdict: the human line, or one JSON document (--json) with the same facts.
int verdict(const ValidateOptions& o, bool valid, const std::string& text, std::size_t steps, const std::string& goal,
            long long cost, int rc) {
  if (!o.json) {
    std::printf("%s\n", text.c_str());
    return rc;
  }
  nlohmann::ordered_json doc{{"format_version", 1}, {"valid", valid}, {"steps", steps},
                             {"goal", goal.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(goal)}};
  doc["cost"] = cost >= 0 ? nlohmann::ordered_json(cost) : nlohmann::ordered_json();
  doc["error"] = valid ? nlohmann::ordered_json() : nlohmann::ordered_json(text.substr(text.find(": ") + 2));
  std::printf("%s\n", doc.dump(2, ' ', false, json::error_handler_t::replace).c_str());
  return rc;
}

}  // namespace

int run_validate(const ValidateOptions& o, const CommonOptions& common) {
  auto in = read_input(o.world, o.state_file, o.set_lines, common);
  if (!in) return kInvalidInput;
  auto text = read_text(o.plan_file, kMaxStateFileBytes);
  if (!text) return kUsage;
  const std::string plan_name = core::terminal_safe(o.plan_file == "-" ? "<stdin>" : o.plan_file);
  json j;
  try {
    j = json::parse(*text);
  } catch (const json::exception& e) {
    // A syntax error, or a number that does not fit (`"cost": 1e999`): located, naming the field.
    FailureLocator where;
    json::sax_parse(*text, &where);
    const bool range = dynamic_cast<const json::out_of_range*>(&e) != nullptr;
    std::fprintf(stderr, "%s: error: %s%s\n", located(plan_name, *text, where.position).c_str(),
                 range ? "a number out of range" : "not JSON",
                 where.last_key.empty() ? "" : (" (in '" + where.last_key + "')").c_str());
    std::fprintf(stderr, "  %s\n", core::terminal_safe(e.what()).c_str());
    return kInvalidInput;
  }
  if (!j.is_object()) {
    std::fprintf(stderr, "%s: error: not a goap plan: expected a JSON object with a \"plan\" list\n", plan_name.c_str());
    return kInvalidInput;
  }
  long long stated_cost = -1;
  if (const std::string bad = check_cost(j, &stated_cost); !bad.empty()) {
    std::fprintf(stderr, "%s: error: %s\n", plan_name.c_str(), bad.c_str());
    return kInvalidInput;
  }
  std::vector<model::ReplayStep> steps;
  std::string goal = o.goal;
  try {
    if (goal.empty() && j.contains("goal") && j["goal"].is_string()) goal = j["goal"].get<std::string>();
    for (const auto& s : j.at("plan")) {
      model::ReplayStep st;
      st.action = s.at("action").get<std::string>();
      if (s.contains("args"))
        for (const auto& [k, v] : s["args"].items()) st.args.emplace_back(k, v.get<std::string>());
      // A step's own cost is informative (the replay adds up the actions' costs), but a value
      // that is no cost at all is a broken plan file, not something to pass over.
      if (s.contains("cost") && !s["cost"].is_null() &&
          !((s["cost"].is_number_unsigned()) || (s["cost"].is_number_integer() && s["cost"].get<long long>() >= 0))) {
        std::fprintf(stderr, "%s: error: step %zu: 'cost' must be a whole number from 0 up, not %s\n", plan_name.c_str(),
                     steps.size() + 1, core::terminal_safe(s["cost"].dump(-1, ' ', false, json::error_handler_t::replace)).c_str());
        return kInvalidInput;
      }
      steps.push_back(std::move(st));
    }
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "%s: error: not a goap plan (expected {\"plan\": [{\"action\": ..., \"args\": {...}}]}): %s\n",
                 core::terminal_safe(o.plan_file).c_str(), core::terminal_safe(e.what()).c_str());
    return kInvalidInput;
  }
  const model::ReplayResult r = model::replay(in->world, in->state, steps);
  if (!r.ok) return verdict(o, false, "invalid: " + core::terminal_safe(r.error), steps.size(), goal, -1, kNoPlan);
  if (!goal.empty()) {
    auto it = in->world.goal_index.find(goal);
    if (it == in->world.goal_index.end()) {
      std::fprintf(stderr, "goap: error: no goal named '%s'\n", core::terminal_safe(goal).c_str());
      return kUsage;
    }
    std::string unmet;
    if (!model::goal_holds(in->world, it->second, r.final_state, &unmet))
      return verdict(o, false,
                     "invalid: after " + std::to_string(steps.size()) + " steps the goal '" + goal + "' is not met: " + unmet,
                     steps.size(), goal, r.cost, kNoPlan);
  }
  if (stated_cost >= 0 && stated_cost != r.cost)
    return verdict(o, false,
                   "invalid: the plan says cost " + std::to_string(stated_cost) + ", the actions add up to " + std::to_string(r.cost),
                   steps.size(), goal, r.cost, kNoPlan);
  return verdict(o, true,
                 "valid: " + std::to_string(steps.size()) + " step" + (steps.size() == 1 ? "" : "s") + ", cost " +
                     std::to_string(r.cost) + (goal.empty() ? "" : ", goal '" + goal + "' met"),
                 steps.size(), goal, r.cost, kOk);
}

}  // namespace goap::cli
