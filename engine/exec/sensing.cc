#include "exec/sensing.h"

#include "exec/binding.h"
#include "plugin_api/plugin.h"

namespace goap::exec {
namespace {

const plugin_host::KindInfo* sensor_kind(const plugin_host::PluginInfo& p, const load::SensorSpec& s) {
  if (s.sensor.empty()) return p.sensors.empty() ? nullptr : &p.sensors.front();
  return p.sensor(s.sensor);
}

std::vector<plugin_host::Param> unbound(const load::SensorSpec& s) {
  std::vector<plugin_host::Param> out;
  for (const auto& [name, v] : s.with) out.push_back({name, v.items, v.is_list});
  return out;
}

}  // namespace

const char* value_type(const model::FactDecl& decl) {
  switch (decl.kind) {
    case model::ValueKind::boolean: return "bool";
    case model::ValueKind::integer: return "int";
    case model::ValueKind::enumeration: return "enum";
  }
  return "?";
}

std::optional<int> to_index(const model::FactDecl& decl, const std::string& raw) {
  std::string v = raw;
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ' || v.back() == '\r')) v.pop_back();
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  switch (decl.kind) {
    case model::ValueKind::boolean: {
      auto b = plugin::parse_bool(v);
      if (!b) return std::nullopt;
      return *b ? 1 : 0;
    }
    case model::ValueKind::integer: {
      auto n = plugin::parse_int(v);
      if (!n || *n < decl.lo || *n > decl.hi) return std::nullopt;
      return static_cast<int>(*n - decl.lo);
    }
    case model::ValueKind::enumeration:
      for (std::size_t i = 0; i < decl.enum_values.size(); ++i)
        if (decl.enum_values[i] == v) return static_cast<int>(i);
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> check_sensors(const std::vector<load::SensorSpec>& specs, const plugin_host::PluginSet& plugins) {
  std::vector<std::string> out;
  for (const load::SensorSpec& s : specs) {
    const plugin_host::LoadedPlugin* p = plugins.find(s.plugin);
    if (p == nullptr) {
      out.push_back("sensor '" + s.text + "': no plugin named '" + s.plugin + "' was found");
      continue;
    }
    const plugin_host::KindInfo* k = sensor_kind(p->info(), s);
    if (k == nullptr) {
      std::string names;
      for (const auto& x : p->info().sensors) names += (names.empty() ? "" : ", ") + x.name;
      out.push_back("sensor '" + s.text + "': plugin '" + s.plugin + "' has " +
                    (s.sensor.empty() ? std::string("no sensors") : "no sensor '" + s.sensor + "'") +
                    (names.empty() ? "" : " (it has: " + names + ")"));
      continue;
    }
    for (const auto& issue : plugin_host::check_params(*k, unbound(s), true))
      out.push_back("sensor '" + s.text + "': " + issue.message + (issue.hint.empty() ? "" : " (" + issue.hint + ")"));
  }
  return out;
}

std::vector<Reading> sense(const model::World& world, const std::vector<load::SensorSpec>& specs,
                           const plugin_host::PluginSet& plugins, const SenseOptions& options, PluginLogFn on_log,
                           void* ctx) {
  std::vector<Reading> out;
  for (const load::SensorSpec& s : specs) {
    const plugin_host::LoadedPlugin* p = plugins.find(s.plugin);
    const plugin_host::KindInfo* k = p ? sensor_kind(p->info(), s) : nullptr;
    for (const auto& binding : all_bindings(world, s.params)) {
      Reading r;
      r.sensor = s.text;
      r.plugin = s.plugin;
      r.term = model::bind_term(s.term, binding);
      if (k == nullptr) {
        r.error = "plugin '" + s.plugin + "' or its sensor is not available";
        out.push_back(std::move(r));
        continue;
      }
      BindError err;
      auto params = bind_with(s.with, world, s.params, binding, &err);
      if (!params) {
        r.error = err.message;
        out.push_back(std::move(r));
        continue;
      }
      auto issues = plugin_host::check_params(*k, *params, false);
      if (issues.empty()) issues = argv_option_issues(s.with, *params, *k);
      if (!issues.empty()) {
        r.error = issues.front().message;
        out.push_back(std::move(r));
        continue;
      }
      plugin_host::Invocation call;
      call.op = GOAP_OP_SENSE;
      call.kind = k->name;
      call.action = world.term_name(r.term);
      call.params = plugin_host::with_defaults(*k, std::move(*params));
      call.deadline = plugin_host::hard_timeout(call.params, options.grace, options.fallback);
      const auto res = plugin_host::invoke_isolated(*p, call, on_log, ctx);
      r.ms = res.ms;
      r.raw = res.value("value");
      const model::FactDecl& decl = world.fact(r.term.fact);
      if (!res.ok()) {
        r.error = std::string(plugin_host::to_string(res.outcome)) + ": " + res.message;
      } else if (auto idx = to_index(decl, r.raw)) {
        r.ok = true;
        r.value = *idx;
      } else {
        r.error = "the sensor reported '" + r.raw + "', which is not a value of " + world.term_name(r.term) + " (" +
                  value_type(decl) + ")";
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

void apply_readings(const model::World& world, const std::vector<Reading>& readings, model::State& state) {
  for (const Reading& r : readings)
    if (r.ok) state.set(r.term, r.value, world.fact(r.term.fact));
}

}  // namespace goap::exec
