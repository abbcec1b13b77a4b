// `goap validate WORLD PLAN.json`: replay a plan with the model-level validator (model/replay.h).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input.h"
#include "core/terminal_text.h"
#include "model/replay.h"

namespace goap::cli {

int run_validate(const ValidateOptions& o, const CommonOptions& common) {
  auto in = read_input(o.world, o.state_file, o.set_lines, common);
  if (!in) return kInvalidInput;
  auto text = read_text(o.plan_file, kMaxStateFileBytes);
  if (!text) return kUsage;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    std::fprintf(stderr, "%s: error: not JSON: %s\n", core::terminal_safe(o.plan_file).c_str(),
                 core::terminal_safe(e.what()).c_str());
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
      steps.push_back(std::move(st));
    }
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "%s: error: not a goap plan (expected {\"plan\": [{\"action\": ..., \"args\": {...}}]}): %s\n",
                 core::terminal_safe(o.plan_file).c_str(), core::terminal_safe(e.what()).c_str());
    return kInvalidInput;
  }
  const model::ReplayResult r = model::replay(in->world, in->state, steps);
  if (!r.ok) {
    std::printf("invalid: %s\n", r.error.c_str());
    return kNoPlan;
  }
  if (!goal.empty()) {
    auto it = in->world.goal_index.find(goal);
    if (it == in->world.goal_index.end()) {
      std::fprintf(stderr, "goap: error: no goal named '%s'\n", goal.c_str());
      return kUsage;
    }
    std::string unmet;
    if (!model::goal_holds(in->world, it->second, r.final_state, &unmet)) {
      std::printf("invalid: after %zu steps the goal '%s' is not met: %s\n", steps.size(), goal.c_str(), unmet.c_str());
      return kNoPlan;
    }
  }
  if (j.contains("cost") && j["cost"].is_number_integer() && j["cost"].get<long long>() != r.cost) {
    std::printf("invalid: the plan says cost %lld, the actions add up to %lld\n", j["cost"].get<long long>(), r.cost);
    return kNoPlan;
  }
  std::printf("valid: %zu step%s, cost %lld%s\n", steps.size(), steps.size() == 1 ? "" : "s", r.cost,
              goal.empty() ? "" : (", goal '" + goal + "' met").c_str());
  return kOk;
}

}  // namespace goap::cli
